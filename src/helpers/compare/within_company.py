"""Departments compared inside each company that has both: paired, or stratified by company.

These rows (``within-company:A-vs-B``) use only companies with accounts of both departments, so
a company's own level of service cancels out. Metrics and what the estimate means:

- ``answer_rate_difference``: the mean over companies of the per-company difference in answer
  rate (exact sign-flip permutation test, interval by inverting it; unit: company).
- ``answer_odds_ratio``: Mantel-Haenszel odds ratio over companies with the CMH test.
- ``hazard_ratio``: Cox model stratified by company (see `helpers.compare.models`).
- ``log_rank_statistic``: log-rank test stratified by company.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
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


def _sign_flip_pvalue(d: np.ndarray, signs: np.ndarray) -> float:
    """Two-sided permutation p-value of the mean of paired differences (signs flipped)."""
    d = np.asarray(d, dtype=float)
    if len(d) == 0 or not np.any(d):
        return 1.0
    means = np.abs(signs @ d) / len(d)
    return float(np.mean(means >= abs(d.mean()) - 1e-12))


def _paired_difference(name: str, d: np.ndarray, alpha: float, seed: int) -> dict:
    """Mean per-company rate difference, sign-flip test and the interval that inverts it."""
    m = len(d)
    signs = _sign_patterns(m, np.random.default_rng(seed))
    p = _sign_flip_pvalue(d, signs)
    # The interval inverts the same test: every shift the test does not reject at alpha.
    # signs @ (d - delta) = signs @ d - delta * signs.sum(1): one product serves every shift.
    flipped, weight = signs @ d, signs.sum(axis=1)
    grid = np.linspace(-1.0, 1.0, 801)
    kept = [delta for delta in grid
            if np.mean(np.abs(flipped - delta * weight) >= abs(d.sum() - delta * m) - 1e-9) > alpha
            or np.allclose(d, delta)]
    low, high = (min(kept), max(kept)) if kept else (np.nan, np.nan)
    return _row(name, "answer_rate_difference", d.mean(), low, high, p,
                f"mean over {m} companies of the per-company difference in answer rate (unit: company); "
                "exact sign-flip permutation test, interval by inverting it")


def _mantel_haenszel(name: str, counts: pd.DataFrame, a: str, b: str, alpha: float) -> dict:
    """Mantel-Haenszel odds ratio of A over B over the companies' 2 x 2 tables, CMH test."""
    tables = [np.array([[counts.at[c, ("sum", a)], counts.at[c, ("size", a)] - counts.at[c, ("sum", a)]],
                        [counts.at[c, ("sum", b)], counts.at[c, ("size", b)] - counts.at[c, ("sum", b)]]],
                       dtype=float) for c in counts.index]
    st = StratifiedTable(tables)
    with np.errstate(divide="ignore", invalid="ignore"):
        odds = st.oddsratio_pooled
        low, high = st.oddsratio_pooled_confint(alpha=alpha)
        p = st.test_null_odds(correction=True).pvalue
    if not np.isfinite(odds) or odds == 0:
        return _row(name, "answer_odds_ratio", reason="no_discordant",
                    method="not estimable: no company has a discordant table (MH odds ratio undefined)")
    return _row(name, "answer_odds_ratio", odds, low, high, p,
                f"Mantel-Haenszel odds ratio over {len(tables)} companies (stratified by company; unit: probe); "
                "Robins-Breslow-Greenland interval; CMH test with continuity correction")


def within_company_rates(probes: pd.DataFrame, a: str, b: str, alpha: float = 0.05,
                         seed: int = seeds.ANALYSIS) -> list[dict]:
    """A against B inside each company that has both: paired rate difference and MH odds ratio."""
    sub = paired_companies(probes, a, b)
    name = _name("within-company", a, b)
    if sub.empty:
        return [_row(name, "answer_rate_difference", method="not estimable: no company has both handles",
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
