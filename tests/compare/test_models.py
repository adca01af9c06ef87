"""The models clustered by company: agreement with statsmodels, and awkward data."""

import numpy as np
import pytest
from scipy import stats
from statsmodels.duration.hazard_regression import PHReg

from helpers import compare
from helpers.synthetic import samples
from tests.compare.studies import tied_probes


def test_cox_cluster_covariance_matches_statsmodels_without_ties():
    # Without tied times Efron and Breslow residuals coincide, and so do statsmodels' robust
    # covariance and ours (neither has a G / (G - 1) factor).
    probes = samples.simulate_probes(np.random.default_rng(11))
    probes = probes.assign(cs=(probes["department"] == "customer_service").astype(float))
    model = PHReg(probes["minutes"], probes[["cs"]], status=probes["answered"].astype(int), ties="efron")
    fit = model.fit(groups=probes["company"].to_numpy())
    ours = compare.cox_cluster_cov(model, fit.params, probes["company"])
    assert ours == pytest.approx(fit.cov_params(), rel=1e-10)


# Reference figures computed once with R 4 / survival 3.5.3 on tests.compare.studies.tied_probes()
# written to CSV (department levels main, customer_service, sales; question_type hours, returns);
# coefficients, then sqrt(diag(vcov(fit))), the robust standard errors. R's robust variance is
# crossprod(rowsum(residuals(fit, "dfbeta"), company)) with no G / (G - 1) factor (checked).
R_TIED = {
    # coxph(Surv(minutes, answered) ~ department + question_type + cluster(company), ties = "efron")
    ("efron", None): ([0.233865389187729061, 0.121356653435395742, 0.041772945431773338],
                      [0.15432383452388748, 0.14871458948803318, 0.14203644346120800]),
    # coxph(Surv(minutes, answered) ~ department + strata(company) + cluster(company), ties = "efron")
    ("efron", "company"): ([0.146247555627083137, 0.037322725304091892],
                           [0.15449549120379119, 0.13688215309218865]),
    # coxph(Surv(minutes, answered) ~ department + question_type + cluster(company), ties = "breslow")
    ("breslow", None): ([0.21773418290717148, 0.11428209835575470, 0.03515374441599034],
                        [0.14617569162468277, 0.13896099211487198, 0.13557734233846766]),
}


@pytest.mark.parametrize(("ties", "strata"), list(R_TIED))
def test_cox_robust_standard_errors_match_r_with_tied_times(ties, strata):
    # 23 distinct reply times among 246 answers; company 23 never answers (NaN in statsmodels).
    data = compare.models._model_frame(tied_probes(), ["minutes", "department", "question_type"], "company")
    formula = "minutes ~ department" if strata else "minutes ~ department + question_type"
    model = PHReg.from_formula(formula, data=data, status=data["answered"].astype(int).to_numpy(), ties=ties,
                               strata=data[strata].to_numpy() if strata else None)
    fit = model.fit()
    coef, se = R_TIED[ties, strata]
    assert fit.params == pytest.approx(coef, rel=1e-8)
    cov = compare.cox_cluster_cov(model, fit.params, data["company"])
    assert np.sqrt(np.diag(cov)) == pytest.approx(se, rel=1e-8)


def test_cox_rows_use_the_r_standard_errors_on_t():
    # The interval and test of a hazard_ratio row are Wald on t with G - 1 = 23 df around R's
    # robust standard error (R_TIED, Efron, unstratified).
    rows, _, _ = compare.cox_model(tied_probes(), "minutes ~ department + question_type")
    (coef, *_), (se, *_) = R_TIED["efron", None]
    row = next(r for r in rows if r["comparison"] == "department:customer_service-vs-main")
    t = stats.t.ppf(0.975, 23)
    assert [row["estimate"], row["ci_low"], row["ci_high"]] == pytest.approx(
        np.exp([coef, coef - t * se, coef + t * se]), rel=1e-8)
    assert row["p_value"] == pytest.approx(2 * stats.t.sf(coef / se, 23), rel=1e-7)


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
