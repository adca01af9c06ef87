"""Comparisons: multiple testing and rate differences."""

import math

import numpy as np
import pytest
from statsmodels.stats.multitest import multipletests

from helpers import compare
from helpers.study import load_study

from .conftest import TINY_STUDY


def test_nan_pvalue_does_not_poison_the_family():
    adjusted = compare.adjust_pvalues([0.01, np.nan, 0.04, 0.2])
    assert math.isnan(adjusted[1])
    expected = multipletests([0.01, 0.04, 0.2], method="holm")[1]
    assert adjusted[[0, 2, 3]] == pytest.approx(expected)


def test_adjusted_pvalues_are_never_smaller():
    p = np.linspace(0.001, 0.5, 12)
    for method in ("holm", "fdr_bh"):
        assert (compare.adjust_pvalues(p, method) >= p - 1e-15).all()


def test_rate_difference_interval_contains_estimate():
    r = compare.rate_difference(13, 16, 22, 40)
    assert r["estimate"] == pytest.approx(13 / 16 - 22 / 40)
    assert -1 <= r["ci_low"] <= r["estimate"] <= r["ci_high"] <= 1
    assert 0 <= r["p_value"] <= 1


def test_department_comparisons_on_tiny_study():
    table = compare.department_rate_comparisons(load_study(TINY_STUDY).probes)
    assert list(table.columns) == list(compare.COLUMNS)
    assert table["comparison"].iloc[0] == "department:customer_service-vs-main"
    assert set(table["metric"]) == {"answer_rate_difference"}
