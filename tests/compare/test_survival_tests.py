"""Log-rank tests and KM differences: the vectorised log-rank agrees with statsmodels, p-values with R."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.duration.survfunc import survdiff

from helpers import compare
from tests.compare.studies import separated_probes


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


# Reference figures computed once with R 4 / survival 3.5.3 on tests.compare.studies.separated_probes()
# written to CSV: (chisq, pvalue) of survdiff. statsmodels' 1 - chi2.cdf gave 0 for both.
R_SEPARATED_LOG_RANK = {
    # survdiff(Surv(minutes, answered) ~ department, data = d)
    None: (5.5869247142157394e+02, 1.6182702473418669e-123),
    # survdiff(Surv(minutes, answered) ~ department + strata(company), data = d)
    "company": (5.4483645140711667e+02, 1.6721733813359506e-120),
}


@pytest.mark.parametrize("strata", list(R_SEPARATED_LOG_RANK))
def test_log_rank_p_values_far_below_machine_epsilon_match_r(strata):
    probes = separated_probes()
    row = compare.log_rank(probes, probes["department"], "department:customer_service-vs-main", strata=strata)
    chisq, p = R_SEPARATED_LOG_RANK[strata]
    assert row["estimate"] == pytest.approx(chisq, rel=1e-10)
    assert row["p_value"] == pytest.approx(p, rel=1e-9)
