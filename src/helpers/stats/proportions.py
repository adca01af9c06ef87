"""Proportions with their uncertainty: Wilson intervals and answer rates (unit: probe)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from helpers.data.outcomes import LEVELS, group_key


def wilson_interval(count, nobs, alpha: float = 0.05):
    """Wilson score interval for `count` successes in `nobs` trials (NaN where nobs is 0)."""
    count = np.asarray(count, dtype=float)
    nobs = np.asarray(nobs, dtype=float)
    safe = np.where(nobs > 0, nobs, 1.0)
    low, high = proportion_confint(count, safe, alpha=alpha, method="wilson")
    # At 0 or n successes the bound is exactly 0 or 1 (not 1e-17 from rounding).
    low = np.where(nobs > 0, np.where(count == 0, 0.0, np.clip(low, 0.0, 1.0)), np.nan)
    high = np.where(nobs > 0, np.where(count == nobs, 1.0, np.clip(high, 0.0, 1.0)), np.nan)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


def response_rates(probes: pd.DataFrame, alpha: float = 0.05, levels: Sequence[str] = LEVELS) -> pd.DataFrame:
    """Response rate (any reply) per group with Wilson intervals; the unit is the probe.

    Returns the tidy table written to ``response_rates.csv``:
    ``level, group, n_probes, n_responded, response_rate, ci_low, ci_high``.
    """
    frames = []
    for level in levels:
        g = probes.groupby(group_key(probes, level), sort=True)["answered"]
        t = pd.DataFrame({"n_probes": g.size(), "n_responded": g.sum().astype(int)})
        t.index.name = "group"
        frames.append(t.reset_index().assign(level=level))
    out = pd.concat(frames, ignore_index=True)
    out["response_rate"] = out["n_responded"] / out["n_probes"]
    out["ci_low"], out["ci_high"] = wilson_interval(out["n_responded"], out["n_probes"], alpha)
    return out[["level", "group", "n_probes", "n_responded", "response_rate", "ci_low", "ci_high"]]
