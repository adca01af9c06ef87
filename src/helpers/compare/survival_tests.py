"""Times to first reply compared without a model: log-rank tests and KM differences.

Metrics and what the estimate means:

- ``log_rank_statistic``: the log-rank chi-square (estimate) and its p-value; stratified by
  company within companies. No interval: it is a test statistic.
- ``median_minutes_difference``: KM median of A minus KM median of B (minutes), percentile
  interval from a bootstrap over companies; ``inf`` when a median is not reached. No test.
- ``share_within_<T>min_difference``: KM share answered within T minutes, A minus B, same
  bootstrap. No test.

Unanswered probes are censored at the end of their window, never dropped.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.duration.survfunc import survdiff

from helpers import seeds
from helpers.compare.multiplicity import _name, _row
from helpers.stats.survival import km_quantile, km_steps


def _survdiff(minutes, status, group, strata=None) -> tuple[float, float] | None:
    """statsmodels' log-rank chi-square and its p-value; None when no answer came while the
    groups were all still observed (its variance matrix is then singular).

    The p-value is the chi-square upper tail from `chi2.sf`: statsmodels computes
    ``1 - chi2.cdf``, which is exactly 0 for a chi-square above about 80 (1 df).
    """
    try:
        chisq, _ = survdiff(minutes, status, group, strata=strata)
    except np.linalg.LinAlgError:
        return None
    return chisq, float(stats.chi2.sf(chisq, len(np.unique(group)) - 1))


def log_rank(probes: pd.DataFrame, group: pd.Series, comparison: str, strata: str | None = None) -> dict:
    """Log-rank test of time to first reply between the groups in `group` (censoring kept)."""
    if group.nunique() < 2 or probes["answered"].sum() == 0:
        return _row(comparison, "log_rank_statistic", method="not testable: one group, or no answers",
                    reason="one_group_or_no_answers")
    result = _survdiff(probes["minutes"].to_numpy(), probes["answered"].astype(int).to_numpy(),
                       group.to_numpy(), probes[strata].to_numpy() if strata else None)
    if result is None:
        return _row(comparison, "log_rank_statistic", reason="no_overlap",
                    method="not testable: no answer while both groups were still observed")
    chisq, p = result
    method = ("log-rank test (unit: probe; unanswered probes censored)"
              + (f", stratified by {strata}" if strata else "")
              + f", {group.nunique() - 1} degree(s) of freedom")
    return _row(comparison, "log_rank_statistic", chisq, p_value=p, method=method)


def log_rank_two_groups(minutes, answered, in_group: np.ndarray) -> np.ndarray:
    """Log-rank chi-square of group vs the rest, for many group labellings at once.

    `in_group` is a boolean matrix (one labelling per row, one column per probe). Vectorised
    so that a permutation test over thousands of labellings takes milliseconds.
    """
    minutes = np.asarray(minutes, dtype=float)
    answered = np.asarray(answered, dtype=bool)
    g = np.atleast_2d(np.asarray(in_group, dtype=float))
    times = np.unique(minutes[answered])
    if len(times) == 0:
        return np.zeros(len(g))
    # Column j + 1 holds probes whose last event time at or before their own time is times[j]
    # (column 0: gone before the first answer); a probe is at risk at times[j] iff its column > j.
    last = np.searchsorted(times, minutes, side="right")
    onehot = np.zeros((len(minutes), len(times) + 1))
    onehot[np.arange(len(minutes)), last] = 1.0
    risk_all = onehot.sum(axis=0)[::-1].cumsum()[::-1][1:]
    d_all = np.bincount(last[answered] - 1, minlength=len(times))
    risk_g = (g @ onehot)[:, ::-1].cumsum(axis=1)[:, ::-1][:, 1:]
    d_g = g[:, answered] @ onehot[answered][:, 1:]
    frac = risk_g / risk_all
    o_minus_e = (d_g - d_all * frac).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        ties = np.where(risk_all > 1, (risk_all - d_all) / np.maximum(risk_all - 1, 1), 1.0)
        var = (d_all * frac * (1 - frac) * ties).sum(axis=1)
        return np.where(var > 0, o_minus_e**2 / var, 0.0)


def _km_readings(minutes: np.ndarray, answered: np.ndarray, thresholds: Sequence[int]) -> np.ndarray:
    """KM median (inf when not reached) and shares within each threshold, as one vector."""
    if len(minutes) == 0:
        return np.full(1 + len(thresholds), np.nan)
    times, surv = km_steps(minutes, answered)
    median = km_quantile(times, surv, 0.5, end=minutes.max())  # R: a flat end runs to the last follow-up
    out = [np.inf if np.isnan(median) else median]
    for t in thresholds:
        i = np.searchsorted(times, t, side="right") - 1
        out.append(1.0 - (surv[i] if i >= 0 else 1.0))
    return np.array(out)


def _bootstrap_method(j: int, n_boot: int, n_ok: int, cluster: str) -> str:
    what = "KM median" if j == 0 else "KM share answered within the threshold"
    return (f"{what}, A minus B (unanswered probes censored); percentile interval from "
            f"{n_boot} bootstrap replicates resampling whole {cluster} clusters"
            + (f" ({n_boot - n_ok} undefined replicates left out)" if n_ok < n_boot else "")
            + ("; inf = median not reached" if j == 0 else "") + "; no test (see log_rank_statistic)")


def km_difference_bootstrap(probes: pd.DataFrame, a: str, b: str, thresholds: Sequence[int],
                            by: str = "department", cluster: str = "company", kind: str = "department",
                            n_boot: int = 2000, alpha: float = 0.05, seed: int = seeds.ANALYSIS) -> list[dict]:
    """KM median and shares within thresholds, group A minus group B, with a cluster bootstrap.

    Each replicate resamples whole clusters (companies) with replacement, so the interval
    respects that probes of one company are alike. A median not reached within the window is
    ``inf``; replicates where a difference is undefined (a group absent, or both medians not
    reached) are left out, and the method says how many.
    """
    groups = [(d["minutes"].to_numpy(float), d["answered"].to_numpy(bool), d[by].to_numpy())
              for _, d in probes.groupby(cluster, sort=True)]

    def readings(parts) -> np.ndarray:
        m = np.concatenate([p[0] for p in parts])
        ans = np.concatenate([p[1] for p in parts])
        g = np.concatenate([p[2] for p in parts])
        ra = _km_readings(m[g == a], ans[g == a], thresholds)
        rb = _km_readings(m[g == b], ans[g == b], thresholds)
        with np.errstate(invalid="ignore"):
            return ra - rb

    observed = readings(groups)
    rng = np.random.default_rng(seed)
    draws = np.array([readings([groups[i] for i in rng.integers(0, len(groups), len(groups))])
                      for _ in range(n_boot)])
    metrics = ["median_minutes_difference"] + [f"share_within_{t}min_difference" for t in thresholds]
    rows = []
    for j, metric in enumerate(metrics):
        d = draws[:, j]
        ok = ~np.isnan(d)
        if np.isnan(observed[j]) or ok.sum() < 0.9 * n_boot:
            rows.append(_row(_name(kind, a, b), metric, reason="difference_undefined",
                             method="not estimable: the difference is undefined (a group missing, or neither median reached)"))
            continue
        # Order statistics, not interpolation: a bound may be infinite (median not reached).
        low, high = np.quantile(d[ok], [alpha / 2, 1 - alpha / 2], method="inverted_cdf")
        rows.append(_row(_name(kind, a, b), metric, observed[j], low, high, np.nan,
                         _bootstrap_method(j, n_boot, int(ok.sum()), cluster)))
    return rows
