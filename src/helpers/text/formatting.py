"""Plain-language formatting of figures, shared by notebooks and the report site."""

from __future__ import annotations

import math


def pct(x: float | None, digits: int = 0) -> str:
    """0.853 -> '85%'; missing values -> 'n/a'."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{100 * x:.{digits}f}%"


# Japanese for the units of `share_ci`: the noun and its counter ("20社中17社").
UNIT_WORDS_JA = {"companies": ("", "社"), "probes": ("", "件"), "probes answered": ("プローブ", "件"),
                 "replies": ("返信", "件"), "follow-ups": ("フォローアップ", "件"),
                 "resolved cases": ("解決済みの案件", "件")}


def share_ci(count: int, n: int, low: float, high: float, unit: str, level: float = 0.95,
             lang: str = "en") -> str:
    """'17 of 20 companies (85%; 95% CI 64%–95%)'; in Japanese '20社中17社(85%、95%信頼区間 64%–95%)'."""
    share = count / n if n else float("nan")
    if lang == "ja":
        noun, counter = UNIT_WORDS_JA.get(unit, ("", "件"))
        return f"{noun}{n}{counter}中{count}{counter}({pct(share)}、{level:.0%}信頼区間 {pct(low)}–{pct(high)})"
    return f"{count} of {n} {unit} ({pct(share)}; {level:.0%} CI {pct(low)}–{pct(high)})"


UNITS = {"en": (" min", " h", " days"), "ja": ("分", "時間", "日")}
# Words of this module in each language (the reader-facing catalogue is `helpers.i18n`).
WORDS = {
    "en": {"not_reached": "not reached", "unbounded": "unbounded", "ci": "CI",
           "median_not_reached": "not reached within the observation window",
           "upper_unbounded": "not bounded by the data", "not_estimable": "not estimable",
           "median_inf": "not estimable: a median was not reached", "below": "below", "above": "above",
           "to": "to", "pts": " pts"},
    "ja": {"not_reached": "未到達", "unbounded": "上限なし", "ci": "信頼区間",
           "median_not_reached": "観察期間内に未到達", "upper_unbounded": "データから上限を決められない",
           "not_estimable": "推定不能", "median_inf": "推定不能(中央値に未到達)", "below": "下側", "above": "上側",
           "to": "〜", "pts": "ポイント"},
}


def _ci(level: float, lang: str) -> str:
    """'95% CI' or '95%信頼区間'."""
    w = WORDS[lang]
    return f"{level:.0%}{' ' if lang == 'en' else ''}{w['ci']}"


def duration(minutes: float | None, lang: str = "en") -> str:
    """A duration in readable units: 42 -> '42 min', 135 -> '2.2 h', 1440 -> '24 h', 3000 -> '2.1 days'
    (in Japanese '42分', '2.2時間', '2.1日')."""
    if minutes is None or (isinstance(minutes, float) and math.isnan(minutes)):
        return WORDS[lang]["not_reached"]
    if math.isinf(minutes):
        return WORDS[lang]["unbounded"]
    mins, hours, days = UNITS[lang]
    if minutes < 90:
        return f"{minutes:.0f}{mins}"
    if minutes < 48 * 60:
        return f"{minutes / 60:.{0 if minutes % 60 == 0 else 1}f}{hours}"
    return f"{minutes / 1440:.1f}{days}"


def duration_ci(median: float, low: float, high: float, level: float = 0.95, lang: str = "en") -> str:
    """'2.2 h (95% CI 41 min–5.0 h)', with honest words when the median is not reached."""
    w = WORDS[lang]
    if median is None or math.isnan(median):
        return w["median_not_reached"]
    upper = w["upper_unbounded"] if math.isinf(high) or math.isnan(high) else duration(high, lang)
    if lang == "ja":
        return f"{duration(median, lang)}({_ci(level, lang)} {duration(low, lang)}–{upper})"
    return f"{duration(median)} ({_ci(level, lang)} {duration(low)}–{upper})"


def pvalue(p: float | None) -> str:
    """'p = 0.031', 'p < 0.001', or '—' where no test applies."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "—"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def estimate_ci(metric: str, estimate: float, low: float, high: float, level: float = 0.95,
                lang: str = "en") -> str:
    """A comparison's estimate with its interval, in the metric's own units."""
    w = WORDS[lang]
    if estimate is None or (isinstance(estimate, float) and math.isnan(estimate)):
        return w["not_estimable"]
    if metric.endswith("_statistic") or metric.endswith("_chisq"):
        return f"χ² = {estimate:.2f}"
    # Japanese sets the interval in full-width brackets with no space before them.
    opening, closing = ("(", ")") if lang == "ja" else (" (", ")")
    to = w["to"] if lang == "ja" else f" {w['to']} "
    if metric == "median_minutes_difference":
        def signed(m: float, side: str) -> str:
            if math.isinf(m) or math.isnan(m):
                return f"{w['unbounded']}({w[side]})" if lang == "ja" else f"not bounded {w[side]}"
            return ("−" if m < 0 else "+") + duration(abs(m), lang)

        if math.isinf(estimate):
            return w["median_inf"]
        return f"{signed(estimate, 'above')}{opening}{_ci(level, lang)} {signed(low, 'below')}{to}{signed(high, 'above')}{closing}"
    if metric.endswith("_difference"):
        pp = lambda v: f"{100 * v:+.0f}{w['pts']}".replace("-", "−")  # noqa: E731
        return f"{pp(estimate)}{opening}{_ci(level, lang)} {pp(low)}{to}{pp(high)}{closing}"
    return f"{estimate:.2f}{opening}{_ci(level, lang)} {low:.2f}–{'∞' if math.isinf(high) else f'{high:.2f}'}{closing}"


def median_cis(table, level: float = 0.95, lang: str = "en") -> list[str]:
    """`duration_ci` for every row of a table with ``median_minutes, median_ci_low, median_ci_high``."""
    return [duration_ci(m, lo, hi, level, lang) for m, lo, hi in
            zip(table["median_minutes"], table["median_ci_low"], table["median_ci_high"], strict=True)]
