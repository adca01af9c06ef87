"""The comparisons table: its rows, its reason codes, and multiple-testing control.

``p_adjusted`` controls multiple testing within a family: the rows that share the comparison
kind and the metric (Holm by default, Benjamini-Hochberg with ``adjust="fdr_bh"``). Rows without
a test (NaN p-value) neither get nor count towards an adjustment.

A row without an estimate or a test says why twice: in ``method``, in English for researchers,
and in ``reason``, one code of `REASONS` that the report renders in either language.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

COLUMNS = ("comparison", "metric", "estimate", "ci_low", "ci_high", "p_value", "p_adjusted", "method",
           "reason")
ADJUST_METHODS = {"holm": "Holm", "fdr_bh": "Benjamini-Hochberg"}
# Why a row has no estimate or no test. Text (helpers.text) has an entry for each code, so a new
# code needs one there too; the order is the order of data/README.md.
REASONS = (
    "empty_group",  # a group has no probes
    "few_clusters",  # fewer companies than MIN_CLUSTERS for clustered standard errors
    "model_failed",  # statsmodels could not fit the model (its message is in `method`)
    "separation",  # GLM: a level with all or no probes answered
    "no_answers",  # Cox: no probe was answered
    "level_all_or_none",  # Cox: a level with no (or only) answers
    "one_group_or_no_answers",  # log-rank: one group, or no answers
    "no_overlap",  # log-rank: no answer while both groups were still observed
    "difference_undefined",  # KM bootstrap: a group missing, or neither median reached
    "no_paired_companies",  # within companies: no company has both handles
    "no_discordant",  # Mantel-Haenszel: no company has a discordant table
    "no_answers_or_peers",  # company vs rest: no answers, or no other company
)


def adjust_pvalues(pvalues: Sequence[float], method: str = "holm") -> np.ndarray:
    """Adjusted p-values; NaN entries (tests that could not be run) stay NaN and do not count.

    Computed here rather than with statsmodels' `multipletests` (the tests check they agree):
    that turns every result into NaN when one input is NaN, and runs a garbage collection on
    every call, which dominates the simulations of `helpers.analysis.calibration`.
    """
    if method not in ADJUST_METHODS:
        raise ValueError(f"unknown adjustment {method!r}; use one of {', '.join(ADJUST_METHODS)}")
    p = np.asarray(pvalues, dtype=float)
    out = np.full_like(p, np.nan)
    ok = np.flatnonzero(~np.isnan(p))
    m = len(ok)
    if m == 0:
        return out
    order = ok[np.argsort(p[ok], kind="stable")]
    sorted_p = p[order]
    if method == "holm":  # step-down: max over the smaller ones of (m - i) * p_(i)
        adjusted = np.maximum.accumulate((m - np.arange(m)) * sorted_p)
    else:  # Benjamini-Hochberg step-up: min over the larger ones of m / i * p_(i)
        adjusted = np.minimum.accumulate((m / np.arange(1, m + 1) * sorted_p)[::-1])[::-1]
    out[order] = np.minimum(adjusted, 1.0)
    return out


def _row(comparison: str, metric: str, estimate=np.nan, ci_low=np.nan, ci_high=np.nan,
         p_value=np.nan, method: str = "", reason: str = "") -> dict:
    """One row of the table; `reason` (a code of `REASONS`) only when something is missing."""
    if reason and reason not in REASONS:
        raise ValueError(f"unknown reason code {reason!r}")
    return {"comparison": comparison, "metric": metric, "estimate": float(estimate),
            "ci_low": float(ci_low), "ci_high": float(ci_high), "p_value": float(p_value),
            "method": method, "reason": reason}


def _name(kind: str, a: str, b: str) -> str:
    return f"{kind}:{a}-vs-{b}"


def table(rows: Sequence[dict], adjust: str = "holm") -> pd.DataFrame:
    """Rows as a comparisons table, with p-values adjusted within each family."""
    out = pd.DataFrame(list(rows), columns=[c for c in COLUMNS if c != "p_adjusted"])
    out["p_adjusted"] = np.nan
    if len(out):
        kind, what = out["comparison"].str.split(":", n=1).str[0], out["comparison"].str.split(":", n=1).str[1]
        # "company:all" (one omnibus test) is its own family, apart from the pairwise tests.
        family = kind + "|" + out["metric"] + "|" + (what == "all").map({True: "all", False: "pairs"})
        for _, idx in out.groupby(family, sort=False).groups.items():
            out.loc[idx, "p_adjusted"] = adjust_pvalues(out.loc[idx, "p_value"], adjust)
    return out[list(COLUMNS)]
