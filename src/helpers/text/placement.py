"""Page 08's words: this study among the published ones (`helpers.analysis.placement`), in tables and sentences."""

from __future__ import annotations

import math

import pandas as pd

from helpers.analysis.placement import WARNINGS
from helpers.text import formatting as fmt
from helpers.text.catalogue import show, t, t_plain
from helpers.text.markup import Markup
from helpers.text.summary import threshold


def figure_name(measure: str, threshold_minutes: float, lang: str = "en") -> str:
    if measure == "share_within":
        return t_plain("pl_measure_share_within", lang, limit=threshold(int(threshold_minutes), lang))
    return t_plain(f"pl_measure_{measure}", lang)


def _value(measure: str, x: float, lang: str) -> str:
    return fmt.duration(x, lang) if measure.endswith("_minutes") else fmt.pct(x)


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def published_cell(row, lang: str = "en") -> str:
    if not _missing(row["low"]):
        return t_plain("pl_derived", lang, value=fmt.pct(row["value"]), low=f"{100 * row['low']:.0f}",
                       high=fmt.pct(row["high"]))
    return _value(row["measure"], row["value"], lang)


def ours_cell(row, lang: str = "en") -> str:
    if pd.isna(row["ours_measure"]):
        return t_plain("pl_no_like", lang)
    measure = row["ours_measure"]
    if measure == "median_minutes":
        return fmt.wait_interval(row["ours_value"], row["ours_low"], row["ours_high"], lang)
    unit = t_plain(f"pl_unit_{row['ours_unit']}", lang)
    return f"{fmt.rate_interval(row['ours_value'], row['ours_low'], row['ours_high'], lang)} · {unit}"


def warnings_cell(codes, lang: str = "en") -> str:
    return t_plain("list_sep", lang).join(t_plain(f"pl_warn_{c}", lang) for c in WARNINGS if c in codes) or "–"


def placement_table(placed: pd.DataFrame, lang: str = "en"):
    """Every published figure by year, beside this study's like figure and what to read with care."""
    rows = [{t_plain("pl_col_year", lang): "–" if pd.isna(r["year"]) else str(int(r["year"])),
             t_plain("pl_col_study", lang): f"{r['study']} ({r['country']}, {r['channel']})",
             t_plain("pl_col_figure", lang): figure_name(r["measure"], r["threshold_minutes"], lang),
             t_plain("pl_col_unit", lang): t_plain(f"pl_unit_{r['unit']}", lang),
             t_plain("pl_col_published", lang): published_cell(r, lang),
             t_plain("pl_col_ours", lang): ours_cell(r, lang),
             t_plain("pl_col_differences", lang): warnings_cell(r["warnings"], lang)}
            for _, r in placed.iterrows()]
    return show(pd.DataFrame(rows).set_index(t_plain("pl_col_year", lang)), lang)


def ours_table(ours: pd.DataFrame, lang: str = "en"):
    """This study's figures in the record's terms (measure, unit), each with its range."""
    rows = []
    for _, r in ours.iterrows():
        cell = (fmt.wait_interval(r["value"], r["ci_low"], r["ci_high"], lang) if r["measure"] == "median_minutes"
                else fmt.rate_interval(r["value"], r["ci_low"], r["ci_high"], lang))
        rows.append({t_plain("pl_col_figure", lang): figure_name(r["measure"], r["threshold_minutes"], lang),
                     t_plain("pl_col_unit", lang): t_plain(f"pl_unit_{r['unit']}", lang),
                     t_plain("pl_col_questions", lang): int(r["n"]),
                     t_plain("pl_col_ours", lang): cell})
    return show(pd.DataFrame(rows).set_index(t_plain("pl_col_figure", lang)), lang)


def lead(placed: pd.DataFrame, year: int, lang: str = "en") -> Markup:
    return Markup("\n\n").join([
        t("pl_lead", lang, n=len(placed), k=placed["study_id"].nunique(), first=int(placed["year"].min()),
          last=int(placed["year"].max())),
        t("pl_ours_lead", lang, year=year)])


def sources(lang: str = "en") -> Markup:
    return t("pl_sources", lang)
