"""Plain-language formatting of figures, shared by notebooks and the report site.

The words are in ``words/formatting.yml``; this module only lays the numbers into them. What it
returns holds no data, only catalogue words and numbers, so it is `Markup`: safe in Markdown as it is.
"""

from __future__ import annotations

import math
import re

# catalogue imports this module too (for its reader's `duration` and `pct`): only call across at
# run time, through the module, so either may be imported first.
from helpers.text import catalogue
from helpers.text.markup import Markup


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def pct(x: float | None, digits: int = 0) -> str:
    """0.853 -> '85%'; a missing share -> '–' (`not_available`, the same in tables and sentences)."""
    if _missing(x):
        return catalogue.t("not_available")
    return Markup(f"{100 * x:.{digits}f}%")


def _count_key(unit: str) -> str:
    return "count_" + re.sub(r"\W+", "_", unit)


def share_ci(count: int, n: int, low: float, high: float, unit: str, level: float = 0.95,
             lang: str = "en") -> str:
    """'17 of 20 companies (85%; 95% CI 64%–95%)'; in Japanese '20社中17社(85%、95%信頼区間 64%–95%)'.

    `unit` is one of the units with a ``count_<unit>`` entry (companies, probes, replies, ...).
    """
    key = _count_key(unit)
    if key not in catalogue.TEXT:
        raise ValueError(f"no words for counting {unit!r}: add {key} to words/formatting.yml")
    share = count / n if n else float("nan")
    return catalogue.t("share_ci", lang, counted=catalogue.t(key, lang, count=count, n=n), share=pct(share),
                       ci=_ci(level, lang), low=pct(low), high=pct(high))


def _ci(level: float, lang: str) -> str:
    """'95% CI' or '95%信頼区間'."""
    return catalogue.t("ci_level", lang, level=f"{level:.0%}")


def duration(minutes: float | None, lang: str = "en") -> str:
    """A duration in readable units: 42 -> '42 min', 135 -> '2.2 h', 1440 -> '24 h', 3000 -> '2.1 days'
    (in Japanese '42分', '2.2時間', '2.1日')."""
    if _missing(minutes):
        return catalogue.t("not_reached", lang)
    if math.isinf(minutes):  # an interval's open end
        return catalogue.t("duration_unbounded", lang)
    if minutes < 90:
        return catalogue.t("duration_minutes", lang, n=f"{minutes:.0f}")
    if minutes < 48 * 60:
        return catalogue.t("duration_hours", lang, n=f"{minutes / 60:.{0 if minutes % 60 == 0 else 1}f}")
    return catalogue.t("duration_days", lang, n=f"{minutes / 1440:.1f}")


def with_interval(value, low, high, show) -> str:
    """A figure and its interval in a table cell, '85% (64%–95%)' or '2.2 h (41 min–5.0 h)'.

    `show` formats one number (`catalogue.pct`, or `catalogue.duration` in the reader's
    language); a missing figure is shown alone, in the words `show` has for it.
    """
    if _missing(value):
        return show(value)
    return Markup(f"{show(value)} ({show(low)}–{show(high)})")


def rate_interval(value, low, high, lang: str = "en") -> str:
    """A share with its interval in one cell, '62% (49–74%)'; a missing share '–'.

    The page states the interval level once, so the cell carries only the range.
    """
    if _missing(value):
        return pct(None)
    return catalogue.t("interval_cell", lang, value=pct(value), low=f"{100 * low:.0f}", high=pct(high))


def wait_interval(median, low, high, lang: str = "en") -> str:
    """A median wait with its interval in one cell, '58 min (9 min–2.9 h)'.

    A median not reached reads 'not reached'; an interval the data leave open above, 'no upper bound'.
    """
    if _missing(median) or math.isinf(median):
        return catalogue.t("not_reached", lang)
    if _missing(low):  # one reply: a median but no range the data can give
        return duration(median, lang)
    return catalogue.t("interval_cell", lang, value=duration(median, lang), low=duration(low, lang),
                       high=duration(math.inf if _missing(high) else high, lang))


def duration_ci(median: float, low: float, high: float, level: float = 0.95, lang: str = "en") -> str:
    """'2.2 h (95% CI 41 min–5.0 h)', with honest words when the median is not reached."""
    if median is None or math.isnan(median):
        return catalogue.t("not_reached", lang)
    upper = duration(math.inf, lang) if math.isinf(high) or math.isnan(high) else duration(high, lang)
    return catalogue.t("duration_ci", lang, median=duration(median, lang), ci=_ci(level, lang),
                       low=duration(low, lang), high=upper)


def pvalue(p: float | None) -> str:
    """'p = 0.031', 'p < 0.001', or '–' where no test applies (as a missing share)."""
    if _missing(p):
        return pct(None)
    return Markup("p < 0.001" if p < 0.001 else f"p = {p:.3f}")


def estimate_ci(metric: str, estimate: float, low: float, high: float, level: float = 0.95,
                lang: str = "en") -> str:
    """A comparison's estimate with its interval, in the metric's own units."""
    if _missing(estimate):
        return catalogue.t("estimate_not_estimable", lang)
    if metric.endswith(("_statistic", "_chisq")):
        return Markup(f"χ² = {estimate:.2f}")
    ci = _ci(level, lang)
    if metric == "median_minutes_difference":
        def signed(m: float, side: str) -> str:
            if math.isinf(m) or math.isnan(m):
                return catalogue.t(f"bound_{side}", lang)
            return ("−" if m < 0 else "+") + duration(abs(m), lang)

        if math.isinf(estimate):
            return catalogue.t("median_inf", lang)
        return catalogue.t("estimate_range", lang, estimate=signed(estimate, "above"), ci=ci,
                           low=signed(low, "below"), high=signed(high, "above"))
    if metric.endswith("_difference"):
        def points(v: float) -> str:
            return catalogue.t("points", lang, points=f"{100 * v:+.0f}".replace("-", "−"))

        return catalogue.t("estimate_range", lang, estimate=points(estimate), ci=ci, low=points(low),
                           high=points(high))
    return catalogue.t("estimate_interval", lang, estimate=f"{estimate:.2f}", ci=ci, low=f"{low:.2f}",
                       high="∞" if math.isinf(high) else f"{high:.2f}")


def median_cis(table, level: float = 0.95, lang: str = "en") -> list[str]:
    """`duration_ci` for every row of a table with ``median_minutes, median_ci_low, median_ci_high``."""
    return [duration_ci(m, lo, hi, level, lang) for m, lo, hi in
            zip(table["median_minutes"], table["median_ci_low"], table["median_ci_high"], strict=True)]
