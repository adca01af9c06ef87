"""The numbers a study's summary opens with, read off its results tables (pure functions).

Every figure is a plain dict of JSON-safe numbers: a missing value is ``None``. For a median
wait, ``minutes`` None means "not reached" (fewer than half got a reply) and ``high`` None
means the data give it no upper bound.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

LEAGUE_NUMBERS = ("n_probes", "n_responded", "response_rate", "response_rate_ci_low", "response_rate_ci_high",
                  "median_minutes", "median_ci_low", "median_ci_high", "rank", "rank_ci_low", "rank_ci_high")
HOUR = 60


def number(x) -> float | None:
    """A finite float, or None for a missing or infinite value (empty cell, NaN, inf, '<NA>')."""
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _count(x) -> int | None:
    x = number(x)
    return None if x is None else round(x)


def _overall(table: pd.DataFrame | None, **match) -> dict | None:
    """The one row of `table` whose columns equal `match` (level=overall ...), or None."""
    if table is None or table.empty or not set(match) <= set(table.columns):
        return None
    rows = table
    for column, value in match.items():
        rows = rows[rows[column].astype(str) == value]
    return rows.iloc[0].to_dict() if len(rows) else None


def _share(k, n, rate, low, high) -> dict | None:
    if _count(n) in (None, 0):
        return None
    return {"n": _count(n), "k": _count(k), "rate": number(rate), "low": number(low), "high": number(high)}


def response_rate(rates: pd.DataFrame | None) -> dict | None:
    """Share of questions that got any reply, from ``response_rates.csv`` (overall row)."""
    row = _overall(rates, level="overall")
    if row is None or "response_rate" not in row:
        return None
    return _share(row["n_responded"], row["n_probes"], row["response_rate"], row["ci_low"], row["ci_high"])


def quality_rate(quality: pd.DataFrame | None, measure: str) -> dict | None:
    """One overall measure of ``reply_quality_rates.csv`` (``answer_rate``, ``redirect_share``)."""
    row = _overall(quality, measure=measure, level="overall")
    if row is None:
        return None
    return _share(row["numerator"], row["denominator"], row["estimate"], row["ci_low"], row["ci_high"])


def within(times: pd.DataFrame | None, minutes: int = HOUR) -> dict | None:
    """Kaplan-Meier share answered within `minutes` (overall, ``response_times.csv``), or None."""
    row = _overall(times, level="overall")
    column = f"within_{minutes}min"
    if row is None or column not in row or _count(row.get("n_probes")) in (None, 0):
        return None
    return {"minutes": minutes, "n": _count(row["n_probes"]), "rate": number(row[column]),
            "low": number(row[f"{column}_ci_low"]), "high": number(row[f"{column}_ci_high"])}


def thresholds(times: pd.DataFrame | None) -> list[int]:
    """The thresholds (minutes) ``response_times.csv`` has shares for."""
    if times is None:
        return []
    return sorted(int(c[7:-3]) for c in times.columns
                  if c.startswith("within_") and c.endswith("min") and c[7:-3].isdigit())


def median_wait(times: pd.DataFrame | None) -> dict | None:
    """Overall Kaplan-Meier median wait with its interval (see the module note on None)."""
    row = _overall(times, level="overall")
    if row is None or _count(row.get("n_probes")) in (None, 0):
        return None
    return {"n": _count(row["n_probes"]), "k": _count(row.get("n_responded")),
            "minutes": number(row["median_minutes"]), "low": number(row["median_ci_low"]),
            "high": number(row["median_ci_high"])}


def _truth(x) -> bool:
    if isinstance(x, str):
        return x.strip().lower() in ("true", "1", "yes")
    return bool(x) and not (isinstance(x, float) and math.isnan(x))


def league_frame(rows) -> pd.DataFrame:
    """``league_table.csv`` rows (dicts of strings, or a table) with numbers as numbers and `ranked` as bool.

    An older table without ``ranked`` counts every company with a rank as ranked.
    """
    table = pd.DataFrame(rows).copy()
    for column in LEAGUE_NUMBERS:
        if column in table:
            table[column] = pd.to_numeric(table[column], errors="coerce")  # "" and "<NA>" -> NaN
    if "ranked" in table:
        table["ranked"] = table["ranked"].map(_truth).astype(bool)
    else:
        table["ranked"] = table.get("rank", pd.Series(np.nan, index=table.index)).notna()
    return table


def pairs_told_apart(low, high) -> tuple[int, int]:
    """(pairs of companies, pairs whose rank intervals do not overlap) for intervals [low, high]."""
    low, high = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    apart = (high[:, None] < low[None, :]) | (high[None, :] < low[:, None])
    n = len(low)
    return n * (n - 1) // 2, int(np.triu(apart, k=1).sum())


def league_facts(rows) -> dict | None:
    """What the league table can say: how many companies are ranked, told apart, could be first."""
    if rows is None or len(rows) == 0:
        return None
    table = league_frame(rows)
    ranked = table[table["ranked"] & table["rank_ci_low"].notna() & table["rank_ci_high"].notna()]
    pairs, apart = pairs_told_apart(ranked["rank_ci_low"], ranked["rank_ci_high"])
    first = ranked[ranked["rank"] == ranked["rank"].min()] if len(ranked) else ranked
    return {
        "companies": len(table),
        "ranked": len(ranked),
        "too_few": int((~table["ranked"]).sum()),
        "pairs": pairs,
        "pairs_apart": apart,
        "could_be_first": ranked.loc[ranked["rank_ci_low"] == 1, "company"].tolist(),
        "ranked_first": first["company"].tolist(),
    }


def numbers(rates=None, times=None, quality=None, league=None, headline: dict | None = None) -> dict:
    """Every number the summary shows, from the results tables a study has (None where absent)."""
    alpha = number((headline or {}).get("alpha"))
    marks = thresholds(times)
    hour = HOUR if HOUR in marks else (marks[0] if marks else HOUR)
    return {
        "level": 1 - alpha if alpha is not None else 0.95,
        "response": response_rate(rates),
        "answer": quality_rate(quality, "answer_rate"),
        "redirect": quality_rate(quality, "redirect_share"),
        "within": within(times, hour),
        "median": median_wait(times),
        "league": league_facts(league),
    }
