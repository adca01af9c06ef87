"""Where a study sits among the published ones: its figures beside the published record, like for like.

`our_figures` gives a study's headline figures in the record's terms (measure, threshold, unit,
among), each with its interval. `place` pairs every published figure with the study's like
figure and lists, as codes, every way the two differ (`WARNINGS`); the words for them live in the
text catalogue. A published share gets a Wilson interval when the record gives its sample in the
figure's unit (marked derived: the sources print none, and messages clustered within companies
make it too narrow); published times get none.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from helpers.analysis.waves import with_reply_kinds
from helpers.stats.company_level import headline
from helpers.stats.proportions import wilson_interval
from helpers.stats.survival import km_summary, within_column

# How a published figure and the study's may differ, in the order they are listed; each is a
# reason to read the pair with care (the words for them are in the text catalogue):
#   unit            they count different things (companies, accounts or messages)
#   among           the published share is of answered messages only, the study's of all
#   mean_vs_median  a published mean over answered messages beside the study's Kaplan-Meier median
#   answer_vs_response  a published answer rate (judged successful) beside the study's response rate
#   design          one study watched public accounts, the other sent its own questions
#   group           the published figure is about one company or segment, not a whole study
#   derived         the published value is worked out from other published figures
#   not_verified    part of the published figure could not be verified
#   no_like_figure  the study has no figure like it (another threshold, no reply kinds)
WARNINGS = ("unit", "among", "mean_vs_median", "answer_vs_response", "design", "group", "derived", "not_verified",
            "no_like_figure")


def our_figures(probes: pd.DataFrame, thresholds: Sequence[int], alpha: float = 0.05,
                answer_rate: dict | None = None) -> pd.DataFrame:
    """The study's figures in the record's terms: per message (probe) and per company, with intervals.

    `answer_rate`: ``{"k", "n", "low", "high"}`` of notebook 06's overall answer rate, when the
    study has reply kinds. Times are Kaplan-Meier medians, unanswered probes censored.
    """
    n, k = len(probes), int(probes["answered"].sum())
    km = km_summary(probes["minutes"], probes["answered"], thresholds, alpha)
    top = headline(probes, thresholds, alpha)
    rows = [_row("response_rate", None, "message", k / n, *wilson_interval(k, n, alpha), n),
            _row("response_rate", None, "company", top["responded"]["share"], top["responded"]["ci_low"],
                 top["responded"]["ci_high"], top["companies"])]
    for t in thresholds:
        col = within_column(t)
        rows.append(_row("share_within", t, "message", km[col], km[f"{col}_ci_low"], km[f"{col}_ci_high"], n))
        rows.append(_row("share_within", t, "company", top[col]["share"], top[col]["ci_low"], top[col]["ci_high"],
                         top["companies"]))
    rows.append(_row("median_minutes", None, "message", km["median_minutes"], km["median_ci_low"],
                     km["median_ci_high"], n))
    if answer_rate is not None:
        rows.append(_row("answer_rate", None, "message", answer_rate["k"] / answer_rate["n"], answer_rate["low"],
                         answer_rate["high"], answer_rate["n"]))
    return pd.DataFrame(rows)


def _row(measure, threshold, unit, value, low, high, n) -> dict:
    return {"measure": measure, "threshold_minutes": np.nan if threshold is None else float(threshold),
            "unit": unit, "value": float(value) if value is not None else np.nan,
            "ci_low": float(low), "ci_high": float(high), "n": int(n)}


def derived_interval(row: pd.Series, alpha: float = 0.05) -> tuple[float, float]:
    """A Wilson interval for a published share of a whole study, from the sample in its unit; NaN if none."""
    if row["measure"] not in ("response_rate", "answer_rate", "share_within") or row["group"] != "all":
        return np.nan, np.nan
    n = row["companies"] if row["unit"] == "company" else row["messages"] if row["unit"] == "message" else pd.NA
    if pd.isna(n) or row["among"] != "all":  # a share of answered messages: their number is not published
        return np.nan, np.nan
    low, high = wilson_interval(round(row["value"] * int(n)), int(n), alpha)
    return float(low), float(high)


def place(record: pd.DataFrame, ours: pd.DataFrame, alpha: float = 0.05, design: str = "probe") -> pd.DataFrame:
    """Every published figure beside the study's like figure, by year, with the ways they differ.

    Columns: the record's, ``low, high`` (derived interval), ``ours_unit, ours_value,
    ours_low, ours_high`` (NaN when there is no like figure) and ``warnings`` (codes of
    `WARNINGS`, in that order). `design`: this study's (``probe`` or ``observational``).
    """
    out = []
    for _, row in record.iterrows():
        low, high = derived_interval(row, alpha)
        like = _like(row, ours)
        codes = _warnings(row, like, design)
        mine = like if like is not None else {}
        out.append({**row.to_dict(), "low": low, "high": high, "ours_measure": mine.get("measure"),
                    "ours_unit": mine.get("unit"), "ours_value": mine.get("value", np.nan),
                    "ours_low": mine.get("ci_low", np.nan), "ours_high": mine.get("ci_high", np.nan),
                    "warnings": tuple(codes)})
    placed = pd.DataFrame(out)
    return placed.sort_values(["year", "study_id", "measure"], na_position="last", kind="stable").reset_index(drop=True)


def _like(row: pd.Series, ours: pd.DataFrame) -> dict | None:
    """The study's figure to set beside a published one: same measure (and threshold), same unit if it has it."""
    measure = {"mean_minutes": "median_minutes"}.get(row["measure"], row["measure"])
    if measure == "answer_rate" and not (ours["measure"] == "answer_rate").any():
        measure = "response_rate"
    same = ours[ours["measure"] == measure]
    if measure == "share_within":
        same = same[same["threshold_minutes"] == row["threshold_minutes"]]
    if same.empty:
        return None
    in_unit = same[same["unit"] == row["unit"]]
    return (in_unit if len(in_unit) else same[same["unit"] == "message"] if (same["unit"] == "message").any()
            else same).iloc[0].to_dict()


def _warnings(row: pd.Series, like: dict | None, design: str) -> list[str]:
    codes = []
    if like is None:
        return [c for c in ("design", "group", "derived", "not_verified", "no_like_figure") if _applies(c, row, design)]
    if like["unit"] != row["unit"]:
        codes.append("unit")
    if row["among"] == "answered" and row["measure"] == "share_within":
        codes.append("among")
    if row["measure"] == "mean_minutes":
        codes.append("mean_vs_median")
    if row["measure"] == "answer_rate" and like["measure"] == "response_rate":
        codes.append("answer_vs_response")
    codes += [c for c in ("design", "group", "derived", "not_verified") if _applies(c, row, design)]
    return codes


def _applies(code: str, row: pd.Series, design: str) -> bool:
    return {"no_like_figure": True, "design": row["design"] != design, "group": row["group"] != "all",
            "derived": bool(row["derived"]), "not_verified": bool(str(row["not_verified"] or "").strip())}[code]


def answer_rate(probes: pd.DataFrame, alpha: float = 0.05) -> dict | None:
    """The overall answer rate (``k, n, low, high``) among probes whose reply kind is known; None without texts."""
    kinds = with_reply_kinds(probes)["reply_kind"]
    known = kinds[kinds != "no_text"]
    if not (kinds.isin(["answer", "acknowledgement", "redirect"])).any():
        return None
    k, n = int((known == "answer").sum()), len(known)
    low, high = wilson_interval(k, n, alpha)
    return {"k": k, "n": n, "low": low, "high": high}


def study_year(probes: pd.DataFrame) -> int:
    """The year the study's first question was sent."""
    return int(probes["sent_at"].min().year)


def placement_table(placed: pd.DataFrame) -> pd.DataFrame:
    """`place`'s table for ``placement.csv``: the warnings as one text of codes."""
    return placed.assign(warnings=placed["warnings"].map(" ".join))
