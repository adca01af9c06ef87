"""League table of companies, with intervals for every rank.

Published studies rank retailers on one to three questions each. With so few questions most
ranks cannot be told apart; this module says which can.

Ranking rule: by answer rate (higher first), ties broken by the KM median time to first
reply (R's ``quantile.survfit`` rule, `helpers.stats.survival.km_median`; faster first; a
median not reached counts as slowest). Companies equal on both share
a rank ("1, 2, 2, 4").

Uncertainty comes from one bootstrap, ``n_boot`` replicates, seeded:

- answer rate: each replicate draws every company's rate from its Jeffreys distribution
  Beta(k + 1/2, n - k + 1/2) (a parametric bootstrap; resampling two probes that were both
  answered would give 100% every time and pretend to certainty). The interval is its
  central ``1 - alpha`` range, with the bound set to 0 (or 1) when no (or every) probe was
  answered: the Jeffreys interval.
- KM median: each replicate resamples the company's probes with replacement and reads the
  median by the same rule (the end of follow-up is that replicate's largest minutes);
  percentile interval, ``inf`` when the median is not reached.
- rank: each replicate ranks the drawn rates; the interval is the central range of the ranks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from helpers import seeds
from helpers.stats.survival import km_median

COLUMNS = ("company", "n_probes", "answer_rate", "answer_rate_ci_low", "answer_rate_ci_high",
           "median_minutes", "rank", "rank_ci_low", "rank_ci_high", "median_ci_low", "median_ci_high")
DEFAULT_SEED = seeds.ANALYSIS


def jeffreys_interval(k, n, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Jeffreys interval for k of n, with the usual 0 and 1 at the boundaries."""
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    low = np.where(k == 0, 0.0, stats.beta.ppf(alpha / 2, k + 0.5, n - k + 0.5))
    high = np.where(k == n, 1.0, stats.beta.ppf(1 - alpha / 2, k + 0.5, n - k + 0.5))
    return low, high


def point_ranks(rate: np.ndarray, median: np.ndarray) -> np.ndarray:
    """Competition ranks (1 = best) by rate, then median; exact ties share a rank."""
    med = np.where(np.isnan(median), np.inf, median)
    ranks = np.empty(len(rate), dtype=int)
    for i in range(len(rate)):
        better = (rate > rate[i]) | ((rate == rate[i]) & (med < med[i]))
        ranks[i] = 1 + int(better.sum())
    return ranks


def bootstrap(probes: pd.DataFrame, n_boot: int = 2000, seed: int = DEFAULT_SEED) -> dict:
    """Replicates of every company's rate, median and rank (arrays: replicate x company)."""
    rng = np.random.default_rng(seed)
    groups = [(c, d["minutes"].to_numpy(float), d["answered"].to_numpy(bool))
              for c, d in probes.groupby("company", sort=True)]
    companies = [g[0] for g in groups]
    k = np.array([g[2].sum() for g in groups], dtype=float)
    n = np.array([len(g[1]) for g in groups], dtype=float)
    rates = rng.beta(k + 0.5, n - k + 0.5, size=(n_boot, len(groups)))
    medians = np.empty((n_boot, len(groups)))
    for j, (_, m, a) in enumerate(groups):
        idx = rng.integers(0, len(m), size=(n_boot, len(m)))
        medians[:, j] = [km_median(m[i], a[i]) for i in idx]
    # Drawn rates are continuous, so replicate ranks have no ties.
    ranks = stats.rankdata(-rates, axis=1, method="min").astype(int)
    return {"companies": companies, "k": k, "n": n, "rates": rates, "medians": medians, "ranks": ranks}


def league_table(probes: pd.DataFrame, alpha: float = 0.05, n_boot: int = 2000,
                 seed: int = DEFAULT_SEED) -> tuple[pd.DataFrame, dict]:
    """The league table (``league_table.csv``) and the bootstrap replicates behind it.

    The unit of the answer rate and of the median is the probe; the unit of the rank is the
    company. Rows are in rank order.
    """
    boot = bootstrap(probes, n_boot, seed)
    k, n = boot["k"], boot["n"]
    rate = k / n
    median = np.array([km_median(d["minutes"], d["answered"]) for _, d in probes.groupby("company", sort=True)])
    low, high = jeffreys_interval(k, n, alpha)
    meds = np.where(np.isnan(boot["medians"]), np.inf, boot["medians"])
    med_low = np.quantile(meds, alpha / 2, axis=0, method="inverted_cdf")
    med_high = np.quantile(meds, 1 - alpha / 2, axis=0, method="inverted_cdf")
    never = k == 0  # nothing answered: no median, and nothing to bound
    med_low, med_high = np.where(never, np.nan, med_low), np.where(never, np.nan, med_high)
    out = pd.DataFrame({
        "company": boot["companies"], "n_probes": n.astype(int), "answer_rate": rate,
        "answer_rate_ci_low": low, "answer_rate_ci_high": high, "median_minutes": median,
        "rank": point_ranks(rate, median),
        "rank_ci_low": np.quantile(boot["ranks"], alpha / 2, axis=0, method="lower").astype(int),
        "rank_ci_high": np.quantile(boot["ranks"], 1 - alpha / 2, axis=0, method="higher").astype(int),
        "median_ci_low": med_low, "median_ci_high": med_high,
    })
    order = np.lexsort((out["company"], np.where(np.isnan(median), np.inf, median), -rate))
    return out.iloc[order].reset_index(drop=True)[list(COLUMNS)], boot


def separable_pairs(table: pd.DataFrame, boot: dict) -> pd.DataFrame:
    """For every pair of companies: can their ranks be told apart?

    A pair is *told apart* when their rank intervals do not overlap, the rule a reader of the
    rank plot applies by eye. It is deliberately cautious: ``share_a_ahead`` (how often A ranks
    ahead of B in the bootstrap) is given too, for readers who want the finer measure.
    """
    ranks, companies = boot["ranks"], boot["companies"]
    bounds = table.set_index("company")[["rank_ci_low", "rank_ci_high"]]
    rows = []
    for i in range(len(companies)):
        for j in range(i + 1, len(companies)):
            a, b = bounds.loc[companies[i]], bounds.loc[companies[j]]
            apart = a["rank_ci_high"] < b["rank_ci_low"] or b["rank_ci_high"] < a["rank_ci_low"]
            rows.append({"company_a": companies[i], "company_b": companies[j],
                         "share_a_ahead": float(np.mean(ranks[:, i] < ranks[:, j])), "told_apart": bool(apart)})
    return pd.DataFrame(rows, columns=["company_a", "company_b", "share_a_ahead", "told_apart"])


def rank_summary(table: pd.DataFrame, pairs: pd.DataFrame) -> dict:
    """Plain facts for the report: how many pairs can be told apart, who could be first."""
    n_pairs = len(pairs)
    could_be_first = table.loc[table["rank_ci_low"] == 1, "company"].tolist()
    return {
        "companies": len(table),
        "pairs": n_pairs,
        "pairs_told_apart": int(pairs["told_apart"].sum()) if n_pairs else 0,
        "could_be_first": could_be_first,
        "widest_rank_interval": int((table["rank_ci_high"] - table["rank_ci_low"]).max()) + 1 if len(table) else 0,
    }
