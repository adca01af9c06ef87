"""Log-rank tests and KM differences: the vectorised log-rank agrees with statsmodels."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.duration.survfunc import survdiff

from helpers import compare


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 30), st.booleans(), st.booleans()), min_size=3, max_size=30))
def test_vectorised_log_rank_matches_statsmodels(rows):
    minutes = np.array([r[0] for r in rows], float)
    answered = np.array([r[1] for r in rows])
    group = np.array([r[2] for r in rows])
    if answered.sum() == 0 or group.all() or not group.any():
        return
    try:
        expected = survdiff(minutes, answered.astype(int), group.astype(int))[0]
    except np.linalg.LinAlgError:  # statsmodels cannot compute it; nothing to compare
        return
    assert compare.log_rank_two_groups(minutes, answered, group)[0] == pytest.approx(expected, rel=1e-9, abs=1e-9)
