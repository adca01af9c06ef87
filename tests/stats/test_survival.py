"""Kaplan-Meier readings of censored response times: medians, shares within thresholds, curves."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from helpers.stats import proportions, survival
from helpers.stats.survival import KaplanMeier

minutes_lists = st.lists(st.integers(min_value=0, max_value=5000).map(float), min_size=1, max_size=60)


@given(minutes_lists)
def test_km_median_without_censoring_is_the_sample_median(times):
    km = KaplanMeier.from_probes(times, [True] * len(times))
    assert km.median() == pytest.approx(float(np.median(times)))


@given(minutes_lists, st.integers(min_value=0, max_value=6000))
def test_km_share_without_censoring_is_the_plain_share(times, t):
    km = KaplanMeier.from_probes(times, [True] * len(times))
    assert km.share_within(t) == pytest.approx(np.mean(np.array(times) <= t))


@given(minutes_lists, st.lists(st.booleans(), min_size=60, max_size=60))
def test_km_median_interval_contains_the_median(times, flags):
    answered = flags[: len(times)]
    assume(any(answered))
    km = KaplanMeier.from_probes(times, answered)
    median = km.median()
    assume(not math.isnan(median))
    low, high = km.quantile_ci(0.5)
    assume(not math.isnan(low))
    assert low <= median <= high


@given(minutes_lists, st.lists(st.booleans(), min_size=60, max_size=60), st.integers(0, 6000))
def test_censoring_never_counts_as_an_answer(times, flags, t):
    answered = flags[: len(times)]
    km = KaplanMeier.from_probes(times, answered)
    naive = np.mean([a and m <= t for a, m in zip(answered, times)])
    # An unanswered probe is never read as answered: KM is at least the plain share (which
    # counts every unanswered probe as not answered by t) and stays a share.
    assert naive - 1e-12 <= km.share_within(t) <= 1.0


def test_median_follows_r_survival_rule_at_a_flat_half():
    # Two answered probes: S = 0.5 on [10, 20), then 0 -> R reports the midpoint, 15.
    assert KaplanMeier.from_probes([10, 20], [True, True]).median() == 15
    # Curve sits at 0.5 to the end (the other probe is censored): R reports 10.
    assert KaplanMeier.from_probes([10, 20], [True, False]).median() == 10
    # statsmodels' own quantile uses a strict inequality and finds nothing here.
    assert math.isnan(KaplanMeier.from_probes([10, 20], [True, False]).fit.quantile(0.5))


def test_median_not_reached_when_fewer_than_half_answered():
    km = KaplanMeier.from_probes([10, 500, 500, 500], [True, False, False, False])
    assert math.isnan(km.median())
    low, high = km.quantile_ci(0.5)
    assert math.isinf(high) or math.isnan(high)


def test_nothing_answered_gives_empty_curve():
    km = KaplanMeier.from_probes([100.0, 200.0], [False, False])
    assert km.n == 2 and km.n_answered == 0
    assert math.isnan(km.median())
    assert km.share_within(10_000) == 0.0


def test_share_interval_uses_wilson_when_nothing_is_censored_early():
    times, answered = [5, 20, 40, 4000], [True, True, True, False]
    km = KaplanMeier.from_probes(times, answered)
    assert survival.share_within_ci(km, times, answered, 30) == pytest.approx(proportions.wilson_interval(2, 4))


@settings(max_examples=50)
@given(minutes_lists, st.lists(st.booleans(), min_size=60, max_size=60), st.integers(1, 6000))
def test_share_interval_brackets_the_km_share(times, flags, t):
    answered = flags[: len(times)]
    km = KaplanMeier.from_probes(times, answered)
    low, high = survival.share_within_ci(km, times, answered, t)
    share = km.share_within(t)
    assert 0.0 <= low <= share + 1e-9 and share - 1e-9 <= high <= 1.0


def test_response_times_overall_uses_r_median_with_censoring(tiny):
    times = survival.response_times(tiny.probes, tiny.thresholds_minutes)
    overall = times.query("level == 'overall'").iloc[0]
    answered = tiny.probes.loc[tiny.probes["answered"], "minutes"].sort_values().tolist()
    # Half of the probes answered, the rest censored later: S reaches exactly 0.5 at the last
    # reply and stays there, so the median is that reply time.
    assert len(answered) * 2 == len(tiny.probes)
    assert overall.median_minutes == answered[-1]
    for t in tiny.thresholds_minutes:
        expected = sum(m <= t for m in answered) / len(tiny.probes)
        assert overall[survival.within_column(t)] == pytest.approx(expected)


def test_km_curve_starts_at_zero_and_never_falls(tiny):
    curve = survival.km_curve(tiny.probes, by="department")
    for _, c in curve.groupby("group"):
        assert c["share_answered"].iloc[0] == 0
        assert (np.diff(c["share_answered"].to_numpy()) >= -1e-12).all()
    assert isinstance(curve, pd.DataFrame)
