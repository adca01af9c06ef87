"""Comparisons: multiple testing, agreement with statsmodels, and what each test finds."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.duration.hazard_regression import PHReg
from statsmodels.duration.survfunc import survdiff
from statsmodels.stats.multitest import multipletests

from helpers import compare
from helpers.data.study import load_study
from helpers.synthetic import samples

from tests.conftest import TINY_STUDY


def test_nan_pvalue_does_not_poison_the_family():
    adjusted = compare.adjust_pvalues([0.01, np.nan, 0.04, 0.2])
    assert math.isnan(adjusted[1])
    expected = multipletests([0.01, 0.04, 0.2], method="holm")[1]
    assert adjusted[[0, 2, 3]] == pytest.approx(expected)


def test_adjusted_pvalues_are_never_smaller():
    p = np.linspace(0.001, 0.5, 12)
    for method in ("holm", "fdr_bh"):
        assert (compare.adjust_pvalues(p, method) >= p - 1e-15).all()


def test_rate_difference_interval_contains_estimate():
    r = compare.rate_difference(13, 16, 22, 40)
    assert r["estimate"] == pytest.approx(13 / 16 - 22 / 40)
    assert -1 <= r["ci_low"] <= r["estimate"] <= r["ci_high"] <= 1
    assert 0 <= r["p_value"] <= 1


def test_department_comparisons_on_tiny_study():
    table = compare.department_rate_comparisons(load_study(TINY_STUDY).probes)
    assert list(table.columns) == list(compare.COLUMNS)
    assert table["comparison"].iloc[0] == "department:customer_service-vs-main"
    assert set(table["metric"]) == {"answer_rate_difference"}


# --------------------------------------------------------------------------------------------
# Agreement with statsmodels where both compute the same thing



@given(st.lists(st.floats(0, 1), min_size=1, max_size=25), st.sampled_from(["holm", "fdr_bh"]))
def test_adjustment_matches_statsmodels(p, method):
    assert compare.adjust_pvalues(p, method) == pytest.approx(multipletests(p, method=method)[1])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 30), st.booleans(), st.booleans()), min_size=3, max_size=30))
def test_vectorised_log_rank_matches_statsmodels(rows):
    minutes = np.array([r[0] for r in rows], float)
    answered = np.array([r[1] for r in rows])
    group = np.array([r[2] for r in rows])
    if answered.sum() == 0 or group.all() or not group.any():
        return
    try:
        expected = survdiff(minutes, answered.astype(int), group.astype(int))[0]
    except np.linalg.LinAlgError:  # statsmodels cannot compute it; nothing to compare
        return
    assert compare.log_rank_two_groups(minutes, answered, group)[0] == pytest.approx(expected, rel=1e-9, abs=1e-9)


def test_cox_cluster_covariance_matches_statsmodels_without_strata():
    probes = samples.simulate_probes(np.random.default_rng(11))
    probes = probes.assign(cs=(probes["department"] == "customer_service").astype(float))
    model = PHReg(probes["minutes"], probes[["cs"]], status=probes["answered"].astype(int), ties="efron")
    fit = model.fit(groups=probes["company"].to_numpy())
    g = probes["company"].nunique()
    ours = compare.cox_cluster_cov(model, fit.params, probes["company"])
    assert ours == pytest.approx(fit.cov_params() * g / (g - 1))


def test_stratified_clustered_cox_has_finite_errors_when_a_company_never_answers():
    probes = samples.simulate_probes(np.random.default_rng(12), n_companies=12, share_with_service=1.0)
    silent = probes["company"] == probes["company"].iloc[0]
    probes.loc[silent, "answered"] = False  # statsmodels gives NaN standard errors here
    rows, fit, _ = compare.cox_model(probes, "minutes ~ department", strata="company")
    assert np.isfinite([rows[0]["ci_low"], rows[0]["ci_high"], rows[0]["p_value"]]).all()
    assert rows[0]["ci_low"] < rows[0]["estimate"] < rows[0]["ci_high"]


# --------------------------------------------------------------------------------------------
# The department and company comparisons


def strong_effect_probes(seed=5):
    return samples.simulate_probes(np.random.default_rng(seed), n_companies=40, share_with_service=0.5,
                                      probes_per_account=6, answer_rate=0.4, service_odds_ratio=6.0,
                                      service_hazard_ratio=4.0, company_sd=0.5)


def test_a_strong_department_effect_is_found_by_every_test():
    table = compare.department_comparisons(strong_effect_probes(), thresholds=[60], n_boot=300)
    assert list(table.columns) == list(compare.COLUMNS)
    for comparison in ("department:customer_service-vs-main", "within-company:customer_service-vs-main"):
        rows = table[table["comparison"] == comparison].set_index("metric")
        assert rows.loc["answer_odds_ratio", "ci_low"] > 1, comparison
        assert rows.loc["hazard_ratio", "ci_low"] > 1, comparison
        assert rows.loc["answer_rate_difference", "ci_low"] > 0, comparison
        assert rows.loc["log_rank_statistic", "p_value"] < 0.01, comparison
    boot = table[table["comparison"] == "department:customer_service-vs-main"].set_index("metric")
    assert boot.loc["median_minutes_difference", "ci_high"] < 0  # customer service answers sooner
    assert boot.loc["share_within_60min_difference", "ci_low"] > 0


def test_intervals_contain_estimates_and_adjusted_p_values_are_never_smaller():
    table = compare.department_comparisons(strong_effect_probes(6), thresholds=[30, 1440], n_boot=200)
    table = pd.concat([table, compare.company_comparisons(strong_effect_probes(6), n_perm=200)])
    est = table.dropna(subset=["ci_low"])
    assert ((est["ci_low"] <= est["estimate"] + 1e-9) & (est["estimate"] <= est["ci_high"] + 1e-9)).all()
    tested = table.dropna(subset=["p_value"])
    assert (tested["p_adjusted"] >= tested["p_value"] - 1e-12).all()
    assert tested["p_value"].between(0, 1).all()


def test_within_company_uses_only_companies_with_both_handles():
    probes = strong_effect_probes()
    paired = compare.paired_companies(probes, "customer_service", "main")
    assert (paired.groupby("company")["department"].nunique() == 2).all()
    assert set(paired["company"]) == set(probes.loc[probes["department"] == "customer_service", "company"])


def test_sign_flip_interval_and_test_agree():
    # The interval inverts the test: it excludes 0 exactly when the test rejects.
    rng = np.random.default_rng(8)
    for _ in range(20):
        probes = samples.simulate_probes(rng, n_companies=24, share_with_service=0.5,
                                            service_odds_ratio=float(rng.choice([1.0, 8.0])))
        row = compare.within_company_rates(probes, "customer_service", "main")[0]
        excludes_zero = row["ci_low"] > 0 or row["ci_high"] < 0
        assert excludes_zero == (row["p_value"] <= 0.05), row


def test_each_company_against_the_rest_is_one_family():
    probes = strong_effect_probes()
    table = compare.company_comparisons(probes, n_perm=200)
    vs_rest = table[table["comparison"].str.endswith("-vs-rest") & (table["metric"] == "answer_rate_difference")]
    assert len(vs_rest) == probes["company"].nunique()
    assert vs_rest["p_adjusted"].to_numpy() == pytest.approx(
        multipletests(vs_rest["p_value"], method="holm")[1])
    omnibus = table[table["comparison"] == "company:all"]
    assert (omnibus["p_adjusted"] == omnibus["p_value"]).all()  # single tests are not adjusted with others


def test_models_say_why_when_they_cannot_be_fitted():
    table = compare.department_comparisons(load_study(TINY_STUDY).probes, thresholds=[60], n_boot=100)
    glm = table[table["metric"] == "answer_odds_ratio"]
    assert glm["estimate"].isna().all()
    assert glm["method"].str.startswith("not estimable").all()
    assert not table["comparison"].str.startswith("model:").any()
