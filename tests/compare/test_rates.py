"""Two answer rates compared."""

import pytest

from helpers import compare


def test_rate_difference_interval_contains_estimate():
    r = compare.rate_difference(13, 16, 22, 40)
    assert r["estimate"] == pytest.approx(13 / 16 - 22 / 40)
    assert -1 <= r["ci_low"] <= r["estimate"] <= r["ci_high"] <= 1
    assert 0 <= r["p_value"] <= 1
    assert r["reason"] == ""
