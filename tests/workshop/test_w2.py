"""W2's checks: the right answers pass, each usual mistake with censoring gets its own message."""

import numpy as np
import pytest

from helpers import paths
from helpers.data.study import load_study
from helpers.stats import survival
from helpers.workshop import w2
from helpers.workshop.feedback import Checker


@pytest.fixture(scope="module")
def probes():
    return load_study(paths.DEFAULT_STUDY).probes


def test_the_naive_median_is_over_answered_questions_and_says_what_it_leaves_out(probes):
    naive = probes.loc[probes["answered"], "minutes"].median()
    verdict = w2.naive_median(Checker(), naive, probes)
    assert verdict.passed and str(int((~probes["answered"]).sum())) in verdict.message
    assert "mixes" in w2.naive_median(Checker(), probes["minutes"].median(), probes).message


def test_the_toy_steps_by_hand_match_statsmodels_and_the_package():
    toy = w2.toy()
    table = w2.steps_table(toy)
    assert np.allclose(table.iloc[:, 1], table.iloc[:, 2])
    assert w2.survival_by_hand(Checker(), 7 / 8 * 6 / 7 * 4 / 5 * 3 / 4).passed


@pytest.mark.parametrize("wrong, words", [
    (1 / 5, "left the censored questions out"),   # S over the 5 answered questions only
    (1 - 4 / 8, "at risk for ever"),              # censored never leave the risk set
    (1 - 0.45, "share answered"),                 # 1 - S
])
def test_each_censoring_mistake_is_named(wrong, words):
    verdict = w2.survival_by_hand(Checker(), wrong)
    assert not verdict.passed and words in verdict.message


def test_the_share_within_30_minutes_counts_every_question(probes):
    k = int((probes["answered"] & (probes["minutes"] <= 30)).sum())
    assert w2.share_within(Checker(), k / len(probes), probes).passed
    only = w2.share_within(Checker(), k / int(probes["answered"].sum()), probes)
    assert "denominator" in only.message
    # No probe is censored before 30 minutes here, so the count is the KM share.
    km = survival.KaplanMeier.from_probes(probes["minutes"], probes["answered"])
    assert km.share_within(30) == pytest.approx(k / len(probes))


def test_a_median_is_not_reached_when_nobody_answered():
    assert np.isnan(survival.km_median([10_000.0] * 4, [False] * 4))
    assert w2.median_not_reached(Checker(), "not reached").passed
    assert not w2.median_not_reached(Checker(), "0 minutes").passed
