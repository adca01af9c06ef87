"""The comparisons table: adjusted p-values and its columns."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.multitest import multipletests

from helpers import compare


def test_nan_pvalue_does_not_poison_the_family():
    adjusted = compare.adjust_pvalues([0.01, np.nan, 0.04, 0.2])
    assert math.isnan(adjusted[1])
    expected = multipletests([0.01, 0.04, 0.2], method="holm")[1]
    assert adjusted[[0, 2, 3]] == pytest.approx(expected)


def test_adjusted_pvalues_are_never_smaller():
    p = np.linspace(0.001, 0.5, 12)
    for method in ("holm", "fdr_bh"):
        assert (compare.adjust_pvalues(p, method) >= p - 1e-15).all()


# multipletests runs a full garbage collection on every call (~0.1 s in a test session): fewer examples.
@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=1, max_size=25), st.sampled_from(["holm", "fdr_bh"]))
def test_adjustment_matches_statsmodels(p, method):
    assert compare.adjust_pvalues(p, method) == pytest.approx(multipletests(p, method=method)[1])


def test_reason_is_the_last_column_and_empty_tables_have_every_column():
    assert compare.COLUMNS[-1] == "reason"
    assert list(compare.table([]).columns) == list(compare.COLUMNS)
