"""Both languages say the same thing: catalogues, numbers, tables and the notebooks' text cells."""

from __future__ import annotations

import re
import string
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import compare
from helpers.report import pipeline, render
from helpers.text import catalogue, sentences
from helpers.text import formatting as fmt

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def blanks(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("entries", [catalogue.TEXT, sentences.TEXT], ids=["i18n", "narrative"])
def test_every_sentence_has_both_languages_with_the_same_blanks(entries):
    for key, texts in entries.items():
        assert set(texts) == set(catalogue.LANGS), key
        assert texts["en"] and texts["ja"], key
        assert blanks(texts["en"]) == blanks(texts["ja"]), key
        assert not JAPANESE.search(texts["en"]), key


def test_the_catalogues_do_not_collide():
    assert not set(catalogue.TEXT) & set(sentences.TEXT)


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
        heading = lambda src: re.findall(r"^(#+) ", src, re.M)  # noqa: E731
        assert heading(en.source) == heading(ja.source), en.source[:60]
        # The same file and column names are cited in both languages.
        spans = lambda src: {re.sub(r"\s+", " ", c) for c in re.findall(r"`([^`]+)`", src)}  # noqa: E731
        assert spans(en.source) == spans(ja.source), en.source[:60]


finite = st.floats(min_value=0, max_value=1, allow_nan=False)


@given(n=st.integers(1, 500), data=st.data(), unit=st.sampled_from(sorted(fmt.UNIT_WORDS_JA)),
       level=st.sampled_from([0.9, 0.95, 0.99]))
def test_a_share_says_the_same_numbers_in_both_languages(n, data, unit, level):
    k = data.draw(st.integers(0, n))
    low, high = sorted([data.draw(finite), data.draw(finite)])
    en = fmt.share_ci(k, n, low, high, unit, level)
    ja = fmt.share_ci(k, n, low, high, unit, level, "ja")
    assert sorted(NUMBER.findall(en)) == sorted(NUMBER.findall(ja))
    assert JAPANESE.search(ja) and not JAPANESE.search(en)


@given(metric=st.sampled_from(["answer_rate_difference", "hazard_ratio", "median_minutes_difference",
                               "share_within_60min_difference", "log_rank_statistic"]),
       values=st.lists(st.floats(min_value=-2000, max_value=2000, allow_nan=False), min_size=3, max_size=3))
def test_an_estimate_says_the_same_numbers_in_both_languages(metric, values):
    estimate, low, high = sorted(values)[1], sorted(values)[0], sorted(values)[2]
    en = fmt.estimate_ci(metric, estimate, low, high)
    ja = fmt.estimate_ci(metric, estimate, low, high, lang="ja")
    assert NUMBER.findall(en) == NUMBER.findall(ja)


@given(minutes=st.floats(min_value=0, max_value=60 * 24 * 30), spread=st.floats(min_value=0, max_value=600))
def test_a_median_says_the_same_numbers_in_both_languages(minutes, spread):
    en = fmt.duration_ci(minutes, max(0, minutes - spread), minutes + spread)
    ja = fmt.duration_ci(minutes, max(0, minutes - spread), minutes + spread, lang="ja")
    assert NUMBER.findall(en) == NUMBER.findall(ja)
    assert fmt.duration_ci(float("nan"), 0, 0, lang="ja") == fmt.WORDS["ja"]["median_not_reached"]


def test_tables_switch_labels_and_vocabulary_but_not_data():
    table = pd.DataFrame({"department": ["customer_service", "main"], "n_probes": [4, 6],
                          "answer_rate": [0.5, 0.25], "note": ["main", "x"],
                          "question_type": ["returns", "my_own_type"]}).set_index("department")
    ja = catalogue.show(table, "ja")
    assert list(ja.columns) == ["プローブ数", "回答率", "note", "質問の種類"]  # unknown names stay as they are
    assert ja.index.name == "部門" and list(ja.index) == ["カスタマーサービス", "メイン"]
    assert list(ja["note"]) == ["main", "x"]  # values outside vocabulary columns are data: kept
    assert list(ja["質問の種類"]) == ["返品", "my_own_type"]  # a user's own question type stays as written
    assert ja.iloc[:, :2].to_numpy().tolist() == table.iloc[:, :2].to_numpy().tolist()
    assert catalogue.show(table, "en") is table
    two = table.reset_index().set_index(["department", "note"])
    assert catalogue.show(two, "ja").index.names == ["部門", "note"]


def test_metric_names_read_in_both_languages():
    assert sentences.metric_name("share_within_60min_difference") == "share within 60min difference"
    assert sentences.metric_name("share_within_60min_difference", "ja") == "60分以内の割合の差"
    assert sentences.metric_name("hazard_ratio", "ja") == "ハザード比"


def test_every_reason_compare_gives_for_a_missing_estimate_reads_in_japanese():
    source = (Path(compare.__file__)).read_text(encoding="utf-8")
    reasons = re.findall(r'"not (?:estimable|testable): ([^"{]+?)(?:; )?"', source)
    assert len(reasons) >= 8
    for why in reasons:
        ja = sentences.reason(f"not estimable: {why}; Binomial GLM (unit: probe)", "ja")
        assert JAPANESE.search(ja) and "method" not in ja, why
    clusters = sentences.reason("not estimable: 3 company clusters, fewer than 5; Cox model", "ja")
    assert clusters == "企業のクラスターが3個で、5個未満"
    assert sentences.reason("not estimable: x", "en") == "not estimable: x"


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
    rates = proportions.answer_rates(probes)
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
    texts = [v[lang] for entries in (catalogue.TEXT, sentences.TEXT) for v in entries.values() for lang in catalogue.LANGS]
    for path in analysis_notebooks():
        texts += [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown"]
    for text in texts:
        filled = re.sub(r"\{[^}]*\}", "x1", text)  # blanks hold words and numbers, not punctuation
        html = re.sub(r"<code>.*?</code>", "", render(filled), flags=re.S)
        assert "*" not in html, text[:80]
