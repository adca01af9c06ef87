"""Comparisons between groups, with intervals and multiple-testing control.

Groundwork for the comparison notebooks: each function returns rows of the tidy
``comparisons.csv`` table (``comparison, metric, estimate, ci_low, ci_high, p_value,
p_adjusted, method``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.stats import fisher_exact
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep

COLUMNS = ("comparison", "metric", "estimate", "ci_low", "ci_high", "p_value", "p_adjusted", "method")


def adjust_pvalues(pvalues: Sequence[float], method: str = "holm") -> np.ndarray:
    """Adjusted p-values; NaN entries (tests that could not be run) stay NaN and do not count.

    statsmodels' `multipletests` turns every result into NaN when one input is NaN, so only
    the defined p-values are adjusted, as one family.
    """
    p = np.asarray(pvalues, dtype=float)
    out = np.full_like(p, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        out[ok] = multipletests(p[ok], method=method)[1]
    return out


def rate_difference(k1: int, n1: int, k2: int, n2: int, alpha: float = 0.05) -> dict:
    """Difference of two answer rates (group 1 minus group 2), Newcombe interval, Fisher p-value."""
    if n1 == 0 or n2 == 0:
        return {"estimate": np.nan, "ci_low": np.nan, "ci_high": np.nan, "p_value": np.nan,
                "method": "not estimable: a group has no probes"}
    low, high = confint_proportions_2indep(k1, n1, k2, n2, method="newcomb", compare="diff", alpha=alpha)
    p_value = fisher_exact([[k1, n1 - k1], [k2, n2 - k2]]).pvalue
    return {"estimate": k1 / n1 - k2 / n2, "ci_low": float(low), "ci_high": float(high),
            "p_value": float(p_value), "method": "difference in proportions; Newcombe interval; Fisher exact test"}


def department_rate_comparisons(probes: pd.DataFrame, alpha: float = 0.05,
                                adjust: str = "holm") -> pd.DataFrame:
    """Answer-rate difference for every pair of departments present, Holm-adjusted as one family.

    Comparisons are named ``department:A-vs-B`` with metric ``answer_rate_difference``; the
    customer-service handle comes first when present (``department:customer_service-vs-main``).
    The unit is the probe; probes of one company are not independent, so treat these p-values
    as a screen and the company-clustered models as the test.
    """
    from .study import DEPARTMENTS

    present = [d for d in DEPARTMENTS if d in set(probes["department"])]
    counts = probes.groupby("department")["answered"].agg(["sum", "size"])
    rows = []
    for i, a in enumerate(present):
        for b in present[i + 1:]:
            r = rate_difference(int(counts.at[a, "sum"]), int(counts.at[a, "size"]),
                                int(counts.at[b, "sum"]), int(counts.at[b, "size"]), alpha)
            rows.append({"comparison": f"department:{a}-vs-{b}", "metric": "answer_rate_difference", **r})
    table = pd.DataFrame(rows, columns=[c for c in COLUMNS if c != "p_adjusted"])
    table["p_adjusted"] = adjust_pvalues(table["p_value"], adjust)
    return table[list(COLUMNS)]
