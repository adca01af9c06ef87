"""Every analysis notebook, run in English and in Japanese: both pages carry the same tables and figures."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
from bs4 import BeautifulSoup

from helpers.data.study import load_study
from helpers.report import pipeline, render
from tests.conftest import TINY_STUDY

pytestmark = pytest.mark.slow

LANGS = ("en", "ja")
NOTEBOOKS = pipeline.suite_notebooks()
# The comparisons' `method` column is English prose from helpers.compare: English pages show it,
# Japanese pages point to comparisons.csv instead (README, "In Japanese").
ENGLISH_ONLY_COLUMNS = {"method"}


@dataclass(frozen=True)
class Table:
    columns: int  # cells of the first body row: index levels and data columns
    rows: int
    headers: tuple[str, ...]


def page_contents(html: str) -> tuple[list[Table], int]:
    """The tables (in page order) and the number of figures a reader of the page sees."""
    soup = BeautifulSoup(html, "html.parser")
    tables = []
    for table in soup.find_all("table"):
        body = table.find("tbody") or table
        rows = body.find_all("tr")
        first = rows[0].find_all(["th", "td"]) if rows else []
        head = table.find("thead")
        headers = tuple(th.get_text(strip=True) for th in head.find_all("th")) if head else ()
        tables.append(Table(len(first), len(rows), headers))
    return tables, len(soup.find_all("img"))


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[tuple[str, str], tuple[str | None, str | None]]:
    """Each notebook executed on the tiny study and rendered, per language: (stem, lang) -> (page, failure)."""
    root = tmp_path_factory.mktemp("notebooks")
    study = load_study(TINY_STUDY)

    def run(job):
        notebook, lang = job
        folder = root / lang
        (folder / "build").mkdir(parents=True, exist_ok=True)
        executed = folder / "build" / notebook.name
        failure = pipeline.execute_notebook(notebook, executed,
                                            pipeline.notebook_parameters(study, folder / "results", lang))
        if failure is not None:
            return job, (None, str(failure))
        page = folder / f"{notebook.stem}.html"
        render.render_html(executed, page, lang)
        return job, (page.read_text(encoding="utf-8"), None)

    jobs = [(nb, lang) for lang in LANGS for nb in NOTEBOOKS]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # one papermill process each
        return {(nb.stem, lang): out for (nb, lang), out in pool.map(run, jobs)}


@pytest.mark.parametrize("stem", [nb.stem for nb in NOTEBOOKS])
def test_both_languages_show_the_same_tables_and_figures(pages, stem):
    contents = {}
    for lang in LANGS:
        html, failure = pages[stem, lang]
        assert failure is None, failure
        contents[lang] = page_contents(html)
    (en_tables, en_figures), (ja_tables, ja_figures) = contents["en"], contents["ja"]
    assert en_tables and en_figures, f"{stem}: nothing to compare"  # every analysis page has both
    assert len(en_tables) == len(ja_tables), stem
    assert en_figures == ja_figures, stem
    for i, (en, ja) in enumerate(zip(en_tables, ja_tables, strict=True)):
        english_only = sum(h in ENGLISH_ONLY_COLUMNS for h in en.headers)
        assert (en.columns - english_only, en.rows) == (ja.columns, ja.rows), (stem, i, en.headers, ja.headers)
