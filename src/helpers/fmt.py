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


def duration(minutes: float | None) -> str:
    """A duration in readable units: 42 -> '42 min', 135 -> '2.2 h', 1440 -> '24 h', 3000 -> '2.1 days'."""
    if minutes is None or (isinstance(minutes, float) and math.isnan(minutes)):
        return "not reached"
    if math.isinf(minutes):
        return "unbounded"
    if minutes < 90:
        return f"{minutes:.0f} min"
    if minutes < 48 * 60:
        return f"{minutes / 60:.{0 if minutes % 60 == 0 else 1}f} h"
    return f"{minutes / 1440:.1f} days"


def duration_ci(median: float, low: float, high: float, level: float = 0.95) -> str:
    """'2.2 h (95% CI 41 min–5.0 h)', with honest words when the median is not reached."""
    if median is None or math.isnan(median):
        return "not reached within the observation window"
    upper = "not bounded by the data" if math.isinf(high) or math.isnan(high) else duration(high)
    return f"{duration(median)} ({level:.0%} CI {duration(low)}–{upper})"
