"""Self-check verdicts: a placeholder or a wrong type is "not yet", never an error; a diagnosed mistake gets its message."""

import math

import numpy as np
import pytest

from helpers.text.catalogue import LANGS, t
from helpers.workshop.feedback import METADATA_KEY, NOT_YET, PASSED, Checker


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("got", [..., None, "0.5", [0.5, 0.6], float("nan"), True])
def test_a_number_check_never_raises_and_is_not_yet_for_anything_but_a_number(lang, got):
    verdict = Checker(lang).number("x", got, 0.5)
    assert verdict.status == NOT_YET and verdict.message


def test_the_placeholder_asks_to_replace_it():
    assert Checker().number("x", ..., 0.5).message == t("ws_fill_in")


def test_numpy_scalars_count_as_numbers():
    assert Checker().number("x", np.float64(0.625), 0.625).passed
    assert Checker().number("x", np.int64(35), 35).passed


def test_a_diagnosed_mistake_gets_its_own_message_before_the_generic_hint():
    check = Checker()
    verdict = check.number("x", 1.0, 0.625, mistakes=[(1.0, "ws_write_text")], hint="ws_try_again")
    assert not verdict.passed and verdict.message == t("ws_write_text")
    other = check.number("x", 0.7, 0.625, mistakes=[(1.0, "ws_write_text")], hint="ws_try_again")
    assert other.message == t("ws_try_again")
    by_test = check.number("x", 62.5, 0.625, mistakes=[(lambda v: v > 1, "ws_write_text")])
    assert by_test.message == t("ws_write_text")


def test_intervals_need_two_numbers_in_order():
    check = Checker()
    assert check.interval("i", (0.2, 0.9), (0.2, 0.9)).passed
    assert check.interval("i", 0.2, (0.2, 0.9)).message == t("ws_not_a_pair")
    assert check.interval("i", (0.9, 0.2), (0.2, 0.9)).message == t("ws_pair_order", low=0.9, high=0.2)
    assert check.interval("i", (0.1, 0.9), (0.2, 0.9), mistakes=[((0.1, 0.9), "ws_write_text")]).message == t("ws_write_text")


def test_a_choice_outside_the_options_is_named():
    check = Checker()
    verdict = check.choice("c", "maybe", "yes", options=["yes", "no"])
    assert not verdict.passed and "`yes`" in verdict.message
    assert check.choice("c", " YES ", "yes", options=["yes", "no"]).passed


def test_a_conclusion_reveals_the_package_sentence_only_once_written():
    check = Checker()
    sentence = t("ws_right")
    assert not check.written("w", ..., reveal=sentence).passed
    short = check.written("w", "CS wins", reveal=sentence)
    assert not short.passed and str(sentence) not in short.message
    long = check.written("w", "The customer service handle replied to more questions, but the range is wide.",
                         reveal=sentence)
    assert long.passed and str(sentence) in long.message


def test_the_learners_text_is_shown_as_text_not_markup():
    verdict = Checker().written("w", "<script>alert(1)</script> and **bold** words here to make it long enough")
    assert "<script>" not in verdict.message and "&lt;script&gt;" in verdict.message


def test_a_verdict_carries_its_status_in_the_output_metadata():
    data, metadata = Checker("ja").number("w1-rate", 0.5, 0.5)._repr_mimebundle_()
    assert metadata[METADATA_KEY] == {"id": "w1-rate", "status": PASSED}
    assert data["text/markdown"].startswith(str(t("ws_right", "ja")))


def test_the_summary_counts_each_checks_last_verdict():
    check = Checker()
    check.number("a", 0.1, 0.5)
    check.number("a", 0.5, 0.5)
    check.number("b", ..., 0.5)
    summary = check.summary()
    assert not summary.passed and summary.message == t("ws_summary", passed=1, total=2)
    assert math.isclose(sum(v.passed for v in check.verdicts.values()), 1)
