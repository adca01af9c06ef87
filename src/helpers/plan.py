"""Planning a rerun: how many probes a comparison needs before the first one is sent."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize


def probes_needed(p1: float, p2: float, alpha: float = 0.05, power: float = 0.8) -> int:
    """Probes per group to tell share `p1` from `p2` (two-sided, arcsine effect size, Cohen's h).

    Applies to answer rates and to shares answered within a threshold alike, when every probe
    is observed past the threshold. Probes of one company are not independent: with several
    probes per company, multiply by the design effect 1 + (m - 1) * ICC.
    """
    if p1 == p2:
        raise ValueError("p1 and p2 are equal: no sample size detects no difference")
    h = abs(proportion_effectsize(p2, p1))
    n = NormalIndPower().solve_power(effect_size=h, alpha=alpha, power=power, ratio=1.0,
                                     alternative="two-sided")
    return int(np.ceil(n))


def power_table(baselines: Sequence[float], differences: Sequence[float], alpha: float = 0.05,
                power: float = 0.8) -> pd.DataFrame:
    """Probes per group for every baseline share and difference (rows that stay within 0-1)."""
    rows = [{"baseline": p1, "difference": d, "compared_share": p1 + d,
             "probes_per_group": probes_needed(p1, p1 + d, alpha, power), "alpha": alpha, "power": power}
            for p1 in baselines for d in differences if 0 < p1 + d < 1 and d != 0]
    return pd.DataFrame(rows)
