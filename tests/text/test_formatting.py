"""The one layout of a figure with its interval in a table cell."""

import math

from hypothesis import given
from hypothesis import strategies as st

from helpers.text import catalogue
from helpers.text import formatting as fmt

shares = st.floats(0, 1)
minutes = st.floats(0, 60 * 24 * 30)


@given(shares, shares, shares)
def test_a_share_with_its_interval_shows_all_three_numbers(value, low, high):
    cell = fmt.with_interval(value, low, high, catalogue.pct)
    assert cell == f"{catalogue.pct(value)} ({catalogue.pct(low)}–{catalogue.pct(high)})"


@given(minutes, minutes, st.one_of(minutes, st.just(math.inf)))
def test_a_wait_with_its_interval_reads_in_either_language(value, low, high):
    for lang in catalogue.LANGS:
        cell = fmt.with_interval(value, low, high, lambda m, lang=lang: catalogue.duration(m, lang))
        assert cell.startswith(catalogue.duration(value, lang) + " (")
        assert cell.endswith(catalogue.duration(high, lang) + ")")


def test_a_missing_figure_is_shown_alone_in_its_own_words():
    for lang in catalogue.LANGS:
        assert fmt.with_interval(math.nan, 1.0, 2.0, lambda m, lang=lang: catalogue.duration(m, lang)) == \
            catalogue.t("not_reached", lang)
    assert fmt.with_interval(None, 0.1, 0.2, catalogue.pct) == catalogue.pct(None)


@given(shares, shares, shares)
def test_a_rate_cell_shows_the_share_and_its_range(value, low, high):
    for lang in catalogue.LANGS:
        cell = fmt.rate_interval(value, low, high, lang)
        assert cell.startswith(fmt.pct(value)) and cell.endswith(fmt.pct(high) + ")")
        assert f"{100 * low:.0f}–" in cell


@given(minutes, minutes, st.one_of(minutes, st.just(math.inf), st.just(math.nan)))
def test_a_wait_cell_says_no_upper_bound_for_an_open_range(value, low, high):
    for lang in catalogue.LANGS:
        cell = fmt.wait_interval(value, low, high, lang)
        assert cell.startswith(fmt.duration(value, lang)) and fmt.duration(low, lang) in cell
        if not math.isfinite(high):
            assert catalogue.t("duration_unbounded", lang) in cell


def test_missing_values_read_the_same_in_tables_and_sentences():
    for lang in catalogue.LANGS:
        # A share: the same dash for a table cell, a sentence and a p-value, in both languages.
        assert catalogue.pct(None) == fmt.pct(math.nan) == fmt.rate_interval(math.nan, 0, 1, lang) == fmt.pvalue(None)
        assert catalogue.pct(math.nan) == "–"
        # A median not reached and an open upper limit: one word each, wherever they are shown.
        not_reached = catalogue.t("not_reached", lang)
        assert catalogue.duration(math.nan, lang) == fmt.duration(math.nan, lang) == not_reached
        assert fmt.wait_interval(math.nan, 0, math.inf, lang) == fmt.duration_ci(math.nan, 0, 0, lang=lang) == not_reached
        assert catalogue.duration(math.inf, lang) == fmt.duration(math.inf, lang) == catalogue.t("duration_unbounded", lang)
    assert catalogue.t("duration_unbounded", "en") == "no upper bound"


def test_a_median_without_a_range_is_shown_alone():
    from helpers.text import formatting

    assert formatting.wait_interval(1.0, float("nan"), float("nan"), "en") == formatting.duration(1.0, "en")
    assert "–" in formatting.wait_interval(10.0, 5.0, float("inf"), "en")
