"""Comparisons between departments and companies, with intervals and multiple-testing control.

Every function returns rows of the tidy ``comparisons.csv`` table (`COLUMNS`). Comparisons are
named ``<kind>:<A>-vs-<B>`` and read "A compared with B":

- ``department:A-vs-B``: every probe of department A against every probe of department B;
- ``within-company:A-vs-B``: only companies that have both handles, compared inside each
  company (paired or stratified by company);
- ``question_type:A-vs-B``: a covariate of the models, adjusted for department;
- ``company:X-vs-rest``: one company against all the others; ``company:all`` is the test that
  all companies are alike.

Metrics (the ``metric`` column) and what the estimate means:

- ``answer_rate_difference``: share answered in A minus in B (Newcombe interval, Fisher exact
  test; unit: probe). Within companies: the mean over companies of the per-company difference
  (t interval over companies, exact sign-flip permutation test; unit: company).
- ``answer_odds_ratio``: odds of an answer, A over B. Across departments: Binomial GLM
  (``answered ~ department + question_type``) with standard errors clustered by company.
  Within companies: Mantel-Haenszel odds ratio over companies with the CMH test.
- ``hazard_ratio``: the rate at which answers arrive, A over B (> 1: A answers sooner).
  Cox model (``PHReg`` with the answered flag as ``status``, Efron ties), standard errors
  clustered by company; within companies, stratified by company.
- ``log_rank_statistic``: the log-rank chi-square (estimate) and its p-value; stratified by
  company within companies. No interval: it is a test statistic.
- ``median_minutes_difference``: KM median of A minus KM median of B (minutes), percentile
  interval from a bootstrap over companies; ``inf`` when a median is not reached. No test.
- ``share_within_<T>min_difference``: KM share answered within T minutes, A minus B, same
  bootstrap. No test.
- ``answer_rate_chisq``: the chi-square statistic of the companies-by-answered table, with a
  permutation p-value (exact enough for small counts, unlike the chi-square approximation).

``p_adjusted`` controls multiple testing within a family: the rows that share the comparison
kind and the metric (Holm by default, Benjamini-Hochberg with ``adjust="fdr_bh"``). Rows without
a test (NaN p-value) neither get nor count towards an adjustment.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import stats
from statsmodels.duration.hazard_regression import PHReg
from statsmodels.duration.survfunc import survdiff
from statsmodels.stats.contingency_tables import StratifiedTable
from statsmodels.stats.proportion import confint_proportions_2indep

from helpers import seeds
from helpers.stats.survival import km_quantile, km_steps

COLUMNS = ("comparison", "metric", "estimate", "ci_low", "ci_high", "p_value", "p_adjusted", "method")
ADJUST_METHODS = {"holm": "Holm", "fdr_bh": "Benjamini-Hochberg"}
DEFAULT_SEED = seeds.ANALYSIS
# Cluster-robust standard errors need clusters to estimate a variance from; with fewer than
# this many companies a clustered model is reported as not estimable.
MIN_CLUSTERS = 5


def adjust_pvalues(pvalues: Sequence[float], method: str = "holm") -> np.ndarray:
    """Adjusted p-values; NaN entries (tests that could not be run) stay NaN and do not count.

    Computed here rather than with statsmodels' `multipletests` (the tests check they agree):
    that turns every result into NaN when one input is NaN, and runs a garbage collection on
    every call, which dominates the simulations of `helpers.validation`.
    """
    if method not in ADJUST_METHODS:
        raise ValueError(f"unknown adjustment {method!r}; use one of {', '.join(ADJUST_METHODS)}")
    p = np.asarray(pvalues, dtype=float)
    out = np.full_like(p, np.nan)
    ok = np.flatnonzero(~np.isnan(p))
    m = len(ok)
    if m == 0:
        return out
    order = ok[np.argsort(p[ok], kind="stable")]
    sorted_p = p[order]
    if method == "holm":  # step-down: max over the smaller ones of (m - i) * p_(i)
        adjusted = np.maximum.accumulate((m - np.arange(m)) * sorted_p)
    else:  # Benjamini-Hochberg step-up: min over the larger ones of m / i * p_(i)
        adjusted = np.minimum.accumulate((m / np.arange(1, m + 1) * sorted_p)[::-1])[::-1]
    out[order] = np.minimum(adjusted, 1.0)
    return out


def _row(comparison: str, metric: str, estimate=np.nan, ci_low=np.nan, ci_high=np.nan,
         p_value=np.nan, method: str = "") -> dict:
    return {"comparison": comparison, "metric": metric, "estimate": float(estimate),
            "ci_low": float(ci_low), "ci_high": float(ci_high), "p_value": float(p_value),
            "method": method}


def table(rows: Sequence[dict], adjust: str = "holm") -> pd.DataFrame:
    """Rows as a comparisons table, with p-values adjusted within each family."""
    out = pd.DataFrame(list(rows), columns=[c for c in COLUMNS if c != "p_adjusted"])
    out["p_adjusted"] = np.nan
    if len(out):
        kind, what = out["comparison"].str.split(":", n=1).str[0], out["comparison"].str.split(":", n=1).str[1]
        # "company:all" (one omnibus test) is its own family, apart from the pairwise tests.
        family = kind + "|" + out["metric"] + "|" + (what == "all").map({True: "all", False: "pairs"})
        for _, idx in out.groupby(family, sort=False).groups.items():
            out.loc[idx, "p_adjusted"] = adjust_pvalues(out.loc[idx, "p_value"], adjust)
    return out[list(COLUMNS)]


def _name(kind: str, a: str, b: str) -> str:
    return f"{kind}:{a}-vs-{b}"


def department_pairs(probes: pd.DataFrame) -> list[tuple[str, str]]:
    """Pairs of departments present, customer service first and main second when present."""
    from helpers.data.study import DEPARTMENTS

    present = [d for d in DEPARTMENTS if d in set(probes["department"])]
    return list(itertools.combinations(present, 2))


def reference_department(probes: pd.DataFrame) -> str:
    """The baseline department of the models: ``main`` when present."""
    present = set(probes["department"])
    return "main" if "main" in present else sorted(present)[0]


# --------------------------------------------------------------------------------------------
# Answer rates


def rate_difference(k1: int, n1: int, k2: int, n2: int, alpha: float = 0.05) -> dict:
    """Difference of two answer rates (group 1 minus group 2), Newcombe interval, Fisher p-value."""
    if n1 == 0 or n2 == 0:
        return {"estimate": np.nan, "ci_low": np.nan, "ci_high": np.nan, "p_value": np.nan,
                "method": "not estimable: a group has no probes"}
    low, high = confint_proportions_2indep(k1, n1, k2, n2, method="newcomb", compare="diff", alpha=alpha)
    p_value = stats.fisher_exact([[k1, n1 - k1], [k2, n2 - k2]]).pvalue
    return {"estimate": k1 / n1 - k2 / n2, "ci_low": float(low), "ci_high": float(high),
            "p_value": float(p_value),
            "method": "difference in proportions (unit: probe); Newcombe interval; Fisher exact test"}


def department_rate_comparisons(probes: pd.DataFrame, alpha: float = 0.05,
                                adjust: str = "holm") -> pd.DataFrame:
    """Answer-rate difference for every pair of departments present (``department:A-vs-B``).

    The unit is the probe; probes of one company are not independent, so read these p-values
    as a screen and the company-clustered model (`answer_glm`) as the test.
    """
    counts = probes.groupby("department")["answered"].agg(["sum", "size"])
    rows = []
    for a, b in department_pairs(probes):
        r = rate_difference(int(counts.at[a, "sum"]), int(counts.at[a, "size"]),
                            int(counts.at[b, "sum"]), int(counts.at[b, "size"]), alpha)
        rows.append(_row(_name("department", a, b), "answer_rate_difference", **r))
    return table(rows, adjust)


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


def answer_glm(probes: pd.DataFrame, formula: str = "answered ~ department + question_type",
               cluster: str = "company", alpha: float = 0.05):
    """Binomial GLM for answered with standard errors clustered by `cluster`.

    Returns ``(rows, fit)``: one ``answer_odds_ratio`` row per non-baseline level of each
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
        return [_row("model:answer_glm", "answer_odds_ratio",
                     method=f"not estimable: {n_clusters} {cluster} clusters, fewer than {MIN_CLUSTERS}; " + method)], None
    try:
        fit = smf.glm(formula, data=data, family=sm.families.Binomial()).fit(
            cov_type="cluster", cov_kwds={"groups": pd.factorize(data[cluster])[0]}, use_t=True)
    except (ValueError, np.linalg.LinAlgError) as exc:
        return [_row("model:answer_glm", "answer_odds_ratio", method=f"not estimable: {exc}")], None
    names = _term_comparisons(fit.params.index, data)
    ci = fit.conf_int(alpha)
    rows = []
    for term, comparison in names.items():
        coef, se = fit.params[term], fit.bse[term]
        if not np.isfinite(se) or abs(coef) > 10 or se > 10:
            rows.append(_row(comparison, "answer_odds_ratio",
                             method="not estimable: separation (a level with all or no probes answered); " + method))
            continue
        rows.append(_row(comparison, "answer_odds_ratio", np.exp(coef), np.exp(ci.at[term, 0]),
                         np.exp(ci.at[term, 1]), fit.pvalues[term], method))
    return rows, fit


# --------------------------------------------------------------------------------------------
# Response times


def cox_cluster_cov(model: PHReg, params: np.ndarray, groups) -> np.ndarray:
    """Cluster-robust (sandwich) covariance of a Cox model, also with strata.

    statsmodels returns NaN standard errors when a stratum has no answered probe, because the
    score residuals of such rows are undefined (NaN). Those rows add nothing to the partial
    likelihood, so their score contribution is zero; this sums the others by cluster. With G
    clusters the result is scaled by G / (G - 1), the usual small-sample correction (CR1).
    """
    score = np.nan_to_num(model.score_residuals(params), nan=0.0)
    codes = pd.factorize(np.asarray(groups))[0]
    n_clusters = codes.max() + 1
    by_cluster = np.zeros((n_clusters, score.shape[1]))
    np.add.at(by_cluster, codes, score)
    bread = np.linalg.inv(model.hessian(params))
    return bread @ (by_cluster.T @ by_cluster) @ bread * n_clusters / max(n_clusters - 1, 1)


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
              f"({n_clusters} clusters, small-sample corrected), interval and test on t with "
              f"{n_clusters - 1} df")
    kind = kind_prefix or "model"
    if status.sum() == 0:
        return [_row(f"{kind}:cox", "hazard_ratio", method="not estimable: no probe was answered")], None, None
    if n_clusters < MIN_CLUSTERS:
        return [_row(f"{kind}:cox", "hazard_ratio",
                     method=f"not estimable: {n_clusters} {cluster} clusters, fewer than {MIN_CLUSTERS}; " + method)], None, None
    model = PHReg.from_formula(formula, data=data, status=status, ties="efron",
                               strata=data[strata].to_numpy() if strata else None)
    fit = model.fit()
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
        if not np.isfinite(se[i]) or abs(coef) > 10 or se[i] > 10:
            rows.append(_row(comparison, "hazard_ratio",
                             method="not estimable: a level with no (or only) answers; " + method))
            continue
        p = 2 * stats.t.sf(abs(coef / se[i]), df)
        rows.append(_row(comparison, "hazard_ratio", np.exp(coef), np.exp(coef - z * se[i]),
                         np.exp(coef + z * se[i]), p, method))
    return rows, fit, model


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


def _survdiff(minutes, status, group, strata=None) -> tuple[float, float] | None:
    """statsmodels' log-rank chi-square and p-value; None when no answer came while the
    groups were all still observed (its variance matrix is then singular)."""
    try:
        return survdiff(minutes, status, group, strata=strata)
    except np.linalg.LinAlgError:
        return None


def log_rank(probes: pd.DataFrame, group: pd.Series, comparison: str, strata: str | None = None) -> dict:
    """Log-rank test of time to first reply between the groups in `group` (censoring kept)."""
    if group.nunique() < 2 or probes["answered"].sum() == 0:
        return _row(comparison, "log_rank_statistic", method="not testable: one group, or no answers")
    result = _survdiff(probes["minutes"].to_numpy(), probes["answered"].astype(int).to_numpy(),
                       group.to_numpy(), probes[strata].to_numpy() if strata else None)
    if result is None:
        return _row(comparison, "log_rank_statistic",
                    method="not testable: no answer while both groups were still observed")
    chisq, p = result
    method = ("log-rank test (unit: probe; unanswered probes censored)"
              + (f", stratified by {strata}" if strata else "")
              + f", {group.nunique() - 1} degree(s) of freedom")
    return _row(comparison, "log_rank_statistic", chisq, p_value=p, method=method)


def _km_readings(minutes: np.ndarray, answered: np.ndarray, thresholds: Sequence[int]) -> np.ndarray:
    """KM median (inf when not reached) and shares within each threshold, as one vector."""
    if len(minutes) == 0:
        return np.full(1 + len(thresholds), np.nan)
    times, surv = km_steps(minutes, answered)
    median = km_quantile(times, surv, 0.5)
    out = [np.inf if np.isnan(median) else median]
    for t in thresholds:
        i = np.searchsorted(times, t, side="right") - 1
        out.append(1.0 - (surv[i] if i >= 0 else 1.0))
    return np.array(out)


def km_difference_bootstrap(probes: pd.DataFrame, a: str, b: str, thresholds: Sequence[int],
                            by: str = "department", cluster: str = "company", kind: str = "department",
                            n_boot: int = 2000, alpha: float = 0.05, seed: int = DEFAULT_SEED) -> list[dict]:
    """KM median and shares within thresholds, group A minus group B, with a cluster bootstrap.

    Each replicate resamples whole clusters (companies) with replacement, so the interval
    respects that probes of one company are alike. A median not reached within the window is
    ``inf``; replicates where a difference is undefined (a group absent, or both medians not
    reached) are left out, and the method says how many.
    """
    groups = [(d["minutes"].to_numpy(float), d["answered"].to_numpy(bool), d[by].to_numpy())
              for _, d in probes.groupby(cluster, sort=True)]

    def readings(parts) -> np.ndarray:
        m = np.concatenate([p[0] for p in parts])
        ans = np.concatenate([p[1] for p in parts])
        g = np.concatenate([p[2] for p in parts])
        ra = _km_readings(m[g == a], ans[g == a], thresholds)
        rb = _km_readings(m[g == b], ans[g == b], thresholds)
        with np.errstate(invalid="ignore"):
            return ra - rb

    observed = readings(groups)
    rng = np.random.default_rng(seed)
    draws = np.array([readings([groups[i] for i in rng.integers(0, len(groups), len(groups))])
                      for _ in range(n_boot)])
    metrics = ["median_minutes_difference"] + [f"share_within_{t}min_difference" for t in thresholds]
    rows = []
    for j, metric in enumerate(metrics):
        d = draws[:, j]
        ok = ~np.isnan(d)
        if np.isnan(observed[j]) or ok.sum() < 0.9 * n_boot:
            rows.append(_row(_name(kind, a, b), metric,
                             method="not estimable: the difference is undefined (a group missing, or neither median reached)"))
            continue
        # Order statistics, not interpolation: a bound may be infinite (median not reached).
        low, high = np.quantile(d[ok], [alpha / 2, 1 - alpha / 2], method="inverted_cdf")
        what = "KM median" if j == 0 else "KM share answered within the threshold"
        method = (f"{what}, A minus B (unanswered probes censored); percentile interval from "
                  f"{n_boot} bootstrap replicates resampling whole {cluster} clusters"
                  + (f" ({n_boot - ok.sum()} undefined replicates left out)" if ok.sum() < n_boot else "")
                  + ("; inf = median not reached" if j == 0 else "") + "; no test (see log_rank_statistic)")
        rows.append(_row(_name(kind, a, b), metric, observed[j], low, high, np.nan, method))
    return rows


# --------------------------------------------------------------------------------------------
# Within companies: only companies that have both handles


def paired_companies(probes: pd.DataFrame, a: str, b: str, by: str = "department") -> pd.DataFrame:
    """The probes of departments A and B in companies that have both."""
    sub = probes[probes[by].isin([a, b])]
    has = sub.groupby("company")[by].nunique()
    return sub[sub["company"].isin(has.index[has == 2])]


def _sign_patterns(m: int, rng: np.random.Generator, max_exact: int = 16, n_random: int = 20000) -> np.ndarray:
    """Every +-1 pattern for m pairs (exact test), or a random sample of them when m is large."""
    if m <= max_exact:
        return 1 - 2 * ((np.arange(2**m)[:, None] >> np.arange(m)) & 1)
    return rng.choice([-1, 1], size=(n_random, m))


def _sign_flip_pvalue(d: np.ndarray, signs: np.ndarray) -> float:
    """Two-sided permutation p-value of the mean of paired differences (signs flipped)."""
    d = np.asarray(d, dtype=float)
    if len(d) == 0 or not np.any(d):
        return 1.0
    means = np.abs(signs @ d) / len(d)
    return float(np.mean(means >= abs(d.mean()) - 1e-12))


def within_company_rates(probes: pd.DataFrame, a: str, b: str, alpha: float = 0.05,
                         seed: int = DEFAULT_SEED) -> list[dict]:
    """A against B inside each company that has both: paired rate difference and MH odds ratio."""
    sub = paired_companies(probes, a, b)
    name = _name("within-company", a, b)
    if sub.empty:
        return [_row(name, "answer_rate_difference", method="not estimable: no company has both handles")]
    counts = sub.groupby(["company", "department"])["answered"].agg(["sum", "size"]).unstack("department")
    rate_a = counts[("sum", a)] / counts[("size", a)]
    rate_b = counts[("sum", b)] / counts[("size", b)]
    d = (rate_a - rate_b).to_numpy()
    m = len(d)
    rows = []
    signs = _sign_patterns(m, np.random.default_rng(seed))
    p = _sign_flip_pvalue(d, signs)
    # The interval inverts the same test: every shift the test does not reject at alpha.
    # signs @ (d - delta) = signs @ d - delta * signs.sum(1): one product serves every shift.
    flipped, weight = signs @ d, signs.sum(axis=1)
    grid = np.linspace(-1.0, 1.0, 801)
    kept = [delta for delta in grid
            if np.mean(np.abs(flipped - delta * weight) >= abs(d.sum() - delta * m) - 1e-9) > alpha
            or np.allclose(d, delta)]
    low, high = (min(kept), max(kept)) if kept else (np.nan, np.nan)
    rows.append(_row(name, "answer_rate_difference", d.mean(), low, high, p,
                     f"mean over {m} companies of the per-company difference in answer rate (unit: company); "
                     "exact sign-flip permutation test, interval by inverting it"))
    tables = [np.array([[counts.at[c, ("sum", a)], counts.at[c, ("size", a)] - counts.at[c, ("sum", a)]],
                        [counts.at[c, ("sum", b)], counts.at[c, ("size", b)] - counts.at[c, ("sum", b)]]],
                       dtype=float) for c in counts.index]
    st = StratifiedTable(tables)
    with np.errstate(divide="ignore", invalid="ignore"):
        odds = st.oddsratio_pooled
        low, high = st.oddsratio_pooled_confint(alpha=alpha)
        p = st.test_null_odds(correction=True).pvalue
    if not np.isfinite(odds) or odds == 0:
        rows.append(_row(name, "answer_odds_ratio",
                         method="not estimable: no company has a discordant table (MH odds ratio undefined)"))
    else:
        rows.append(_row(name, "answer_odds_ratio", odds, low, high, p,
                         f"Mantel-Haenszel odds ratio over {m} companies (stratified by company; unit: probe); "
                         "Robins-Breslow-Greenland interval; CMH test with continuity correction"))
    return rows


# --------------------------------------------------------------------------------------------
# Companies


def company_rate_heterogeneity(probes: pd.DataFrame, n_perm: int = 2000, seed: int = DEFAULT_SEED) -> dict:
    """Are all companies alike in answer rate? Chi-square statistic, permutation p-value.

    The answered flags are shuffled across probes (keeping each company's number of probes),
    which stays valid with the two or three probes per company where the chi-square
    approximation does not.
    """
    codes, companies = pd.factorize(probes["company"], sort=True)
    y = probes["answered"].to_numpy(bool).astype(float)
    n_c = np.bincount(codes)

    def chisq(yy: np.ndarray) -> float:
        k = np.bincount(codes, weights=yy, minlength=len(n_c))
        p = yy.mean()
        if p in (0.0, 1.0):
            return 0.0
        expected = n_c * p
        return float((((k - expected) ** 2) / expected).sum() + (((k - expected) ** 2) / (n_c - expected)).sum())

    observed = chisq(y)
    rng = np.random.default_rng(seed)
    perms = np.array([chisq(rng.permutation(y)) for _ in range(n_perm)])
    p = (1 + np.sum(perms >= observed - 1e-9)) / (n_perm + 1)
    return _row("company:all", "answer_rate_chisq", observed, p_value=p,
                method=f"chi-square statistic of the {len(companies)} companies x answered table (unit: probe); "
                       f"permutation p-value from {n_perm} shuffles")


def log_rank_two_groups(minutes, answered, in_group: np.ndarray) -> np.ndarray:
    """Log-rank chi-square of group vs the rest, for many group labellings at once.

    `in_group` is a boolean matrix (one labelling per row, one column per probe). Vectorised
    so that a permutation test over thousands of labellings takes milliseconds.
    """
    minutes = np.asarray(minutes, dtype=float)
    answered = np.asarray(answered, dtype=bool)
    g = np.atleast_2d(np.asarray(in_group, dtype=float))
    times = np.unique(minutes[answered])
    if len(times) == 0:
        return np.zeros(len(g))
    # Column j + 1 holds probes whose last event time at or before their own time is times[j]
    # (column 0: gone before the first answer); a probe is at risk at times[j] iff its column > j.
    last = np.searchsorted(times, minutes, side="right")
    onehot = np.zeros((len(minutes), len(times) + 1))
    onehot[np.arange(len(minutes)), last] = 1.0
    risk_all = onehot.sum(axis=0)[::-1].cumsum()[::-1][1:]
    d_all = np.bincount(last[answered] - 1, minlength=len(times))
    risk_g = (g @ onehot)[:, ::-1].cumsum(axis=1)[:, ::-1][:, 1:]
    d_g = g[:, answered] @ onehot[answered][:, 1:]
    frac = risk_g / risk_all
    o_minus_e = (d_g - d_all * frac).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        ties = np.where(risk_all > 1, (risk_all - d_all) / np.maximum(risk_all - 1, 1), 1.0)
        var = (d_all * frac * (1 - frac) * ties).sum(axis=1)
        return np.where(var > 0, o_minus_e**2 / var, 0.0)


def company_vs_rest(probes: pd.DataFrame, alpha: float = 0.05, n_perm: int = 2000,
                    seed: int = DEFAULT_SEED) -> list[dict]:
    """Each company against all the others: answer-rate difference and log-rank test.

    With two to four probes in one group the log-rank chi-square approximation is poor, so
    its p-value comes from relabelling which probes belong to the company (permutation).
    """
    rows = []
    rng = np.random.default_rng(seed)
    minutes, answered = probes["minutes"].to_numpy(float), probes["answered"].to_numpy(bool)
    total_k, total_n = int(answered.sum()), len(probes)
    for company, d in probes.groupby("company", sort=True):
        k, n = int(d["answered"].sum()), len(d)
        name = f"company:{company}-vs-rest"
        rows.append(_row(name, "answer_rate_difference", **rate_difference(k, n, total_k - k, total_n - n, alpha)))
        if total_k == 0 or n == total_n:
            rows.append(_row(name, "log_rank_statistic", method="not testable: no answers, or no other company"))
            continue
        mine = (probes["company"] == company).to_numpy()
        observed = log_rank_two_groups(minutes, answered, mine)[0]
        perms = np.zeros((n_perm, total_n), dtype=bool)
        picks = np.argsort(rng.random((n_perm, total_n)), axis=1)[:, :n]
        np.put_along_axis(perms, picks, True, axis=1)
        null = log_rank_two_groups(minutes, answered, perms)
        p = (1 + np.sum(null >= observed - 1e-9)) / (n_perm + 1)
        rows.append(_row(name, "log_rank_statistic", observed, p_value=p,
                         method=f"log-rank test, company vs the rest (unit: probe; unanswered probes censored); "
                                f"permutation p-value from {n_perm} relabellings"))
    return rows


def company_log_rank_all(probes: pd.DataFrame, n_perm: int = 2000, seed: int = DEFAULT_SEED) -> dict:
    """Are all companies alike in time to first reply? Log-rank over companies, permutation p."""
    row = log_rank(probes, probes["company"], "company:all")
    if np.isnan(row["estimate"]):
        return row
    rng = np.random.default_rng(seed)
    m, a, g = probes["minutes"].to_numpy(), probes["answered"].astype(int).to_numpy(), probes["company"].to_numpy()
    null = np.array([(_survdiff(m, a, rng.permutation(g)) or (0.0,))[0] for _ in range(n_perm)])
    row["p_value"] = (1 + np.sum(null >= row["estimate"] - 1e-9)) / (n_perm + 1)
    row["method"] = (f"log-rank test over {probes['company'].nunique()} companies (unit: probe; unanswered "
                     f"probes censored); permutation p-value from {n_perm} shuffles of company labels")
    return row


def department_comparisons(probes: pd.DataFrame, thresholds: Sequence[int], alpha: float = 0.05,
                           adjust: str = "holm", n_boot: int = 2000, seed: int = DEFAULT_SEED,
                           glm_formula: str = "answered ~ department + question_type",
                           cox_formula: str = "minutes ~ department + question_type") -> pd.DataFrame:
    """Every department comparison of notebook 04 as one comparisons table."""
    rows: list[dict] = []
    pairs = department_pairs(probes)
    ref = reference_department(probes)
    others = dict.fromkeys(d for pair in pairs for d in pair if d != ref)

    def named(model_rows: list[dict], names: list[str]) -> list[dict]:
        """A model that could not be fitted reports once per comparison it would have made."""
        if len(model_rows) == 1 and model_rows[0]["comparison"].endswith((":answer_glm", ":cox")):
            return [{**model_rows[0], "comparison": n} for n in names]
        return model_rows

    dept_names = [_name("department", d, ref) for d in others]
    rows += department_rate_comparisons(probes, alpha, adjust).drop(columns="p_adjusted").to_dict("records")
    rows += named(answer_glm(probes, glm_formula, alpha=alpha)[0], dept_names)
    rows += named(cox_model(probes, cox_formula, alpha=alpha)[0], dept_names)
    for a, b in pairs:
        pair = probes[probes["department"].isin([a, b])]
        rows.append(log_rank(pair, pair["department"], _name("department", a, b)))
        if n_boot > 0:  # 0 skips the bootstrap (simulations that check the tests only)
            rows += km_difference_bootstrap(pair, a, b, thresholds, n_boot=n_boot, alpha=alpha, seed=seed)
        paired = paired_companies(probes, a, b)
        if paired.empty:
            continue
        rows += within_company_rates(probes, a, b, alpha, seed)
        rows += named(cox_model(paired, "minutes ~ department", strata="company", alpha=alpha,
                                kind_prefix="within-company")[0], [_name("within-company", a, b)])
        rows.append(log_rank(paired, paired["department"], _name("within-company", a, b), strata="company"))
    return table(rows, adjust)


def company_comparisons(probes: pd.DataFrame, alpha: float = 0.05, adjust: str = "holm",
                        n_perm: int = 2000, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """Every company comparison of notebook 05 as one comparisons table."""
    rows = [company_rate_heterogeneity(probes, n_perm, seed), company_log_rank_all(probes, n_perm, seed)]
    rows += company_vs_rest(probes, alpha, n_perm, seed)
    return table(rows, adjust)

