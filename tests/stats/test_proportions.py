"""Wilson intervals and answer rates: the unit is the probe, and no probe is dropped."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from helpers.data import outcomes
from helpers.stats import proportions


@given(n=st.integers(1, 2000), data=st.data(), alpha=st.sampled_from([0.01, 0.05, 0.1, 0.2]))
def test_wilson_contains_estimate_and_stays_in_unit_interval(n, data, alpha):
    k = data.draw(st.integers(0, n))
    low, high = proportions.wilson_interval(k, n, alpha)
    assert 0.0 <= low <= k / n <= high <= 1.0


@given(n=st.integers(1, 500), data=st.data())
def test_wilson_narrows_as_confidence_drops(n, data):
    k = data.draw(st.integers(0, n))
    low95, high95 = proportions.wilson_interval(k, n, 0.05)
    low80, high80 = proportions.wilson_interval(k, n, 0.20)
    assert low95 <= low80 + 1e-12 and high80 <= high95 + 1e-12


def test_wilson_of_nothing_is_undefined():
    low, high = proportions.wilson_interval(0, 0)
    assert math.isnan(low) and math.isnan(high)


def test_response_rates_count_every_probe(tiny):
    rates = proportions.response_rates(tiny.probes)
    for level in outcomes.LEVELS:
        assert rates.query("level == @level")["n_probes"].sum() == len(tiny.probes)
    overall = rates.query("level == 'overall'").iloc[0]
    assert (overall.n_responded, overall.n_probes) == (int(tiny.probes["answered"].sum()), len(tiny.probes))
    assert set(rates.query("level == 'account'")["group"]) == {
        f"{c}/{a}" for c, a in zip(tiny.accounts["company"], tiny.accounts["account"])}
