"""Kaplan-Meier readings of censored response times: medians, shares within thresholds, curves."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from helpers.data.study import load_study
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


NA = math.nan
# Figures computed once with R 4 / survival 3.5.3, never with the suite's own rule. Each case
# is (minutes, answered, {p: R's quantile}, (R's log-log median interval)), its comment the R
# call that gave them: `f <- survfit(Surv(t, e) ~ 1, conf.type = "log-log"); quantile(f)`
# (probs c(.25, .5, .75)). R's NA upper limit is the suite's inf (not bounded) except where S
# drops to 0, where the suite keeps statsmodels' bound, the last reply (see `R_UPPER_DIFFERS`).
R_CASES = {
    # t <- c(10, 20, 4320, 4320); e <- c(1, 1, 0, 0)  ->  quantile 15, 2170, NA; median CI 10, NA
    "flat 0.5 to the end": ([10, 20, 4320, 4320], [1, 1, 0, 0], {0.25: 15, 0.5: 2170, 0.75: NA}, (10, NA)),
    # t <- c(10, 20); e <- c(1, 0)  ->  quantile 10, 15, NA; median CI 10, NA
    "flat 0.5 to a censored end": ([10, 20], [1, 0], {0.25: 10, 0.5: 15, 0.75: NA}, (10, NA)),
    # t <- c(10, 20, 30, 40); e <- c(1, 1, 0, 1)  ->  quantile 15, 30, 40; median CI 10, NA
    "flat 0.5 then a reply": ([10, 20, 30, 40], [1, 1, 0, 1], {0.25: 15, 0.5: 30, 0.75: 40}, (10, NA)),
    # t <- c(10, 20); e <- c(1, 1)  ->  quantile 10, 15, 20; median CI 10, NA
    "two replies": ([10, 20], [1, 1], {0.25: 10, 0.5: 15, 0.75: 20}, (10, NA)),
    # t <- 1:6; e <- rep(1, 6)  ->  quantile 2, 3.5, 5; median CI 1, NA
    "every probe answered": ([1, 2, 3, 4, 5, 6], [1] * 6, {0.25: 2, 0.5: 3.5, 0.75: 5}, (1, NA)),
    # t <- c(5, 5, 10, 20); e <- rep(1, 4)  ->  quantile 5, 7.5, 15; median CI 5, NA
    "every probe answered, tied": ([5, 5, 10, 20], [1] * 4, {0.25: 5, 0.5: 7.5, 0.75: 15}, (5, NA)),
    # t <- c(100, 200); e <- c(0, 0)  ->  quantile NA, NA, NA; median CI NA, NA
    "no probe answered": ([100, 200], [0, 0], {0.25: NA, 0.5: NA, 0.75: NA}, (NA, NA)),
    # t <- c(5, 10, 10, 10, 20, 30); e <- c(1, 1, 1, 0, 1, 0)  ->  quantile 10, 15, 25; median CI 5, NA
    "ties reaching the threshold, a censored tie": (
        [5, 10, 10, 10, 20, 30], [1, 1, 1, 0, 1, 0], {0.25: 10, 0.5: 15, 0.75: 25}, (5, NA)),
    # t <- c(10, 10, 30, 30); e <- c(1, 1, 0, 0)  ->  quantile 10, 20, NA; median CI 10, NA
    "tied replies to 0.5, censored ties at the end": (
        [10, 10, 30, 30], [1, 1, 0, 0], {0.25: 10, 0.5: 20, 0.75: NA}, (10, NA)),
    # t <- c(10, 10, 10, 30, 30, 30); e <- c(1, 1, 1, 1, 0, 0)  ->  quantile 10, 20, NA; median CI 10, NA
    "reply and censorings tied at the end": (
        [10, 10, 10, 30, 30, 30], [1, 1, 1, 1, 0, 0], {0.25: 10, 0.5: 20, 0.75: NA}, (10, NA)),
    # t <- c(20, 120, 10, 4320); e <- c(1, 1, 1, 0)  ->  quantile 15, 70, 2220; median CI 10, NA
    "flat 0.75 to the end": ([20, 120, 10, 4320], [1, 1, 1, 0], {0.25: 15, 0.5: 70, 0.75: 2220}, (10, NA)),
    # t <- c(7, 25, 26, 32, 62, 65, 83, 171, 179, 182, 187, rep(200, 8), rep(202, 19));
    # e <- c(rep(1, 19), rep(0, 19))  ->  quantile 182, 201, NA. S is 0.5 only to within rounding
    # (R: 0.50000000000000022); R's tolerance reads it as 0.5. (quantile(f, 0.5) alone says NA:
    # R skips the tolerance when every requested p is above 1 - S; the suite does not.)
    "0.5 to within rounding": (
        [7, 25, 26, 32, 62, 65, 83, 171, 179, 182, 187] + [200] * 8 + [202] * 19, [1] * 19 + [0] * 19,
        {0.25: 182, 0.5: 201, 0.75: NA}, None),
}
# Where S drops to 0, R's log-log band is undefined and its upper limit NA; statsmodels (and
# SAS LIFETEST, whose method it follows) bound the median by the last reply, as the suite does.
R_UPPER_DIFFERS = {"flat 0.5 then a reply": 40, "two replies": 20, "every probe answered": 6,
                   "every probe answered, tied": 20}


def same(value, expected):
    return math.isnan(value) if math.isnan(expected) else value == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("case", list(R_CASES))
def test_quantiles_match_r_quantile_survfit(case):
    minutes, answered, expected, _ = R_CASES[case]
    answered = np.array(answered, dtype=bool)
    km = KaplanMeier.from_probes(minutes, answered)
    steps = survival.km_steps(minutes, answered)
    for p, value in expected.items():
        assert same(km.quantile(p), value), (case, p)
        assert same(survival.km_quantile(*steps, p, end=max(minutes)), value), (case, p)
    assert same(km.median(), expected[0.5]) and same(survival.km_median(minutes, answered), expected[0.5])


@pytest.mark.parametrize("case", [c for c in R_CASES if R_CASES[c][3] is not None])
def test_median_interval_matches_r_log_log_where_documented(case):
    minutes, answered, _, (r_low, r_high) = R_CASES[case]
    low, high = KaplanMeier.from_probes(minutes, np.array(answered, dtype=bool)).quantile_ci(0.5)
    assert same(low, r_low)
    assert math.isnan(r_high)
    if math.isnan(r_low):
        assert math.isnan(high)
    elif case in R_UPPER_DIFFERS:
        assert high == R_UPPER_DIFFERS[case] == max(m for m, a in zip(minutes, answered) if a)
    else:
        assert math.isinf(high)


def test_end_none_keeps_the_start_of_a_flat_segment_to_the_end():
    # For callers not yet passing `end`: the old reading (the last reply), not R's.
    steps = survival.km_steps([10, 20], [True, False])
    assert survival.km_quantile(*steps, 0.5) == 10
    assert survival.km_quantile(*steps, 0.5, end=20) == 15
    assert survival.km_quantile(*steps, 0.0, end=20) == 0  # R: quantile 0 is the start, 0


def test_median_from_fractional_seconds_and_mixed_utc_offsets_matches_r(tmp_path):
    (tmp_path / "study.yml").write_text(
        'title: "Fractional seconds, mixed UTC offsets (synthetic)"\n'
        'description: "SYNTHETIC: six probes for the R check of the KM median."\n'
        "synthetic: true\nsource: \"Invented for the Social Care Benchmark tests.\"\n"
        "thresholds_minutes: [30, 60, 1440]\n", encoding="utf-8")
    (tmp_path / "accounts.csv").write_text(
        "company,account,department,stated_hours,timezone\nCompany Q,company_q,main,,\n", encoding="utf-8")
    header = ("probe_id,company,account,question_type,tone,sent_at,observed_until,first_reply_at,"
              "first_reply_text,follow_up_sent_at,follow_up_reply_at,resolved_publicly\n")
    rows = [
        ("Q1", "2020-03-02T10:00:00.500+00:00", "2020-03-05T10:00:00.500+00:00", "2020-03-02T19:07:30.250+09:00"),
        ("Q2", "2020-03-02T05:00:00-05:00", "2020-03-05T10:00:00Z", "2020-03-02T10:42:15.125Z"),
        ("Q3", "2020-03-02T10:00:00Z", "2020-03-05T10:00:00Z", "2020-03-02T16:03:20.375+05:30"),
        ("Q4", "2020-03-02T10:00:00+00:00", "2020-03-05T15:30:00.750+05:30", ""),
        ("Q5", "2020-03-02T19:00:00+09:00", "2020-03-05T10:00:00.000Z", ""),
        ("Q6", "2020-03-02T11:00:00+01:00", "2020-03-05T05:00:00.250-05:00", ""),
    ]
    (tmp_path / "probes.csv").write_text(header + "".join(
        f"{pid},Company Q,company_q,returns,neutral,{sent},{until},{reply},,,,\n" for pid, sent, until, reply in rows),
        encoding="utf-8")
    probes = load_study(tmp_path).probes
    minutes, answered = probes["minutes"].to_numpy(), probes["answered"].to_numpy()
    assert answered.tolist() == [True, True, True, False, False, False]
    assert minutes == pytest.approx([7.495833333333334, 42.25208333333333, 33.33958333333333,
                                     4320.0125, 4320.0, 4320.004166666667], rel=1e-15)
    # t <- c(7.495833333333334, 42.25208333333333, 33.33958333333333, 4320.0125, 4320.0,
    #        4320.004166666667); e <- c(1, 1, 1, 0, 0, 0)
    # quantile(survfit(Surv(t, e) ~ 1, conf.type = "log-log"))  ->  quantile 33.33958333333333,
    # 2181.1322916666668, NA; median CI 7.4958333333333336, NA
    km = KaplanMeier.from_probes(minutes, answered)
    assert km.quantile(0.25) == pytest.approx(33.33958333333333, rel=1e-12)
    assert km.median() == pytest.approx(2181.1322916666668, rel=1e-12)
    assert survival.km_median(minutes, answered) == pytest.approx(2181.1322916666668, rel=1e-12)
    assert math.isnan(km.quantile(0.75))
    low, high = km.quantile_ci(0.5)
    assert low == pytest.approx(7.4958333333333336, rel=1e-12) and math.isinf(high)


def test_median_not_reached_when_fewer_than_half_answered():
    km = KaplanMeier.from_probes([10, 500, 500, 500], [True, False, False, False])
    assert math.isnan(km.median())
    low, high = km.quantile_ci(0.5)
    assert math.isinf(high) or math.isnan(high)


def test_nothing_answered_gives_empty_curve():
    km = KaplanMeier.from_probes([100.0, 200.0], [False, False])
    assert km.n == 2 and km.n_responded == 0
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
    # Half of the probes answered, the rest censored at the end of the window: S reaches
    # exactly 0.5 at the last reply (120) and stays there to 4320. R, on the tiny study's minutes:
    # quantile(survfit(Surv(c(20, 120, 10, 4320, 45, 4320, 4320, 4320), c(1, 1, 1, 0, 1, 0, 0, 0)) ~ 1))
    # ->  32.5, 2220, NA: the midpoint of that last flat segment.
    assert len(answered) * 2 == len(tiny.probes)
    assert overall.median_minutes == 2220
    for t in tiny.thresholds_minutes:
        expected = sum(m <= t for m in answered) / len(tiny.probes)
        assert overall[survival.within_column(t)] == pytest.approx(expected)


def test_km_curve_starts_at_zero_and_never_falls(tiny):
    curve = survival.km_curve(tiny.probes, by="department")
    for _, c in curve.groupby("group"):
        assert c["share_answered"].iloc[0] == 0
        assert (np.diff(c["share_answered"].to_numpy()) >= -1e-12).all()
    assert isinstance(curve, pd.DataFrame)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.tuples(st.integers(1, 6), st.booleans()), min_size=1, max_size=12), min_size=1,
                max_size=6).filter(lambda rows: len({len(r) for r in rows}) == 1))
def test_km_medians_of_many_samples_equal_one_km_median_each(rows):
    """The bootstrap's vectorised medians follow the same rule as `km_quantile`, ties and flat runs at 50% included."""
    from helpers.stats.survival import km_medians, km_quantile, km_steps

    minutes = np.array([[float(m) for m, _ in r] for r in rows])
    answered = np.array([[a for _, a in r] for r in rows])
    expected = [km_quantile(*km_steps(m, a), 0.5, end=float(m.max())) for m, a in zip(minutes, answered, strict=True)]
    np.testing.assert_allclose(km_medians(minutes, answered), expected, equal_nan=True)
