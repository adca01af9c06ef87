"""Companies compared: are they all alike (``company:all``), and each one against the rest.

Metrics and what the estimate means:

- ``response_rate_chisq``: the chi-square statistic of the companies-by-answered table, with a
  permutation p-value (exact enough for small counts, unlike the chi-square approximation).
- ``log_rank_statistic``: the log-rank chi-square over companies, or of one company against
  the rest, in its permutation form (log-rank scores, permutation variance), with a permutation
  p-value; vectorised over replicates, so a thousand companies take seconds.
- ``response_rate_difference``: one company's answer rate minus the others' (see
  `helpers.compare.rates`).

Each company against the rest is one family for `p_adjusted` per metric; ``company:all`` is its
own.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from helpers import seeds
from helpers.compare.multiplicity import _row, table
from helpers.compare.rates import rate_difference

# Above this many (replicate x probe) draws a permutation over all probes would take minutes; the
# test then reads its statistic on the chi-square scale, which it approaches with many probes.
PERMUTATION_BUDGET = 20_000_000
# A company (or the rest, if smaller) with at least this many probes: its log-rank score sum is a
# sum of this many draws, whose permutation distribution is normal; the chi-square p-value is used.
ASYMPTOTIC_MIN_PROBES = 1_000


def logrank_scores(minutes, answered) -> np.ndarray:
    """Each probe's log-rank score: 1 if answered, minus the pooled Nelson-Aalen hazard up to its time.

    A group's scores sum to its observed minus expected answers (O - E) of the log-rank test,
    exactly; all the scores sum to 0. Unanswered probes are censored at their time.
    """
    minutes = np.asarray(minutes, dtype=float)
    answered = np.asarray(answered, dtype=bool)
    times = np.unique(minutes[answered])
    if len(times) == 0:
        return np.zeros(len(minutes))
    at_risk = len(minutes) - np.searchsorted(np.sort(minutes), times, side="left")
    events = np.bincount(np.searchsorted(times, minutes[answered]), minlength=len(times))
    hazard = np.concatenate([[0.0], np.cumsum(events / at_risk)])
    return answered - hazard[np.searchsorted(times, minutes, side="right")]


def sample_without_replacement(rng: np.random.Generator, population: int, size: int, rows: int) -> np.ndarray:
    """`rows` uniform random subsets of `size` of ``range(population)``, one per row (rows x size, sorted).

    Draws with replacement and redraws repeats until none is left: the procedure treats every
    element alike, so each subset of `size` is equally likely. Vectorised over rows.
    """
    draws = np.sort(rng.integers(0, population, (rows, size)), axis=1)
    while size > 1:
        repeat = np.zeros(draws.shape, dtype=bool)
        repeat[:, 1:] = draws[:, 1:] == draws[:, :-1]
        if not repeat.any():
            break
        draws[repeat] = rng.integers(0, population, int(repeat.sum()))
        draws.sort(axis=1)
    return draws


def _permutation_p(null: np.ndarray, observed: float) -> float:
    return float((1 + np.sum(null >= observed - 1e-9)) / (len(null) + 1))


def company_rate_heterogeneity(probes: pd.DataFrame, n_perm: int = 2000, seed: int = seeds.ANALYSIS) -> dict:
    """Are all companies alike in answer rate? Chi-square statistic, permutation p-value.

    Shuffling the answered flags across probes (keeping each company's number of probes) gives
    each company's answered count a multivariate hypergeometric law: it is drawn from that law
    directly, which is the same test without shuffling every probe. It stays valid with the two
    or three probes per company where the chi-square approximation does not.
    """
    codes, companies = pd.factorize(probes["company"], sort=True)
    y = probes["answered"].to_numpy(bool)
    n_c = np.bincount(codes)

    def chisq(k: np.ndarray) -> np.ndarray:  # one row of answered counts per table
        p = y.mean()
        if p in (0.0, 1.0):
            return np.zeros(len(k))
        expected = n_c * p
        return (((k - expected) ** 2) / expected).sum(axis=1) + (((k - expected) ** 2) / (n_c - expected)).sum(axis=1)

    observed = float(chisq(np.bincount(codes, weights=y, minlength=len(n_c))[None, :])[0])
    rng = np.random.default_rng(seed)
    null = chisq(rng.multivariate_hypergeometric(n_c, int(y.sum()), size=n_perm, method="marginals"))
    return _row("company:all", "response_rate_chisq", observed, p_value=_permutation_p(null, observed),
                method=f"chi-square statistic of the {len(companies)} companies x answered table (unit: probe); "
                       f"permutation p-value from {n_perm} shuffles")


def company_vs_rest(probes: pd.DataFrame, alpha: float = 0.05, n_perm: int = 2000,
                    seed: int = seeds.ANALYSIS) -> list[dict]:
    """Each company against all the others: answer-rate difference and log-rank test.

    The log-rank test is in its permutation form: the statistic is the company's log-rank score
    sum squared over its permutation variance (1 df), and the p-value comes from relabelling
    which probes belong to the company, since with two to four probes the chi-square
    approximation is poor. The relabellings depend only on the company's number of probes, so
    companies of one size share them. A company (or rest) of `ASYMPTOTIC_MIN_PROBES` or more
    probes gets the chi-square p-value, which its permutation distribution then follows.
    """
    rows = []
    rng = np.random.default_rng(seed)
    minutes, answered = probes["minutes"].to_numpy(float), probes["answered"].to_numpy(bool)
    total_k, total_n = int(answered.sum()), len(probes)
    scores = logrank_scores(minutes, answered)
    sum_squares = float(np.sum(scores**2))
    codes, companies = pd.factorize(probes["company"], sort=True)
    sums = np.bincount(codes, weights=scores, minlength=len(companies))
    sizes = np.bincount(codes, minlength=len(companies))
    answers = np.bincount(codes, weights=answered, minlength=len(companies)).astype(int)
    nulls: dict[int, np.ndarray] = {}  # smaller side's size -> permutation |score sum|s
    for c, company in enumerate(companies):
        k, n = int(answers[c]), int(sizes[c])
        name = f"company:{company}-vs-rest"
        rows.append(_row(name, "response_rate_difference", **rate_difference(k, n, total_k - k, total_n - n, alpha)))
        if total_k == 0 or n == total_n or sum_squares == 0:
            rows.append(_row(name, "log_rank_statistic", method="not testable: no answers, or no other company",
                             reason="no_answers_or_peers"))
            continue
        variance = n * (total_n - n) / (total_n * (total_n - 1)) * sum_squares
        observed = float(sums[c] ** 2 / variance)
        m = min(n, total_n - n)  # the rest's sum is minus the company's: the smaller side is drawn
        if m >= ASYMPTOTIC_MIN_PROBES:
            p = float(stats.chi2.sf(observed, 1))
            how = f"chi-square p-value (1 df; {m} probes or more on each side)"
        else:
            if m not in nulls:
                nulls[m] = np.abs(scores[sample_without_replacement(rng, total_n, m, n_perm)].sum(axis=1))
            p = _permutation_p(nulls[m] ** 2 / variance, observed)
            how = f"permutation p-value from {n_perm} relabellings"
        rows.append(_row(name, "log_rank_statistic", observed, p_value=p,
                         method=f"log-rank test in permutation form, company vs the rest (unit: probe; unanswered "
                                f"probes censored); {how}"))
    return rows


def company_log_rank_all(probes: pd.DataFrame, n_perm: int = 2000, seed: int = seeds.ANALYSIS) -> dict:
    """Are all companies alike in time to first reply? Log-rank over companies in permutation form.

    The statistic is ``(N - 1) * sum_c U_c**2 / n_c / sum_i a_i**2`` (a_i: log-rank scores, U_c:
    their sum in company c, N probes): the log-rank chi-square with the permutation variance, on
    K - 1 degrees of freedom. Its p-value is from `n_perm` shuffles of the company labels, or from
    the chi-square when that would take more than `PERMUTATION_BUDGET` draws.
    """
    if probes["company"].nunique() < 2 or probes["answered"].sum() == 0:
        return _row("company:all", "log_rank_statistic", method="not testable: one group, or no answers",
                    reason="one_group_or_no_answers")
    codes, companies = pd.factorize(probes["company"], sort=True)
    scores = logrank_scores(probes["minutes"].to_numpy(float), probes["answered"].to_numpy(bool))
    sum_squares, total_n = float(np.sum(scores**2)), len(scores)
    if sum_squares == 0:
        return _row("company:all", "log_rank_statistic", reason="no_overlap",
                    method="not testable: no answer while the companies were still observed")
    order = np.argsort(codes, kind="stable")
    sizes = np.bincount(codes)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])

    def statistic(sorted_scores: np.ndarray) -> np.ndarray:  # rows: score orders, companies in code order
        sums = np.add.reduceat(sorted_scores, starts, axis=-1)
        return (total_n - 1) * (sums**2 / sizes).sum(axis=-1) / sum_squares

    observed = float(statistic(scores[order][None, :])[0])
    df = len(companies) - 1
    if n_perm * total_n <= PERMUTATION_BUDGET:
        rng = np.random.default_rng(seed)
        chunk = max(1, PERMUTATION_BUDGET // 10 // total_n)
        null = np.concatenate([statistic(rng.permuted(np.broadcast_to(scores, (min(chunk, n_perm - i), total_n)),
                                                      axis=1))
                               for i in range(0, n_perm, chunk)])
        p, how = _permutation_p(null, observed), f"permutation p-value from {n_perm} shuffles of company labels"
    else:
        p, how = float(stats.chi2.sf(observed, df)), f"chi-square p-value ({df} df; {total_n} probes)"
    return _row("company:all", "log_rank_statistic", observed, p_value=p,
                method=f"log-rank test in permutation form over {len(companies)} companies (unit: probe; "
                       f"unanswered probes censored); {how}")


def company_comparisons(probes: pd.DataFrame, alpha: float = 0.05, adjust: str = "holm",
                        n_perm: int = 2000, seed: int = seeds.ANALYSIS) -> pd.DataFrame:
    """Every company comparison of notebook 05 as one comparisons table."""
    rows = [company_rate_heterogeneity(probes, n_perm, seed), company_log_rank_all(probes, n_perm, seed)]
    rows += company_vs_rest(probes, alpha, n_perm, seed)
    return table(rows, adjust)
