"""The index page and a study's summary page: summary first, one vocabulary, links per language, safe HTML."""

from __future__ import annotations

import base64
import csv
import json
import re

import pytest
from bs4 import BeautifulSoup

from helpers import paths
from helpers.analysis import league
from helpers.report import links, site
from helpers.stats import company_level, proportions, survival
from helpers.text.catalogue import LANGS, t

HOSTILE = '<script>alert("x")</script> & Co'


def write_results(study, folder, alpha=0.05, min_questions=3):
    """The results files the summary reads, as the notebooks write them."""
    folder.mkdir(parents=True, exist_ok=True)
    proportions.response_rates(study.probes, alpha=alpha).to_csv(folder / "response_rates.csv", index=False)
    survival.response_times(study.probes, study.thresholds_minutes, alpha=alpha).to_csv(
        folder / "response_times.csv", index=False)
    table, _ = league.league_table(study.probes, alpha=alpha, n_boot=200, min_questions=min_questions)
    table.to_csv(folder / "league_table.csv", index=False)
    headline = company_level.headline(study.probes, study.thresholds_minutes, alpha=alpha)
    (folder / "headline.json").write_text(json.dumps(headline), encoding="utf-8")
    return table


def study_info(study, results, **extra) -> dict:
    with (results / "league_table.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return {"id": study.id, "title": study.title + " " + HOSTILE, "description": "A study.",
            "synthetic": study.synthetic, "source": study.source, "answer_rate_scope": study.rate_scope,
            "limits": study.limits, "langs": list(LANGS),
            "notebooks": ["01-data-overview", "03-response-times"],
            "scorecards": [{"company": r["company"], "file": f"scorecards/c{i}.html", "page": f"scorecards/c{i}"}
                           for i, r in enumerate(rows)],
            "generated_at": "2026-01-01T00:00:00+00:00",
            "headline": json.loads((results / "headline.json").read_text(encoding="utf-8")),
            "results": [f for f in site.RESULT_FILES if (results / f).exists()], "league": rows,
            "numbers": site.study_numbers(results), **extra}


@pytest.fixture(scope="module")
def replica(tmp_path_factory):
    """The bundled replica with one company renamed to hostile markup; some companies too few to rank."""
    import dataclasses

    from helpers.data.study import load_study

    study = load_study(paths.STUDIES_DIR / "uk-retail-2014-replica")
    probes = study.probes.replace({"company": {"Retailer A": HOSTILE}})
    study = dataclasses.replace(study, probes=probes)
    results = tmp_path_factory.mktemp("replica") / study.id / "results"
    table = write_results(study, results)
    assert (~table["ranked"]).any() and table["ranked"].sum() > 2  # both kinds of rows
    return study, results, table


def tiny_chart(league_df, study, lang="en", level=0.95):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(2, 1))
    ax.plot([0, 1])
    return fig


@pytest.fixture(autouse=True)
def quick_chart(request, monkeypatch):
    """A small stand-in for the league chart (the real one is drawn in the TWCS test and the catalogue's)."""
    if not request.node.name.startswith("test_twcs"):
        from helpers.figures import plots

        monkeypatch.setattr(plots, "league_chart", tiny_chart, raising=False)


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def test_study_numbers_are_the_results_files_figures(replica):
    study, results, table = replica
    numbers = site.study_numbers(results)
    assert numbers["response"]["n"] == len(study.probes)
    assert numbers["response"]["k"] == int(study.probes["answered"].sum())
    assert numbers["within"]["minutes"] == 60 and numbers["answer"] is None  # no reply_quality_rates.csv
    assert numbers["league"]["ranked"] == int(table["ranked"].sum())
    json.dumps(numbers, allow_nan=False)  # plain numbers: the pipeline may store them


@pytest.mark.parametrize("lang", LANGS)
def test_summary_comes_first_then_the_details(replica, lang):
    study, results, _ = replica
    page = soup(site.index_html([study_info(study, results)], lang))
    section = page.select_one("section.study")
    order = [el for el in section.find_all(["div", "ul", "h3"]) if el.get("class") in (["tiles"], ["findings"])
             or el.name == "h3"]
    assert order[0].get("class") == ["tiles"]
    texts = [el.get_text() for el in order]
    assert texts.index(t("idx_h_findings", lang)) < texts.index(t("h_league", lang))
    assert len(section.select(".tile")) == 3  # no reply kinds in these results: no answer-rate tile
    assert 3 <= len(section.select("ul.findings li")) <= 5
    assert page.select_one("section.how") is not None  # methods once, at the end
    assert section.find_next_sibling("section")["class"] == ["how"]


@pytest.mark.parametrize("lang", LANGS)
def test_methods_only_in_how_this_was_computed(replica, lang):
    study, results, _ = replica
    page = soup(site.index_html([study_info(study, results)], lang))
    how = page.select_one("section.how").extract().get_text()
    for name in ("Wilson", "ウィルソン"):
        assert name not in page.get_text()
    assert "Wilson" in how or "ウィルソン" in how


@pytest.mark.parametrize("lang", LANGS)
def test_league_table_ranks_inside_their_range_ties_marked_unranked_apart(replica, lang):
    study, results, table = replica
    page = soup(site.index_html([study_info(study, results)], lang))
    rows = [[td.get_text() for td in tr.find_all("td")] for tr in page.select("table.league tbody tr")]
    ranked = table[table["ranked"]]
    assert [r[1] for r in rows] == ranked["company"].tolist()
    tied = t("sum_rank_tied", lang, rank=0)[:-1]
    for (rank, _, rng, *_), shared in zip(rows, ranked["rank"].duplicated(keep=False), strict=True):
        assert rank.startswith(tied) == bool(shared)
        low, _, high = rng.partition("–")
        assert int(low) <= int(rank.removeprefix(tied)) <= int(high or low)
    unranked = [tr.find("td").get_text() for tr in page.select("table.unranked tbody tr")]
    assert unranked == table.loc[~table["ranked"], "company"].tolist()
    assert t("idx_h_too_few_to_rank", lang) in page.get_text()


def test_everything_from_data_is_escaped(replica):
    study, results, _ = replica
    for lang in LANGS:
        for html in (site.index_html([study_info(study, results)], lang), site.summary_html(study_info(study, results), lang)):
            assert "<script>" not in html and "&lt;script&gt;" in html
            assert HOSTILE in soup(html).get_text()  # shown as text, as it is


@pytest.mark.parametrize("lang", LANGS)
def test_every_link_is_in_the_page_language(replica, lang):
    study, results, _ = replica
    info = study_info(study, results)
    hrefs = [a["href"] for a in soup(site.index_html([info], lang)).select("a[href]")]
    sid = study.id
    assert f"{sid}/{links.page('03-response-times', lang)}" in hrefs
    assert f"{sid}/{links.page('scorecards/c0', lang)}" in hrefs
    assert f"{sid}/{links.page('summary', lang)}" in hrefs
    other = [x for x in LANGS if x != lang]
    pages = [h for h in hrefs if h.endswith(".html")]
    for x in other:
        assert not [h for h in pages if h == f"{sid}/{links.page('03-response-times', x)}"]
    assert all(h.startswith(f"{sid}/") for h in hrefs)
    # The summary page sits in the study's folder: its links start there.
    summary = [a["href"] for a in soup(site.summary_html(info, lang)).select("a[href]")]
    assert links.page("03-response-times", lang) in summary and not any(h.startswith(f"{sid}/") for h in summary)


def test_japanese_page_defines_the_headline_in_japanese(replica):
    study, results, _ = replica
    info = study_info(study, results)
    ja = site.index_html([info], "ja")
    assert t("idx_headline_definition", "ja") in ja
    assert info["headline"]["definition"] not in ja and info["headline"]["ci_method"] not in ja


def test_a_japanese_description_is_shown_on_japanese_pages_only(replica):
    study, results, _ = replica
    info = study_info(study, results, description_ja="日本語の説明。")
    assert "日本語の説明。" in site.index_html([info], "ja") and "A study." not in site.index_html([info], "ja")
    assert "A study." in site.index_html([info], "en") and "日本語の説明。" not in site.index_html([info], "en")


def test_no_fixed_level_when_alpha_differs(tmp_path, replica):
    study = replica[0]
    results = tmp_path / study.id / "results"
    write_results(study, results, alpha=0.1)
    for lang in LANGS:
        text = soup(site.index_html([study_info(study, results)], lang)).get_text()
        assert "90%" in text and "95%" not in text


def test_league_chart_embedded_as_png(replica, monkeypatch):
    import matplotlib.pyplot as plt

    from helpers.figures import plots

    study, results, table = replica
    seen = {}

    def stand_in(league_df, study, lang="en", level=0.95):
        seen.update(rows=len(league_df), ranked=league_df["ranked"].dtype, study=study.id, level=level)
        fig, ax = plt.subplots(figsize=(2, 1))
        ax.plot([0, 1])
        return fig

    monkeypatch.setattr(plots, "league_chart", stand_in, raising=False)
    page = soup(site.index_html([study_info(study, results)], "en"))
    img = page.select_one("figure.chart img")
    assert img["alt"] == t("idx_chart_alt", "en")
    data = base64.b64decode(img["src"].removeprefix("data:image/png;base64,"))
    assert data.startswith(b"\x89PNG")
    assert seen == {"rows": len(table), "ranked": bool, "study": study.id, "level": 0.95}
    # A study without a league table (no companies ranked yet) has no chart.
    assert soup(site.index_html([study_info(study, results, league=[])], "en")).select_one("figure.chart") is None


def test_wide_tables_scroll_in_their_own_box_and_print_rules_exist(replica):
    study, results, _ = replica
    page = soup(site.index_html([study_info(study, results)], "ja"))
    assert page.find_all("table")
    for table in page.find_all("table"):
        assert "scroll" in table.parent.get("class", []), table.get("class")
    css = page.style.get_text()
    assert "@media print" in css and re.search(r"\.scroll\{overflow-x:auto", css)
    assert "th{white-space:nowrap" in css  # a Japanese header never stacks one character a line


def test_empty_reports_folder():
    for lang in LANGS:
        assert t("index_title", lang) in site.index_html([], lang)


def test_a_study_dict_without_numbers_still_has_its_league_findings(replica):
    study, results, _ = replica
    info = study_info(study, results)
    del info["numbers"]
    page = soup(site.index_html([info], "en"))
    assert not page.select(".tile")
    assert len(page.select("ul.findings li")) == 2  # told apart, could be first


@pytest.mark.slow
def test_twcs_head_index_reads(twcs_head_study, tmp_path):
    results = tmp_path / twcs_head_study.id / "results"
    table = write_results(twcs_head_study, results, min_questions=2)
    info = study_info(twcs_head_study, results)
    for lang in LANGS:
        page = soup(site.index_html([info], lang))
        shown = len(page.select("table.league tbody tr")) + len(page.select("table.unranked tbody tr"))
        assert shown == len(table) >= 70
        assert len(page.select(".tile")) == 3 and 3 <= len(page.select("ul.findings li")) <= 5
        assert page.select_one("figure.chart img")["src"].startswith("data:image/png;base64,")


def test_links_from_data_are_encoded_and_never_a_script(replica):
    """Scorecard links come from the run's record: an odd page name is percent-encoded, a scheme refused."""
    study, results, _ = replica
    info = study_info(study, results)
    info["scorecards"] = [{**info["scorecards"][0], "page": 'scorecards/a b"&<c>'},
                          {**info["scorecards"][1], "page": "javascript:window.__pwned=1"}]
    for lang in LANGS:
        for html in (site.index_html([info], lang), site.summary_html(info, lang)):
            hrefs = [a["href"] for a in soup(html).find_all("a", href=True)]
            assert not [h for h in hrefs if h.lower().startswith("javascript")], hrefs
            assert any(h.startswith("scorecards/a%20b%22%26%3Cc%3E") or "/scorecards/a%20b%22%26%3Cc%3E" in h
                       for h in hrefs), hrefs


def test_every_page_of_the_site_carries_the_policy(replica):
    from helpers.report import style

    study, results, _ = replica
    for lang in LANGS:
        for html in (site.index_html([study_info(study, results)], lang), site.summary_html(study_info(study, results), lang)):
            page = style.apply(html, tables=False)  # as the pipeline writes them
            metas = soup(page).find_all("meta", attrs={"http-equiv": "Content-Security-Policy"})
            assert [m["content"] for m in metas] == [style.CSP]
