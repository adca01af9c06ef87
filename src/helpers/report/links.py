"""Where each page of the report site lives, per language: every link is built here, one way.

English pages keep plain names (``reports/index.html``, ``<study>/03-response-times.html``,
``<study>/scorecards/retailer-a.html``); a page in another language adds its code before
``.html`` (``index.ja.html``). A page's twin in the other language sits beside it.
"""

from __future__ import annotations

import posixpath
from urllib.parse import quote

from helpers.text.catalogue import LANGS

DEFAULT_LANG = LANGS[0]


def page(stem: str, lang: str) -> str:
    """File name of page `stem` ('index', 'summary', '05-compare-companies', 'scorecards/retailer-a') in `lang`."""
    return named(stem, lang, ".html")


def named(stem: str, lang: str, suffix: str) -> str:
    """`stem` in `lang` with another suffix, by the pages' rule (executed copies, PDFs)."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}")
    return f"{stem}{suffix}" if lang == DEFAULT_LANG else f"{stem}.{lang}{suffix}"


def relative(target: str, source: str) -> str:
    """URL of `target` from page `source`, both paths from the reports folder ('study/scorecards/a.html')."""
    return quote(posixpath.relpath(target, posixpath.dirname(source) or "."))
