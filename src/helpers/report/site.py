"""The report site's index page and each study's summary page: self-contained HTML, readable offline.

A study opens with its summary (headline tiles, the league chart, findings written from the
numbers), then the details: the 2014-style company figures, the league table, limits, links.
Methods are named once, in "How this was computed" at the end of the page.

Pages are built here as HTML, so every text goes in escaped: catalogue words through `t_html`
(which escapes the values it fills in), other text from data through `html_text`, and every link
target through `href` (percent-encoded, never a ``javascript:`` URL).
"""

from __future__ import annotations

import base64
import io
import json
import math
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from helpers.analysis import summary as numbers_of
from helpers.report.links import page
from helpers.report.session import read_results_csv
from helpers.text import catalogue
from helpers.text import formatting as fmt
from helpers.text import summary as words
from helpers.text.catalogue import t_html, t_plain
from helpers.text.markup import Html, html_text, url

RESULT_FILES = ("response_rates.csv", "response_times.csv", "comparisons.csv", "league_table.csv",
                "reply_kinds.csv", "reply_quality.csv", "reply_quality_rates.csv", "reply_quality_times.csv",
                "headline.json", "data_quality.csv", "sample_sizes.csv", "wave_changes.csv", "placement.csv")
# Not offered on the pages: results/fieldwork-plan/ is a study folder to fill in, written with the study's own
# values (no spreadsheet marks) so that it validates; researchers find it in results/.

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK JP",sans-serif;
max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5;overflow-wrap:break-word}
h1{margin-bottom:.2rem}.study{border-top:1px solid #ccc;padding-top:1rem;margin-top:1.5rem}
.badge{display:inline-block;padding:.1rem .5rem;border-radius:.3rem;font-size:.85rem;font-weight:600}
.synthetic{background:#fde7c5;color:#7a4100}.real{background:#d8efe0;color:#1d5a32}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:.75rem;margin:1rem 0}
.tile{border:1px solid #d5d5d5;border-radius:.5rem;padding:.6rem .8rem;break-inside:avoid}
.tile h3{margin:0;font-size:1rem;font-weight:600}.tile .value{font-size:2rem;font-weight:700;line-height:1.2}
.tile .range{font-weight:600;color:#333}.tile .unit{font-size:.85rem;color:#555;margin:.2rem 0 0}
.findings li{margin:.3rem 0}
figure{margin:1rem 0}figure.chart{overflow-x:auto}
figure.chart img{display:block;width:100%;max-width:52rem;min-width:34rem;height:auto}
figcaption{font-size:.85rem;color:#555}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;margin:.5rem 0}td,th{padding:.25rem .75rem;text-align:left;
border-bottom:1px solid #e5e5e5;vertical-align:top}
th{white-space:nowrap;min-width:3em}
.league td:first-child,.league th:first-child,.league td:last-child,.league th:last-child,
.unranked td:last-child,.unranked th:last-child{text-align:right}
.league td:nth-child(2),.unranked td:first-child{min-width:8rem}
.league td:nth-child(n+3),.unranked td:nth-child(n+2){white-space:nowrap}
ul.scorecards{columns:14rem}ul.scorecards li{break-inside:avoid}
.source{font-size:.9rem;color:#444}.muted{color:#666;font-size:.9rem}.how{font-size:.9rem;color:#333;border-top:1px solid #ccc;margin-top:2rem}.how h2{font-size:1.2rem}
@media (max-width:30rem){body{margin:1rem auto}.tile .value{font-size:1.6rem}td,th{padding:.2rem .4rem}}
@media print{
body{max-width:none;margin:0;padding:0;color:#000;background:#fff;font-size:11pt}
a{color:#000}a[href^="http"]::after{content:" (" attr(href) ")";font-size:.8em}
.scroll{overflow:visible}.badge{border:1px solid #000}
.study{break-before:page;border-top:none}.study:first-of-type{break-before:auto}
table,tr,figure,.tile,.findings{break-inside:avoid}h2,h3{break-after:avoid}
.muted,.source,.how{color:#000}
}
"""


def notebook_title(notebook: str, lang: str = "en") -> str:
    """The title of an analysis page ('03-response-times' in words); its file name if it has none."""
    key = f"notebook_{notebook}"
    return t_plain(key, lang) if key in catalogue.TEXT else notebook


# --- Numbers ------------------------------------------------------------------------------------

def href(target: str) -> str:
    """A link target for an attribute: percent-encoded and escaped (`markup.url`: never a script URL)."""
    return html_text(url(target))


def _csv(path: Path) -> pd.DataFrame | None:
    return read_results_csv(path) if path.is_file() else None


def study_numbers(results_dir: str | Path) -> dict:
    """The numbers a study's summary shows, read from its results folder (`analysis.summary.numbers`)."""
    results = Path(results_dir)
    headline = results / "headline.json"
    league = results / "league_table.csv"
    return numbers_of.numbers(
        rates=_csv(results / "response_rates.csv"), times=_csv(results / "response_times.csv"),
        quality=_csv(results / "reply_quality_rates.csv"),
        league=read_results_csv(league, dtype=str, keep_default_na=False) if league.is_file() else None,
        headline=json.loads(headline.read_text(encoding="utf-8")) if headline.is_file() else None)


def _numbers(s: dict) -> dict:
    """The study's numbers: those the pipeline read (key ``numbers``), else what its dict allows."""
    if s.get("numbers"):
        return s["numbers"]
    return numbers_of.numbers(league=s.get("league"), headline=s.get("headline"))


def _level(s: dict) -> float:
    return float(_numbers(s).get("level") or 0.95)


# --- The league chart ---------------------------------------------------------------------------

def league_chart_uri(s: dict, lang: str = "en") -> str | None:
    """The chart of every company's response rate in rank order, as a PNG data URI (None without one)."""
    from helpers.figures import plots

    if not s.get("league"):
        return None
    import matplotlib.pyplot as plt

    from helpers.figures import theme

    study = SimpleNamespace(id=s["id"], title=s["title"], synthetic=bool(s["synthetic"]),
                            rate_scope=s.get("answer_rate_scope") or "", source=s.get("source", ""))
    with plt.rc_context():  # the theme is global: leave the caller's settings as they were
        theme.set_theme(lang)
        fig = plots.league_chart(numbers_of.league_frame(s["league"]), study, lang=lang, level=_level(s))
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
        plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


# --- Sections -----------------------------------------------------------------------------------

def _tiles(numbers: dict, lang: str) -> str:
    cards = []
    for tile in words.tiles(numbers, lang):
        rng = f"<div class='range'>{html_text(tile.range)}</div>" if tile.range else ""
        cards.append(f"<div class='tile tile-{tile.key}'><h3>{html_text(tile.label)}</h3>"
                     f"<div class='value'>{html_text(tile.value)}</div>{rng}"
                     f"<p class='unit'>{html_text(tile.unit)}</p></div>")
    return f"<div class='tiles'>{''.join(cards)}</div>" if cards else ""


def _headline(s: dict, lang: str) -> str:
    h = s.get("headline")
    if not h:
        return ""
    n = h["companies"]
    rows = [(t_plain("answered_at_all", lang), h.get("responded", h.get("answered")))]
    within = sorted((int(k[7:-3]), v) for k, v in h.items()
                    if k.startswith("within_") and k.endswith("min") and k[7:-3].isdigit())
    rows += [(t_plain("answered_within", lang, duration=words.threshold(m, lang)), v) for m, v in within]
    body = "".join(
        f"<tr><th scope='row'>{html_text(label)}</th><td>"
        + t_html("of_companies", lang, k=v["count"], n=n, share=catalogue.pct(v["count"] / n if n else None),
                   low=catalogue.pct(v["ci_low"]), high=catalogue.pct(v["ci_high"]))
        + "</td></tr>"
        for label, v in rows if v)
    scope = t_plain("headline_scope", lang, scope=s["answer_rate_scope"]) if s.get("answer_rate_scope") else ""
    return (f"<h3>{t_html('h_headline', lang, scope=scope)}</h3>"
            f"<p class='muted'>{t_html('idx_headline_definition', lang)}</p>"
            f"<div class='scroll'><table class='headline'>{body}</table></div>")


def _float(row: dict, key: str) -> float:
    value = numbers_of.number(row.get(key))
    if value is None and str(row.get(key, "")).strip().lower() in ("inf", "infinity"):
        return math.inf
    return math.nan if value is None else value


def _rate_cell(row: dict, lang: str) -> str:
    """The response rate with its range, in the one cell format of every page (`fmt.rate_interval`)."""
    return fmt.rate_interval(_float(row, "response_rate"), _float(row, "response_rate_ci_low"),
                             _float(row, "response_rate_ci_high"), lang)


def _wait_cell(row: dict, lang: str) -> str:
    """The median wait with its range, as every page shows it (`fmt.wait_interval`)."""
    return fmt.wait_interval(_float(row, "median_minutes"), _float(row, "median_ci_low"),
                             _float(row, "median_ci_high"), lang)


def _company_cell(row: dict, links: dict[str, str]) -> str:
    name = html_text(str(row["company"]))
    if row["company"] in links:
        name = f'<a href="{href(links[row["company"]])}">{name}</a>'
    return f"<td>{name}</td>"


def _league(s: dict, links: dict[str, str], lang: str) -> str:
    rows = s.get("league") or []
    if not rows:
        return ""
    table = numbers_of.league_frame(rows)
    ranked = [r for r, ok in zip(rows, table["ranked"], strict=True) if ok]
    unranked = [r for r, ok in zip(rows, table["ranked"], strict=True) if not ok]
    parts = [f"<h3>{t_html('h_league', lang)}</h3><p class='muted'>{t_html('league_note', lang)}</p>"]
    if ranked:
        ranks = [numbers_of.number(r.get("rank")) for r in ranked]
        head = "".join(f"<th scope='col'>{t_html(k, lang)}</th>" for k in (
            "col_rank", "col_company", "col_rank_range", "idx_col_response_rate", "idx_col_median_wait",
            "idx_col_n_questions"))
        body = []
        for r, rank in zip(ranked, ranks, strict=True):
            shown = words.rank_text(rank, ranks.count(rank) > 1, lang)
            body.append(
                f"<tr><td>{html_text(shown)}</td>{_company_cell(r, links)}"
                f"<td>{html_text(words.rank_range(r.get('rank_ci_low'), r.get('rank_ci_high')))}</td>"
                f"<td>{html_text(_rate_cell(r, lang))}</td><td>{html_text(_wait_cell(r, lang))}</td>"
                f"<td>{html_text(str(r.get('n_probes', '')))}</td></tr>")
        parts.append(f"<div class='scroll'><table class='league'><thead><tr>{head}</tr></thead>"
                     f"<tbody>{''.join(body)}</tbody></table></div>")
    if unranked:
        head = "".join(f"<th scope='col'>{t_html(k, lang)}</th>" for k in (
            "col_company", "idx_col_response_rate", "idx_col_median_wait", "idx_col_n_questions"))
        body = "".join(
            f"<tr>{_company_cell(r, links)}<td>{html_text(_rate_cell(r, lang))}</td>"
            f"<td>{html_text(_wait_cell(r, lang))}</td><td>{html_text(str(r.get('n_probes', '')))}</td></tr>"
            for r in unranked)
        parts.append(f"<h4>{t_html('idx_h_too_few_to_rank', lang)}</h4>"
                     f"<div class='scroll'><table class='unranked'><thead><tr>{head}</tr></thead>"
                     f"<tbody>{body}</tbody></table></div>")
    return "\n".join(parts)


def _scorecard_links(s: dict, base: str, lang: str) -> dict[str, str]:
    out = {}
    for card in s.get("scorecards") or []:
        stem = card.get("page") or str(card["file"]).removesuffix(".html")
        out[card["company"]] = base + page(stem, lang)
    return out


def _badge(s: dict, lang: str) -> str:
    return (f'<span class="badge synthetic">{t_html("badge_synthetic", lang)}</span>' if s["synthetic"]
            else f'<span class="badge real">{t_html("badge_real", lang)}</span>')


def _study_section(s: dict, lang: str, base: str, heading: bool, note: bool) -> str:
    """One study, its summary first; links are relative to `base` (the study's folder)."""
    numbers = _numbers(s)
    parts = [f'<section class="study" id="{html_text(s["id"])}">']
    if heading:
        parts.append(f"<h2>{html_text(s['title'])} {_badge(s, lang)}</h2>")
    if note:
        parts.append(f"<p>{html_text(words.interval_note(_level(s), lang))}</p>")
    if s.get("answer_rate_scope"):
        parts.append(f"<p class='muted'>{t_html('scope_banner', lang, scope=s['answer_rate_scope'])}</p>")
    parts.append(_tiles(numbers, lang))
    if uri := league_chart_uri(s, lang):
        alt = t_html("idx_chart_alt", lang)
        parts.append(f"<figure class='chart'><img src=\"{uri}\" alt=\"{alt}\">"
                     f"<figcaption>{t_html('idx_chart_caption', lang)}</figcaption></figure>")
    if found := words.findings(numbers, lang):
        items = "".join(f"<li>{html_text(f)}</li>" for f in found)
        parts.append(f"<h3>{t_html('idx_h_findings', lang)}</h3><ul class='findings'>{items}</ul>")
    for stem, key in (("07-compare-waves", "idx_waves_link"), ("08-place-among-published", "idx_placement_link")):
        if stem in s.get("notebooks", []):
            text = t_html(key, lang, baseline=s.get("baseline", ""))
            parts.append(f"<p><a href=\"{href(base + page(stem, lang))}\">{text}</a></p>")
    if "langs" in s and heading:  # the pipeline writes summary pages since it records `langs`
        parts.append(f"<p><a href=\"{href(base + page('summary', lang))}\">{t_html('idx_summary_link', lang)}</a></p>")
    parts.append(f"<h3>{t_html('idx_h_about', lang)}</h3><p>{html_text(s.get(f'description_{lang}') or s.get('description', ''))}</p>")
    if s.get("limits"):
        items = "".join(f"<li>{html_text(text)}</li>" for text in s.get(f"limits_{lang}") or s["limits"])
        parts.append(f"<h4>{t_html('h_limits', lang)}</h4><ul class='limits'>{items}</ul>")
    parts.append(_headline(s, lang))
    links = _scorecard_links(s, base, lang)
    parts.append(_league(s, links, lang))
    if links:
        items = "".join(f'<li><a href="{href(target)}">{html_text(c)}</a></li>' for c, target in sorted(links.items()))
        parts.append(f"<h3>{t_html('h_scorecards', lang)}</h3><ul class='scorecards'>{items}</ul>")
        if groups := s.get("scorecard_collisions"):  # similar names: say each has its own page
            names = "; ".join(" / ".join(group) for group in groups)
            parts.append(f"<p class='muted'>{t_html('idx_name_collision', lang, names=names)}</p>")
    items = "".join(f'<li><a href="{href(base + page(nb, lang))}">{html_text(notebook_title(nb, lang))}</a></li>'
                    for nb in s["notebooks"])
    parts.append(f"<h3>{t_html('h_notebooks', lang)}</h3><ul>{items}</ul>")
    files = "".join(f'<li><a href="{href(f"{base}results/{f}")}">{html_text(f)}</a></li>'
                    for f in s.get("results", RESULT_FILES))
    parts.append(f"<h3>{t_html('h_results', lang)}</h3><ul>{files}</ul>")
    parts.append(f"<p class='source'><strong>{t_html('source', lang)}</strong> {html_text(s['source'])}</p>")
    parts.append(f"<p class='muted'>{t_html('generated', lang, when=s['generated_at'])}</p></section>")
    return "\n".join(p for p in parts if p)


def _how(studies: list[dict], lang: str) -> str:
    """'How this was computed', once per page, for the figures the page shows."""
    sentences: list[str] = []
    for level in sorted({_level(s) for s in studies}, reverse=True):
        of_level = [s for s in studies if _level(s) == level]
        for text in words.how_computed(level, lang, headline=any(s.get("headline") for s in of_level),
                                       ranks=any(s.get("league") for s in of_level)):
            if text not in sentences:
                sentences.append(text)
    if not sentences:
        return ""
    items = "".join(f"<li>{html_text(text)}</li>" for text in sentences)
    return f"<section class='how'><h2>{t_html('sum_h_how', lang)}</h2><ul>{items}</ul></section>"


def _page(title: str, heading: str, lang: str, body: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html_text(title)}</title><style>{CSS}</style></head>
<body><h1>{heading}</h1>
{body}
</body></html>
"""


def index_html(studies: list[dict], lang: str = "en") -> str:
    """The index page for every study report in the reports folder, in `lang` (it links pages in `lang` only)."""
    title = t_plain("index_title", lang)
    if not studies:
        body = f"<p>{t_html('index_intro', lang)}</p><p>{t_html('no_reports', lang, command=Html('<code>make report</code>'))}</p>"
        return _page(title, html_text(title), lang, body)
    levels = sorted({_level(s) for s in studies})
    intro = t_plain("index_intro", lang)
    if len(levels) == 1:  # one interval level on the page: say it once, at the top
        intro = words.sentences([intro, words.interval_note(levels[0], lang)], lang)
    sections = "\n".join(_study_section(s, lang, f"{s['id']}/", heading=True, note=len(levels) > 1)
                         for s in studies)
    return _page(title, html_text(title), lang, f"<p>{html_text(intro)}</p>\n{sections}\n{_how(studies, lang)}")


def summary_html(study: dict, lang: str = "en") -> str:
    """One study's summary as a page of its own (``<study>/summary.html``), for sharing and PDF."""
    heading = f"{html_text(study['title'])} {_badge(study, lang)}"
    intro = words.sentences([t_plain("idx_summary_intro", lang), words.interval_note(_level(study), lang)], lang)
    body = (f"<p>{html_text(intro)}</p>\n"
            + _study_section(study, lang, "", heading=False, note=False) + "\n" + _how([study], lang))
    return _page(f"{study['title']} · {t_plain('index_title', lang)}", heading, lang, body)
