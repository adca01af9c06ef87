"""Within companies: only companies with both handles, a test its interval agrees with, p-values as R."""

import numpy as np
import pytest

from helpers import compare
from helpers.compare import within_company
from helpers.synthetic import samples
from tests.compare.studies import separated_probes, strong_effect_probes


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


def test_mantel_haenszel_p_value_far_below_machine_epsilon_matches_r():
    # R 4 on tests.compare.studies.separated_probes() written to CSV:
    # mantelhaen.test(table(department, factor(answered, levels = c(TRUE, FALSE)), company), correct = TRUE)
    # X-squared 282.62994791666665, p 2.0067548153994397e-63 (statsmodels' 1 - chi2.cdf: 0),
    # common odds ratio 16, 95% interval 11.051346093166444 to 23.164598940421978.
    row = compare.within_company_rates(separated_probes(), "customer_service", "main")[1]
    assert row["metric"] == "response_odds_ratio"
    assert row["p_value"] == pytest.approx(2.0067548153994397e-63, rel=1e-9)
    assert [row["estimate"], row["ci_low"], row["ci_high"]] == pytest.approx(
        [16.0, 11.051346093166444, 23.164598940421978], rel=1e-9)


def test_monte_carlo_sign_flip_p_value_counts_the_observed_pattern():
    # 40 companies (more than 16): 20000 random sign patterns, none as extreme as the observed
    # mean, so p = (1 + 0) / (1 + 20000), not 0.
    row = compare.within_company_rates(separated_probes(), "customer_service", "main")[0]
    assert row["p_value"] == 1 / 20001
    assert "Monte Carlo" in row["method"]
    signs = within_company._sign_patterns(20, np.random.default_rng(1))
    assert within_company._sign_flip_pvalue(np.full(20, 0.5), signs, exact=False) >= 1 / (1 + len(signs))


def test_exact_sign_flip_p_value_is_the_share_of_all_patterns():
    # Five positive differences: of the 32 patterns, all + and all - are as extreme: 2 / 32.
    signs = within_company._sign_patterns(5, np.random.default_rng(1))
    assert within_company._sign_flip_pvalue(np.full(5, 0.5), signs) == 2 / 32


def test_no_p_value_of_a_strongly_separated_study_is_zero():
    probes = separated_probes()
    out = compare.department_comparisons(probes, [30, 60], n_boot=0)
    tested = out.dropna(subset=["p_value"])
    assert len(tested) >= 5 and (tested["p_value"] > 0).all() and (tested["p_adjusted"] > 0).all()
