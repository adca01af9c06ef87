"""Power planning: sample sizes behave as power analysis says, and deliver the power promised."""

import numpy as np
import pytest
from scipy.stats import fisher_exact

from helpers import plan


def test_bigger_differences_need_fewer_probes():
    sizes = [plan.probes_needed(0.5, 0.5 + d) for d in (0.1, 0.2, 0.3)]
    assert sizes == sorted(sizes, reverse=True) and sizes[-1] >= 2


def test_more_power_or_stricter_alpha_needs_more_probes():
    base = plan.probes_needed(0.4, 0.6)
    assert plan.probes_needed(0.4, 0.6, power=0.9) > base
    assert plan.probes_needed(0.4, 0.6, alpha=0.01) > base


def test_equal_shares_are_refused():
    with pytest.raises(ValueError):
        plan.probes_needed(0.5, 0.5)


def test_power_table_stays_within_unit_interval():
    table = plan.power_table([0.1, 0.5, 0.9], [-0.2, 0.2])
    assert ((table["compared_share"] > 0) & (table["compared_share"] < 1)).all()
    assert len(table) == 4


def test_planned_size_delivers_about_the_promised_power():
    # Simulate studies of the planned size with the planned difference; a two-sided test at
    # alpha should reject in about 80% of them (Fisher's exact test is a little conservative).
    n = plan.probes_needed(0.4, 0.7)
    rng = np.random.default_rng(4)
    hits = 0
    for _ in range(300):
        a, b = rng.binomial(n, 0.4), rng.binomial(n, 0.7)
        hits += fisher_exact([[a, n - a], [b, n - b]]).pvalue < 0.05
    assert 0.68 <= hits / 300 <= 0.9, hits / 300
