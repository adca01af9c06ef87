"""Statistical validation: simulate studies from known parameters and check that intervals
cover the truth about as often as they claim, and that a test under no difference rejects at
about its level. A few hundred simulations, fixed seeds."""

import numpy as np
import pandas as pd

from helpers import compare, metrics
from helpers.metrics import KaplanMeier

N_SIM = 400


def test_wilson_coverage_of_answer_rate_is_near_nominal():
    rng = np.random.default_rng(1)
    p, n = 0.3, 40
    k = rng.binomial(n, p, size=N_SIM)
    low, high = metrics.wilson_interval(k, np.full(N_SIM, n))
    coverage = np.mean((low <= p) & (p <= high))
    assert 0.92 <= coverage <= 0.98, coverage


def test_km_median_interval_coverage_is_near_nominal():
    rng = np.random.default_rng(2)
    true_median, n = 120.0, 60
    scale = true_median / np.log(2)  # exponential reply times with this median
    covered = 0
    for _ in range(N_SIM):
        reply = rng.exponential(scale, n)
        window = rng.uniform(60, 600, n)  # windows close at random; later replies are censored
        answered = reply <= window
        km = KaplanMeier.from_probes(np.where(answered, reply, window), answered)
        low, high = km.quantile_ci(0.5)
        covered += low <= true_median <= high
    coverage = covered / N_SIM
    assert 0.90 <= coverage <= 0.99, coverage


def test_department_test_false_positive_rate_is_at_most_about_alpha():
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
