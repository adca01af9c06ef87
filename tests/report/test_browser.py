"""Every page of a built report in Chromium, 1400 and 400 px wide, in both languages.

What a reader would trip on: a page wider than the window, script errors, failed requests or
requests off the machine, figures that do not load, broken links or anchors, and raw values
(NaN, inf, True) or results column names in the visible text. One failure lists every problem.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers import paths
from helpers.report import links, pipeline
from helpers.text.catalogue import LANGS
from tests.report import browser as site_check

SKIP = site_check.skip_reason()
pytestmark = pytest.mark.skipif(SKIP is not None, reason=f"browser test: {SKIP}")

TWCS_HEAD = paths.SHARED_TWCS_DIR / "twcs_head5000.csv"
# Tweets in the simulated TWCS file: a few dozen companies, most with too few questions to rank,
# as in the real head, while the build stays near two minutes per language.
SYNTHETIC_TWEETS = 60
STUDIES = ("replica", "twcs-head", "twcs-synthetic")


@dataclass(frozen=True)
class Site:
    """A built report: per language, the folder its pages live in and its index page."""

    study_dir: Path
    roots: dict[str, Path]
    plain: dict[str, str]  # the language of a page whose file name carries no language code
    results: list[Path]

    def entry(self, lang: str) -> Path:
        index = self.roots[lang] / links.page("index", lang)
        # A report built in one language only names its index index.html, whatever the language.
        return index if index.is_file() or self.plain[lang] != lang else self.roots[lang] / "index.html"


def _study(name: str, root: Path) -> Path:
    if name == "replica":
        return paths.DEFAULT_STUDY
    from helpers.__main__ import main

    if name == "twcs-head":
        if not TWCS_HEAD.is_file():
            pytest.skip(f"{TWCS_HEAD} is not present (the real TWCS extracts live in ../shared)")
        assert main(["import-twcs", str(TWCS_HEAD), "--out", str(root / "twcs-head")]) == 0
        return root / "twcs-head"
    tweets = root / "twcs-synthetic.csv"
    assert main(["simulate", "twcs", "--out", str(tweets), "--tweets", str(SYNTHETIC_TWEETS)]) == 0
    assert main(["import-twcs", str(tweets), "--out", str(root / "twcs-synthetic"), "--synthetic"]) == 0
    return root / "twcs-synthetic"


def build_site(study_dir: Path, root: Path) -> Site:
    """Both languages side by side in one reports folder, as `make report REPORT_LANG=en,ja` builds them."""
    final = pipeline.build_report(study_dir, reports_dir=root / "reports", build_dir=root / "build",
                                  lang=",".join(LANGS))
    return Site(study_dir, dict.fromkeys(LANGS, root / "reports"), dict.fromkeys(LANGS, LANGS[0]),
                [final / "results"])


@pytest.fixture(scope="module", params=STUDIES)
def site(request, tmp_path_factory) -> Site:
    root = tmp_path_factory.mktemp(request.param)
    t0 = time.perf_counter()
    built = build_site(_study(request.param, root), root)
    print(f"{request.param}: report built in {time.perf_counter() - t0:.0f} s")
    return built


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_every_page_reachable_from_the_index_reads_cleanly(site, lang, browser):
    text_check = site_check.TextCheck(site_check.column_names(site.results), site_check.data_values(site.study_dir))
    assert text_check.columns is not None  # the results files were found, so column names are checked
    check = site_check.SiteCheck(browser, site.roots[lang], text_check, lang=lang, plain=site.plain[lang])
    t0 = time.perf_counter()
    problems = check.run(site.entry(lang))
    print(f"{check.pages} pages checked at {', '.join(map(str, site_check.WIDTHS))} px "
          f"in {time.perf_counter() - t0:.0f} s")
    # The crawl reached the analysis pages and the scorecards, not the index alone.
    assert check.pages > len(pipeline.suite_notebooks()), sorted(map(check.name, check.facts))
    assert not problems, site_check.report(problems, check.pages)


def _page(body: str, lang: str = "en") -> str:
    return f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"></head><body>{body}</body></html>'


def test_the_check_finds_each_kind_of_problem_and_passes_a_clean_page(tmp_path, browser):
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "rates.csv").write_text("company,n_probes,km_share\nX,1,0.5\n", encoding="utf-8")
    (tmp_path / "index.html").write_text(_page(
        '<p id="top">Median NaN min; n_probes 3; ratio -inf; True. See rates.csv, km_share.csv.</p>'
        '<a href="clean.html#here">ok</a> <a href="#top">ok</a> <a href="https://example.org/">out</a>'
        '<a href="clean.ja.html">ja</a> <a href="gone.html">gone</a> <a href="clean.html#nowhere">x</a>'
        '<a href="../outside.html">up</a> <img src="gone.png" alt="">'
        '<div style="width:2000px">wide</div><script>console.error("boom")</script>'
        '<script src="https://cdn.example.org/lib.js"></script>'), encoding="utf-8")
    (tmp_path / "clean.html").write_text(_page(
        '<h2 id="here">Rates</h2><p>Company Brand NaN_Help answered (data, quoted as is).</p>'
        '<div style="overflow-x:auto"><table style="width:3000px"><tr><td>wide but scrolls</td></tr></table></div>'
        '<a href="index.html#top">back</a>'), encoding="utf-8")
    (tmp_path / "clean.ja.html").write_text(_page('<p id="x">日本語NaN</p>', "ja"), encoding="utf-8")
    text_check = site_check.TextCheck(site_check.column_names([tmp_path / "results"]), ["Brand NaN_Help"])
    check = site_check.SiteCheck(browser, tmp_path, text_check, lang="en", plain="en")
    problems = check.run(tmp_path / "index.html")
    assert sorted(map(check.name, check.facts)) == ["clean.html", "index.html"]  # the other language is not crawled
    assert {p.page for p in problems} == {"index.html"}, site_check.report(problems, check.pages)
    for width in site_check.WIDTHS:
        for what in ("page is wider than the window", "console error", "request leaves file://",
                     "image not loaded", "request failed", "visible text shows raw value 'NaN'",
                     "visible text shows raw value '-inf'", "visible text shows raw value 'True'",
                     "visible text shows column name 'n_probes'"):
            assert any(p.width == width and p.what.startswith(what) for p in problems), \
                f"{what} at {width}px not found in\n{site_check.report(problems, check.pages)}"
    links_found = " ".join(p.what for p in problems if p.width == 0)
    assert "gone.html does not exist" in links_found and "'nowhere'" in links_found
    assert "leaves the report folder" in links_found
    assert not any("'km_share'" in p.what for p in problems)  # km_share.csv is a file name, not a column name
    assert "clean.ja.html" not in links_found and "'top'" not in links_found and "'here'" not in links_found
