"""Statistical validation: simulate studies from known parameters and check that intervals
cover the truth about as often as they claim, and that tests under no difference reject at
about their level. A few hundred simulations each, fixed seeds; `make validate` runs thousands
(see helpers.analysis.calibration for the simulated designs)."""

import numpy as np
import pandas as pd
import pytest

from helpers import compare
from helpers.analysis import calibration

N_SIM = 400


@pytest.mark.parametrize("n, p", [(40, 0.3), (4, 0.75), (100, 0.5)])
def test_response_rate_interval_coverage_is_near_nominal(n, p):
    c = calibration.response_rate_coverage(N_SIM, n, p, seed=n)
    for method, coverage in c.items():
        assert 0.92 <= coverage <= 0.99, (method, coverage)


def test_km_median_interval_coverage_is_near_nominal():
    c = calibration.km_median_coverage(150, 60)
    assert 0.90 <= c["loglog"] <= 0.99, c  # response_times.csv and league_table.csv (statsmodels, log-log)


def test_rank_intervals_hold_the_true_rank_and_tiny_samples_do_not_top_the_table():
    c = calibration.rank_coverage(40, n_companies=15, questions=(2, 60), n_boot=300)
    assert c["rank_interval"] >= 0.9, c  # shrinkage must not make the ranges miss the truth
    assert c["fewest_questions_ranked_first"] <= 0.2, c


def test_probe_level_department_test_false_positive_rate_is_at_most_about_alpha():
    rng = np.random.default_rng(3)
    rejections = 0
    for _ in range(N_SIM):
        n_cs, n_main = 30, 60
        answered = rng.random(n_cs + n_main) < 0.6  # the same answer rate for both departments
        probes = pd.DataFrame({"department": ["customer_service"] * n_cs + ["main"] * n_main,
                               "answered": answered})
        rejections += compare.department_rate_comparisons(probes)["p_value"].iloc[0] < 0.05
    rate = rejections / N_SIM
    # Fisher's exact test is conservative: at most about alpha, never far above it.
    assert rate <= 0.075, rate


@pytest.mark.slow
def test_clustered_department_tests_keep_their_level_with_company_effects():
    # Companies differ a lot (company_sd = 1) and there is no department effect: the
    # company-clustered and within-company tests should reject in about 5% of studies.
    rates = calibration.department_false_positive_rates(
        200, seed=21, n_companies=30, share_with_service=0.5, probes_per_account=2)
    for test in ("glm_clustered", "cox_clustered", "log_rank_stratified", "cox_stratified"):
        assert 0.01 <= rates[test] <= 0.10, (test, rates[test])
    # Exact tests on few discordant companies can only be conservative.
    for test in ("mantel_haenszel", "paired_sign_flip"):
        assert rates[test] <= 0.10, (test, rates[test])


def test_wave_comparison_flags_few_unchanged_companies_and_finds_changed_ones():
    n_sim = 40
    rates = calibration.wave_change_rates(n_sim, n_companies=40, probes_per_company=(40, 40), changed=10,
                                          company_sd=0.5)
    assert rates["overall_false_positive"] <= 0.05 + 3 * (0.05 * 0.95 / n_sim) ** 0.5
    for test in ("response_rate", "median_minutes"):
        r = rates[test]
        assert r["false_positive"] <= 0.05 + 3 * (0.05 * 0.95 / (30 * n_sim)) ** 0.5, test  # 30 unchanged a pair
        assert r["familywise"] <= 0.05 + 3 * (0.05 * 0.95 / n_sim) ** 0.5, test
        assert r["power"] >= 0.75, test
