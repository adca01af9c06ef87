"""W1's checks on the bundled study: the right answers pass, each usual mistake gets its own message."""

import pytest

from helpers import paths
from helpers.data.study import load_study
from helpers.stats.proportions import wilson_interval
from helpers.text.catalogue import t
from helpers.workshop import w1
from helpers.workshop.feedback import Checker


@pytest.fixture(scope="module")
def probes():
    return load_study(paths.DEFAULT_STUDY).probes


def test_the_response_rate_counts_every_question(probes):
    k, n = int(probes["answered"].sum()), len(probes)
    assert w1.response_rate(Checker(), k / n, probes).passed
    assert not w1.response_rate(Checker(), ..., probes).passed


@pytest.mark.parametrize("wrong, key", [
    (lambda k, n: 1.0, "w1_dropped_unanswered"),
    (lambda k, n: k, "w1_count_not_share"),
    (lambda k, n: 100 * k / n, "w1_percent"),
    (lambda k, n: k / (n - k), "w1_odds"),
])
def test_each_usual_mistake_in_the_rate_is_named(probes, wrong, key):
    k, n = int(probes["answered"].sum()), len(probes)
    got = wrong(k, n)
    verdict = w1.response_rate(Checker(), got, probes)
    assert not verdict.passed and verdict.message == str(t(key, got=float(got), expected=k / n, k=k, n=n))


def test_one_departments_rate_is_not_the_studys(probes):
    cs = probes.loc[probes["department"] == "customer_service", "answered"].mean()
    assert "one department" in w1.response_rate(Checker(), cs, probes).message


def test_the_wilson_interval_by_hand_matches_the_package_and_the_wald_interval_is_explained(probes):
    k, n = int(probes["answered"].sum()), len(probes)
    assert w1.wilson_by_hand(Checker(), wilson_interval(k, n), probes).passed
    assert "Wald" in w1.wilson_by_hand(Checker(), w1.wald_interval(k, n), probes).message
    assert "90%" in w1.wilson_by_hand(Checker(), wilson_interval(k, n, 0.10), probes).message


def test_two_of_two_is_a_range_not_a_hundred_percent():
    assert w1.two_of_two(Checker(), "about 34% to 100%").passed
    assert "two questions" in w1.two_of_two(Checker(), "exactly 100%").message
    low, _ = wilson_interval(2, 2)
    assert round(low, 2) == 0.34  # the option's words match the interval they name
