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
        cell = fmt.with_interval(value, low, high, lambda m: catalogue.duration(m, lang))
        assert cell.startswith(catalogue.duration(value, lang) + " (")
        assert cell.endswith(catalogue.duration(high, lang) + ")")


def test_a_missing_figure_is_shown_alone_in_its_own_words():
    for lang in catalogue.LANGS:
        assert fmt.with_interval(math.nan, 1.0, 2.0, lambda m: catalogue.duration(m, lang)) == \
            catalogue.t("not_reached", lang)
    assert fmt.with_interval(None, 0.1, 0.2, catalogue.pct) == catalogue.pct(None)
