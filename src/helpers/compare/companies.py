"""Companies compared: are they all alike (``company:all``), and each one against the rest.

Metrics and what the estimate means:

- ``response_rate_chisq``: the chi-square statistic of the companies-by-answered table, with a
  permutation p-value (exact enough for small counts, unlike the chi-square approximation).
- ``log_rank_statistic``: the log-rank chi-square over companies, or of one company against
  the rest, with a permutation p-value.
- ``response_rate_difference``: one company's answer rate minus the others' (see
  `helpers.compare.rates`).

Each company against the rest is one family for `p_adjusted` per metric; ``company:all`` is its
own.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers import seeds
from helpers.compare.multiplicity import _row, table
from helpers.compare.rates import rate_difference
from helpers.compare.survival_tests import _survdiff, log_rank, log_rank_two_groups


def company_rate_heterogeneity(probes: pd.DataFrame, n_perm: int = 2000, seed: int = seeds.ANALYSIS) -> dict:
    """Are all companies alike in answer rate? Chi-square statistic, permutation p-value.

    The answered flags are shuffled across probes (keeping each company's number of probes),
    which stays valid with the two or three probes per company where the chi-square
    approximation does not.
    """
    codes, companies = pd.factorize(probes["company"], sort=True)
    y = probes["answered"].to_numpy(bool).astype(float)
    n_c = np.bincount(codes)

    def chisq(yy: np.ndarray) -> float:
        k = np.bincount(codes, weights=yy, minlength=len(n_c))
        p = yy.mean()
        if p in (0.0, 1.0):
            return 0.0
        expected = n_c * p
        return float((((k - expected) ** 2) / expected).sum() + (((k - expected) ** 2) / (n_c - expected)).sum())

    observed = chisq(y)
    rng = np.random.default_rng(seed)
    perms = np.array([chisq(rng.permutation(y)) for _ in range(n_perm)])
    p = (1 + np.sum(perms >= observed - 1e-9)) / (n_perm + 1)
    return _row("company:all", "response_rate_chisq", observed, p_value=p,
                method=f"chi-square statistic of the {len(companies)} companies x answered table (unit: probe); "
                       f"permutation p-value from {n_perm} shuffles")


def company_vs_rest(probes: pd.DataFrame, alpha: float = 0.05, n_perm: int = 2000,
                    seed: int = seeds.ANALYSIS) -> list[dict]:
    """Each company against all the others: answer-rate difference and log-rank test.

    With two to four probes in one group the log-rank chi-square approximation is poor, so
    its p-value comes from relabelling which probes belong to the company (permutation).
    """
    rows = []
    rng = np.random.default_rng(seed)
    minutes, answered = probes["minutes"].to_numpy(float), probes["answered"].to_numpy(bool)
    total_k, total_n = int(answered.sum()), len(probes)
    for company, d in probes.groupby("company", sort=True):
        k, n = int(d["answered"].sum()), len(d)
        name = f"company:{company}-vs-rest"
        rows.append(_row(name, "response_rate_difference", **rate_difference(k, n, total_k - k, total_n - n, alpha)))
        if total_k == 0 or n == total_n:
            rows.append(_row(name, "log_rank_statistic", method="not testable: no answers, or no other company",
                             reason="no_answers_or_peers"))
            continue
        mine = (probes["company"] == company).to_numpy()
        observed = log_rank_two_groups(minutes, answered, mine)[0]
        perms = np.zeros((n_perm, total_n), dtype=bool)
        picks = np.argsort(rng.random((n_perm, total_n)), axis=1)[:, :n]
        np.put_along_axis(perms, picks, True, axis=1)
        null = log_rank_two_groups(minutes, answered, perms)
        p = (1 + np.sum(null >= observed - 1e-9)) / (n_perm + 1)
        rows.append(_row(name, "log_rank_statistic", observed, p_value=p,
                         method=f"log-rank test, company vs the rest (unit: probe; unanswered probes censored); "
                                f"permutation p-value from {n_perm} relabellings"))
    return rows


def company_log_rank_all(probes: pd.DataFrame, n_perm: int = 2000, seed: int = seeds.ANALYSIS) -> dict:
    """Are all companies alike in time to first reply? Log-rank over companies, permutation p."""
    row = log_rank(probes, probes["company"], "company:all")
    if np.isnan(row["estimate"]):
        return row
    rng = np.random.default_rng(seed)
    m, a, g = probes["minutes"].to_numpy(), probes["answered"].astype(int).to_numpy(), probes["company"].to_numpy()
    null = np.array([(_survdiff(m, a, rng.permutation(g)) or (0.0,))[0] for _ in range(n_perm)])
    row["p_value"] = (1 + np.sum(null >= row["estimate"] - 1e-9)) / (n_perm + 1)
    row["method"] = (f"log-rank test over {probes['company'].nunique()} companies (unit: probe; unanswered "
                     f"probes censored); permutation p-value from {n_perm} shuffles of company labels")
    return row


def company_comparisons(probes: pd.DataFrame, alpha: float = 0.05, adjust: str = "holm",
                        n_perm: int = 2000, seed: int = seeds.ANALYSIS) -> pd.DataFrame:
    """Every company comparison of notebook 05 as one comparisons table."""
    rows = [company_rate_heterogeneity(probes, n_perm, seed), company_log_rank_all(probes, n_perm, seed)]
    rows += company_vs_rest(probes, alpha, n_perm, seed)
    return table(rows, adjust)
