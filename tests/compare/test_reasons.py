"""Reason codes: a row without an estimate or a test says why in a code the report can render.

Each code of `compare.REASONS` is produced by a study built to have that problem; estimable rows
carry no code.
"""

import warnings

import numpy as np
import pandas as pd
import pytest

from helpers import compare
from helpers.synthetic import samples
from tests.compare.studies import strong_effect_probes


def study(seed=1, **design) -> pd.DataFrame:
    return samples.simulate_probes(np.random.default_rng(seed), **design)


def with_answers(probes: pd.DataFrame, answered: bool, department: str | None = None) -> pd.DataFrame:
    """Every probe (of `department`) answered, or none; unanswered ones censored where they were."""
    probes = probes.copy()
    probes.loc[probes["department"] == department if department else slice(None), "answered"] = answered
    return probes


def without_pairs(probes: pd.DataFrame) -> pd.DataFrame:
    """Companies with a customer-service handle lose their main one: no company has both."""
    service = set(probes.loc[probes["department"] == "customer_service", "company"])
    return probes[~(probes["company"].isin(service) & (probes["department"] == "main"))]


def late_against_closed() -> pd.DataFrame:
    """Group a answers only after every window of group b has closed."""
    return pd.DataFrame({"minutes": [100.0, 120.0, 10.0, 20.0], "answered": [True, True, False, False],
                         "department": ["a", "a", "b", "b"]})


# code: (rows built to have that problem, (comparison, metric) of the row that must carry it)
CASES = {
    "empty_group": (lambda: compare.company_comparisons(study(n_companies=1), n_perm=50),
                    ("company:Company 000-vs-rest", "response_rate_difference")),
    "few_clusters": (lambda: compare.department_comparisons(study(n_companies=4), thresholds=[60], n_boot=50),
                     ("department:customer_service-vs-main", "response_odds_ratio")),
    "model_failed": (lambda: compare.response_glm(study(n_companies=8).assign(constant=2.0),
                                                "answered ~ department + constant")[0],
                     ("model:response_glm", "response_odds_ratio")),
    "separation": (lambda: compare.response_glm(with_answers(study(n_companies=12), False, "customer_service"))[0],
                   ("department:customer_service-vs-main", "response_odds_ratio")),
    "no_answers": (lambda: compare.cox_model(with_answers(study(), False))[0], ("model:cox", "hazard_ratio")),
    "level_all_or_none": (lambda: compare.cox_model(with_answers(study(n_companies=12), False, "customer_service"))[0],
                          ("department:customer_service-vs-main", "hazard_ratio")),
    "one_group_or_no_answers": (lambda: [compare.log_rank(p := with_answers(study(), False), p["department"], "x")],
                                ("x", "log_rank_statistic")),
    "no_overlap": (lambda: [compare.log_rank(p := late_against_closed(), p["department"], "x")],
                   ("x", "log_rank_statistic")),
    "difference_undefined": (lambda: compare.km_difference_bootstrap(with_answers(study(), False), "customer_service",
                                                                     "main", [60], n_boot=50),
                             ("department:customer_service-vs-main", "median_minutes_difference")),
    "no_paired_companies": (lambda: compare.within_company_rates(without_pairs(study()), "customer_service", "main"),
                            ("within-company:customer_service-vs-main", "response_rate_difference")),
    "no_discordant": (lambda: compare.within_company_rates(with_answers(study(), True), "customer_service", "main"),
                      ("within-company:customer_service-vs-main", "response_odds_ratio")),
    "no_answers_or_peers": (lambda: compare.company_vs_rest(with_answers(study(), False), n_perm=50),
                            ("company:Company 000-vs-rest", "log_rank_statistic")),
}


def rows_of(code: str) -> pd.DataFrame:
    build, _ = CASES[code]
    with warnings.catch_warnings():  # statsmodels warns about exactly the problems built here
        warnings.simplefilter("ignore")
        return pd.DataFrame(build())


def test_every_reason_has_a_case():
    assert tuple(CASES) == compare.REASONS


@pytest.mark.parametrize("code", compare.REASONS)
def test_each_problem_gives_its_reason(code):
    rows = rows_of(code).set_index(["comparison", "metric"])
    key = CASES[code][1]
    assert rows.loc[key, "reason"] == code, rows.loc[key, "method"]
    assert np.isnan(rows.loc[key, "estimate"]) and np.isnan(rows.loc[key, "p_value"])


@pytest.mark.parametrize("code", compare.REASONS)
def test_rows_carry_a_reason_exactly_when_they_say_not_estimable(code):
    rows = rows_of(code)
    assert set(rows["reason"]) <= {"", *compare.REASONS}
    missing = rows["estimate"].isna()
    assert (missing == (rows["reason"] != "")).all()
    assert (rows["method"].str.startswith(("not estimable", "not testable")) == missing).all()


def test_few_clusters_counts_the_companies_the_model_had():
    rows = rows_of("few_clusters").set_index(["comparison", "metric"])
    for key in (("department:customer_service-vs-main", "hazard_ratio"),
                ("within-company:customer_service-vs-main", "hazard_ratio")):
        assert rows.loc[key, "reason"] == "few_clusters"
    n = study(n_companies=4)["company"].nunique()
    assert f"{n} company clusters, fewer than {compare.MIN_CLUSTERS}" in rows.loc[CASES["few_clusters"][1], "method"]


def test_one_company_has_no_peers_and_no_second_group():
    rows = rows_of("empty_group").set_index(["comparison", "metric"])
    assert rows.loc[("company:Company 000-vs-rest", "log_rank_statistic"), "reason"] == "no_answers_or_peers"
    assert rows.loc[("company:all", "log_rank_statistic"), "reason"] == "one_group_or_no_answers"


def test_shares_stay_estimable_when_no_median_is_reached():
    rows = rows_of("difference_undefined").set_index("metric")
    assert rows.loc["share_within_60min_difference", "estimate"] == 0  # nobody answered in either
    assert rows.loc["share_within_60min_difference", "reason"] == ""


def test_without_paired_companies_there_are_no_within_company_rows():
    table = compare.department_comparisons(without_pairs(study()), thresholds=[60], n_boot=50)
    assert not table["comparison"].str.startswith("within-company:").any()


def test_estimable_tables_carry_no_reason():
    probes = strong_effect_probes()
    tables = [compare.department_comparisons(probes, thresholds=[60], n_boot=100),
              compare.company_comparisons(probes, n_perm=100)]
    for table in tables:
        assert table["estimate"].notna().all()
        assert (table["reason"] == "").all()
