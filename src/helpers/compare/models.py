"""Regression models clustered by company: a Binomial GLM for answers, a Cox model for times.

Metrics and what the estimate means:

- ``response_odds_ratio``: odds of an answer, A over B. Binomial GLM
  (``answered ~ department + question_type``) with standard errors clustered by company.
- ``hazard_ratio``: the rate at which answers arrive, A over B (> 1: A answers sooner).
  Cox model (``PHReg`` with the answered flag as ``status``, Efron ties), standard errors
  clustered by company; within companies, stratified by company. The clustered variance is
  R's robust one (``coxph(..., cluster = company)``): Efron score residuals summed by company,
  sandwiched by the model-based covariance, with no G / (G - 1) factor (see `cox_cluster_cov`).
  Intervals and tests use t with G - 1 df, as for the GLM.

Model terms are named like other comparisons: ``department:A-vs-<baseline>``, and
``question_type:A-vs-B`` for the covariate, adjusted for department.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import stats
from statsmodels.duration.hazard_regression import PHReg

from helpers.compare.multiplicity import _name, _row

# Cluster-robust standard errors need clusters to estimate a variance from; with fewer than
# this many companies a clustered model is reported as not estimable.
MIN_CLUSTERS = 5


def reference_department(probes: pd.DataFrame) -> str:
    """The baseline department of the models: ``main`` when present."""
    present = set(probes["department"])
    return "main" if "main" in present else sorted(present)[0]


def _model_frame(probes: pd.DataFrame, columns: Sequence[str], cluster: str | None) -> pd.DataFrame:
    """The probes a model uses, with `department` coded so that its baseline comes first.

    Rows with a missing value in a model column are dropped here, before fitting, so that the
    cluster labels stay aligned with the rows the model sees.
    """
    need = list(dict.fromkeys([*columns, *([cluster] if cluster else [])]))
    data = probes.dropna(subset=[c for c in need if c in probes]).copy()
    if "department" in data:
        ref = reference_department(data)
        levels = [ref] + sorted(set(data["department"]) - {ref})
        data["department"] = pd.Categorical(data["department"], categories=levels)
    for col in columns:  # other text columns: baseline = first in alphabetical order
        if col in data and col != "department" and not pd.api.types.is_numeric_dtype(data[col]) \
                and not pd.api.types.is_bool_dtype(data[col]):
            data[col] = pd.Categorical(data[col], categories=sorted(set(data[col])))
    return data


def _term_comparisons(params: pd.Index, data: pd.DataFrame) -> dict[str, str]:
    """Map patsy names such as ``department[T.customer_service]`` to comparison names."""
    out = {}
    for term in params:
        if "[T." not in term:
            continue
        var, level = term.split("[T.", 1)
        level = level.rstrip("]")
        ref = data[var].cat.categories[0] if var in data and hasattr(data[var], "cat") else "baseline"
        out[term] = _name(var, level, str(ref))
    return out


def _formula_columns(formula: str) -> list[str]:
    lhs, rhs = formula.split("~", 1)
    names = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", lhs + " " + rhs)
    return [n for n in dict.fromkeys(names) if n not in ("C", "Treatment", "reference")]


def per_comparison(model_rows: list[dict], names: list[str]) -> list[dict]:
    """A model that could not be fitted reports once per comparison it would have made."""
    if len(model_rows) == 1 and model_rows[0]["comparison"].endswith((":response_glm", ":cox")):
        return [{**model_rows[0], "comparison": n} for n in names]
    return model_rows


def _too_few_clusters(comparison: str, metric: str, n_clusters: int, cluster: str, method: str) -> dict:
    return _row(comparison, metric, reason="few_clusters",
                method=f"not estimable: {n_clusters} {cluster} clusters, fewer than {MIN_CLUSTERS}; " + method)


def _runs_off(coef: float, se: float) -> bool:
    """A coefficient running off to +-infinity: a level where every or no probe had the event."""
    return not np.isfinite(se) or abs(coef) > 10 or se > 10


def response_glm(probes: pd.DataFrame, formula: str = "answered ~ department + question_type",
               cluster: str = "company", alpha: float = 0.05):
    """Binomial GLM for answered with standard errors clustered by `cluster`.

    Returns ``(rows, fit)``: one ``response_odds_ratio`` row per non-baseline level of each
    categorical term, and the statsmodels result (None when the model cannot be fitted).
    Terms whose odds ratio runs off to 0 or infinity (a level where every or no probe was
    answered: separation) are reported as not estimable instead of as a huge number.
    """
    data = _model_frame(probes, _formula_columns(formula), cluster)
    data["answered"] = data["answered"].astype(int)
    n_clusters = data[cluster].nunique()
    method = (f"Binomial GLM ({formula}; unit: probe), standard errors clustered by {cluster} "
              f"({n_clusters} clusters, small-sample corrected), interval and test on t with "
              f"{n_clusters - 1} df")
    if n_clusters < MIN_CLUSTERS:
        return [_too_few_clusters("model:response_glm", "response_odds_ratio", n_clusters, cluster, method)], None
    try:
        fit = smf.glm(formula, data=data, family=sm.families.Binomial()).fit(
            cov_type="cluster", cov_kwds={"groups": pd.factorize(data[cluster])[0]}, use_t=True)
    except (ValueError, np.linalg.LinAlgError) as exc:
        return [_row("model:response_glm", "response_odds_ratio", method=f"not estimable: {exc}",
                     reason="model_failed")], None
    names = _term_comparisons(fit.params.index, data)
    ci = fit.conf_int(alpha)
    rows = []
    for term, comparison in names.items():
        coef, se = fit.params[term], fit.bse[term]
        if _runs_off(coef, se):
            rows.append(_row(comparison, "response_odds_ratio", reason="separation",
                             method="not estimable: separation (a level with all or no probes answered); " + method))
            continue
        rows.append(_row(comparison, "response_odds_ratio", np.exp(coef), np.exp(ci.at[term, 0]),
                         np.exp(ci.at[term, 1]), fit.pvalues[term], method))
    return rows, fit


def cox_score_residuals(model: PHReg, params: np.ndarray) -> np.ndarray:
    """Score residuals of a Cox model, one row per probe, consistent with its ties method.

    The per-probe pieces of the score (R's ``residuals(fit, type = "score")``): with Efron ties
    the k-th of d deaths tied at a time (k = 0, ..., d - 1) sees the risk set with k/d of the
    tied probes' weight taken out, so each tied probe is at risk for a share (1 - k/d) of that
    term and its own event is centred on the mean of the d Efron risk-set means. With Breslow
    ties (``model.ties == "breslow"``) every term sees the full risk set. statsmodels'
    ``PHReg.score_residuals`` uses the Breslow form whatever the ties method, so an Efron fit
    with tied reply times got residuals of the other method; these agree with R's to rounding.

    Probes without an answer in their stratum, or censored before its first answer, are in no
    risk set and get zero (statsmodels gives NaN for strata without answers).
    """
    time = np.asarray(model.endog, dtype=float)
    status = np.asarray(model.status, dtype=bool)
    exog = np.asarray(model.exog, dtype=float)
    strata = np.zeros(len(time)) if model.strata is None else np.asarray(model.strata)
    efron = model.ties == "efron"
    out = np.zeros_like(exog)
    for stratum in pd.unique(strata):
        rows = np.flatnonzero(strata == stratum)
        t, dead, x = time[rows], status[rows], exog[rows]
        times = np.unique(t[dead])  # distinct answer times of the stratum
        if len(times) == 0:
            continue
        n_t = len(times)
        eta = x @ params
        r = np.exp(eta - eta.max())  # relative risks; a common factor cancels out
        # Sums over the risk set (time >= t_j) and over the deaths tied at t_j.
        order = np.argsort(t, kind="stable")
        first = np.searchsorted(t[order], times, side="left")
        s0 = np.cumsum(r[order][::-1])[::-1][first]
        s1 = np.cumsum((r[:, None] * x)[order][::-1], axis=0)[::-1][first]
        j_dead = np.searchsorted(times, t[dead])
        d = np.bincount(j_dead, minlength=n_t)
        s0d = np.bincount(j_dead, weights=r[dead], minlength=n_t)
        s1d = np.zeros_like(s1)
        np.add.at(s1d, j_dead, r[dead, None] * x[dead])
        # One entry per Efron term: time jj, tied weight taken out `down` = k / d.
        jj = np.repeat(np.arange(n_t), d)
        down = (np.arange(len(jj)) - np.repeat(np.cumsum(d) - d, d)) / d[jj] if efron else np.zeros(len(jj))
        den = s0[jj] - down * s0d[jj]
        xbar = (s1[jj] - down[:, None] * s1d[jj]) / den[:, None]
        hazard = np.bincount(jj, weights=1 / den, minlength=n_t)  # at risk, not tied
        hazard_x = np.zeros_like(s1)
        np.add.at(hazard_x, jj, xbar / den[:, None])
        hazard_tied = np.bincount(jj, weights=(1 - down) / den, minlength=n_t)
        hazard_x_tied = np.zeros_like(s1)
        np.add.at(hazard_x_tied, jj, ((1 - down) / den)[:, None] * xbar)
        centre = np.zeros_like(s1)
        np.add.at(centre, jj, xbar / d[jj, None])
        # Every answer time up to a probe's own counts in full, except its own answer's.
        last = np.searchsorted(times, t, side="right") - 1
        seen = last >= 0
        cum = np.where(seen, np.cumsum(hazard)[np.maximum(last, 0)], 0.0)
        cum_x = np.where(seen[:, None], np.cumsum(hazard_x, axis=0)[np.maximum(last, 0)], 0.0)
        own = last[dead]
        cum[dead] += hazard_tied[own] - hazard[own]
        cum_x[dead] += hazard_x_tied[own] - hazard_x[own]
        u = -r[:, None] * (x * cum[:, None] - cum_x)
        u[dead] += x[dead] - centre[own]
        out[rows] = u
    return out


def cox_cluster_cov(model: PHReg, params: np.ndarray, groups) -> np.ndarray:
    """Cluster-robust (sandwich) covariance of a Cox model, also with strata, as R computes it.

    ``V (U'U) V`` with V the model-based covariance (inverse information of the fit's ties
    method) and U the score residuals (`cox_score_residuals`, the same ties method) summed by
    cluster: R's ``coxph(..., cluster = company)`` robust variance, ``crossprod(rowsum(
    residuals(fit, "dfbeta"), company))``, without a G / (G - 1) factor (R applies none).
    """
    score = cox_score_residuals(model, np.asarray(params, dtype=float))
    codes = pd.factorize(np.asarray(groups))[0]
    by_cluster = np.zeros((codes.max() + 1, score.shape[1]))
    np.add.at(by_cluster, codes, score)
    bread = np.linalg.inv(model.hessian(params))
    return bread @ (by_cluster.T @ by_cluster) @ bread


def _cox_rows(model: PHReg, fit, data: pd.DataFrame, cluster: str, n_clusters: int, alpha: float,
              kind_prefix: str, method: str) -> list[dict]:
    """``hazard_ratio`` rows of a fitted Cox model, Wald intervals on t from clustered errors."""
    cov = cox_cluster_cov(model, fit.params, data[cluster])
    se = np.sqrt(np.diag(cov))
    df = max(n_clusters - 1, 1)
    z = stats.t.ppf(1 - alpha / 2, df)
    names = _term_comparisons(pd.Index(model.exog_names), data)
    rows = []
    for i, term in enumerate(model.exog_names):
        if term not in names:
            continue
        comparison = names[term]
        if kind_prefix:
            comparison = kind_prefix + ":" + comparison.split(":", 1)[1]
        coef = fit.params[i]
        if _runs_off(coef, se[i]):
            rows.append(_row(comparison, "hazard_ratio", reason="level_all_or_none",
                             method="not estimable: a level with no (or only) answers; " + method))
            continue
        p = 2 * stats.t.sf(abs(coef / se[i]), df)
        rows.append(_row(comparison, "hazard_ratio", np.exp(coef), np.exp(coef - z * se[i]),
                         np.exp(coef + z * se[i]), p, method))
    return rows


def cox_model(probes: pd.DataFrame, formula: str = "minutes ~ department + question_type",
              cluster: str = "company", strata: str | None = None, alpha: float = 0.05,
              kind_prefix: str = ""):
    """Cox model of time to first reply; unanswered probes are censored (``status``).

    Returns ``(rows, fit, model)``: ``hazard_ratio`` rows (> 1: answered sooner than the
    baseline) with Wald intervals from standard errors clustered by `cluster`, the fit and
    the model. `kind_prefix` renames the comparison kind (``within-company``).
    """
    data = _model_frame(probes, _formula_columns(formula), cluster)
    status = data["answered"].astype(int).to_numpy()
    n_clusters = data[cluster].nunique()
    method = (f"Cox model ({formula}{'; stratified by ' + strata if strata else ''}; unit: probe; "
              f"unanswered probes censored), Efron ties, standard errors clustered by {cluster} "
              f"({n_clusters} clusters; robust sandwich variance of R's coxph, Efron score residuals, "
              f"no small-sample factor), interval and test on t with {n_clusters - 1} df")
    kind = kind_prefix or "model"
    if status.sum() == 0:
        return [_row(f"{kind}:cox", "hazard_ratio", method="not estimable: no probe was answered",
                     reason="no_answers")], None, None
    if n_clusters < MIN_CLUSTERS:
        return [_too_few_clusters(f"{kind}:cox", "hazard_ratio", n_clusters, cluster, method)], None, None
    model = PHReg.from_formula(formula, data=data, status=status, ties="efron",
                               strata=data[strata].to_numpy() if strata else None)
    fit = model.fit()
    return _cox_rows(model, fit, data, cluster, n_clusters, alpha, kind_prefix, method), fit, model


def ph_check_of(probes: pd.DataFrame, formula: str, alpha: float = 0.05) -> pd.DataFrame | None:
    """`ph_check` of the Cox model of `formula` on `probes`; None where the model cannot be fitted."""
    _, fit, model = cox_model(probes, formula, alpha=alpha)
    return ph_check(fit, model) if fit is not None else None


def ph_check(fit, model: PHReg) -> pd.DataFrame:
    """Proportional-hazards check: Schoenfeld residuals against the rank of the reply time.

    Under proportional hazards the residuals of each term show no trend over time; the table
    gives, per term, their Pearson correlation with the rank of the event time and its p-value
    (the idea of R's ``cox.zph`` with a rank transform, without its scaling).
    """
    resid = fit.schoenfeld_residuals
    time = np.asarray(model.endog, dtype=float)
    rows = []
    for j, term in enumerate(model.exog_names):
        r = resid[:, j]
        ok = np.isfinite(r)
        if ok.sum() < 3 or np.ptp(r[ok]) == 0:
            rows.append({"term": term, "n_events": int(ok.sum()), "correlation": np.nan, "p_value": np.nan})
            continue
        res = stats.pearsonr(stats.rankdata(time[ok]), r[ok])
        rows.append({"term": term, "n_events": int(ok.sum()), "correlation": float(res.statistic),
                     "p_value": float(res.pvalue)})
    return pd.DataFrame(rows)
