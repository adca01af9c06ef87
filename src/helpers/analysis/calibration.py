"""Statistical calibration: simulate studies from known parameters and measure how the methods do.

Used by ``tests/analysis/test_calibration.py`` (a few hundred simulations, fixed seeds) and by
``checks/calibration.py`` (``make validate``: thousands). Each ``*_rates`` function
returns plain numbers: the share of simulated intervals that cover the truth, or the share of
tests that reject when there is nothing to find.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from helpers import compare, seeds
from helpers.analysis import league
from helpers.stats import proportions
from helpers.stats.survival import KaplanMeier
from helpers.synthetic.samples import simulate_probes


def answer_rate_coverage(n_sim: int, n: int, p: float, alpha: float = 0.05, seed: int = seeds.CALIBRATION) -> dict:
    """Coverage of the Wilson (report) and Jeffreys (league table) intervals for k of n."""
    rng = np.random.default_rng(seed)
    k = rng.binomial(n, p, size=n_sim)
    w_low, w_high = proportions.wilson_interval(k, np.full(n_sim, n), alpha)
    j_low, j_high = league.jeffreys_interval(k, np.full(n_sim, n), alpha)
    return {"wilson": float(np.mean((w_low <= p) & (p <= w_high))),
            "jeffreys": float(np.mean((j_low <= p) & (p <= j_high)))}


def km_median_coverage(n_sim: int, n: int, true_median: float = 120.0, alpha: float = 0.05,
                       n_boot: int = 400, seed: int = seeds.CALIBRATION + 1) -> dict:
    """Coverage of the KM median intervals: statsmodels' (response times) and the bootstrap (league).

    Exponential reply times with `true_median`; windows close uniformly between 60 and 600
    minutes, censoring about a third of the probes.
    """
    rng = np.random.default_rng(seed)
    scale = true_median / np.log(2)
    covered = {"loglog": 0, "bootstrap": 0}
    for i in range(n_sim):
        reply = rng.exponential(scale, n)
        window = rng.uniform(60, 600, n)
        answered = reply <= window
        minutes = np.where(answered, reply, window)
        low, high = KaplanMeier.from_probes(minutes, answered).quantile_ci(0.5, alpha)
        covered["loglog"] += low <= true_median <= high
        probes = pd.DataFrame({"company": "one", "minutes": minutes, "answered": answered})
        table, _ = league.league_table(probes, alpha=alpha, n_boot=n_boot, seed=seed + i)
        covered["bootstrap"] += table["median_ci_low"].iloc[0] <= true_median <= table["median_ci_high"].iloc[0]
    return {k: v / n_sim for k, v in covered.items()}


def department_false_positive_rates(n_sim: int, alpha: float = 0.05, seed: int = seeds.CALIBRATION + 2, **design) -> dict:
    """Share of simulated studies with no department effect where each department test rejects.

    `design` goes to `simulate_probes` (its effect sizes default to none). With company effects
    (the default ``company_sd=1``) probes are clustered, which is what the company-clustered and
    within-company tests are for; the probe-level Fisher test ignores it.
    """
    rng = np.random.default_rng(seed)
    tests = {
        ("department:customer_service-vs-main", "answer_rate_difference"): "fisher_probe_level",
        ("department:customer_service-vs-main", "answer_odds_ratio"): "glm_clustered",
        ("department:customer_service-vs-main", "hazard_ratio"): "cox_clustered",
        ("department:customer_service-vs-main", "log_rank_statistic"): "log_rank",
        ("within-company:customer_service-vs-main", "answer_rate_difference"): "paired_sign_flip",
        ("within-company:customer_service-vs-main", "answer_odds_ratio"): "mantel_haenszel",
        ("within-company:customer_service-vs-main", "hazard_ratio"): "cox_stratified",
        ("within-company:customer_service-vs-main", "log_rank_statistic"): "log_rank_stratified",
    }
    rejections = {name: 0 for name in tests.values()}
    tested = {name: 0 for name in tests.values()}
    for _ in range(n_sim):
        probes = simulate_probes(rng, **design)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rows = compare.department_comparisons(probes, thresholds=[], alpha=alpha, n_boot=0)
        for (comparison, metric), name in tests.items():
            hit = rows[(rows["comparison"] == comparison) & (rows["metric"] == metric)]
            if len(hit) and np.isfinite(hit["p_value"].iloc[0]):
                tested[name] += 1
                rejections[name] += bool(hit["p_value"].iloc[0] < alpha)
    return {name: rejections[name] / tested[name] if tested[name] else float("nan") for name in tests.values()}
