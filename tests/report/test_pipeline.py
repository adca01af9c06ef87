"""End to end: the report command on the tiny study, checked against an independent count."""

from __future__ import annotations

import csv
import json
import re
import shutil
from collections import defaultdict
from datetime import datetime

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from helpers.data.problems import StudyValidationError
from helpers.report import links, pipeline
from tests.conftest import TINY_STUDY

pytestmark = pytest.mark.slow


def independent_outcomes():
    """Answered-within-window and minutes for each tiny-study probe, from the raw CSVs."""
    with (TINY_STUDY / "accounts.csv").open(newline="", encoding="utf-8") as f:
        department = {(r["company"], r["account"]): r["department"] for r in csv.DictReader(f)}
    out = []
    with (TINY_STUDY / "probes.csv").open(newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            sent = datetime.fromisoformat(r["sent_at"])
            end = datetime.fromisoformat(r["observed_until"])
            reply = datetime.fromisoformat(r["first_reply_at"]) if r["first_reply_at"] else None
            answered = reply is not None and reply <= end
            minutes = ((reply if answered else end) - sent).total_seconds() / 60
            out.append({"company": r["company"], "department": department[(r["company"], r["account"])],
                        "answered": answered, "minutes": minutes})
    return out


def hrefs(page) -> list[str]:
    """The links of a page, as written."""
    from bs4 import BeautifulSoup

    return [a["href"] for a in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find_all("a", href=True)]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("run")
    lines: list[str] = []
    final = pipeline.build_report(TINY_STUDY, reports_dir=root / "reports", build_dir=root / "build",
                                log=lines.append, lang="en,ja")
    return root, final, lines


def test_report_writes_every_page_and_result(built):
    root, final, lines = built
    notebooks = [nb.stem for nb in pipeline.suite_notebooks()]
    assert final == root / "reports" / "tiny-study"
    for stem in notebooks:
        for lang in ("en", "ja"):  # both languages side by side, executed and rendered each
            assert (final / links.page(stem, lang)).is_file()
            assert (root / "build" / "tiny-study" / links.named(stem, lang, ".ipynb")).is_file()
            assert any(f"{stem} ({lang})" in line and "ok" in line for line in lines), lines
    for lang in ("en", "ja"):
        assert f'<html lang="{lang}"' in (final / links.page("summary", lang)).read_text(encoding="utf-8")
    assert json.loads((final / "study.json").read_text(encoding="utf-8"))["langs"] == ["en", "ja"]
    for name in ("response_rates.csv", "response_times.csv", "headline.json", "data_quality.csv",
                 "comparisons.csv", "league_table.csv", "sample_sizes.csv", "fieldwork-plan/probes.csv",
                 "reply_kinds.csv", "reply_quality.csv", "reply_quality_rates.csv", "reply_quality_times.csv"):
        assert (final / "results" / name).is_file(), name
    index = (root / "reports" / "index.html").read_text(encoding="utf-8")
    assert "Tiny test study (synthetic)" in index and "SYNTHETIC DATA" in index
    for stem in notebooks:
        assert f'href="tiny-study/{stem}.html"' in index
    # Each index links the pages of its own language only.
    for lang in ("en", "ja"):
        index = root / "reports" / links.page("index", lang)
        targets = [h for h in hrefs(index) if h.endswith(".html")]
        assert targets and all(h.endswith(".ja.html") == (lang == "ja") for h in targets), (lang, targets)
        assert all((index.parent / h).is_file() for h in hrefs(index)), lang
    # No partial folders left behind.
    # Only the manifest and the locks (kept: removing a lock file would race a waiting run).
    hidden = sorted(p.name for p in (root / "reports").iterdir() if p.name.startswith("."))
    assert hidden == ["..socialcare-manifest.json.lock", ".index.html.lock", ".socialcare-manifest.json", ".tiny-study.lock"]


def test_rendered_pages_show_no_code_and_say_synthetic(built):
    from helpers.text.catalogue import TEXT

    _, final, _ = built
    for page in final.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "session = start(" not in html, page.name
        synthetic = TEXT["badge_synthetic"]["ja" if page.name.endswith(".ja.html") else "en"]
        assert synthetic in html, page.name
        assert "Traceback" not in html, page.name


def test_response_rates_match_an_independent_count(built):
    _, final, _ = built
    rates = pd.read_csv(final / "results" / "response_rates.csv")
    assert list(rates.columns) == ["level", "group", "n_probes", "n_responded", "response_rate", "ci_low", "ci_high"]
    expected = defaultdict(lambda: [0, 0])
    for p in independent_outcomes():
        for level, group in (("overall", "all"), ("company", p["company"]), ("department", p["department"])):
            expected[(level, group)][0] += 1
            expected[(level, group)][1] += p["answered"]
    for (level, group), (n, k) in expected.items():
        row = rates[(rates["level"] == level) & (rates["group"] == group)].iloc[0]
        assert (row.n_probes, row.n_responded) == (n, k)
        assert row.ci_low <= row.response_rate <= row.ci_high


def test_response_times_and_headline_match_an_independent_count(built):
    _, final, _ = built
    times = pd.read_csv(final / "results" / "response_times.csv")
    outcomes = independent_outcomes()
    overall = times[times["level"] == "overall"].iloc[0]
    for t in (30, 60, 1440):
        # Every window here is 3 days, so KM equals the plain share for these thresholds.
        plain = sum(p["answered"] and p["minutes"] <= t for p in outcomes) / len(outcomes)
        assert overall[f"within_{t}min"] == pytest.approx(plain)

    headline = json.loads((final / "results" / "headline.json").read_text(encoding="utf-8"))
    fastest = {}
    for p in outcomes:
        if p["answered"]:
            fastest[p["company"]] = min(fastest.get(p["company"], float("inf")), p["minutes"])
    assert headline["synthetic"] is True and headline["unit"] == "company"
    assert headline["companies"] == len({p["company"] for p in outcomes})
    assert headline["responded"]["count"] == len(fastest)
    for t in (30, 60, 1440):
        assert headline[f"within_{t}min"]["count"] == sum(m <= t for m in fastest.values())


def _failing_notebook(folder):
    nb = new_notebook(cells=[new_code_cell("x = 1"), new_code_cell("raise ValueError('boom on purpose')")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "99-fails.ipynb"
    nbformat.write(nb, path)
    return path


def test_failed_notebook_keeps_the_previous_report(built, tmp_path):
    root, final, _ = built
    before = {p.relative_to(final): p.read_bytes() for p in final.rglob("*") if p.is_file()}
    with pytest.raises(pipeline.ReportFailed) as err:
        pipeline.build_report(TINY_STUDY, reports_dir=root / "reports", build_dir=tmp_path / "build",
                            notebooks=[_failing_notebook(tmp_path)], log=lambda _: None)
    failure = err.value.failures[0]
    assert failure.notebook == "99-fails" and failure.cell == 2
    assert "boom on purpose" in str(err.value) and "cell 2" in str(err.value)
    after = {p.relative_to(final): p.read_bytes() for p in final.rglob("*") if p.is_file()}
    assert after == before
    # Only the manifest and the locks (kept: removing a lock file would race a waiting run).
    hidden = sorted(p.name for p in (root / "reports").iterdir() if p.name.startswith("."))
    assert hidden == ["..socialcare-manifest.json.lock", ".index.html.lock", ".socialcare-manifest.json", ".tiny-study.lock"]


def test_invalid_study_raises_before_writing(tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(TINY_STUDY, broken)
    (broken / "probes.csv").write_text("probe_id\nP1\n", encoding="utf-8")
    with pytest.raises(StudyValidationError):
        pipeline.build_report(broken, reports_dir=tmp_path / "reports", build_dir=tmp_path / "build")
    assert not (tmp_path / "reports").exists() and not (tmp_path / "build").exists()


def test_comparisons_and_league_table_follow_their_format(built):
    _, final, _ = built
    comparisons = pd.read_csv(final / "results" / "comparisons.csv")
    assert list(comparisons.columns) == ["comparison", "metric", "estimate", "ci_low", "ci_high",
                                         "p_value", "p_adjusted", "method", "reason"]
    # Both comparison notebooks contributed, and their working parts were cleaned up.
    kinds = set(comparisons["comparison"].str.split(":").str[0])
    assert {"department", "within-company", "company"} <= kinds
    assert not (final / "results" / ".parts").exists()
    row = comparisons[(comparisons["comparison"] == "department:customer_service-vs-main")
                      & (comparisons["metric"] == "response_rate_difference")]
    assert len(row) == 1
    counts = defaultdict(lambda: [0, 0])
    for p in independent_outcomes():
        counts[p["department"]][0] += p["answered"]
        counts[p["department"]][1] += 1
    expected = counts["customer_service"][0] / counts["customer_service"][1] - counts["main"][0] / counts["main"][1]
    assert row["estimate"].iloc[0] == pytest.approx(expected)
    assert comparisons["method"].notna().all()

    league = pd.read_csv(final / "results" / "league_table.csv")
    assert list(league.columns) == ["company", "n_probes", "n_responded", "response_rate", "response_rate_ci_low",
                                    "response_rate_ci_high", "median_minutes", "median_ci_low", "median_ci_high",
                                    "ranked", "rank", "rank_ci_low", "rank_ci_high"]
    by_company = defaultdict(lambda: [0, 0])
    for p in independent_outcomes():
        by_company[p["company"]][0] += p["answered"]
        by_company[p["company"]][1] += 1
    for _, r in league.iterrows():
        k, n = by_company[r["company"]]
        assert (r["n_probes"], r["n_responded"], r["response_rate"]) == (n, k, pytest.approx(k / n))
        if r["ranked"]:
            assert 1 <= r["rank_ci_low"] <= r["rank"] <= r["rank_ci_high"] <= len(league)


def test_fieldwork_plan_is_a_valid_study(built):
    from helpers.data.study import validate_study

    _, final, _ = built
    assert validate_study(final / "results" / "fieldwork-plan") == []


def test_reply_quality_files_cover_every_probe_and_account(built):
    _, final, _ = built
    kinds = pd.read_csv(final / "results" / "reply_kinds.csv", dtype={"probe_id": str})
    probes = pd.read_csv(TINY_STUDY / "probes.csv", dtype=str)
    assert sorted(kinds["probe_id"]) == sorted(probes["probe_id"])
    assert list(kinds.columns[:4]) == ["probe_id", "reply_kind", "template_cluster", "in_stated_hours"]
    outcomes = independent_outcomes()
    assert (kinds["reply_kind"] != "no_reply").sum() == sum(o["answered"] for o in outcomes)
    per_account = pd.read_csv(final / "results" / "reply_quality.csv")
    accounts = pd.read_csv(TINY_STUDY / "accounts.csv", dtype=str)
    assert sorted(per_account["account"]) == sorted(accounts["account"])
    for col in ("company", "account", "response_rate", "answer_rate", "redirect_share", "template_share",
                "follow_up_response_rate"):
        assert col in per_account.columns


# --------------------------------------------------------------------------------------------
# Scorecards, the offline site, Japanese, and a real browser


def _companies() -> list[str]:
    with (TINY_STUDY / "probes.csv").open(newline="", encoding="utf-8") as f:
        return sorted({r["company"] for r in csv.DictReader(f)})


def test_every_company_gets_a_linked_scorecard(built):
    from helpers.analysis.scorecard import scorecard_names

    slug = scorecard_names(_companies()).__getitem__
    root, final, _ = built
    index = (root / "reports" / "index.html").read_text(encoding="utf-8")
    league = pd.read_csv(final / "results" / "league_table.csv")
    for company in _companies():
        page = final / "scorecards" / f"{slug(company)}.html"
        assert page.is_file(), company
        html = page.read_text(encoding="utf-8")
        assert f"Scorecard: {company}" in html and "SYNTHETIC DATA" in html
        assert f'href="tiny-study/scorecards/{slug(company)}.html"' in index
        card = json.loads((final / "results" / "scorecards" / f"{slug(company)}.json").read_text(encoding="utf-8"))
        assert "findings" not in card and "lang" not in card  # numbers only: the same in every language
        assert card["rank"]["rank"] == int(league.set_index("company").loc[company, "rank"])
    # The index shows the league table: one row per company, in rank order.
    assert index.count("<tr><td>") >= len(_companies())
    assert "League table" in index


def test_pages_read_offline_without_code(built):
    root, final, _ = built
    pages = [root / "reports" / "index.html", *final.glob("*.html"), *(final / "scorecards").glob("*.html")]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert 'src="http' not in html and "https://cdn" not in html, page.name
        assert "remove-in-report" not in html
        assert "No description has been provided" not in html  # figures say which section they illustrate
    scorecard = next((final / "scorecards").glob("*.html")).read_text(encoding="utf-8")
    assert "data:image/png;base64" in scorecard  # figures embedded in the page
    assert "# 10 · Company scorecard" not in scorecard and "Reads a study folder" not in scorecard


@pytest.fixture(scope="module")
def built_ja(built):
    """The Japanese half of the run in both languages."""
    root, final, _ = built
    return root, final


JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def visible_text(html: str) -> str:
    """What a reader sees of a page: no scripts, styles or tags."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup(["script", "style"]):
        hidden.decompose()
    return re.sub(r"\s+", " ", soup.get_text(" "))


def english_phrases() -> set[str]:
    """The fixed English words of every sentence, label and text cell (runs of 3+ words)."""
    from helpers.text import catalogue, sentences

    texts = [v["en"] for catalogue in (catalogue.TEXT, sentences.TEXT) for v in catalogue.values()]
    for nb_path in pipeline.suite_notebooks():
        nb = nbformat.read(nb_path, as_version=4)
        texts += [c.source for c in nb.cells if "lang-en" in c.metadata.get("tags", [])]
    phrases = set()
    for text in texts:
        text = re.sub(r"\{[^}]*\}|`[^`]*`|[*_#]", "|", text)
        phrases.update(m.group(0) for m in re.finditer(r"[A-Za-z][a-z]+(?: [a-z]+){2,}", text))
    return phrases


def test_japanese_report_leaves_no_english_sentence_in_any_page(built_ja):
    """Every analysis page, not only the scorecards, reads in Japanese."""
    root, final = built_ja
    phrases = english_phrases()
    assert len(phrases) > 100  # the check has something to find
    for nb_path in pipeline.suite_notebooks():
        html = (final / links.page(nb_path.stem, "ja")).read_text(encoding="utf-8")
        page = visible_text(html)
        leaked = sorted(p for p in phrases if p in page)
        assert not leaked, (nb_path.stem, leaked[:5])
        alts = re.findall(r'<img [^>]*alt="([^"]*)"', html)
        assert len(alts) == html.count("<img "), "every figure has alternative text"
        assert all(JAPANESE.search(alt) for alt in alts), (nb_path.stem, alts[:2])
        nb = nbformat.read(nb_path, as_version=4)
        title_ja = next(c.source for c in nb.cells if "lang-ja" in c.metadata.get("tags", [])).splitlines()[0]
        assert title_ja.lstrip("# ") in page, nb_path.stem
    for other in [root / "reports" / "index.ja.html", final / "summary.ja.html",
                  *sorted((final / "scorecards").glob("*.ja.html"))]:
        page = visible_text(other.read_text(encoding="utf-8"))
        assert not sorted(p for p in phrases if p in page), other.name


def test_japanese_report_switches_headings_labels_and_findings(built_ja):
    from helpers.text.catalogue import TEXT

    root, final = built_ja
    index = (root / "reports" / "index.ja.html").read_text(encoding="utf-8")
    assert '<html lang="ja">' in index and TEXT["index_title"]["ja"] in index and TEXT["h_league"]["ja"] in index
    page = next((final / "scorecards").glob("*.ja.html")).read_text(encoding="utf-8")
    assert '<html lang="ja">' in page
    for key in ("h_findings", "h_response", "h_speed", "h_rank", "synthetic_banner"):
        assert TEXT[key]["ja"] in page, key
    for key in ("h_findings", "h_response", "h_speed", "synthetic_banner"):
        assert TEXT[key]["en"] not in page, key


def test_japanese_figures_have_every_glyph(recwarn):
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    from helpers.figures import theme

    theme.set_theme("ja")
    try:
        font = font_manager.findfont(font_manager.FontProperties(family=plt.rcParams["font.family"]))
        assert "ipaex" in font.lower()
        fig, ax = plt.subplots()
        ax.set_title("回答率と95%ウィルソン信頼区間(単位:プローブ)")
        ax.set_xlabel("質問送信からの経過時間(時間)")
        fig.savefig(io.BytesIO(), format="png")
        plt.close(fig)
        assert not [w for w in recwarn if "missing from font" in str(w.message)]
    finally:
        theme.set_theme("en")


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (Debian: apt-get install chromium); "
                                             ".ci/run installs it when run as root")
def test_a_browser_opens_the_index_and_a_scorecard(built):
    import subprocess

    root, final, _ = built
    page = next((final / "scorecards").glob("*.html"))
    for target in (root / "reports" / "index.html", page):
        dom = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
                              target.as_uri()], capture_output=True, text=True, timeout=120, check=True).stdout
        assert "Tiny test study (synthetic)" in dom, target
        for bad in ("Traceback", "Error:", 'class="jp-RenderedText" data-mime-type="application/vnd.jupyter.stderr"'):
            assert bad not in dom, (target, bad)


# --------------------------------------------------------------------------------------------
# Both languages in one run: results, indexes, headers, page widths


def test_results_are_the_same_in_both_languages(built):
    """Results do not depend on the pages' language: every file byte for byte."""
    root, final, _ = built
    en, ja = final / "results", root / "build" / "tiny-study" / "results.ja"
    files = sorted(p.relative_to(en).as_posix() for p in en.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(ja).as_posix() for p in ja.rglob("*") if p.is_file())
    assert any(f.endswith(".csv") for f in files)
    assert pipeline.results_differences(en, ja) == []


def test_an_index_never_links_another_language_or_an_older_run(built, tmp_path):
    root, _, _ = built
    reports = tmp_path / "reports"
    shutil.copytree(root / "reports", reports)  # tiny-study, in both languages
    other = tmp_path / "other-study"
    shutil.copytree(TINY_STUDY, other)
    overview = [nb for nb in pipeline.suite_notebooks() if nb.stem.startswith("01-")]

    def run(lang):
        pipeline.build_report(other, reports_dir=reports, build_dir=tmp_path / "build", notebooks=overview,
                              lang=lang, scorecards=False, log=lambda _: None)
        for code in ("en", "ja"):  # every link of each index exists and is in its language
            index = reports / links.page("index", code)
            pages = [h for h in hrefs(index) if h.endswith(".html")]
            assert all((reports / h).is_file() for h in hrefs(index)), code
            assert all(h.endswith(".ja.html") == (code == "ja") for h in pages), (code, pages)
        return {code: {h.split("/")[0] for h in hrefs(reports / links.page("index", code))} for code in ("en", "ja")}

    studies = run("ja")
    assert "other-study" in studies["ja"] and "other-study" not in studies["en"]
    assert "tiny-study" in studies["en"]
    studies = run("en")  # rebuilt in the other language: its Japanese pages and index entry go
    assert "other-study" in studies["en"] and "other-study" not in studies["ja"]
    assert not list((reports / "other-study").glob("*.ja.html"))


def test_every_page_has_a_header_linking_its_language_and_its_twin(built):
    from urllib.parse import unquote

    from bs4 import BeautifulSoup

    from helpers.report import style

    root, final, _ = built
    info = json.loads((final / "study.json").read_text(encoding="utf-8"))
    stems = [*info["notebooks"], "summary", *(c["page"] for c in info["scorecards"])]
    assert any(stem.startswith("scorecards/") for stem in stems)
    for lang, other in (("en", "ja"), ("ja", "en")):
        for stem in stems:
            page = final / links.page(stem, lang)
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            assert soup.find("style", id=style.STYLE_ID) and soup.find("meta", attrs={"name": "viewport"}), page
            navs = soup.find_all("nav", class_="report-nav")
            assert len(navs) == 1, page
            targets = [(page.parent / unquote(a["href"])).resolve() for a in navs[0].find_all("a", href=True)]
            assert all(t.is_file() for t in targets), (page, [t for t in targets if not t.is_file()])
            assert (root / "reports" / links.page("index", lang)).resolve() in targets
            assert (final / links.page("summary", lang)).resolve() in targets
            assert (final / links.page(stem, other)).resolve() in targets  # the twin
            pages = [t for t in targets if t.suffix == ".html"]
            assert sum(t.name.endswith(".ja.html") != (lang == "ja") for t in pages) == 1, page  # only the twin
            assert navs[0].find("a", attrs={"aria-current": "page"}) is not None or stem == "summary"
            for table in soup.find_all("table"):  # wide tables scroll in their own box
                assert table.find_parent(class_=["table-scroll", "scroll"]) is not None, page


# A window this narrow is a phone; headless Chromium's own windows are at least 500 px wide, so
# the page is measured inside a frame of the width.
_MEASURE = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="f" src="{src}" style="width:{width}px;height:900px;border:0"></iframe><script>
document.getElementById("f").addEventListener("load", () => {{
  const doc = document.getElementById("f").contentDocument;
  for (const d of doc.querySelectorAll("details")) d.open = true;
  const p = document.createElement("pre"); p.id = "measure";
  p.textContent = doc.documentElement.scrollWidth + " " + doc.documentElement.clientWidth;
  document.body.appendChild(p);
}});</script></body></html>"""


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (Debian: apt-get install chromium)")
@pytest.mark.parametrize("width", [400, 1400])
def test_no_page_scrolls_sideways(built, width, tmp_path):
    import subprocess

    _, final, _ = built
    for page in (final / "05-compare-companies.ja.html", final / "03-response-times.html", final / "summary.html",
                 next((final / "scorecards").glob("*.html"))):
        frame = page.with_name(f".measure-{width}-{page.name}")
        frame.write_text(_MEASURE.format(src=page.name, width=width), encoding="utf-8")
        try:
            dom = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                                  f"--user-data-dir={tmp_path / 'profile'}", "--allow-file-access-from-files",
                                  "--window-size=1500,1000", "--virtual-time-budget=5000", "--dump-dom",
                                  frame.as_uri()], capture_output=True, text=True, timeout=120, check=True).stdout
        finally:
            frame.unlink()
        scroll, client = map(int, re.search(r'<pre id="measure">(\d+) (\d+)</pre>', dom).groups())
        assert width - 20 <= client <= width  # the frame was laid out at the width (less a scroll bar)
        assert scroll <= client, (page.name, width, scroll, client)
