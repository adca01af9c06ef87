"""The report site's index page: one self-contained HTML file, readable offline."""

from __future__ import annotations

from html import escape

from . import fmt

NOTEBOOK_TITLES = {
    "00-plan-a-study": "Plan a rerun: sample sizes and a fieldwork schedule",
    "01-data-overview": "Data overview: who was asked what, data quality, censoring",
    "02-answer-rates": "Answer rates by company, department and account",
    "03-response-times": "Response times (Kaplan-Meier, unanswered questions censored)",
    "04-compare-departments": "Compare departments: does the customer-service handle do better?",
    "05-compare-companies": "Compare companies: a league table that says how sure it is",
    "06-reply-quality": "Reply quality: answers vs redirects, templates, business hours, follow-ups, tone",
    "09-reproduce-2014-study": "The 2014 study's company-level figures, reproduced with intervals",
}

RESULT_FILES = ("answer_rates.csv", "response_times.csv", "comparisons.csv", "league_table.csv",
                "reply_kinds.csv", "reply_quality.csv", "reply_quality_rates.csv", "reply_quality_times.csv",
                "headline.json", "sample_sizes.csv", "fieldwork-plan/probes.csv")

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK JP",sans-serif;
max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5}
h1{margin-bottom:.2rem} .study{border-top:1px solid #ccc;padding-top:1rem;margin-top:1.5rem}
.badge{display:inline-block;padding:.1rem .5rem;border-radius:.3rem;font-size:.85rem;font-weight:600}
.synthetic{background:#fde7c5;color:#7a4100}.real{background:#d8efe0;color:#1d5a32}
table{border-collapse:collapse;margin:.5rem 0}td,th{padding:.25rem .75rem;text-align:left;border-bottom:1px solid #e5e5e5}
.source{font-size:.9rem;color:#444}.muted{color:#666;font-size:.9rem}
"""


def _headline_rows(h: dict) -> str:
    n, unit = h["companies"], "companies"
    level = 1 - h.get("alpha", 0.05)
    rows = [("Answered at all", h["answered"])]
    rows += [(f"Answered within {fmt.duration(int(k.split('_')[1][:-3]))}", v)
             for k, v in h.items() if k.startswith("within_")]
    return "\n".join(
        f"<tr><th>{escape(label)}</th><td>{escape(fmt.share_ci(v['count'], n, v['ci_low'], v['ci_high'], unit, level))}</td></tr>"
        for label, v in rows
    )


def _study_section(s: dict) -> str:
    sid = escape(s["id"])
    badge = ('<span class="badge synthetic">SYNTHETIC DATA</span>' if s["synthetic"]
             else '<span class="badge real">Real data</span>')
    parts = [f'<section class="study" id="{sid}">', f"<h2>{escape(s['title'])} {badge}</h2>",
             f"<p>{escape(s.get('description', ''))}</p>"]
    if s.get("limits"):
        items = "".join(f"<li>{escape(text)}</li>" for text in s["limits"])
        parts.append(f"<h3>Limits of these data</h3><ul class='limits'>{items}</ul>")
    h = s.get("headline")
    if h:
        parts.append(
            "<h3>Headline (unit: company, as in the 2014 study"
            + (f"; answer rates {escape(s['answer_rate_scope'])}" if s.get("answer_rate_scope") else "") + ")</h3>"
            f"<p class='muted'>{escape(h['definition'])}. Intervals: {escape(h['ci_method'])}.</p>"
            f"<table>{_headline_rows(h)}</table>"
        )
    links = "".join(
        f'<li><a href="{sid}/{escape(nb)}.html">{escape(NOTEBOOK_TITLES.get(nb, nb))}</a></li>'
        for nb in s["notebooks"]
    )
    parts.append(f"<h3>Notebooks</h3><ul>{links}</ul>")
    files = "".join(f'<li><a href="{sid}/results/{f}">{f}</a></li>' for f in s.get("results", RESULT_FILES))
    parts.append(f"<h3>Machine-readable results</h3><ul>{files}</ul>")
    parts.append(f"<p class='source'><strong>Source:</strong> {escape(s['source'])}</p>")
    parts.append(f"<p class='muted'>Generated {escape(s['generated_at'])}.</p></section>")
    return "\n".join(parts)


def index_html(studies: list[dict]) -> str:
    """The index page for every study report in the reports folder."""
    body = "\n".join(_study_section(s) for s in studies) or "<p>No reports yet: run <code>make report</code>.</p>"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Social Care Benchmark reports</title><style>{CSS}</style></head>
<body><h1>Social Care Benchmark reports</h1>
<p>How companies answer customers on social media: answer rates and response times, with their
uncertainty. Unanswered questions are counted as unanswered at the end of their observation window,
never dropped.</p>
{body}
</body></html>
"""
