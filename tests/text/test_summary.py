"""The summary's words: tiles, findings and methods, from numbers, in both languages."""

from __future__ import annotations

import re

import pytest

from helpers.text import summary as words
from helpers.text.catalogue import LANGS, t

METHOD_NAMES = ("Wilson", "Kaplan", "Meier", "bootstrap", "Bayes", "ウィルソン", "カプラン", "ベイズ")


def numbers(**changes) -> dict:
    base = {
        "level": 0.95,
        "response": {"n": 56, "k": 35, "rate": 0.625, "low": 0.49, "high": 0.74},
        "answer": {"n": 56, "k": 20, "rate": 0.357, "low": 0.24, "high": 0.49},
        "redirect": {"n": 35, "k": 9, "rate": 0.257, "low": 0.14, "high": 0.42},
        "within": {"minutes": 60, "n": 56, "rate": 0.30, "low": 0.20, "high": 0.43},
        "median": {"n": 56, "k": 35, "minutes": 327.0, "low": 108.0, "high": 780.0},
        "league": {"companies": 22, "ranked": 20, "too_few": 2, "pairs": 190, "pairs_apart": 7,
                   "could_be_first": ["Retailer H", "Retailer F", "Retailer I"], "ranked_first": ["Retailer H"]},
    }
    return {**base, **changes}


@pytest.mark.parametrize("lang", LANGS)
def test_four_tiles_each_with_a_range_and_its_unit(lang):
    tiles = words.tiles(numbers(), lang)
    assert [x.key for x in tiles] == ["response", "answer", "within", "median"]
    for tile in tiles:
        assert tile.value and tile.range and tile.unit
        assert not any(name in tile.label + tile.unit for name in METHOD_NAMES)
    assert "56" in tiles[0].unit and "35" in tiles[0].unit and "62%" == tiles[0].value
    assert tiles[2].label == t("sum_tile_within", lang, duration=words.threshold(60, lang))


def test_answer_tile_only_where_reply_kinds_exist():
    assert [x.key for x in words.tiles(numbers(answer=None), "en")] == ["response", "within", "median"]
    assert words.tiles({}, "en") == []


@pytest.mark.parametrize("lang", LANGS)
def test_a_median_not_reached_or_unbounded_says_so(lang):
    tile = words.tiles(numbers(median={"n": 4, "k": 1, "minutes": None, "low": 5.0, "high": None}), lang)[-1]
    assert tile.value == t("not_reached", lang) and tile.range == ""
    assert tile.unit == t("sum_tile_median_not_reached", lang, questions=words.count(4, "questions", lang))
    tile = words.tiles(numbers(median={"n": 4, "k": 3, "minutes": 90.0, "low": 5.0, "high": None}), lang)[-1]
    assert tile.range.endswith(t("sum_no_upper_bound", lang))
    assert words.with_range(90.0, 5.0, float("inf"), str, lang).endswith(t("sum_no_upper_bound", lang) + ")")


def test_counts_are_singular_for_one_and_grouped_for_thousands():
    assert words.count(1, "questions") == "1 question" and words.count(2, "questions") == "2 questions"
    assert words.count(1, "replies") == "1 reply" and words.count(1653, "companies") == "1,653 companies"
    tile = words.tiles(numbers(response={"n": 1, "k": 1, "rate": 1.0, "low": 0.2, "high": 1.0}), "en")[0]
    assert "1 of 1 question got" in tile.unit


def test_names_never_say_one_others():
    assert words.names(["A"]) == "A" and words.names(["A", "B"]) == "A and B"
    six = [f"C{i}" for i in range(6)]
    assert words.names(six) == "C0, C1, C2, C3, C4 and C5"
    assert words.names(six + ["C6"]) == "C0, C1, C2, C3, C4 and 2 others"
    assert words.names(["A", "B", "C"], "ja") == "A、B、C"


@pytest.mark.parametrize("lang", LANGS)
def test_three_to_five_findings_from_the_numbers(lang):
    found = words.findings(numbers(), lang)
    assert 3 <= len(found) <= 5
    text = " ".join(found)
    for figure in ("35", "56", "190", "Retailer H", "Retailer I"):
        assert figure in text, figure
    assert not any(name in text for name in METHOD_NAMES)
    assert len(words.findings(numbers(redirect=None, league=None), lang)) >= 2


@pytest.mark.parametrize(("apart", "key"), [(0, "sum_f_apart_none"), (190, "sum_f_apart_all"), (7, "sum_f_apart")])
def test_told_apart_finding_fits_the_count(apart, key):
    league = {**numbers()["league"], "pairs_apart": apart}
    found = words.findings(numbers(league=league), "en")
    expected = t(key, "en", pairs="190", apart=str(apart))
    assert expected in found


def test_who_could_be_first():
    league = numbers()["league"]
    one = words.findings(numbers(league={**league, "could_be_first": ["Retailer H"]}), "en")
    assert any(f.startswith("Only Retailer H could be first.") for f in one)
    anyone = {**league, "ranked": 3, "too_few": 0}
    assert t("sum_f_first_any", "en", companies="3 companies") in words.findings(numbers(league=anyone), "en")
    nobody = words.findings(numbers(league={**league, "could_be_first": []}), "en")
    assert any(t("sum_f_first_none", "en") in f for f in nobody)
    assert any("2 companies had too few questions to rank" in f for f in one)


@pytest.mark.parametrize("lang", LANGS)
def test_interval_level_is_never_fixed(lang):
    assert "90%" in words.interval_note(0.9, lang) and "95%" not in words.interval_note(0.9, lang)
    how = " ".join(words.how_computed(0.9, lang, headline=True, ranks=True))
    assert "90%" in how and "95%" not in how
    assert words.level_text(0.995) == "99.5%"


@pytest.mark.parametrize("lang", LANGS)
def test_methods_are_named_in_how_this_was_computed(lang):
    how = " ".join(words.how_computed(0.95, lang, headline=True, ranks=True))
    assert any(name in how for name in METHOD_NAMES)
    assert len(words.how_computed(0.95, lang)) < len(words.how_computed(0.95, lang, headline=True, ranks=True))


def test_japanese_findings_have_no_english_words_but_names():
    text = " ".join(words.findings(numbers(), "ja") + [x.unit + x.label for x in words.tiles(numbers(), "ja")])
    text = re.sub(r"Retailer [A-Z]", "", text)
    assert not re.findall(r"[A-Za-z]{3,}", text), text


def test_rank_cells():
    assert words.rank_text(3.0, tied=False) == "3" and words.rank_text(3, tied=True) == "=3"
    assert words.rank_text(None, tied=False) == ""
    assert words.rank_range("1", "15") == "1–15" and words.rank_range(3, 3.0) == "3"
