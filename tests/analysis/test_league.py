"""League table: empirical-Bayes ranks, median rank inside its interval, too few questions listed apart."""

import numpy as np
import pandas as pd
import pytest

from helpers.analysis import league
from helpers.data.study import load_study
from helpers.synthetic import samples


def test_prior_pools_small_studies_and_is_capped_at_the_median_company():
    a, b = league.fit_prior([2, 2, 1, 1, 0, 0], [2, 2, 2, 2, 2, 2])
    assert a + b <= 2.0 + 1e-9  # capped at the median number of questions
    assert a / (a + b) == pytest.approx(0.5, abs=0.05)
    a, b = league.fit_prior([1, 9], [10, 10])  # clearly different: little pooling
    assert a + b < 5


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
    assert ((a["response_rate_ci_low"] <= a["response_rate"]) & (a["response_rate"] <= a["response_rate_ci_high"])).all()
    answered = a["median_minutes"].notna()
    assert (a.loc[answered, "median_ci_low"] <= a.loc[answered, "median_minutes"]).all()
    assert (a.loc[answered, "median_minutes"] <= a.loc[answered, "median_ci_high"]).all()


def assert_ranks_inside_their_intervals(table: pd.DataFrame) -> None:
    ranked = table[table["ranked"]]
    inside = (ranked["rank_ci_low"] <= ranked["rank"]) & (ranked["rank"] <= ranked["rank_ci_high"])
    assert inside.all(), ranked.loc[~inside, ["company", "rank", "rank_ci_low", "rank_ci_high"]]
    assert table.loc[~table["ranked"], "rank"].isna().all()
    assert table["ranked"].tolist() == sorted(table["ranked"], reverse=True)  # ranked rows first
    assert ranked["rank"].is_monotonic_increasing


@pytest.mark.parametrize("study", ["uk-retail-2014-replica", "jp-retail-synthetic"])
def test_displayed_rank_lies_inside_its_interval_on_the_bundled_studies(study):
    from helpers import paths

    assert_ranks_inside_their_intervals(league.league_table(load_study(paths.STUDIES_DIR / study).probes)[0])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_displayed_rank_lies_inside_its_interval_with_1_to_200_questions(seed):
    rng = np.random.default_rng(seed)
    n = rng.integers(1, 201, 60)
    k = rng.binomial(n, rng.uniform(0.5, 1.0, 60))
    table, _ = league.league_table(probes_for({f"c{j}": (int(x), int(m)) for j, (x, m) in enumerate(zip(k, n))}))
    assert_ranks_inside_their_intervals(table)
    assert set(table.loc[~table["ranked"], "company"]) == {f"c{j}" for j in np.flatnonzero(n < 2)}


def test_displayed_rank_lies_inside_its_interval_on_the_real_twcs_head(twcs_head_study):
    assert_ranks_inside_their_intervals(league.league_table(twcs_head_study.probes)[0])


def test_a_lucky_small_sample_does_not_top_many_answers():
    # 2 of 2 answered against 171 of 173: the raw rate favours the small sample; the rank must not.
    table, _ = league.league_table(probes_for({"Small": (2, 2), "Big": (171, 173), "Mid": (30, 40),
                                                "Low": (10, 40)}))
    ranks = table.set_index("company")["rank"]
    assert ranks["Big"] <= ranks["Small"]


def test_companies_with_too_few_questions_are_listed_apart():
    table, boot = league.league_table(probes_for({"A": (1, 1), "B": (3, 4), "C": (1, 4)}), min_questions=2)
    assert table["company"].tolist() == ["B", "C", "A"]
    assert table["ranked"].tolist() == [True, True, False]
    assert boot["companies"] == ["B", "C"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_equal_counts_read_as_equal_ranks_and_ranges(seed):
    counts = {"A": (2, 2), "B": (2, 2), "C": (2, 2), "D": (1, 2), "E": (1, 2), "F": (2, 4), "G": (2, 4), "H": (0, 2)}
    table, _ = league.league_table(probes_for(counts), n_boot=500, seed=seed)
    for group in (["A", "B", "C"], ["D", "E"], ["F", "G"]):
        rows = table.set_index("company").loc[group, ["rank", "rank_ci_low", "rank_ci_high"]]
        assert len(rows.drop_duplicates()) == 1, rows
