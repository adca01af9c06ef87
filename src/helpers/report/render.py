"""Executed notebook to offline HTML page: language cells kept, code and papermill cells hidden, figures described,
the report's stylesheet and Content-Security-Policy in (`helpers.report.style`).

Text from data reaches a page only escaped: Markdown outputs escape it when they are written
(`helpers.text.markup`), tables when pandas renders them; the title and the figures' alternative
text are escaped here.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from helpers.report import style
from helpers.text.catalogue import LANGS
from helpers.text.markup import plain

# Cells tagged so are notes for people running the notebook, not for readers of the report.
HIDDEN_TAG = "remove-in-report"


# Markdown written in one language is tagged lang-en or lang-ja; a page keeps its own language's.
LANG_TAG = "lang-"


# Cells papermill adds to an executed copy; they are not counted when naming the failing cell.
PAPERMILL_TAGS = {"injected-parameters", "papermill-error-cell-tag"}


_EXTERNAL_SCRIPT = re.compile(r"<script[^>]*\bsrc=[\"']https?://[^>]*>\s*</script>", re.I)


_EXTERNAL_MODULE = re.compile(r"<script type=[\"']module[\"'][^>]*>.*?</script>", re.I | re.S)


_MATHJAX_CONFIG = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S)


def offline_html(body: str) -> str:
    """Drop what the lab template loads from CDNs (require.js, MathJax, mermaid).

    The pages show text, tables and embedded PNG figures; none of them needs those scripts, and
    a reader without network must not wait for them.
    """
    body = _MATHJAX_CONFIG.sub("", body)
    body = _EXTERNAL_SCRIPT.sub("", body)
    return _EXTERNAL_MODULE.sub(lambda m: "" if "https://" in m.group(0) else m.group(0), body)


_exporters: dict = {}


def _exporter(lang: str):
    """The page exporter for `lang`, made once per process: each new one compiles its templates again."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    if lang not in _exporters:
        exporter = HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                                exclude_output_prompt=True)
        hidden = {HIDDEN_TAG} | {f"{LANG_TAG}{other}" for other in LANGS if other != lang}
        exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags=hidden, enabled=True), enabled=True)
        _exporters[lang] = exporter
    return _exporters[lang]


def render_html(executed: Path | nbformat.NotebookNode, target: Path, lang: str = "en", title: str = "") -> None:
    """Render an executed notebook to a self-contained, offline HTML page without code.

    `title` is the page's plain-text title (nbconvert escapes it); a Markdown title from `t` is read back to its text.
    """
    nb = executed if isinstance(executed, nbformat.NotebookNode) else nbformat.read(executed, as_version=4)
    for cell in nb.cells:  # warnings and logs stay in the executed copy, not the reader's page
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", [])
                            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    exporter = _exporter(lang)
    title = plain(title) if title else target.stem
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    body = re.sub(r"<html[^>]*>", f'<html lang="{lang}">', offline_html(body), count=1)
    target.write_text(style.apply(describe_figures(body, lang, title)), encoding="utf-8")


_HEADING_OR_IMAGE = re.compile(r"<h[1-3][^>]*>(?P<heading>.*?)</h[1-3]>|<img\b[^>]*>", re.S)


_NO_ALT = re.compile(r'alt="No description has been provided for this image"')


def describe_figures(body: str, lang: str, page: str) -> str:
    """Give every figure alternative text in the page's language: the section it illustrates.

    nbconvert gives images without one an English placeholder; a screen reader should hear
    which section the figure belongs to instead.
    """
    from html import unescape

    from helpers.text.catalogue import t_html

    section = page

    def replace(m: re.Match) -> str:
        nonlocal section
        if m.group("heading") is not None:
            section = unescape(re.sub(r"<[^>]+>|¶", "", m.group("heading"))).strip() or section
            return m.group(0)
        alt = t_html("figure_alt", lang, section=section)  # the heading's text, escaped again for the attribute
        return _NO_ALT.sub(lambda _: f'alt="{alt}"', m.group(0))

    return _HEADING_OR_IMAGE.sub(replace, body)
