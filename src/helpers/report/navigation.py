"""The header of every page of a study's report: the index, the summary, the analyses, the scorecards,
the results files and the same page in the other language, each link relative to the page."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from helpers.report import links
from helpers.text.catalogue import t_plain
from helpers.text.markup import html_text, url


@dataclass(frozen=True)
class StudyPages:
    """What one run published for a study: the pages a header can link to."""

    id: str  # the study's folder in the reports folder
    title: str
    langs: Sequence[str]  # languages built in this run; no header links another
    notebooks: Sequence[str]  # analysis page stems
    scorecards: Sequence[tuple[str, str]] = ()  # (company, page stem 'scorecards/<slug>')
    results: Sequence[str] = ()  # results files, relative to results/


SUMMARY = "summary"


def header(study: StudyPages, stem: str, lang: str) -> str:
    """The navigation header of page `stem` of `study` in `lang` (HTML; everything from data escaped).

    Link texts are plain text escaped once here (`html_text`); targets are percent-encoded page paths.
    """
    from helpers.report.site import notebook_title

    here = f"{study.id}/{links.page(stem, lang)}"

    def link(target: str, text: str, current: bool = False, attrs: str = "") -> str:
        mark = ' aria-current="page"' if current else ""
        return f'<a href="{html_text(url(links.relative(target, here)))}"{mark}{attrs}>{html_text(text)}</a>'

    def page_link(page_stem: str, text: str) -> str:
        return link(f"{study.id}/{links.page(page_stem, lang)}", text, page_stem == stem)

    top = [link(links.page("index", lang), t_plain("nav_index", lang)),
           f'<span class="report-nav-study">{page_link(SUMMARY, t_plain("nav_summary", lang, title=study.title))}</span>']
    for other in study.langs:
        if other != lang:
            # Named in its own language, marked so a screen reader switches voice.
            attrs = f' lang="{other}" hreflang="{other}" title="{html_text(t_plain("nav_twin_title", other))}"'
            top.append(link(f"{study.id}/{links.page(stem, other)}", t_plain("nav_language", other), attrs=attrs))
    lists = [_details(t_plain("nav_analyses", lang), [page_link(nb, notebook_title(nb, lang)) for nb in study.notebooks])]
    if study.scorecards:
        lists.append(_details(t_plain("nav_scorecards", lang, n=len(study.scorecards)),
                              [page_link(page_stem, company) for company, page_stem in study.scorecards]))
    if study.results:
        lists.append(_details(t_plain("nav_results", lang), [link(f"{study.id}/results/{f}", f) for f in study.results]))
    items = "".join(f"<li>{item}</li>" for item in top)
    return (f'<nav class="report-nav" aria-label="{html_text(t_plain("nav_label", lang))}">'
            f'<ul class="report-nav-top">{items}</ul>'
            f'<div class="report-nav-lists">{"".join(lists)}</div></nav>')


def _details(label: str, items: list[str]) -> str:
    """A list folded away: the header stays one or two lines, even on a phone."""
    body = "".join(f"<li>{item}</li>" for item in items)
    return f"<details><summary>{html_text(label)}</summary><ul>{body}</ul></details>"


_BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


def inject(page: str, nav: str) -> str:
    """`page` with `nav` first in its body (a page that has one keeps it: injecting twice changes nothing)."""
    if 'class="report-nav"' in page:
        return page
    m = _BODY.search(page)
    if m is None:
        raise ValueError("page has no <body> tag to put the navigation in")
    return page[:m.end()] + nav + page[m.end():]
