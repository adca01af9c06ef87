"""Departments compared inside each company that has both: paired, or stratified by company.

These rows (``within-company:A-vs-B``) use only companies with accounts of both departments, so
a company's own level of service cancels out. Metrics and what the estimate means:

- ``response_rate_difference``: the mean over companies of the per-company difference in answer
  rate (sign-flip permutation test, exact up to 16 companies and Monte Carlo beyond, with
  p = (1 + as extreme) / (1 + draws); interval by inverting it; unit: company).
- ``response_odds_ratio``: Mantel-Haenszel odds ratio over companies with the CMH test (its
  p-value is the chi-square tail, ``chi2.sf``, never rounded to 0).
- ``hazard_ratio``: Cox model stratified by company (see `helpers.compare.models`).
- ``log_rank_statistic``: log-rank test stratified by company.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.contingency_tables import StratifiedTable

from helpers import seeds
from helpers.compare.models import cox_model, per_comparison
from helpers.compare.multiplicity import _name, _row
from helpers.compare.survival_tests import log_rank


def paired_companies(probes: pd.DataFrame, a: str, b: str, by: str = "department") -> pd.DataFrame:
    """The probes of departments A and B in companies that have both."""
    sub = probes[probes[by].isin([a, b])]
    has = sub.groupby("company")[by].nunique()
    return sub[sub["company"].isin(has.index[has == 2])]


def _sign_patterns(m: int, rng: np.random.Generator, max_exact: int = 16, n_random: int = 20000) -> np.ndarray:
    """Every +-1 pattern for m pairs (exact test), or a random sample of them when m is large."""
    if m <= max_exact:
        return 1 - 2 * ((np.arange(2**m)[:, None] >> np.arange(m)) & 1)
    return rng.choice([-1, 1], size=(n_random, m))


def _share_as_extreme(as_extreme: np.ndarray, exact: bool) -> np.ndarray:
    """Permutation p-value(s) from the as-extreme flags of the patterns (last axis).

    Exact enumeration (every pattern, the observed one among them): the share as extreme.
    A random sample of patterns (Monte Carlo): (1 + number as extreme) / (1 + draws), counting
    the observed pattern, so that the p-value is never below 1 / (1 + draws) and never 0.
    """
    if exact:
        return np.mean(as_extreme, axis=-1)
    return (1 + np.sum(as_extreme, axis=-1)) / (1 + as_extreme.shape[-1])


def _sign_flip_pvalue(d: np.ndarray, signs: np.ndarray, exact: bool = True) -> float:
    """Two-sided permutation p-value of the mean of paired differences (signs flipped).

    `exact`: `signs` holds every pattern; otherwise a random sample (see `_share_as_extreme`).
    """
    d = np.asarray(d, dtype=float)
    if len(d) == 0 or not np.any(d):
        return 1.0
    means = np.abs(signs @ d) / len(d)
    return float(_share_as_extreme(means >= abs(d.mean()) - 1e-12, exact))


def _paired_difference(name: str, d: np.ndarray, alpha: float, seed: int, max_exact: int = 16) -> dict:
    """Mean per-company rate difference, sign-flip test and the interval that inverts it."""
    m = len(d)
    exact = m <= max_exact
    signs = _sign_patterns(m, np.random.default_rng(seed), max_exact)
    p = _sign_flip_pvalue(d, signs, exact)
    # The interval inverts the same test: every shift the test does not reject at alpha.
    # signs @ (d - delta) = signs @ d - delta * signs.sum(1): one product serves every shift.
    flipped, weight = signs @ d, signs.sum(axis=1)
    grid = np.linspace(-1.0, 1.0, 801)
    kept = [delta for delta in grid
            if _share_as_extreme(np.abs(flipped - delta * weight) >= abs(d.sum() - delta * m) - 1e-9, exact) > alpha
            or np.allclose(d, delta)]
    low, high = (min(kept), max(kept)) if kept else (np.nan, np.nan)
    test = ("exact sign-flip permutation test" if exact else
            f"Monte Carlo sign-flip permutation test ({len(signs)} random sign patterns)")
    return _row(name, "response_rate_difference", d.mean(), low, high, p,
                f"mean over {m} companies of the per-company difference in answer rate (unit: company); "
                f"{test}, interval by inverting it")


def _mantel_haenszel(name: str, counts: pd.DataFrame, a: str, b: str, alpha: float) -> dict:
    """Mantel-Haenszel odds ratio of A over B over the companies' 2 x 2 tables, CMH test."""
    tables = [np.array([[counts.at[c, ("sum", a)], counts.at[c, ("size", a)] - counts.at[c, ("sum", a)]],
                        [counts.at[c, ("sum", b)], counts.at[c, ("size", b)] - counts.at[c, ("sum", b)]]],
                       dtype=float) for c in counts.index]
    st = StratifiedTable(tables)
    with np.errstate(divide="ignore", invalid="ignore"):
        odds = st.oddsratio_pooled
        low, high = st.oddsratio_pooled_confint(alpha=alpha)
        # statsmodels' p-value is 1 - chi2.cdf, 0 for a statistic above about 80: the tail instead.
        p = stats.chi2.sf(st.test_null_odds(correction=True).statistic, 1)
    if not np.isfinite(odds) or odds == 0:
        return _row(name, "response_odds_ratio", reason="no_discordant",
                    method="not estimable: no company has a discordant table (MH odds ratio undefined)")
    return _row(name, "response_odds_ratio", odds, low, high, p,
                f"Mantel-Haenszel odds ratio over {len(tables)} companies (stratified by company; unit: probe); "
                "Robins-Breslow-Greenland interval; CMH test with continuity correction")


def within_company_rates(probes: pd.DataFrame, a: str, b: str, alpha: float = 0.05,
                         seed: int = seeds.ANALYSIS) -> list[dict]:
    """A against B inside each company that has both: paired rate difference and MH odds ratio."""
    sub = paired_companies(probes, a, b)
    name = _name("within-company", a, b)
    if sub.empty:
        return [_row(name, "response_rate_difference", method="not estimable: no company has both handles",
                     reason="no_paired_companies")]
    counts = sub.groupby(["company", "department"])["answered"].agg(["sum", "size"]).unstack("department")
    rate_a = counts[("sum", a)] / counts[("size", a)]
    rate_b = counts[("sum", b)] / counts[("size", b)]
    d = (rate_a - rate_b).to_numpy()
    return [_paired_difference(name, d, alpha, seed), _mantel_haenszel(name, counts, a, b, alpha)]


def within_company_comparisons(probes: pd.DataFrame, a: str, b: str, alpha: float = 0.05,
                               seed: int = seeds.ANALYSIS) -> list[dict]:
    """Every within-company row of A against B; none when no company has both."""
    paired = paired_companies(probes, a, b)
    if paired.empty:
        return []
    name = _name("within-company", a, b)
    rows = within_company_rates(probes, a, b, alpha, seed)
    rows += per_comparison(cox_model(paired, "minutes ~ department", strata="company", alpha=alpha,
                                     kind_prefix="within-company")[0], [name])
    rows.append(log_rank(paired, paired["department"], name, strata="company"))
    return rows
