"""The page header, links between pages and the page stylesheet, without running a report."""

from __future__ import annotations

import posixpath
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup

from helpers.report import links, navigation, style
from helpers.text.catalogue import TEXT

STUDY = navigation.StudyPages(
    id="my-study", title='Retail <b>"2014"</b> & co', langs=("en", "ja"),
    notebooks=("02-response-rates", "03-response-times"),
    scorecards=(("A <script>alert(1)</script>", "scorecards/a-script"), ("Retailer B", "scorecards/retailer-b")),
    results=("response_rates.csv", "fieldwork-plan/probes.csv"))


def nav_links(stem: str, lang: str, study: navigation.StudyPages = STUDY) -> dict[str, str]:
    """Each link of the header: text -> the file it opens, as a path from the reports folder."""
    here = f"{study.id}/{links.page(stem, lang)}"
    soup = BeautifulSoup(navigation.header(study, stem, lang), "html.parser")
    return {a.get_text(): posixpath.normpath(posixpath.join(posixpath.dirname(here), unquote(a["href"])))
            for a in soup.find_all("a")}


@pytest.mark.parametrize("stem", ["03-response-times", "summary", "scorecards/retailer-b"])
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_header_links_resolve_to_the_pages_of_its_language_from_any_folder(stem, lang):
    found = nav_links(stem, lang)
    other = "ja" if lang == "en" else "en"
    assert found[TEXT["nav_index"][lang]] == links.page("index", lang)
    assert found[TEXT["nav_summary"][lang].format(title=STUDY.title)] == f"my-study/{links.page('summary', lang)}"
    assert found[TEXT["nav_language"][other]] == f"my-study/{links.page(stem, other)}"  # the twin
    assert found["Retailer B"] == f"my-study/{links.page('scorecards/retailer-b', lang)}"
    assert found["fieldwork-plan/probes.csv"] == "my-study/results/fieldwork-plan/probes.csv"
    pages = [f for f in found.values() if f.endswith(".html")]
    assert sum(f.endswith(".ja.html") != (lang == "ja") for f in pages) == 1  # only the twin is in the other language


def test_header_links_no_language_the_run_did_not_build():
    one = navigation.StudyPages(STUDY.id, STUDY.title, ("ja",), STUDY.notebooks, STUDY.scorecards, STUDY.results)
    found = nav_links("02-response-rates", "ja", one)
    assert TEXT["nav_language"]["en"] not in found
    assert not [f for f in found.values() if f.endswith(".html") and not f.endswith(".ja.html")]


def test_header_escapes_what_comes_from_data():
    html = navigation.header(STUDY, "scorecards/a-script", "en")
    assert "<script>" not in html and "<b>" not in html
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("a", attrs={"aria-current": "page"}).get_text() == "A <script>alert(1)</script>"
    assert STUDY.title in soup.get_text()


def test_header_words_come_from_the_catalogue_in_the_pages_language():
    soup = BeautifulSoup(navigation.header(STUDY, "summary", "ja"), "html.parser")
    assert soup.nav["aria-label"] == TEXT["nav_label"]["ja"]
    summaries = [s.get_text() for s in soup.find_all("summary")]
    assert summaries == [TEXT["nav_analyses"]["ja"], TEXT["nav_scorecards"]["ja"].format(n=2),
                         TEXT["nav_results"]["ja"]]
    twin = soup.find("a", hreflang="en")
    assert twin["lang"] == "en" and twin.get_text() == TEXT["nav_language"]["en"]


def test_inject_puts_the_header_first_in_the_body_once():
    page = '<html><head></head><body class="jp-Notebook"><h1>T</h1></body></html>'
    nav = navigation.header(STUDY, "summary", "en")
    once = navigation.inject(page, nav)
    assert once.index('class="report-nav"') < once.index("<h1>") and navigation.inject(once, nav) == once
    with pytest.raises(ValueError, match="body"):
        navigation.inject("<p>no body</p>", nav)


def test_relative_links_climb_out_of_folders_and_quote_odd_names():
    assert links.relative("index.ja.html", "s/scorecards/a.ja.html") == "../../index.ja.html"
    assert links.relative("s/summary.html", "s/03-x.html") == "summary.html"
    assert unquote(links.relative("s/results/a b#c.csv", "s/x.html")) == "results/a b#c.csv"
    assert "#" not in links.relative("s/results/a b#c.csv", "s/x.html")


def test_file_names_follow_one_rule_per_language():
    assert links.named("scorecards/a", "en", ".pdf") == "scorecards/a.pdf"
    assert links.named("scorecards/a", "ja", ".ipynb") == "scorecards/a.ja.ipynb"
    assert links.page("summary", "ja") == "summary.ja.html"
    with pytest.raises(ValueError):
        links.named("x", "fr", ".pdf")


def test_the_stylesheet_goes_in_once_and_boxes_every_table():
    page = ('<html><head><title>t</title></head><body><table><tr><td>1</td></tr></table>'
            '<p>x</p><TABLE class="dataframe"><tr><td>2</td></tr></TABLE></body></html>')
    styled = style.apply(page)
    soup = BeautifulSoup(styled, "html.parser")
    assert all(t.parent.get("class") == ["table-scroll"] for t in soup.find_all("table"))
    assert len(soup.find_all("table")) == 2 and soup.find("meta", attrs={"name": "viewport"})
    assert style.apply(styled) == styled
    assert 'class="table-scroll"' not in style.apply(page, tables=False)
    assert "overflow-x:auto" in style.PAGE_CSS and "@media print" in style.PRINT_CSS
    assert ".report-nav{display:none" in style.PRINT_CSS  # printed pages carry no navigation


def test_a_page_with_its_own_viewport_keeps_one():
    page = '<html><head><meta name="viewport" content="width=device-width"></head><body></body></html>'
    assert style.apply(page).count('name="viewport"') == 1


def test_header_links_from_data_are_never_a_script():
    """A page name from data (a company's scorecard) is a relative path, percent-encoded, never a script URL."""
    import dataclasses

    odd = dataclasses.replace(STUDY, scorecards=(("javascript:window.__pwned=1", "scorecards/javascript:x"),
                                                 ('[x](y) <img src=x onerror="z">', 'scorecards/a b"<c>')))
    soup = BeautifulSoup(navigation.header(odd, "summary", "en"), "html.parser")
    hrefs = [a["href"] for a in soup.find_all("a")]
    assert not [h for h in hrefs if h.lower().replace("%3a", ":").startswith("javascript:")], hrefs
    assert "scorecards/a%20b%22%3Cc%3E.html" in hrefs and soup.img is None
    assert {a.get_text() for a in soup.find_all("a")} >= {"javascript:window.__pwned=1", '[x](y) <img src=x onerror="z">'}
