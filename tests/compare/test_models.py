"""The models clustered by company: agreement with statsmodels, and awkward data."""

import numpy as np
import pytest
from statsmodels.duration.hazard_regression import PHReg

from helpers import compare
from helpers.synthetic import samples


def test_cox_cluster_covariance_matches_statsmodels_without_strata():
    probes = samples.simulate_probes(np.random.default_rng(11))
    probes = probes.assign(cs=(probes["department"] == "customer_service").astype(float))
    model = PHReg(probes["minutes"], probes[["cs"]], status=probes["answered"].astype(int), ties="efron")
    fit = model.fit(groups=probes["company"].to_numpy())
    g = probes["company"].nunique()
    ours = compare.cox_cluster_cov(model, fit.params, probes["company"])
    assert ours == pytest.approx(fit.cov_params() * g / (g - 1))


def test_stratified_clustered_cox_has_finite_errors_when_a_company_never_answers():
    probes = samples.simulate_probes(np.random.default_rng(12), n_companies=12, share_with_service=1.0)
    silent = probes["company"] == probes["company"].iloc[0]
    probes.loc[silent, "answered"] = False  # statsmodels gives NaN standard errors here
    rows, fit, _ = compare.cox_model(probes, "minutes ~ department", strata="company")
    assert np.isfinite([rows[0]["ci_low"], rows[0]["ci_high"], rows[0]["p_value"]]).all()
    assert rows[0]["ci_low"] < rows[0]["estimate"] < rows[0]["ci_high"]
    assert rows[0]["reason"] == ""


def test_the_ph_check_of_a_study_has_a_row_per_term_or_is_none_when_nothing_was_answered():
    probes = samples.simulate_probes(np.random.default_rng(5))
    check = compare.ph_check_of(probes, "minutes ~ department")
    # One term per department besides the reference, each with its events and a p-value.
    assert len(check) == probes["department"].nunique() - 1 and check["term"].str.startswith("department[T.").all()
    assert (check["n_events"] == int(probes["answered"].sum())).all() and check["p_value"].between(0, 1).all()
    silent = probes.assign(answered=False)
    assert compare.ph_check_of(silent, "minutes ~ department") is None
