"""Plain-language formatting of figures, shared by notebooks and the report site."""

from __future__ import annotations

import math


def pct(x: float | None, digits: int = 0) -> str:
    """0.853 -> '85%'; missing values -> 'n/a'."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{100 * x:.{digits}f}%"


def share_ci(count: int, n: int, low: float, high: float, unit: str, level: float = 0.95) -> str:
    """'17 of 20 companies (85%; 95% CI 64%-95%)'."""
    share = count / n if n else float("nan")
    return f"{count} of {n} {unit} ({pct(share)}; {level:.0%} CI {pct(low)}–{pct(high)})"


UNITS = {"en": (" min", " h", " days"), "ja": ("分", "時間", "日")}


def duration(minutes: float | None, lang: str = "en") -> str:
    """A duration in readable units: 42 -> '42 min', 135 -> '2.2 h', 1440 -> '24 h', 3000 -> '2.1 days'
    (in Japanese '42分', '2.2時間', '2.1日')."""
    if minutes is None or (isinstance(minutes, float) and math.isnan(minutes)):
        return "not reached"
    if math.isinf(minutes):
        return "unbounded"
    mins, hours, days = UNITS[lang]
    if minutes < 90:
        return f"{minutes:.0f}{mins}"
    if minutes < 48 * 60:
        return f"{minutes / 60:.{0 if minutes % 60 == 0 else 1}f}{hours}"
    return f"{minutes / 1440:.1f}{days}"


def duration_ci(median: float, low: float, high: float, level: float = 0.95) -> str:
    """'2.2 h (95% CI 41 min–5.0 h)', with honest words when the median is not reached."""
    if median is None or math.isnan(median):
        return "not reached within the observation window"
    upper = "not bounded by the data" if math.isinf(high) or math.isnan(high) else duration(high)
    return f"{duration(median)} ({level:.0%} CI {duration(low)}–{upper})"


def pvalue(p: float | None) -> str:
    """'p = 0.031', 'p < 0.001', or '—' where no test applies."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "—"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def estimate_ci(metric: str, estimate: float, low: float, high: float, level: float = 0.95) -> str:
    """A comparison's estimate with its interval, in the metric's own units."""
    if estimate is None or (isinstance(estimate, float) and math.isnan(estimate)):
        return "not estimable"
    if metric.endswith("_statistic") or metric.endswith("_chisq"):
        return f"χ² = {estimate:.2f}"
    if metric == "median_minutes_difference":
        def signed(m: float, side: str) -> str:
            if math.isinf(m) or math.isnan(m):
                return f"not bounded {side}"
            return ("−" if m < 0 else "+") + duration(abs(m))

        if math.isinf(estimate):
            return "not estimable: a median was not reached"
        return f"{signed(estimate, '')} ({level:.0%} CI {signed(low, 'below')} to {signed(high, 'above')})"
    if metric.endswith("_difference"):
        pp = lambda v: f"{100 * v:+.0f} pts".replace("-", "−")  # noqa: E731
        return f"{pp(estimate)} ({level:.0%} CI {pp(low)} to {pp(high)})"
    return f"{estimate:.2f} ({level:.0%} CI {low:.2f}–{'∞' if math.isinf(high) else f'{high:.2f}'})"


def median_cis(table, level: float = 0.95) -> list[str]:
    """`duration_ci` for every row of a table with ``median_minutes, median_ci_low, median_ci_high``."""
    return [duration_ci(m, lo, hi, level) for m, lo, hi in
            zip(table["median_minutes"], table["median_ci_low"], table["median_ci_high"], strict=True)]
