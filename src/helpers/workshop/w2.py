"""W2, censoring: a toy sample to build a Kaplan-Meier step by hand, the checks, and one figure."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from helpers.figures import theme
from helpers.stats import survival
from helpers.text.catalogue import t_plain
from helpers.workshop.feedback import Checker, Verdict

# Eight questions: minutes to the first reply, or to the end of the wait when none came (censored).
TOY = pd.DataFrame({"minutes": [5, 12, 20, 30, 45, 60, 90, 120],
                    "answered": [True, True, False, True, True, False, True, False]})
TOY_TIME = 45  # exercise 2: S just after this reply
MEDIAN_OPTIONS = ("not reached", "0 minutes", "the length of the window")


def toy() -> pd.DataFrame:
    return TOY.copy()


def naive_median(check: Checker, value, probes: pd.DataFrame) -> Verdict:
    answered = probes.loc[probes["answered"], "minutes"]
    return check.number("w2-naive-median", value, float(answered.median()), tol=1e-3,
                        mistakes=[(float(probes["minutes"].median()), "w2_median_all"),
                                  (float(answered.mean()), "w2_mean_not_median")],
                        hint="w2_naive_hint", right="w2_naive_right", left_out=int((~probes["answered"]).sum()))


def survival_by_hand(check: Checker, value, data: pd.DataFrame = TOY, at: float = TOY_TIME) -> Verdict:
    times, surv = survival.km_steps(data["minutes"], data["answered"])
    expected = float(surv[np.searchsorted(times, at, side="right") - 1])
    answered = data.loc[data["answered"], "minutes"]
    dropped = float((answered > at).mean())  # censored questions left out from the start
    everyone = float(1 - (data["answered"] & (data["minutes"] <= at)).sum() / len(data))  # never leave the risk set
    return check.number("w2-km-by-hand", value, expected, tol=1e-3,
                        mistakes=[(dropped, "w2_dropped_censored"), (everyone, "w2_censored_stay"),
                                  (1 - expected, "w2_share_not_survival")],
                        hint="w2_km_hint", right="w2_km_right", at=at)


def share_within(check: Checker, value, probes: pd.DataFrame, minutes: float = 30) -> Verdict:
    n, answered = len(probes), probes["answered"]
    k = int((answered & (probes["minutes"] <= minutes)).sum())
    return check.number("w2-within", value, k / n, tol=1e-6,
                        mistakes=[(k / int(answered.sum()), "w2_within_answered_only"),
                                  (100 * k / n, "w1_percent"),
                                  (float((answered & (probes["minutes"] <= minutes / 60)).mean()), "w2_hours")],
                        hint="w2_within_hint", right="w2_within_right", k=k, n=n, minutes=minutes)


def median_not_reached(check: Checker, answer) -> Verdict:
    return check.choice("w2-not-reached", answer, MEDIAN_OPTIONS[0], options=MEDIAN_OPTIONS,
                        mistakes=[(MEDIAN_OPTIONS[1], "w2_zero"), (MEDIAN_OPTIONS[2], "w2_window")],
                        right="w2_not_reached_right")


def naive_vs_km(probes: pd.DataFrame, study, lang: str = "en", max_hours: float = 24):
    """The share answered over time two ways: over answered questions only (naive) and Kaplan-Meier."""
    fig, ax = plt.subplots()
    answered = np.sort(probes.loc[probes["answered"], "minutes"].to_numpy())
    naive = np.arange(1, len(answered) + 1) / max(len(answered), 1)
    times, surv = survival.km_steps(probes["minutes"], probes["answered"])
    ax.step(np.r_[0, answered] / 60, np.r_[0, naive], where="post", label=t_plain("w2_fig_naive", lang))
    ax.step(np.r_[0, times] / 60, np.r_[0, 1 - surv], where="post", label=t_plain("w2_fig_km", lang))
    ax.set_xlim(0, max_hours)
    ax.set_ylim(0, 1)
    ax.set_xlabel(t_plain("ax_time_hours", lang))
    ax.set_ylabel(t_plain("w2_fig_share", lang))
    ax.set_title(t_plain("w2_fig_title", lang))
    ax.legend(loc="lower right")
    theme.label(fig, study, lang)
    return fig, ax


def steps_table(data: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The toy sample's KM steps from statsmodels beside the package's `km_steps`: one row per reply time."""
    from statsmodels.duration.survfunc import SurvfuncRight

    fit = SurvfuncRight(data["minutes"], data["answered"].astype(int))
    times, surv = survival.km_steps(data["minutes"], data["answered"])
    return pd.DataFrame({t_plain("w2_col_time", lang): times, t_plain("w2_col_statsmodels", lang): fit.surv_prob,
                         t_plain("w2_col_package", lang): surv}).round(3)


def medians_table(probes: pd.DataFrame, alpha: float = 0.05, lang: str = "en") -> pd.DataFrame:
    """The naive median beside the KM median with its interval, in minutes."""
    km = survival.KaplanMeier.from_probes(probes["minutes"], probes["answered"])
    low, high = km.quantile_ci(0.5, alpha)
    naive = float(probes.loc[probes["answered"], "minutes"].median())
    rows = [(t_plain("w2_row_naive", lang), naive, np.nan, np.nan), (t_plain("w2_row_km", lang), km.median(), low, high)]
    columns = [t_plain(k, lang) for k in ("w2_col_estimate", "w2_col_median", "w2_col_low", "w2_col_high")]
    return pd.DataFrame(rows, columns=columns).round(1).set_index(columns[0])


def within_table(probes: pd.DataFrame, minutes: float = 30, alpha: float = 0.05, lang: str = "en") -> pd.DataFrame:
    """The KM share answered within `minutes`, with the package's interval."""
    row = survival.km_summary(probes["minutes"], probes["answered"], [int(minutes)], alpha)
    col = survival.within_column(int(minutes))
    columns = [t_plain(k, lang) for k in ("w2_col_share", "w2_col_low", "w2_col_high")]
    return pd.DataFrame([[row[col], row[f"{col}_ci_low"], row[f"{col}_ci_high"]]], columns=columns).round(3)
