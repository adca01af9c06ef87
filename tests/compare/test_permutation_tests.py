"""The vectorised permutation tests of notebook 05 against their definitions, and their error rates."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.analysis import league
from helpers.compare import companies


def random_probes(rng, n_companies: int, per_company, answer_rate=0.6) -> pd.DataFrame:
    sizes = rng.integers(*per_company, n_companies) if isinstance(per_company, tuple) else np.full(n_companies, per_company)
    company = np.repeat([f"c{i:04d}" for i in range(n_companies)], sizes)
    answered = rng.random(len(company)) < answer_rate
    minutes = np.where(answered, np.round(rng.exponential(90, len(company))), 2880.0)
    return pd.DataFrame({"company": company, "answered": answered, "minutes": minutes})


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 60))
def test_a_groups_log_rank_scores_sum_to_its_observed_minus_expected(seed, n):
    """Sum of scores in a group = O - E of the log-rank test, computed event time by event time."""
    rng = np.random.default_rng(seed)
    minutes = np.round(rng.exponential(30, n))
    answered = rng.random(n) < 0.7
    group = rng.random(n) < 0.4
    scores = companies.logrank_scores(minutes, answered)
    expected = sum((minutes[answered] == t).sum() * (group & (minutes >= t)).sum() / (minutes >= t).sum()
                   for t in np.unique(minutes[answered]))
    assert scores[group].sum() == pytest.approx((answered & group).sum() - expected, abs=1e-9)
    assert scores.sum() == pytest.approx(0.0, abs=1e-9)


def test_subsets_drawn_without_replacement_are_distinct_and_equally_likely():
    rng = np.random.default_rng(7)
    draws = companies.sample_without_replacement(rng, 6, 3, 40_000)
    assert (np.diff(draws, axis=1) > 0).all()  # no element twice in a subset
    _, counts = np.unique(draws, axis=0, return_counts=True)
    assert len(counts) == 20  # every one of the C(6, 3) subsets appears...
    expected = 40_000 / 20
    assert np.abs(counts - expected).max() < 5 * np.sqrt(expected)  # ... about equally often


def test_the_hypergeometric_shortcut_gives_the_p_value_of_shuffling_every_probe():
    """Drawing answered counts per company equals shuffling the flags: same p-value up to noise."""
    rng = np.random.default_rng(3)
    probes = random_probes(rng, 12, (2, 6))
    probes.loc[probes["company"] == "c0000", "answered"] = True  # some real difference
    row = companies.company_rate_heterogeneity(probes, n_perm=20_000, seed=1)
    codes = pd.factorize(probes["company"], sort=True)[0]
    y, n_c = probes["answered"].to_numpy(float), np.bincount(codes)

    def chisq(yy):
        k, e = np.bincount(codes, weights=yy), n_c * yy.mean()
        return ((k - e) ** 2 / e).sum() + ((k - e) ** 2 / (n_c - e)).sum()

    shuffled = np.array([chisq(rng.permutation(y)) for _ in range(20_000)])
    assert row["estimate"] == pytest.approx(chisq(y))
    assert row["p_value"] == pytest.approx(np.mean(shuffled >= chisq(y) - 1e-9), abs=0.015)


def test_the_k_sample_statistic_is_the_quadratic_form_of_the_score_sums():
    rng = np.random.default_rng(5)
    probes = random_probes(rng, 6, (3, 9))
    row = companies.company_log_rank_all(probes, n_perm=500)
    scores = companies.logrank_scores(probes["minutes"], probes["answered"])
    codes = pd.factorize(probes["company"], sort=True)[0]
    onehot = np.eye(codes.max() + 1)[codes]
    u, n, total = onehot.T @ scores, onehot.sum(axis=0), len(scores)
    # Permutation covariance of the sums: sigma^2 N/(N-1) (diag(n) - n n'/N), sigma^2 = mean(a^2).
    cov = np.mean(scores**2) * total / (total - 1) * (np.diag(n) - np.outer(n, n) / total)
    assert row["estimate"] == pytest.approx(u @ np.linalg.pinv(cov) @ u, rel=1e-9)


@pytest.mark.parametrize("per_company", [3, 2_000])  # permutation p-values, then chi-square ones
def test_company_vs_rest_keeps_its_false_positive_rate_when_no_company_differs(per_company):
    """Under no difference, about alpha of the companies are flagged (before any correction)."""
    rng = np.random.default_rng(11)
    flagged = []
    for sim in range(30 if per_company < 100 else 40):
        probes = random_probes(rng, 40 if per_company < 100 else 10, per_company)
        rows = pd.DataFrame(companies.company_vs_rest(probes, n_perm=400, seed=sim))
        p = rows.loc[rows["metric"] == "log_rank_statistic", "p_value"].to_numpy()
        flagged.extend(p <= 0.05)
    assert np.mean(flagged) == pytest.approx(0.05, abs=0.03)


def test_company_vs_rest_finds_a_company_that_never_answers_late():
    rng = np.random.default_rng(2)
    probes = random_probes(rng, 30, 4)
    fast = probes["company"] == "c0000"
    probes.loc[fast, ["answered", "minutes"]] = [True, 1.0]
    rows = pd.DataFrame(companies.company_vs_rest(probes, n_perm=2000))
    row = rows[(rows["comparison"] == "company:c0000-vs-rest") & (rows["metric"] == "log_rank_statistic")].iloc[0]
    assert row["p_value"] < 0.01 and "permutation" in row["method"]


def test_separable_pairs_agree_with_comparing_every_pair_one_by_one():
    rng = np.random.default_rng(4)
    probes = random_probes(rng, 25, (2, 12))
    table, boot = league.league_table(probes, n_boot=300, seed=1)
    pairs = league.separable_pairs(table, boot).set_index(["company_a", "company_b"])
    bounds = table.set_index("company")
    ranks, names = boot["ranks"], boot["companies"]
    assert len(pairs) == len(names) * (len(names) - 1) // 2
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            a, b = bounds.loc[names[i]], bounds.loc[names[j]]
            apart = a["rank_ci_high"] < b["rank_ci_low"] or b["rank_ci_high"] < a["rank_ci_low"]
            row = pairs.loc[(names[i], names[j])]
            assert row["share_a_ahead"] == pytest.approx(np.mean(ranks[:, i] < ranks[:, j]))
            assert row["told_apart"] == apart
