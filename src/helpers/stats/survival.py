"""Censored response times: Kaplan-Meier curves, medians and shares answered within thresholds.

Time to first reply is right-censored: an answered probe has an event at its reply time; an
unanswered one is censored at the end of its window, never dropped. Medians and quantiles
follow R `survival`'s ``quantile.survfit`` (see `km_quantile`). The KM median gets
statsmodels' interval from inverted Z-tests (log-log scale): its lower limit is R's
(``conf.type = "log-log"``), its upper limit too except where S drops to 0, where R has NA and
statsmodels, like SAS, the last reply. Every row says how many probes it rests on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import norm
from statsmodels.duration.survfunc import SurvfuncRight

from helpers.data.outcomes import LEVELS, OVERALL_GROUP, group_key
from helpers.stats.proportions import wilson_interval


def km_steps(minutes, answered) -> tuple[np.ndarray, np.ndarray]:
    """KM curve without standard errors: distinct reply times and S(t) just after each.

    The same estimate as `KaplanMeier` in plain numpy, fast enough to call thousands of times
    in a bootstrap.
    """
    minutes = np.asarray(minutes, dtype=float)
    answered = np.asarray(answered, dtype=bool)
    times = np.unique(minutes[answered])
    if len(times) == 0:
        return times, times.copy()
    ordered = np.sort(minutes)
    at_risk = len(minutes) - np.searchsorted(ordered, times, side="left")
    events = np.bincount(np.searchsorted(times, minutes[answered]), minlength=len(times))
    return times, np.cumprod(1.0 - events / at_risk)


_TOLERANCE = float(np.sqrt(np.finfo(float).eps))  # R quantile.survfit's default tolerance


def km_quantile(times: np.ndarray, surv: np.ndarray, p: float = 0.5, end: float | None = None) -> float:
    """Time by which a share `p` is answered, by R `survival`'s ``quantile.survfit`` rule.

    `times` are the distinct reply times and `surv` S(t) just after each (as from `km_steps`);
    `end` is the last follow-up time of the sample (the largest of all minutes, answered or
    censored). With F = 1 - S and F(0) = 0, the quantile is the smallest t with F(t) >= p;
    where F sits at p (within sqrt(machine epsilon)) over a horizontal segment, it is the
    midpoint of that segment: up to the next reply, or, when the segment runs to the end of
    follow-up, up to `end`. NaN when F never reaches p; 0 for p = 0. `end=None` (not
    recommended) takes the start of a segment that runs to the end.
    """
    if p == 0:
        return 0.0
    times = np.asarray(times, dtype=float)
    if len(times) == 0:
        return float("nan")
    tol = _TOLERANCE
    f = 1.0 - np.asarray(surv, dtype=float)  # non-decreasing: `side="left"` finds a flat run's start
    i2 = int(np.searchsorted(f - tol, p, side="left"))  # first F >= p + tol
    if p <= tol:  # R's curve starts at F(0) = 0, already within tol of p
        start = 0.0
    else:
        i1 = int(np.searchsorted(f + tol, p, side="left"))  # first F >= p - tol
        if i1 == len(f):
            return float("nan")
        start = times[i1]
    if i2 < len(f):
        return float((start + times[i2]) / 2)
    # F is at p to within tol on the last segment, which runs to the end of follow-up.
    if end is None:
        return float(start)
    return float((start + max(float(end), times[-1])) / 2)


def km_medians(minutes: np.ndarray, answered: np.ndarray) -> np.ndarray:
    """The KM median of each row of two (samples, probes) arrays at once, by `km_quantile`'s rule.

    For bootstraps: one sort per row instead of a KM fit per replicate. Sorted by time with
    replies before censorings at a tie, the running product of (1 - 1/at risk) over replies
    equals the KM curve at the end of each tied group, and the first position where F reaches a
    level has the time at which the curve does. NaN where fewer than half were answered.
    """
    minutes = np.asarray(minutes, dtype=float)
    answered = np.asarray(answered, dtype=bool)
    rows, n = minutes.shape
    if n == 0:
        return np.full(rows, np.nan)
    order = np.lexsort((~answered, minutes), axis=-1)
    m = np.take_along_axis(minutes, order, axis=1)
    a = np.take_along_axis(answered, order, axis=1)
    f = 1.0 - np.cumprod(np.where(a, 1.0 - 1.0 / (n - np.arange(n)), 1.0), axis=1)
    low, high = f >= 0.5 - _TOLERANCE, f >= 0.5 + _TOLERANCE
    r = np.arange(rows)
    start = m[r, np.argmax(low, axis=1)]
    stop = np.where(high.any(axis=1), m[r, np.argmax(high, axis=1)], m[:, -1])  # m[:, -1]: the end of follow-up
    return np.where(low.any(axis=1), (start + stop) / 2, np.nan)


def km_median(minutes, answered) -> float:
    """KM median time to first reply (NaN when fewer than half were answered), R's rule."""
    minutes = np.asarray(minutes, dtype=float)
    end = float(minutes.max()) if len(minutes) else None
    return km_quantile(*km_steps(minutes, answered), 0.5, end)


@dataclass(frozen=True)
class KaplanMeier:
    """A KM fit of time to first reply, with the few readings the suite needs."""

    times: np.ndarray  # distinct reply times (minutes)
    surv: np.ndarray  # S(t) just after each of them: share still unanswered
    se: np.ndarray  # Greenwood standard error of surv
    n: int
    n_responded: int
    fit: SurvfuncRight | None  # None when nothing was answered
    end: float | None = None  # last follow-up time (largest minutes, answered or censored)

    @classmethod
    def from_probes(cls, minutes, answered) -> "KaplanMeier":
        minutes = np.asarray(minutes, dtype=float)
        answered = np.asarray(answered, dtype=bool)
        n_responded = int(answered.sum())
        end = float(minutes.max()) if len(minutes) else None
        if n_responded == 0:
            empty = np.array([], dtype=float)
            return cls(empty, empty, empty, len(minutes), 0, None, end)
        fit = SurvfuncRight(minutes, answered.astype(int))
        return cls(np.asarray(fit.surv_times), np.asarray(fit.surv_prob),
                   np.asarray(fit.surv_prob_se), len(minutes), n_responded, fit, end)

    def survival_at(self, t: float) -> float:
        """S(t), the KM share of probes still unanswered at `t` minutes (right-continuous)."""
        i = np.searchsorted(self.times, t, side="right") - 1
        return 1.0 if i < 0 else float(self.surv[i])

    def share_within(self, t: float) -> float:
        """KM estimate of the share answered within `t` minutes: 1 - S(t)."""
        return 1.0 - self.survival_at(t)

    def quantile(self, p: float = 0.5) -> float:
        """Time by which a share `p` is answered, by R's ``quantile.survfit`` rule (see `km_quantile`)."""
        return km_quantile(self.times, self.surv, p, self.end)

    def median(self) -> float:
        return self.quantile(0.5)

    def quantile_ci(self, p: float = 0.5, alpha: float = 0.05) -> tuple[float, float]:
        """statsmodels' interval for the `p` quantile (log-log scale); inf = not bounded."""
        if self.fit is None:
            return float("nan"), float("nan")
        with np.errstate(divide="ignore", invalid="ignore"):
            low, high = self.fit.quantile_ci(p, alpha=alpha, method="cloglog")
        return float(low), float(high)


def share_within_ci(km: KaplanMeier, minutes, answered, t: float, alpha: float = 0.05) -> tuple[float, float]:
    """Interval for the share answered within `t` minutes.

    When no probe is censored before `t`, the KM share is the plain proportion and the
    Wilson interval applies. Otherwise: the KM pointwise interval on the log-log scale,
    falling back to Wilson on the probes still observed at `t` where that is degenerate.
    """
    minutes = np.asarray(minutes, dtype=float)
    answered = np.asarray(answered, dtype=bool)
    censored_early = (~answered) & (minutes < t)
    k = int((answered & (minutes <= t)).sum())
    if not censored_early.any():
        return wilson_interval(k, len(minutes), alpha)
    s = km.survival_at(t)
    i = np.searchsorted(km.times, t, side="right") - 1
    se = float(km.se[i]) if i >= 0 else 0.0
    if not 0.0 < s < 1.0 or se == 0.0:
        still_observed = int(len(minutes) - censored_early.sum())
        if still_observed == 0:
            return 0.0, 1.0  # every probe censored before t: the data say nothing
        return wilson_interval(k, still_observed, alpha)
    z = norm.ppf(1 - alpha / 2)
    theta, se_theta = np.log(-np.log(s)), se / (s * abs(np.log(s)))
    s_low, s_high = np.exp(-np.exp(theta + z * se_theta)), np.exp(-np.exp(theta - z * se_theta))
    return float(1.0 - s_high), float(1.0 - s_low)


def within_column(t: int) -> str:
    return f"within_{t}min"


def km_summary(minutes, answered, thresholds: Sequence[int], alpha: float = 0.05) -> dict:
    """KM median with its interval and the shares within each threshold, with theirs.

    Keys: ``n_probes, n_responded, median_minutes, median_ci_low, median_ci_high`` and, per
    threshold T, ``within_<T>min`` with ``_ci_low`` / ``_ci_high``.
    """
    minutes = np.asarray(minutes, dtype=float)
    answered = np.asarray(answered, dtype=bool)
    km = KaplanMeier.from_probes(minutes, answered)
    low, high = km.quantile_ci(0.5, alpha)
    row = {"n_probes": km.n, "n_responded": km.n_responded,
           "median_minutes": km.median(), "median_ci_low": low, "median_ci_high": high}
    for t in thresholds:
        col = within_column(t)
        row[col] = km.share_within(t)
        row[f"{col}_ci_low"], row[f"{col}_ci_high"] = share_within_ci(km, minutes, answered, t, alpha)
    return row


def response_times(probes: pd.DataFrame, thresholds: Sequence[int], alpha: float = 0.05,
                   levels: Sequence[str] = LEVELS) -> pd.DataFrame:
    """KM median time to first reply and KM shares within each threshold, per group.

    The unit is the probe. Returns the tidy table written to ``response_times.csv``:
    ``level, group, n_probes, n_responded, median_minutes, median_ci_low, median_ci_high`` and,
    per threshold T, ``within_<T>min`` with ``within_<T>min_ci_low`` / ``_ci_high``.
    ``median_minutes`` is empty (NaN) when fewer than half were answered within the window;
    ``median_ci_high`` is ``inf`` when the data do not bound it.
    """
    rows = []
    for level in levels:
        for group, d in probes.groupby(group_key(probes, level), sort=True):
            rows.append({"level": level, "group": group,
                         **km_summary(d["minutes"], d["answered"], thresholds, alpha)})
    return pd.DataFrame(rows)


def naive_within(probes: pd.DataFrame, thresholds: Sequence[int]) -> pd.DataFrame:
    """Plain counts answered within each threshold ("5 of 20 within 30 min"), for comparison."""
    n = len(probes)
    rows = [{"threshold_minutes": t, "n": n,
             "answered_within": int((probes["answered"] & (probes["minutes"] <= t)).sum())}
            for t in thresholds]
    out = pd.DataFrame(rows)
    out["share"] = out["answered_within"] / n if n else np.nan
    return out


def km_curve(probes: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Step-function points of the KM share answered over time, per group, for plotting."""
    probes = probes[["minutes", "answered"] + ([by] if by is not None else [])]  # split no other column
    groups = [(OVERALL_GROUP, probes)] if by is None else probes.groupby(by, sort=True)
    frames = []
    for group, d in groups:
        km = KaplanMeier.from_probes(d["minutes"], d["answered"])
        end = float(d["minutes"].max())
        t = np.concatenate([[0.0], km.times, [end]])
        s = np.concatenate([[1.0], km.surv, [km.surv[-1] if len(km.surv) else 1.0]])
        frames.append(pd.DataFrame({"group": group, "minutes": t, "share_answered": 1.0 - s,
                                    "n_probes": km.n}))
    return pd.concat(frames, ignore_index=True)
