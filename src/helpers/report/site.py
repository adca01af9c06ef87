"""The report site's index page: one self-contained HTML file, readable offline."""

from __future__ import annotations

from html import escape

from helpers.text import catalogue
from helpers.text import formatting as fmt
from helpers.text.catalogue import t

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


def notebook_title(notebook: str, lang: str = "en") -> str:
    """The title of an analysis page ('03-response-times' in words); its file name if it has none."""
    key = f"notebook_{notebook}"
    return t(key, lang) if key in catalogue.TEXT else notebook


def _headline_rows(h: dict, lang: str) -> str:
    n = h["companies"]
    rows = [(t("answered_at_all", lang), h["answered"])]
    rows += [(t("answered_within", lang, duration=catalogue.duration(int(k.split("_")[1][:-3]), lang)), v)
             for k, v in h.items() if k.startswith("within_")]
    return "\n".join(
        f"<tr><th>{escape(label)}</th><td>"
        + escape(t("of_companies", lang, k=v["count"], n=n, share=catalogue.pct(v["count"] / n if n else None),
                   low=catalogue.pct(v["ci_low"]), high=catalogue.pct(v["ci_high"])))
        + "</td></tr>"
        for label, v in rows
    )


def _league_table(rows: list[dict], sid: str, scorecards: dict[str, str], lang: str) -> str:
    head = "".join(f"<th>{escape(t(k, lang))}</th>" for k in ("col_rank", "col_company", "col_questions"))
    head += f"<th>{escape(t('col_rate', lang))}</th><th>{escape(t('col_median', lang))}</th>"
    head += f"<th>{escape(t('col_rank_range', lang))}</th>"
    body = []
    for r in rows:
        f = lambda k: float(r[k]) if r.get(k) not in (None, "") else float("nan")  # noqa: E731
        name = escape(r["company"])
        if r["company"] in scorecards:
            name = f'<a href="{sid}/{escape(scorecards[r["company"]])}">{name}</a>'
        wait = fmt.with_interval(f("median_minutes"), f("median_ci_low"), f("median_ci_high"),
                                 lambda m: catalogue.duration(m, lang))
        rate = fmt.with_interval(f("answer_rate"), f("answer_rate_ci_low"), f("answer_rate_ci_high"), catalogue.pct)
        body.append(
            f"<tr><td>{escape(r['rank'])}</td><td>{name}</td><td>{escape(r['n_probes'])}</td>"
            f"<td>{escape(rate)}</td>"
            f"<td>{escape(wait)}</td><td>{escape(r['rank_ci_low'])}–{escape(r['rank_ci_high'])}</td></tr>")
    return f"<table class='league'><tr>{head}</tr>{''.join(body)}</table>"


def _study_section(s: dict, lang: str) -> str:
    sid = escape(s["id"])
    badge = (f'<span class="badge synthetic">{t("badge_synthetic", lang)}</span>' if s["synthetic"]
             else f'<span class="badge real">{t("badge_real", lang)}</span>')
    parts = [f'<section class="study" id="{sid}">', f"<h2>{escape(s['title'])} {badge}</h2>",
             f"<p>{escape(s.get('description', ''))}</p>"]
    if s.get("limits"):
        items = "".join(f"<li>{escape(text)}</li>" for text in s["limits"])
        parts.append(f"<h3>{t('h_limits', lang)}</h3><ul class='limits'>{items}</ul>")
    h = s.get("headline")
    if h:
        scope = t("headline_scope", lang, scope=s["answer_rate_scope"]) if s.get("answer_rate_scope") else ""
        parts.append(f"<h3>{escape(t('h_headline', lang, scope=scope))}</h3>")
        if lang == "en":  # headline.json's definition and interval method are English prose
            method = t("headline_method", lang, definition=h["definition"], ci_method=h["ci_method"])
            parts.append(f"<p class='muted'>{escape(method)}</p>")
        parts.append(f"<table>{_headline_rows(h, lang)}</table>")
    scorecards = {c["company"]: c["file"] for c in s.get("scorecards") or []}
    if s.get("league"):
        parts.append(f"<h3>{t('h_league', lang)}</h3><p class='muted'>{escape(t('league_note', lang))}</p>")
        parts.append(_league_table(s["league"], sid, scorecards, lang))
    if scorecards:
        links = "".join(f'<li><a href="{sid}/{escape(f)}">{escape(c)}</a></li>' for c, f in sorted(scorecards.items()))
        parts.append(f"<h3>{t('h_scorecards', lang)}</h3><ul class='scorecards'>{links}</ul>")
    links = "".join(
        f'<li><a href="{sid}/{escape(nb)}.html">{escape(notebook_title(nb, lang))}</a></li>' for nb in s["notebooks"]
    )
    parts.append(f"<h3>{t('h_notebooks', lang)}</h3><ul>{links}</ul>")
    files = "".join(f'<li><a href="{sid}/results/{f}">{f}</a></li>' for f in s.get("results", RESULT_FILES))
    parts.append(f"<h3>{t('h_results', lang)}</h3><ul>{files}</ul>")
    parts.append(f"<p class='source'><strong>{t('source', lang)}</strong> {escape(s['source'])}</p>")
    parts.append(f"<p class='muted'>{escape(t('generated', lang, when=s['generated_at']))}</p></section>")
    return "\n".join(parts)


def index_html(studies: list[dict], lang: str = "en") -> str:
    """The index page for every study report in the reports folder, in `lang`."""
    body = ("\n".join(_study_section(s, lang) for s in studies)
            or f"<p>{t('no_reports', lang, command='<code>make report</code>')}</p>")
    title = escape(t("index_title", lang))
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><style>{CSS}</style></head>
<body><h1>{title}</h1>
<p>{escape(t("index_intro", lang))}</p>
{body}
</body></html>
"""


def summary_html(study: dict, lang: str = "en") -> str:
    """One study's summary as a page of its own (``<study>/summary.html``), for sharing and PDF."""
    return index_html([study], lang)
