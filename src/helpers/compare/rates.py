"""Two answer rates compared: ``response_rate_difference`` across groups of probes.

The estimate is the share answered in A minus in B (unit: probe), with a Newcombe interval
and Fisher's exact test.
"""

from __future__ import annotations

import numpy as np
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep


def rate_difference(k1: int, n1: int, k2: int, n2: int, alpha: float = 0.05) -> dict:
    """Difference of two answer rates (group 1 minus group 2), Newcombe interval, Fisher p-value."""
    if n1 == 0 or n2 == 0:
        return {"estimate": np.nan, "ci_low": np.nan, "ci_high": np.nan, "p_value": np.nan,
                "method": "not estimable: a group has no probes", "reason": "empty_group"}
    low, high = confint_proportions_2indep(k1, n1, k2, n2, method="newcomb", compare="diff", alpha=alpha)
    p_value = stats.fisher_exact([[k1, n1 - k1], [k2, n2 - k2]]).pvalue
    return {"estimate": k1 / n1 - k2 / n2, "ci_low": float(low), "ci_high": float(high),
            "p_value": float(p_value),
            "method": "difference in proportions (unit: probe); Newcombe interval; Fisher exact test",
            "reason": ""}
