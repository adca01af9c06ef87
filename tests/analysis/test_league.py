"""League table: ranking rule, Jeffreys intervals, bootstrap rank intervals."""

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from helpers.analysis import league
from helpers.synthetic import samples


def test_jeffreys_interval_matches_statsmodels_inside_and_is_exact_at_the_bounds():
    low, high = league.jeffreys_interval([0, 1, 3, 4], [4, 4, 4, 4])
    sm_low, sm_high = proportion_confint([1, 3], [4, 4], method="jeffreys")
    assert low[1:3] == pytest.approx(sm_low) and high[1:3] == pytest.approx(sm_high)
    assert low[0] == 0.0 and high[3] == 1.0


def test_ranks_by_rate_then_median_and_ties_share_a_rank():
    rate = np.array([1.0, 1.0, 0.5, 0.5, 0.0])
    median = np.array([30.0, 10.0, 5.0, 5.0, np.nan])
    assert league.point_ranks(rate, median).tolist() == [2, 1, 3, 3, 5]


def probes_for(rates: dict[str, tuple[int, int]], minutes: float = 20.0) -> pd.DataFrame:
    rows = []
    for company, (k, n) in rates.items():
        rows += [{"company": company, "answered": i < k, "minutes": minutes if i < k else 600.0} for i in range(n)]
    return pd.DataFrame(rows)


def test_clear_differences_give_narrow_rank_intervals():
    table, _ = league.league_table(probes_for({"A": (40, 40), "B": (20, 40), "C": (0, 40)}), n_boot=500)
    assert table["company"].tolist() == ["A", "B", "C"]
    assert (table["rank_ci_low"] == table["rank"]).all() and (table["rank_ci_high"] == table["rank"]).all()


def test_two_questions_each_cannot_separate_most_companies():
    table, boot = league.league_table(probes_for({c: (k, 2) for c, k in zip("ABCDEF", [2, 2, 1, 1, 0, 0])}),
                                      n_boot=1000)
    pairs = league.separable_pairs(table, boot)
    assert not pairs["told_apart"].any()
    assert (table["rank_ci_high"] - table["rank_ci_low"] >= 3).all()
    assert league.rank_summary(table, pairs)["pairs_told_apart"] == 0


def test_more_questions_tell_more_pairs_apart():
    rates = [0.9, 0.75, 0.6, 0.45, 0.3]
    told = []
    for n in (4, 40):
        probes = probes_for({c: (round(r * n), n) for c, r in zip("ABCDE", rates)})
        _t, boot = league.league_table(probes, n_boot=800)
        told.append(int(league.separable_pairs(_t, boot)["told_apart"].sum()))
    assert told[0] < told[1]


def test_league_table_columns_order_and_seed():
    probes = samples.simulate_probes(np.random.default_rng(3))
    a, _ = league.league_table(probes, n_boot=300, seed=7)
    b, _ = league.league_table(probes, n_boot=300, seed=7)
    pd.testing.assert_frame_equal(a, b)
    assert list(a.columns) == list(league.COLUMNS)
    assert a["rank"].is_monotonic_increasing
    assert ((a["answer_rate_ci_low"] <= a["answer_rate"]) & (a["answer_rate"] <= a["answer_rate_ci_high"])).all()
    answered = a["median_minutes"].notna()
    assert (a.loc[answered, "median_ci_low"] <= a.loc[answered, "median_minutes"]).all()
    assert (a.loc[answered, "median_minutes"] <= a.loc[answered, "median_ci_high"]).all()
