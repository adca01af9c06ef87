"""League table of companies, with an interval for every rank.

Published studies rank retailers on one to three questions each. With so few questions most
ranks cannot be told apart; this module says which can, and never lets a lucky small sample
top the table.

In a marketer's words: *a company's rank is its middle rank across 2,000 simulated reruns of
the study, in which a company asked few questions is pulled toward the average response rate,
so one lucky reply does not put it first.* The "could rank" range holds the middle 95% of those
reruns, so the rank always lies inside it.

How:

- Only companies asked at least ``min_questions`` questions are ranked; the others are listed
  apart (``ranked`` false, no rank).
- Empirical Bayes: a beta-binomial prior Beta(a, b) is fitted by maximum likelihood to the
  ranked companies' counts; company j's response rate is drawn from its posterior
  Beta(a + k_j, b + n_j - k_j) in each of ``n_boot`` replicates (seeded). Few questions mean a
  wide posterior near the average; many questions, one near the company's own rate. The
  prior's weight a + b is capped at the median number of questions per company: maximum
  likelihood often puts it at "no differences at all" on small studies (a known weakness of
  the method), which would give a company answering 2 of 6 the rank of one answering 10 of 12;
  with the cap a typical company's own answers weigh at least as much as the average.
- Each replicate ranks the drawn rates (continuous, so no ties). ``rank`` is the median of a
  company's replicate ranks; ``rank_ci_low``/``rank_ci_high`` the ``alpha/2`` and
  ``1 - alpha/2`` quantiles, pooled over companies with the same counts (they are
  interchangeable, so equal data read as equal ranks). Equal medians share a rank. Rows are ordered by rank, then by
  posterior mean rate, then by median wait.
- Shown beside the rank are the plain figures, by the methods used on every page: the response
  rate k/n with its Wilson interval and the Kaplan-Meier median wait with its log-log interval
  (`helpers.stats.survival.km_summary`, the figures of ``response_times.csv``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import optimize, stats

from helpers import seeds
from helpers.stats.proportions import wilson_interval
from helpers.stats.survival import km_summary

COLUMNS = ("company", "n_probes", "n_responded", "response_rate", "response_rate_ci_low",
           "response_rate_ci_high", "median_minutes", "median_ci_low", "median_ci_high",
           "ranked", "rank", "rank_ci_low", "rank_ci_high")
DEFAULT_SEED = seeds.ANALYSIS
MIN_QUESTIONS = 2
# Bounds of the prior's strength a + b: from about one question's worth (almost no pooling) to
# complete pooling (companies indistinguishable); the mean stays off exact 0 and 1.
PRIOR_STRENGTH = (1.0, 1e5)
PRIOR_MEAN = (1e-3, 1 - 1e-3)


def fit_prior(k, n) -> tuple[float, float]:
    """Beta-binomial prior (a, b) of the companies' rates by maximum likelihood, a + b at most median(n)."""
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    mean = float(np.clip(k.sum() / n.sum(), *PRIOR_MEAN)) if n.sum() else 0.5
    if len(k) < 2:
        return mean, 1.0 - mean  # one company: nothing to pool with

    def nll(x):
        mu, s = stats.logistic.cdf(x[0]), np.exp(x[1])
        return -stats.betabinom.logpmf(k, n, mu * s, (1 - mu) * s).sum()

    logit = lambda p: np.log(p / (1 - p))
    bounds = [(logit(PRIOR_MEAN[0]), logit(PRIOR_MEAN[1])), tuple(np.log(PRIOR_STRENGTH))]
    best = optimize.minimize(nll, x0=[logit(mean), np.log(10.0)], bounds=bounds, method="L-BFGS-B")
    mu, s = stats.logistic.cdf(best.x[0]), min(float(np.exp(best.x[1])), max(float(np.median(n)), 1.0))
    return float(mu * s), float((1 - mu) * s)


def bootstrap(probes: pd.DataFrame, n_boot: int = 2000, seed: int = DEFAULT_SEED) -> dict:
    """Replicates of every company's rate and rank (arrays: replicate x company), from the EB posterior."""
    rng = np.random.default_rng(seed)
    counts = probes.groupby("company", sort=True)["answered"].agg(["sum", "size"])
    k, n = counts["sum"].to_numpy(float), counts["size"].to_numpy(float)
    a, b = fit_prior(k, n)
    rates = rng.beta(a + k, b + n - k, size=(n_boot, len(k)))
    ranks = stats.rankdata(-rates, axis=1, method="min").astype(int)
    return {"companies": counts.index.tolist(), "k": k, "n": n, "prior": (a, b),
            "posterior_mean": (a + k) / (a + b + n), "rates": rates, "ranks": ranks}


def rank_quantiles(boot: dict, alpha: float = 0.05) -> dict[str, np.ndarray]:
    """Median rank and its ``1 - alpha`` range per company, from the replicate ranks.

    Companies with the same counts (k of n) are interchangeable under the model, so their
    replicate ranks are pooled: equal data always read as equal ranks and ranges, not as the
    noise of a finite number of replicates.
    """
    ranks = boot["ranks"]
    out = {key: np.empty(ranks.shape[1], dtype=int) for key in ("rank", "rank_ci_low", "rank_ci_high")}
    counts = pd.DataFrame({"k": boot.get("k", np.zeros(ranks.shape[1])), "n": boot.get("n", np.zeros(ranks.shape[1]))})
    for _, columns in counts.groupby(["k", "n"]).indices.items():
        pooled = ranks[:, columns].ravel()
        out["rank"][columns] = int(np.quantile(pooled, 0.5, method="inverted_cdf"))
        out["rank_ci_low"][columns] = int(np.quantile(pooled, alpha / 2, method="lower"))
        out["rank_ci_high"][columns] = int(np.quantile(pooled, 1 - alpha / 2, method="higher"))
    return out


def _figures(probes: pd.DataFrame, alpha: float) -> pd.DataFrame:
    """Each company's plain response rate (Wilson) and KM median wait, as every page shows them."""
    rows = []
    for company, d in probes[["company", "minutes", "answered"]].groupby("company", sort=True):
        km = km_summary(d["minutes"], d["answered"], (), alpha)
        rows.append({"company": company, "n_probes": km["n_probes"], "n_responded": km["n_responded"],
                     **{c: km[c] for c in ("median_minutes", "median_ci_low", "median_ci_high")}})
    out = pd.DataFrame(rows)
    out["response_rate"] = out["n_responded"] / out["n_probes"]
    out["response_rate_ci_low"], out["response_rate_ci_high"] = wilson_interval(
        out["n_responded"].to_numpy(), out["n_probes"].to_numpy(), alpha)
    return out


def league_table(probes: pd.DataFrame, alpha: float = 0.05, n_boot: int = 2000, seed: int = DEFAULT_SEED,
                 min_questions: int = MIN_QUESTIONS) -> tuple[pd.DataFrame, dict]:
    """The league table (``league_table.csv``) and the replicates behind its ranks.

    The unit of the rate and of the median is the question (probe); the unit of the rank is the
    company. Ranked rows come first, in rank order; companies with fewer than `min_questions`
    questions follow by name, without a rank.
    """
    out = _figures(probes, alpha)
    out["ranked"] = out["n_probes"] >= min_questions
    probes = probes[["company", "answered"]]
    eligible = probes[probes["company"].isin(out.loc[out["ranked"], "company"])]
    boot = bootstrap(eligible, n_boot, seed) if len(eligible) else {
        "companies": [], "k": np.array([]), "n": np.array([]), "ranks": np.empty((n_boot, 0), dtype=int),
        "posterior_mean": np.array([])}
    by_company = pd.DataFrame({"company": boot["companies"], "posterior_mean": boot["posterior_mean"],
                               **rank_quantiles(boot, alpha)})
    out = out.merge(by_company, on="company", how="left")
    for c in ("rank", "rank_ci_low", "rank_ci_high"):
        out[c] = out[c].astype("Int64")
    wait = out["median_minutes"].fillna(np.inf)
    order = np.lexsort((out["company"], wait, -out["posterior_mean"].fillna(-1.0),
                        out["rank"].fillna(np.iinfo(np.int64).max).to_numpy(np.int64), ~out["ranked"]))
    return out.iloc[order].reset_index(drop=True)[list(COLUMNS)], boot


def separable_pairs(table: pd.DataFrame, boot: dict) -> pd.DataFrame:
    """For every pair of ranked companies: can their ranks be told apart?

    A pair is *told apart* when their rank intervals do not overlap, the rule a reader of the
    rank plot applies by eye. It is deliberately cautious: ``share_a_ahead`` (how often A ranks
    ahead of B in the replicates) is given too, for readers who want the finer measure.
    """
    ranks, companies = boot["ranks"], boot["companies"]
    bounds = table.set_index("company").loc[companies, ["rank_ci_low", "rank_ci_high"]].to_numpy(np.int64)
    first, second = np.triu_indices(len(companies), k=1)
    ahead = np.empty(len(first))
    # How often each company ranks ahead of every later one: blocks of rows, so memory stays bounded.
    block = max(1, 20_000_000 // max(1, ranks.size))
    done = 0
    for start in range(0, len(companies), block):
        rows = np.arange(start, min(start + block, len(companies)))
        share = (ranks[:, rows, None] < ranks[:, None, :]).mean(axis=0)  # rows x companies
        for r, i in enumerate(rows):
            later = share[r, i + 1:]
            ahead[done:done + len(later)] = later
            done += len(later)
    apart = (bounds[first, 1] < bounds[second, 0]) | (bounds[second, 1] < bounds[first, 0])
    names = np.asarray(companies, dtype=object)
    return pd.DataFrame({"company_a": names[first], "company_b": names[second], "share_a_ahead": ahead,
                         "told_apart": apart}, columns=["company_a", "company_b", "share_a_ahead", "told_apart"])


def rank_summary(table: pd.DataFrame, pairs: pd.DataFrame) -> dict:
    """Plain facts for the report: how many pairs can be told apart, who could be first."""
    ranked = table[table["ranked"]]
    n_pairs = len(pairs)
    return {
        "companies": len(table),
        "ranked": len(ranked),
        "too_few_to_rank": int((~table["ranked"]).sum()),
        "pairs": n_pairs,
        "pairs_told_apart": int(pairs["told_apart"].sum()) if n_pairs else 0,
        "could_be_first": ranked.loc[ranked["rank_ci_low"] == 1, "company"].tolist(),
        "widest_rank_interval": int((ranked["rank_ci_high"] - ranked["rank_ci_low"]).max()) + 1 if len(ranked) else 0,
    }
