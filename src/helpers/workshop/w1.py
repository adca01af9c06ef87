"""W1, answer rates: the checks of the exercises, each computing its truth from the study."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm

from helpers.stats.proportions import wilson_interval
from helpers.workshop.feedback import Checker, Verdict

TWO_OF_TWO_OPTIONS = ("exactly 100%", "about 34% to 100%", "about 0% to 66%")


def counts(probes: pd.DataFrame) -> tuple[int, int]:
    """(questions answered, questions sent): every question counts, answered or not."""
    return int(probes["answered"].sum()), len(probes)


def wald_interval(k: int, n: int, alpha: float = 0.05) -> tuple[float, float]:
    """The textbook normal-approximation interval p ± z·sqrt(p(1−p)/n): the one not to use."""
    p, z = k / n, norm.ppf(1 - alpha / 2)
    half = z * np.sqrt(p * (1 - p) / n)
    return p - half, p + half


def response_rate(check: Checker, rate, probes: pd.DataFrame) -> Verdict:
    k, n = counts(probes)
    by_department = probes.groupby("department")["answered"].mean()
    mistakes = [(1.0, "w1_dropped_unanswered"), (float(k), "w1_count_not_share"),
                (100 * k / n, "w1_percent"), (k / (n - k) if n > k else np.nan, "w1_odds")]
    mistakes += [(float(v), "w1_one_department") for v in by_department]
    return check.number("w1-response-rate", rate, k / n, mistakes=mistakes, hint="w1_rate_hint",
                        right="w1_rate_right", k=k, n=n)


def wilson_by_hand(check: Checker, interval, probes: pd.DataFrame, alpha: float = 0.05) -> Verdict:
    k, n = counts(probes)
    expected = wilson_interval(k, n, alpha)
    z90 = wilson_interval(k, n, 0.10)
    mistakes = [(wald_interval(k, n, alpha), "w1_wald"), (z90, "w1_wrong_z"),
                (_without_quarter(k, n, alpha), "w1_forgot_quarter")]
    return check.interval("w1-wilson", interval, expected, mistakes=mistakes, hint="w1_wilson_hint",
                          right="w1_wilson_right", level=f"{1 - alpha:.0%}")


def _without_quarter(k: int, n: int, alpha: float) -> tuple[float, float]:
    z = norm.ppf(1 - alpha / 2)
    centre = (k + z**2 / 2) / (n + z**2)
    half = z / (n + z**2) * np.sqrt(k * (n - k) / n)
    return centre - half, centre + half


def two_of_two(check: Checker, answer, alpha: float = 0.05) -> Verdict:
    low, high = wilson_interval(2, 2, alpha)
    return check.choice("w1-two-of-two", answer, TWO_OF_TWO_OPTIONS[1], options=TWO_OF_TWO_OPTIONS,
                        mistakes=[(TWO_OF_TWO_OPTIONS[0], "w1_exactly_100"), (TWO_OF_TWO_OPTIONS[2], "w1_wrong_side")],
                        right="w1_two_right", low=low, high=high)
