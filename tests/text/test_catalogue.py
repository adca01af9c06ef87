"""Both languages say the same thing: the catalogue files, numbers, tables and the notebooks' text cells."""

from __future__ import annotations

import re
import string
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.analysis.reply_quality import UNIT_PLURALS
from helpers.report import pipeline, render
from helpers.text import catalogue, sentences
from helpers.text import formatting as fmt
from helpers.text.markup import plain

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def blanks(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("name", sorted(catalogue.words().files))
def test_every_entry_has_both_languages_with_the_same_blanks(name):
    for key, texts in catalogue.words().entries(name).items():
        assert set(texts) == set(catalogue.LANGS), key
        assert texts["en"] and texts["ja"], key
        assert blanks(texts["en"]) == blanks(texts["ja"]), key
        assert not JAPANESE.search(texts["en"]), key


def test_every_term_is_its_own_english_and_has_japanese():
    terms = catalogue.words().terms
    assert len(terms) > 100
    for word, texts in terms.items():
        assert texts["en"] == word and texts["ja"] and texts["ja"] != word, word
    assert catalogue.term(True, "ja") == "はい" and catalogue.term("no", "ja") == "no"  # "no" is no vocabulary word


def write_words(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("files, error", [
    ({"site.yml": 'title: {en: "Title"}\n'}, r"site\.yml: entry 'title' has no 'ja' text"),
    ({"site.yml": 'title: {en: "Title", ja: "題", fr: "Titre"}\n'}, r"site\.yml: entry 'title' has unknown languages"),
    ({"site.yml": 'title: {en: "Yes", ja: yes}\n'}, r"site\.yml: entry 'title' in 'ja' is not text"),
    ({"terms.yml": 'True: {en: "True", ja: "はい"}\n'}, r"terms\.yml: key True is not text"),
    ({"site.yml": 'a: {en: "A", ja: "あ"}\na: {en: "B", ja: "い"}\n'}, r"site\.yml: entry 'a' appears twice \(line 2\)"),
    ({"a.yml": 'x: {en: "A", ja: "あ"}\n', "b.yml": 'x: {en: "B", ja: "い"}\n'}, r"b\.yml: entry 'x' is already in a\.yml"),
    ({"terms.yml": 'main: {en: "principal", ja: "メイン"}\n'}, r"terms\.yml: term 'main' has English 'principal'"),
])
def test_the_loader_rejects_a_broken_file_naming_it_and_the_key(tmp_path, files, error):
    with pytest.raises(catalogue.CatalogueError, match=error):
        catalogue.load(write_words(tmp_path / "words", files))


def test_the_loader_keeps_spaces_colons_and_line_breaks_as_written(tmp_path):
    folder = write_words(tmp_path / "words", {"f.yml": (
        'unit: {en: " min", ja: "分"}\n'
        'note:\n  en: "a: b # c {x}\\n- d \\\n    e"\n  ja: "あ:い\\\n    う {x}"\n')})
    words = catalogue.load(folder)
    assert words.text["unit"]["en"] == " min"
    assert words.text["note"]["en"] == "a: b # c {x}\n- d e" and words.text["note"]["ja"] == "あ:いう {x}"


def test_the_package_ships_every_catalogue_file():
    import tomllib

    globs = tomllib.loads((pipeline.paths.PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = globs["tool"]["setuptools"]["package-data"]["helpers.text"]
    files = sorted(catalogue.WORDS_DIR.glob("*.yml"))
    assert files and all(any(f.relative_to(catalogue.WORDS_DIR.parent).match(g) for g in shipped) for f in files)


def analysis_notebooks():
    return [*pipeline.suite_notebooks(), pipeline.paths.NOTEBOOKS_DIR / pipeline.SCORECARD_NOTEBOOK]


@pytest.mark.parametrize("path", analysis_notebooks(), ids=lambda p: p.stem)
def test_every_text_cell_has_a_partner_in_the_other_language(path):
    nb = nbformat.read(path, as_version=4)
    assert "lang" in pipeline.declared_parameters(path)
    markdown = [c for c in nb.cells if c.cell_type == "markdown"]
    tags = [next((t for t in c.metadata.get("tags", []) if t.startswith(render.LANG_TAG)), None) for c in markdown]
    assert None not in tags, "a text cell without lang-en or lang-ja would show in both reports"
    assert tags == ["lang-en", "lang-ja"] * (len(tags) // 2), "each English cell is followed by its Japanese one"
    for en, ja in zip(markdown[::2], markdown[1::2], strict=True):
        assert not JAPANESE.search(en.source) and JAPANESE.search(ja.source)
        heading = lambda src: re.findall(r"^(#+) ", src, re.MULTILINE)
        assert heading(en.source) == heading(ja.source), en.source[:60]
        # The same file and column names are cited in both languages.
        spans = lambda src: {re.sub(r"\s+", " ", c) for c in re.findall(r"`([^`]+)`", src)}
        assert spans(en.source) == spans(ja.source), en.source[:60]


finite = st.floats(min_value=0, max_value=1, allow_nan=False)


# Every unit a notebook or table counts in.
UNITS = sorted({*UNIT_PLURALS.values(), "companies", "probes", "probes answered"})


@given(n=st.integers(1, 500), data=st.data(), unit=st.sampled_from(UNITS),
       level=st.sampled_from([0.9, 0.95, 0.99]))
def test_a_share_says_the_same_numbers_in_both_languages(n, data, unit, level):
    k = data.draw(st.integers(0, n))
    low, high = sorted([data.draw(finite), data.draw(finite)])
    en = fmt.share_ci(k, n, low, high, unit, level)
    ja = fmt.share_ci(k, n, low, high, unit, level, "ja")
    assert sorted(NUMBER.findall(en)) == sorted(NUMBER.findall(ja))
    assert JAPANESE.search(ja) and not JAPANESE.search(en)


def test_a_share_of_an_unknown_unit_is_a_clear_error():
    with pytest.raises(ValueError, match="no words for counting 'parcels'"):
        fmt.share_ci(1, 2, 0.1, 0.9, "parcels")


@given(metric=st.sampled_from(["response_rate_difference", "hazard_ratio", "median_minutes_difference",
                               "share_within_60min_difference", "log_rank_statistic"]),
       values=st.lists(st.floats(min_value=-2000, max_value=2000, allow_nan=False), min_size=3, max_size=3))
def test_an_estimate_says_the_same_numbers_in_both_languages(metric, values):
    low, estimate, high = sorted(values)
    en = fmt.estimate_ci(metric, estimate, low, high)
    ja = fmt.estimate_ci(metric, estimate, low, high, lang="ja")
    assert NUMBER.findall(en) == NUMBER.findall(ja)


@given(minutes=st.floats(min_value=0, max_value=60 * 24 * 30), spread=st.floats(min_value=0, max_value=600))
def test_a_median_says_the_same_numbers_in_both_languages(minutes, spread):
    en = fmt.duration_ci(minutes, max(0, minutes - spread), minutes + spread)
    ja = fmt.duration_ci(minutes, max(0, minutes - spread), minutes + spread, lang="ja")
    assert NUMBER.findall(en) == NUMBER.findall(ja)
    assert fmt.duration_ci(float("nan"), 0, 0, lang="ja") == catalogue.t("not_reached", "ja")


def test_tables_switch_labels_and_vocabulary_but_not_data():
    table = pd.DataFrame({"department": ["customer_service", "main"], "n_probes": [4, 6],
                          "answer_rate": [0.5, 0.25], "note": ["main", "x"],
                          "question_type": ["returns", "my_own_type"]}).set_index("department")
    ja = catalogue.translated(table, "ja")
    assert list(ja.columns) == ["質問数", "回答率", "note", "質問の種類"]  # unknown names stay as they are
    assert ja.index.name == "部門" and list(ja.index) == ["カスタマーサービス", "メイン"]
    assert list(ja["note"]) == ["main", "x"]  # values outside vocabulary columns are data: kept
    assert list(ja["質問の種類"]) == ["返品", "my_own_type"]  # a user's own question type stays as written
    assert ja.iloc[:, :2].to_numpy().tolist() == table.iloc[:, :2].to_numpy().tolist()
    en = catalogue.translated(table, "en")
    assert en.equals(table) and en is not table  # a copy in either language: changing it leaves the table
    two = table.reset_index().set_index(["department", "note"])
    assert catalogue.translated(two, "ja").index.names == ["部門", "note"]


def rendered_columns(html: str) -> int:
    """Columns of a rendered DataFrame (the first header row: index name cell plus one per column)."""
    from bs4 import BeautifulSoup

    return len(BeautifulSoup(html, "html.parser").find("thead").find("tr").find_all("th"))


def test_a_shown_table_renders_as_the_table_and_refuses_assignment():
    """The notebook-03 bug: `show(x, lang)["col"] = ...` changed the table in English only."""
    from IPython.core.formatters import DisplayFormatter

    table = pd.DataFrame({"threshold_minutes": [60, 120], "n": [5, 5], "share": [0.2, 0.4]}).set_index(
        "threshold_minutes")
    formatter = DisplayFormatter()
    shown_formats, table_formats = (formatter.format(x)[0] for x in (catalogue.show(table, "en"), table))
    assert shown_formats["text/plain"] == table_formats["text/plain"]  # the data do not change
    # In HTML the row labels are an ordinary first column: one header row, no numeric index.
    assert shown_formats["text/html"].count("<tr") == len(table) + 1
    html = {lang: catalogue.show(table, lang)._repr_html_() for lang in catalogue.LANGS}
    assert rendered_columns(html["en"]) == rendered_columns(html["ja"]) == 3
    for lang in catalogue.LANGS:
        shown = catalogue.show(table, lang)
        with pytest.raises(TypeError, match="display only"):
            shown["km_share"] = [0.3, 0.5]
        for mutator in ("assign", "insert", "loc", "iloc", "drop", "rename", "columns", "index", "values"):
            assert not hasattr(shown, mutator), mutator
        with pytest.raises(TypeError, match="display only"):
            shown.columns = ["a", "b"]
        copy = shown.data  # for reading: changing it changes nothing shown
        copy["extra"] = 1
        assert rendered_columns(shown._repr_html_()) == 3
    assert list(table.columns) == ["n", "share"]
    series = table["share"]
    assert formatter.format(catalogue.show(series, "en")) == formatter.format(series)  # no HTML, as a Series


def test_metric_names_read_in_both_languages():
    assert sentences.metric_name("share_within_60min_difference") == "share within 60min difference"
    assert sentences.metric_name("share_within_60min_difference", "ja") == "60分以内の割合の差"
    assert sentences.metric_name("hazard_ratio", "ja") == "ハザード比"


def test_every_reason_code_of_compare_reads_in_both_languages():
    compare = pytest.importorskip("helpers.compare")
    if not hasattr(compare, "REASONS"):
        pytest.skip("helpers.compare has no reason codes yet")
    assert len(compare.REASONS) >= 10
    fallback = {lang: sentences.reason(None, lang) for lang in catalogue.LANGS}
    for code in compare.REASONS:
        texts = catalogue.TEXT[f"reason_{code}"]
        assert set(texts) == set(catalogue.LANGS), code
        ja, en = sentences.reason(code, "ja"), sentences.reason(code, "en")
        assert JAPANESE.search(ja) and not JAPANESE.search(en), code
        assert ja != fallback["ja"] and en != fallback["en"], code
    minimum = str(compare.MIN_CLUSTERS)
    assert minimum in sentences.reason("few_clusters", "en") and minimum in sentences.reason("few_clusters", "ja")


def test_a_not_estimable_row_says_its_reason_or_points_to_its_method():
    row = pd.Series({"comparison": "department:a-vs-b", "metric": "response_odds_ratio", "estimate": float("nan"),
                     "ci_low": float("nan"), "ci_high": float("nan"), "p_value": float("nan"),
                     "p_adjusted": float("nan"), "method": "not estimable: separation (...); GLM",
                     "reason": "separation"})
    for lang in catalogue.LANGS:
        assert sentences.reason("separation", lang) in sentences.comparison(row, "X", lang=lang)
        older = row.drop("reason")  # a comparisons.csv from before the codes
        assert "comparisons.csv" in sentences.comparison(older, "X", lang=lang)
        empty = row.copy()
        empty["reason"] = float("nan")  # an empty cell, as pandas reads it
        assert "comparisons.csv" in sentences.comparison(empty, "X", lang=lang)


def test_japanese_figures_carry_no_english_words():
    """Every analysis plot, drawn in Japanese: titles, axes, ticks and legends hold no English phrase."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    from helpers.analysis import league, plan, reply_quality
    from helpers.data.study import load_study
    from helpers.figures import plots, theme
    from helpers.stats import proportions
    from tests.conftest import TINY_STUDY

    study = load_study(TINY_STUDY)
    probes = study.probes
    q = reply_quality.probe_quality(probes, study.accounts)
    rates = proportions.response_rates(probes)
    table, _ = league.league_table(probes, n_boot=50)
    say = sentences.say
    theme.set_theme("ja")
    try:
        figures = [
            plots.rate_intervals(rates.query("level == 'department'"), say("t_rate_department", "ja"), study,
                                    lang="ja")[0],
            plots.km_plot(probes, "department", say("t_km_department", "ja"), study, thresholds=[60],
                             lang="ja")[0],
            plots.rank_intervals(table, study, lang="ja")[0],
            plots.paired_rates(probes, "customer_service", "main", study, lang="ja")[0],
            plots.power_curves(plan.power_curve(0.5, [0.2]), study, lang="ja")[0],
            plots.reply_kind_bars(q, "department", say("t_kinds_department", "ja"), study, lang="ja")[0],
        ]
        data_words = set(probes["company"]) | {study.id}
        for fig in figures:
            for text in (t.get_text() for t in fig.findobj(Text)):
                for word in data_words:
                    text = text.replace(word, "")
                assert not re.search(r"[A-Za-z]{3,} [A-Za-z]{3,}", text), text
            plt.close(fig)
    finally:
        theme.set_theme("en")


def test_bold_and_italic_render_in_every_sentence_and_text_cell():
    """CommonMark closes ** only where punctuation allows: "**応答率:**56件" would show its asterisks."""
    import mistune

    render = mistune.create_markdown()
    texts = [v[lang] for v in catalogue.TEXT.values() for lang in catalogue.LANGS]
    for path in analysis_notebooks():
        texts += [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown"]
    for text in texts:
        filled = re.sub(r"\{[^}]*\}", "x1", text)  # blanks hold words and numbers, not punctuation
        html = re.sub(r"<code>.*?</code>", "", render(filled), flags=re.DOTALL)
        assert "*" not in html, text[:80]


def catalogue_english_words() -> set[str]:
    """Words (4+ letters) of the catalogue's English that no Japanese text of it uses (file names, GLM, ...)."""
    def words(text: str) -> set[str]:
        text = re.sub(r"\{[^}]*\}|`[^`]*`", " ", text)
        return {w.lower() for w in re.findall(r"[A-Za-z]{4,}", text)}

    texts = [*catalogue.TEXT.values(), *catalogue.words().terms.values()]
    japanese = set().union(*(words(v["ja"]) for v in texts))
    return set().union(*(words(v["en"]) for v in catalogue.TEXT.values())) - japanese


def leaked(text: str, data: list[str]) -> set[str]:
    """Catalogue English words in `text` once its data (titles, names, sources) are taken out."""
    for value in sorted(filter(None, data), key=len, reverse=True):
        text = text.replace(value, " ")
    return {w for w in re.findall(r"[A-Za-z]{4,}", text) if w.lower() in ENGLISH}


ENGLISH = catalogue_english_words()


def studies():
    """Every bundled study, synthetic and real, with and without a scope and limits of its rates."""
    import dataclasses

    from helpers import paths
    from helpers.data.study import load_study

    for path in sorted(p for p in paths.STUDIES_DIR.iterdir() if (p / "study.yml").exists()):
        study = load_study(path)
        for synthetic in (True, False):
            for scope, limits in (("", []), ("within exported threads", ["Only one week of messages."])):
                meta = {**study.meta, "synthetic": synthetic, "answer_rate_scope": scope, "limits": limits}
                yield dataclasses.replace(study, meta=meta)


def study_data(study) -> list[str]:
    return [study.title, study.id, study.source, study.rate_scope, *study.limits, *study.probes["company"]]


def test_japanese_banner_and_figure_label_carry_no_english_word():
    from helpers.report.session import banner

    assert len(ENGLISH) > 300
    for study in studies():
        data = study_data(study)
        # Data is escaped in the Markdown: compare the text a reader sees.
        assert leaked(plain(banner(study, "en")), data), "the check finds the English banner's words"
        assert not leaked(plain(banner(study, "ja")), data), (study.id, banner(study, "ja"))
        assert not leaked(catalogue.provenance_label(study, "ja"), data), catalogue.provenance_label(study, "ja")


def visible(html: str) -> str:
    """What a reader sees of a page, without its commands (``<code>``, the same in both languages)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup(["style", "code"]):
        hidden.decompose()
    return soup.get_text(" ")


def test_japanese_index_page_carries_no_english_word():
    from helpers.analysis import league
    from helpers.report import site
    from helpers.stats import company_level

    for study in studies():
        table, _ = league.league_table(study.probes, n_boot=20)
        info = {"id": study.id, "title": study.title, "description": "A study.", "synthetic": study.synthetic,
                "source": study.source, "answer_rate_scope": study.rate_scope, "limits": study.limits,
                "notebooks": [nb.stem for nb in pipeline.suite_notebooks()],
                "scorecards": [{"company": c, "file": f"scorecards/{c}.html"} for c in table["company"]],
                "generated_at": "2026-01-01T00:00:00+00:00", "results": list(site.RESULT_FILES),
                "headline": company_level.headline(study.probes, study.thresholds_minutes),
                "league": table.astype(str).to_dict("records")}
        data = [*study_data(study), info["description"], info["generated_at"], *site.RESULT_FILES]
        pages = {lang: visible(site.index_html([info], lang)) for lang in catalogue.LANGS}
        assert leaked(pages["en"], data), "the check finds the English page's words"
        assert not leaked(pages["ja"], data), study.id
    assert not leaked(visible(site.index_html([], "ja")), [])
