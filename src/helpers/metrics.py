"""Answer rates and response times, with their uncertainty.

Conventions used throughout:

- A probe is *answered* when its first reply came within its observation window
  (``first_reply_at <= observed_until``). A reply after the window counts as not answered.
- Time to first reply is right-censored data: an answered probe has an event at its reply time;
  an unanswered one is censored at the end of its window. No probe is ever dropped.
- Proportions get Wilson intervals; the Kaplan-Meier (KM) median gets statsmodels' interval
  from inverted Z-tests (log-log scale); every row says how many probes it rests on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import norm
from statsmodels.duration.survfunc import SurvfuncRight
from statsmodels.stats.proportion import proportion_confint

LEVELS = ("overall", "company", "department", "account")
OVERALL_GROUP = "all"


# --------------------------------------------------------------------------------------------
# Per-probe outcomes


def add_outcomes(probes: pd.DataFrame) -> pd.DataFrame:
    """Add ``answered``, ``reply_after_window`` and ``minutes`` (event or censoring time)."""
    reply, end, sent = probes["first_reply_at"], probes["observed_until"], probes["sent_at"]
    answered = reply.notna() & (reply <= end)
    stop = reply.where(answered, end)
    return probes.assign(
        answered=answered.astype(bool),
        reply_after_window=(reply.notna() & (reply > end)).astype(bool),
        minutes=(stop - sent).dt.total_seconds() / 60.0,
    )


def group_key(probes: pd.DataFrame, level: str) -> pd.Series:
    """The group each probe belongs to at `level` (accounts are named ``company/account``)."""
    if level == "overall":
        return pd.Series(OVERALL_GROUP, index=probes.index)
    if level == "account":
        return probes["company"] + "/" + probes["account"]
    if level in ("company", "department"):
        return probes[level]
    raise ValueError(f"unknown level {level!r}; use one of {', '.join(LEVELS)}")


# --------------------------------------------------------------------------------------------
# Proportions


def wilson_interval(count, nobs, alpha: float = 0.05):
    """Wilson score interval for `count` successes in `nobs` trials (NaN where nobs is 0)."""
    count = np.asarray(count, dtype=float)
    nobs = np.asarray(nobs, dtype=float)
    safe = np.where(nobs > 0, nobs, 1.0)
    low, high = proportion_confint(count, safe, alpha=alpha, method="wilson")
    # At 0 or n successes the bound is exactly 0 or 1 (not 1e-17 from rounding).
    low = np.where(nobs > 0, np.where(count == 0, 0.0, np.clip(low, 0.0, 1.0)), np.nan)
    high = np.where(nobs > 0, np.where(count == nobs, 1.0, np.clip(high, 0.0, 1.0)), np.nan)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


def answer_rates(probes: pd.DataFrame, alpha: float = 0.05, levels: Sequence[str] = LEVELS) -> pd.DataFrame:
    """Answer rate per group with Wilson intervals; the unit is the probe.

    Returns the tidy table written to ``answer_rates.csv``:
    ``level, group, n_probes, n_answered, answer_rate, ci_low, ci_high``.
    """
    frames = []
    for level in levels:
        g = probes.groupby(group_key(probes, level), sort=True)["answered"]
        t = pd.DataFrame({"n_probes": g.size(), "n_answered": g.sum().astype(int)})
        t.index.name = "group"
        frames.append(t.reset_index().assign(level=level))
    out = pd.concat(frames, ignore_index=True)
    out["answer_rate"] = out["n_answered"] / out["n_probes"]
    out["ci_low"], out["ci_high"] = wilson_interval(out["n_answered"], out["n_probes"], alpha)
    return out[["level", "group", "n_probes", "n_answered", "answer_rate", "ci_low", "ci_high"]]


# --------------------------------------------------------------------------------------------
# Kaplan-Meier


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


def km_quantile(times: np.ndarray, surv: np.ndarray, p: float = 0.5) -> float:
    """Time by which a share `p` is answered, by R `survival`'s rule.

    The smallest t with S(t) <= 1 - p; where the curve sits exactly at 1 - p over an
    interval, the midpoint of that interval. NaN when the curve never gets there.
    """
    target = 1.0 - p
    tol = np.sqrt(np.finfo(float).eps)
    keep = np.flatnonzero(surv < target + tol)
    if len(keep) == 0:
        return float("nan")
    first = keep[0]
    if abs(surv[first] - target) < tol:
        lower = np.flatnonzero(surv < surv[first] - tol)
        if len(lower):
            return float((times[first] + times[lower[0]]) / 2)
    return float(times[first])


def km_median(minutes, answered) -> float:
    """KM median time to first reply (NaN when fewer than half were answered)."""
    return km_quantile(*km_steps(minutes, answered), 0.5)


@dataclass(frozen=True)
class KaplanMeier:
    """A KM fit of time to first reply, with the few readings the suite needs."""

    times: np.ndarray  # distinct reply times (minutes)
    surv: np.ndarray  # S(t) just after each of them: share still unanswered
    se: np.ndarray  # Greenwood standard error of surv
    n: int
    n_answered: int
    fit: SurvfuncRight | None  # None when nothing was answered

    @classmethod
    def from_probes(cls, minutes, answered) -> "KaplanMeier":
        minutes = np.asarray(minutes, dtype=float)
        answered = np.asarray(answered, dtype=bool)
        n_answered = int(answered.sum())
        if n_answered == 0:
            empty = np.array([], dtype=float)
            return cls(empty, empty, empty, len(minutes), 0, None)
        fit = SurvfuncRight(minutes, answered.astype(int))
        return cls(np.asarray(fit.surv_times), np.asarray(fit.surv_prob),
                   np.asarray(fit.surv_prob_se), len(minutes), n_answered, fit)

    def survival_at(self, t: float) -> float:
        """S(t), the KM share of probes still unanswered at `t` minutes (right-continuous)."""
        i = np.searchsorted(self.times, t, side="right") - 1
        return 1.0 if i < 0 else float(self.surv[i])

    def share_within(self, t: float) -> float:
        """KM estimate of the share answered within `t` minutes: 1 - S(t)."""
        return 1.0 - self.survival_at(t)

    def quantile(self, p: float = 0.5) -> float:
        """Time by which a share `p` is answered, by R `survival`'s rule (see `km_quantile`)."""
        return km_quantile(self.times, self.surv, p)

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

    Keys: ``n_probes, n_answered, median_minutes, median_ci_low, median_ci_high`` and, per
    threshold T, ``within_<T>min`` with ``_ci_low`` / ``_ci_high``.
    """
    minutes = np.asarray(minutes, dtype=float)
    answered = np.asarray(answered, dtype=bool)
    km = KaplanMeier.from_probes(minutes, answered)
    low, high = km.quantile_ci(0.5, alpha)
    row = {"n_probes": km.n, "n_answered": km.n_answered,
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
    ``level, group, n_probes, n_answered, median_minutes, median_ci_low, median_ci_high`` and,
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


# --------------------------------------------------------------------------------------------
# The company-level view used by the 2014 study


def company_view(probes: pd.DataFrame) -> pd.DataFrame:
    """One row per company: did any of its accounts answer any probe, and its fastest answer.

    This is how the 2014 Econsultancy study counted: the unit is the company, a company is
    answered if any account answered any question within the window, and its time is its
    fastest first reply. ``fastest_minutes`` is NaN for companies that never answered.
    """
    answered = probes[probes["answered"]]
    fastest = answered.sort_values(["minutes", "probe_id"]).groupby("company", sort=True).first()
    windows = (probes["observed_until"] - probes["sent_at"]).dt.total_seconds() / 60
    base = probes.assign(window_minutes=windows).groupby("company", sort=True).agg(
        n_accounts=("account", "nunique"), n_probes=("probe_id", "size"),
        shortest_window_minutes=("window_minutes", "min"),
    )
    base["answered"] = base.index.isin(fastest.index)
    base["fastest_minutes"] = fastest["minutes"].reindex(base.index)
    base["fastest_account"] = fastest["account"].reindex(base.index)
    base["fastest_question_type"] = fastest["question_type"].reindex(base.index)
    base.index.name = "company"
    return base.reset_index()


def headline(probes: pd.DataFrame, thresholds: Sequence[int], alpha: float = 0.05) -> dict:
    """The company-level figures of the 2014 study, each with a Wilson interval.

    A company whose shortest observation window is under a threshold is still counted (as not
    answered within it, if it had not answered by then); ``companies_with_short_window`` says
    how many such companies there are, so a reader can judge the effect.
    """
    view = company_view(probes)
    n = len(view)

    def figure(count: int) -> dict:
        low, high = wilson_interval(count, n, alpha)
        return {"count": int(count), "share": count / n if n else None, "ci_low": low, "ci_high": high}

    out = {
        "unit": "company",
        "definition": ("a company counts as answered if any of its accounts answered any probe within "
                       "the observation window; its time is its fastest first reply"),
        "ci_method": f"Wilson score interval, {100 * (1 - alpha):g}% confidence",
        "alpha": alpha,
        "companies": n,
        "answered": figure(int(view["answered"].sum())),
    }
    for t in thresholds:
        out[within_column(t)] = figure(int((view["fastest_minutes"] <= t).sum()))
        out[within_column(t)]["companies_with_short_window"] = int((view["shortest_window_minutes"] < t).sum())
    return out
