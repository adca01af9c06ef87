"""Department comparisons: what each test finds, and the table they make together."""

import pandas as pd

from helpers import compare
from helpers.data.study import load_study
from tests.compare.studies import strong_effect_probes
from tests.conftest import TINY_STUDY


def test_department_comparisons_on_tiny_study():
    table = compare.department_rate_comparisons(load_study(TINY_STUDY).probes)
    assert list(table.columns) == list(compare.COLUMNS)
    assert table["comparison"].iloc[0] == "department:customer_service-vs-main"
    assert set(table["metric"]) == {"response_rate_difference"}


def test_a_strong_department_effect_is_found_by_every_test():
    table = compare.department_comparisons(strong_effect_probes(), thresholds=[60], n_boot=300)
    assert list(table.columns) == list(compare.COLUMNS)
    for comparison in ("department:customer_service-vs-main", "within-company:customer_service-vs-main"):
        rows = table[table["comparison"] == comparison].set_index("metric")
        assert rows.loc["response_odds_ratio", "ci_low"] > 1, comparison
        assert rows.loc["hazard_ratio", "ci_low"] > 1, comparison
        assert rows.loc["response_rate_difference", "ci_low"] > 0, comparison
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


def test_models_say_why_when_they_cannot_be_fitted():
    table = compare.department_comparisons(load_study(TINY_STUDY).probes, thresholds=[60], n_boot=100)
    glm = table[table["metric"] == "response_odds_ratio"]
    assert glm["estimate"].isna().all()
    assert glm["method"].str.startswith("not estimable").all()
    assert load_study(TINY_STUDY).probes["company"].nunique() < compare.MIN_CLUSTERS
    clustered = glm[glm["comparison"].str.startswith("department:")]
    assert len(clustered) and (clustered["reason"] == "few_clusters").all()
    assert not table["comparison"].str.startswith("model:").any()
