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


def response_rate_coverage(n_sim: int, n: int, p: float, alpha: float = 0.05, seed: int = seeds.CALIBRATION) -> dict:
    """Coverage of the Wilson interval (every response rate in the report) for k of n."""
    rng = np.random.default_rng(seed)
    k = rng.binomial(n, p, size=n_sim)
    w_low, w_high = proportions.wilson_interval(k, np.full(n_sim, n), alpha)
    return {"wilson": float(np.mean((w_low <= p) & (p <= w_high)))}


def km_median_coverage(n_sim: int, n: int, true_median: float = 120.0, alpha: float = 0.05,
                       seed: int = seeds.CALIBRATION + 1) -> dict:
    """Coverage of the KM median interval (statsmodels, log-log) that every page shows.

    Exponential reply times with `true_median`; windows close uniformly between 60 and 600
    minutes, censoring about a third of the probes.
    """
    rng = np.random.default_rng(seed)
    scale = true_median / np.log(2)
    covered = {"loglog": 0}
    for _ in range(n_sim):
        reply = rng.exponential(scale, n)
        window = rng.uniform(60, 600, n)
        answered = reply <= window
        minutes = np.where(answered, reply, window)
        low, high = KaplanMeier.from_probes(minutes, answered).quantile_ci(0.5, alpha)
        covered["loglog"] += low <= true_median <= high
    return {k: v / n_sim for k, v in covered.items()}


def rank_coverage(n_sim: int, n_companies: int = 20, questions=(2, 40), n_boot: int = 400,
                  seed: int = seeds.CALIBRATION + 3) -> dict:
    """How often the league table's "could rank" range holds a company's true rank.

    True response rates are spread between 0.2 and 0.95; each company is asked a random number
    of questions in `questions` (inclusive). Returns the share of ranked (study, company) pairs
    covered (true rank among the ranked companies) and the share of studies where a company asked
    the fewest questions is ranked first.
    """
    rng = np.random.default_rng(seed)
    covered = total = tiny_first = 0
    for i in range(n_sim):
        truth = rng.uniform(0.2, 0.95, n_companies)
        n = rng.integers(questions[0], questions[1] + 1, n_companies)
        k = rng.binomial(n, truth)
        probes = pd.DataFrame({"company": np.repeat([f"c{j:03d}" for j in range(n_companies)], n),
                               "answered": np.concatenate([np.arange(m) < x for x, m in zip(k, n, strict=True)]),
                               "minutes": 30.0})
        table, _ = league.league_table(probes, n_boot=n_boot, seed=seed + i)
        table = table[table["ranked"]]
        names = [f"c{j:03d}" for j in range(n_companies)]
        true_rate = pd.Series(truth, index=names).loc[table["company"]]
        r = true_rate.rank(ascending=False, method="first").to_numpy()
        covered += int(((table["rank_ci_low"] <= r) & (r <= table["rank_ci_high"])).sum())
        total += len(table)
        tiny_first += bool(table.loc[table["rank"] == table["rank"].min(), "n_probes"].eq(table["n_probes"].min()).any())
    return {"rank_interval": covered / total, "fewest_questions_ranked_first": tiny_first / n_sim}


def department_false_positive_rates(n_sim: int, alpha: float = 0.05, seed: int = seeds.CALIBRATION + 2, **design) -> dict:
    """Share of simulated studies with no department effect where each department test rejects.

    `design` goes to `simulate_probes` (its effect sizes default to none). With company effects
    (the default ``company_sd=1``) probes are clustered, which is what the company-clustered and
    within-company tests are for; the probe-level Fisher test ignores it.
    """
    rng = np.random.default_rng(seed)
    tests = {
        ("department:customer_service-vs-main", "response_rate_difference"): "fisher_probe_level",
        ("department:customer_service-vs-main", "response_odds_ratio"): "glm_clustered",
        ("department:customer_service-vs-main", "hazard_ratio"): "cox_clustered",
        ("department:customer_service-vs-main", "log_rank_statistic"): "log_rank",
        ("within-company:customer_service-vs-main", "response_rate_difference"): "paired_sign_flip",
        ("within-company:customer_service-vs-main", "response_odds_ratio"): "mantel_haenszel",
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


def wave_change_rates(n_sim: int, alpha: float = 0.05, seed: int = seeds.WAVES, **design) -> dict:
    """Over simulated wave pairs (`helpers.synthetic.waves.wave_pair`): how often each company test flags.

    Returns, per test (``response_rate``: Fisher; ``time``: log-rank, the median row's test):
    ``false_positive`` (unchanged companies with p < alpha, uncorrected), ``familywise`` (pairs
    where any unchanged company is told from chance after Holm) and ``power`` (changed companies
    told from chance after Holm). Also the overall response-rate test's false-positive rate over
    pairs with no change at all (``overall_false_positive``).
    """
    from helpers.compare.waves import company_changes, overall_changes
    from helpers.synthetic.waves import wave_pair

    rng = np.random.default_rng(seed)
    out = {m: {"null": 0, "null_hits": 0, "families": 0, "changed": 0, "found": 0}
           for m in ("response_rate", "median_minutes")}
    overall_hits = 0
    for _ in range(n_sim):
        b, c, truth = wave_pair(rng, **design)
        companies = truth["company"].tolist()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            table = company_changes(b, c, companies, [], False, alpha, n_boot=0).merge(truth, on="company")
        for metric, counts in out.items():
            rows = table[(table["metric"] == metric) & table["p_value"].notna()]
            null = rows[~rows["changed"]]
            counts["null"] += len(null)
            counts["null_hits"] += int((null["p_value"] < alpha).sum())
            counts["families"] += bool(null["told_from_chance"].any())
            counts["changed"] += int(rows["changed"].sum())
            counts["found"] += int(rows.loc[rows["changed"], "told_from_chance"].sum())
        b0, c0, _ = wave_pair(rng, **{**design, "changed": 0})
        overall = overall_changes(b0, c0, companies, [], False, alpha, n_boot=0).set_index("metric")
        overall_hits += bool(overall.at["response_rate", "p_value"] < alpha)
    result = {metric: {"false_positive": c["null_hits"] / max(c["null"], 1), "familywise": c["families"] / n_sim,
                       "power": c["found"] / max(c["changed"], 1)} for metric, c in out.items()}
    result["overall_false_positive"] = overall_hits / n_sim
    return result
