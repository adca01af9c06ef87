"""Did a company change between two waves, and are we sure? Changes with intervals, tests and control.

Every change is this wave minus the baseline, on the probes both waves share
(`helpers.data.waves.aligned`: shared question types and tones, the shorter window).

Per company (`company_changes`), unit: probe, the two waves independent samples:

- ``response_rate`` and ``answer_rate``: difference of proportions, Newcombe interval, Fisher's
  exact test. The answer rate counts probes whose first reply answered, among probes whose reply
  kind is known (answered without a recorded text left out).
- ``within_<T>min``: difference of the Kaplan-Meier shares answered within T minutes (unanswered
  probes censored). Where no probe of either wave was censored before T they are plain
  proportions (Newcombe, Fisher); otherwise Greenwood standard errors, a normal interval and test.
- ``median_minutes``: difference of the KM medians, percentile interval from a bootstrap of
  probes within each wave; its test is the log-rank test of the whole curves, its p-value from
  relabelling the waves (exact where few) when the smaller wave has fewer than `SMALL_WAVE`
  probes, where the chi-square is too liberal. Undefined when a wave's median is not reached.

Overall (`overall_changes`), over the companies in both waves, unit: probe, companies as
clusters and paired across waves: rates from the linearised ratio estimator (a t interval with
one fewer degree of freedom than companies); KM shares and the median from a bootstrap that
resamples companies with both their waves; the time test is the log-rank test stratified by
company.

`p_adjusted` is Holm's within each metric across companies; a change is *told from chance* when
it is below `alpha`. Rows without an estimate say why in ``reason`` (`REASONS`).
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from helpers import seeds
from helpers.compare.multiplicity import adjust_pvalues
from helpers.compare.rates import rate_difference
from helpers.compare.survival_tests import _survdiff, log_rank_two_groups
from helpers.stats.survival import KaplanMeier, km_medians, km_quantile, km_steps, within_column

REASONS = (
    "no_probes",  # a wave has no probe of this company in the shared questions
    "no_reply_kinds",  # a wave has no known reply kinds: no answer rate
    "median_not_reached",  # fewer than half answered in a wave: no median
    "no_variation",  # the test cannot be run (no answer in either wave, or no overlap)
    "few_companies",  # fewer than MIN_COMPANIES companies in both waves: no overall interval
)
MIN_COMPANIES = 3
COLUMNS = ("company", "metric", "baseline", "current", "estimate", "ci_low", "ci_high", "p_value", "p_adjusted",
           "told_from_chance", "direction", "n_baseline", "n_current", "method", "reason")
ANSWER = "answer"
UNKNOWN_KINDS = ("no_text",)  # answered, but no text to judge the reply by


def metrics(thresholds: Sequence[int], answer_rates: bool) -> list[str]:
    """The metrics compared, in the order they are shown."""
    return ["response_rate", *(["answer_rate"] if answer_rates else []),
            *(within_column(t) for t in thresholds), "median_minutes"]


def _row(company, metric, baseline=np.nan, current=np.nan, estimate=np.nan, low=np.nan, high=np.nan, p=np.nan,
         n=(0, 0), method="", reason="") -> dict:
    if reason and reason not in REASONS:
        raise ValueError(f"unknown reason code {reason!r}")
    return {"company": company, "metric": metric, "baseline": float(baseline), "current": float(current),
            "estimate": float(estimate), "ci_low": float(low), "ci_high": float(high), "p_value": float(p),
            "n_baseline": int(n[0]), "n_current": int(n[1]), "method": method, "reason": reason}


def _answer_known(p: pd.DataFrame) -> pd.DataFrame:
    return p[~p["reply_kind"].isin(UNKNOWN_KINDS)]


def _proportion_row(company, metric, hits0: np.ndarray, hits1: np.ndarray, alpha: float, what: str) -> dict:
    n0, n1, k0, k1 = len(hits0), len(hits1), int(hits0.sum()), int(hits1.sum())
    if n0 == 0 or n1 == 0:
        return _row(company, metric, n=(n0, n1), reason="no_probes", method="not estimable: a wave has no probes")
    d = rate_difference(k1, n1, k0, n0, alpha)
    return _row(company, metric, k0 / n0, k1 / n1, d["estimate"], d["ci_low"], d["ci_high"], d["p_value"], (n0, n1),
                f"{what}, this wave minus the baseline (unit: probe); Newcombe interval; Fisher exact test")


def _within_row(company, t: int, b: pd.DataFrame, c: pd.DataFrame, alpha: float) -> dict:
    metric = within_column(t)
    early = [(~d["answered"] & (d["minutes"] < t)).any() for d in (b, c)]
    if not any(early):
        return _proportion_row(company, metric, (b["answered"] & (b["minutes"] <= t)).to_numpy(),
                               (c["answered"] & (c["minutes"] <= t)).to_numpy(), alpha,
                               f"share answered within {t} minutes (no probe censored before)")
    if len(b) == 0 or len(c) == 0:
        return _row(company, metric, n=(len(b), len(c)), reason="no_probes", method="not estimable: a wave has no probes")
    shares, ses = [], []
    for d in (b, c):
        km = KaplanMeier.from_probes(d["minutes"], d["answered"])
        i = np.searchsorted(km.times, t, side="right") - 1
        shares.append(km.share_within(t))
        ses.append(float(km.se[i]) if i >= 0 else 0.0)
    diff, se = shares[1] - shares[0], float(np.hypot(*ses))
    z = stats.norm.ppf(1 - alpha / 2)
    p = float(2 * stats.norm.sf(abs(diff) / se)) if se > 0 else np.nan
    return _row(company, metric, shares[0], shares[1], diff, max(diff - z * se, -1.0), min(diff + z * se, 1.0), p,
                (len(b), len(c)), f"KM share answered within {t} minutes, this wave minus the baseline (unit: probe; "
                "unanswered probes censored); Greenwood standard errors, normal interval and test",
                "" if se > 0 else "no_variation")


def _median(minutes: np.ndarray, answered: np.ndarray) -> float:
    times, surv = km_steps(minutes, answered)
    m = km_quantile(times, surv, 0.5, end=float(minutes.max()) if len(minutes) else None)
    return m


def _log_rank(b: pd.DataFrame, c: pd.DataFrame, strata: bool = False) -> float:
    both = pd.concat([b, c], ignore_index=True)
    if both["answered"].sum() == 0:
        return np.nan
    wave = np.r_[np.zeros(len(b), int), np.ones(len(c), int)]
    result = _survdiff(both["minutes"].to_numpy(float), both["answered"].astype(int).to_numpy(), wave,
                       both["company"].to_numpy() if strata else None)
    return np.nan if result is None else result[1]


# Below this many probes in a company's smaller wave, the log-rank chi-square is too liberal (the
# calibration check found 11% family-wise errors with 4 probes a company); its p-value is then a
# permutation one: exact over every relabelling when there are at most EXACT_RELABELLINGS, else
# from random relabellings (enough for Holm over every company to reach alpha).
SMALL_WAVE = 20
EXACT_RELABELLINGS = 20_000
MAX_RELABELLINGS = 100_000


@functools.lru_cache(maxsize=64)
def _every_relabelling(n: int, k: int) -> np.ndarray:
    """Every way to pick `k` of `n` probes, one boolean row each (companies of one size share them)."""
    chosen = np.array(list(itertools.combinations(range(n), k)), dtype=np.intp).reshape(-1, k)
    labels = np.zeros((len(chosen), n), bool)
    labels[np.arange(len(chosen))[:, None], chosen] = True
    labels.flags.writeable = False
    return labels


def _log_rank_p(b: pd.DataFrame, c: pd.DataFrame, rng, n_tests: int, alpha: float) -> tuple[float, str]:
    """One company's log-rank p-value between its waves, and how it was found."""
    minutes = np.r_[b["minutes"].to_numpy(float), c["minutes"].to_numpy(float)]
    answered = np.r_[b["answered"].to_numpy(bool), c["answered"].to_numpy(bool)]
    n, k = len(minutes), min(len(b), len(c))
    if not answered.any() or k == 0:
        return np.nan, ""
    smaller = np.zeros(n, bool)
    smaller[:len(b)] = len(b) <= len(c)
    smaller[len(b):] = len(b) > len(c)
    observed = log_rank_two_groups(minutes, answered, smaller[None])[0]
    if k >= SMALL_WAVE:
        return float(stats.chi2.sf(observed, 1)), "log-rank test (chi-square)"
    if math.comb(n, k) <= EXACT_RELABELLINGS:
        stat = log_rank_two_groups(minutes, answered, _every_relabelling(n, k))
        return float(np.mean(stat >= observed * (1 - 1e-9))), "log-rank test, exact over every relabelling of the waves"
    n_perm = int(min(MAX_RELABELLINGS, max(999, math.ceil(20 * n_tests / alpha))))
    labels = np.argsort(rng.random((n_perm, n)), axis=1) < k
    stat = log_rank_two_groups(minutes, answered, labels)
    return (float((1 + np.sum(stat >= observed * (1 - 1e-9))) / (n_perm + 1)),
            f"log-rank test, p-value from {n_perm} random relabellings of the waves")


def _median_row(company, b: pd.DataFrame, c: pd.DataFrame, alpha: float, n_boot: int, rng,
                n_tests: int = 1) -> dict:
    n = (len(b), len(c))
    if not n[0] or not n[1]:
        return _row(company, "median_minutes", n=n, reason="no_probes", method="not estimable: a wave has no probes")
    arrays = [(d["minutes"].to_numpy(float), d["answered"].to_numpy(bool)) for d in (b, c)]
    m0, m1 = (_median(*a) for a in arrays)
    if np.isnan(m0) or np.isnan(m1):
        return _row(company, "median_minutes", m0, m1, n=n, reason="median_not_reached",
                    method="not estimable: fewer than half of a wave's probes were answered within the window")
    idx = [rng.integers(0, len(a[0]), size=(n_boot, len(a[0]))) for a in arrays]
    draws = km_medians(arrays[1][0][idx[1]], arrays[1][1][idx[1]]) - km_medians(arrays[0][0][idx[0]],
                                                                               arrays[0][1][idx[0]])
    ok = draws[~np.isnan(draws)]
    low, high = np.quantile(ok, [alpha / 2, 1 - alpha / 2], method="inverted_cdf") if len(ok) else (np.nan, np.nan)
    p, test = _log_rank_p(b, c, rng, n_tests, alpha)
    return _row(company, "median_minutes", m0, m1, m1 - m0, low, high, p, n,
                f"KM median minutes to first reply, this wave minus the baseline (unanswered probes censored); "
                f"percentile interval from {n_boot} bootstrap replicates of probes within each wave"
                + (f" ({n_boot - len(ok)} with a median not reached left out)" if len(ok) < n_boot else "")
                + f"; {test} of the whole curves", "" if not np.isnan(p) else "no_variation")


def company_changes(baseline: pd.DataFrame, current: pd.DataFrame, companies: Sequence[str],
                    thresholds: Sequence[int], answer_rates: bool, alpha: float = 0.05, n_boot: int = 999,
                    seed: int = seeds.ANALYSIS) -> pd.DataFrame:
    """Each company's change in every metric (`COLUMNS`), Holm-adjusted within each metric."""
    rng = np.random.default_rng(seed)
    parts = [dict(tuple(d.groupby("company", sort=False))) for d in (baseline, current)]
    empty = baseline.iloc[:0]
    rows = []
    for company in companies:
        b, c = parts[0].get(company, empty), parts[1].get(company, empty)
        rows.append(_proportion_row(company, "response_rate", b["answered"].to_numpy(), c["answered"].to_numpy(),
                                    alpha, "response rate"))
        if answer_rates:
            bk, ck = _answer_known(b), _answer_known(c)
            rows.append(_proportion_row(company, "answer_rate", (bk["reply_kind"] == ANSWER).to_numpy(),
                                        (ck["reply_kind"] == ANSWER).to_numpy(), alpha, "answer rate"))
        rows += [_within_row(company, t, b, c, alpha) for t in thresholds]
        rows.append(_median_row(company, b, c, alpha, n_boot, rng, len(companies)))
    return finish(pd.DataFrame(rows), alpha)


def finish(table: pd.DataFrame, alpha: float) -> pd.DataFrame:
    """Holm within each metric, then whether each change is told from chance and its direction."""
    table = table.copy()
    table["p_adjusted"] = np.nan
    for _, idx in table.groupby("metric", sort=False).groups.items():
        table.loc[idx, "p_adjusted"] = adjust_pvalues(table.loc[idx, "p_value"].to_numpy(), "holm")
    table["told_from_chance"] = table["p_adjusted"] < alpha
    # A faster reply is better: for the median, down is up.
    sign = np.sign(table["estimate"]) * np.where(table["metric"] == "median_minutes", -1, 1)
    table["direction"] = np.where(~table["told_from_chance"], "", np.where(sign > 0, "better", "worse"))
    return table[list(COLUMNS)]


def _cluster_rate_row(metric, b: pd.DataFrame, c: pd.DataFrame, hit: str, alpha: float, what: str) -> dict:
    """Pooled rate change over paired company clusters (linearised ratio estimator, t interval)."""
    companies = sorted(set(b["company"]) | set(c["company"]))
    n = (len(b), len(c))
    if len(companies) < MIN_COMPANIES or not n[0] or not n[1]:
        return _row("all", metric, n=n, reason="few_companies",
                    method=f"not estimable: fewer than {MIN_COMPANIES} companies in both waves")
    z = []
    rates = []
    for d in (b, c):
        g = d.groupby("company")[hit].agg(["sum", "size"]).reindex(companies, fill_value=0)
        rate = g["sum"].sum() / g["size"].sum()
        rates.append(rate)
        z.append(((g["sum"] - rate * g["size"]) / g["size"].sum()).to_numpy())
    u = z[1] - z[0]
    k = len(companies)
    se = float(np.sqrt(k / (k - 1) * np.sum(u**2)))
    diff = rates[1] - rates[0]
    q = stats.t.ppf(1 - alpha / 2, k - 1)
    p = float(2 * stats.t.sf(abs(diff) / se, k - 1)) if se > 0 else np.nan
    return _row("all", metric, rates[0], rates[1], diff, max(diff - q * se, -1.0), min(diff + q * se, 1.0), p, n,
                f"{what}, this wave minus the baseline (unit: probe; {k} companies as clusters, paired across waves); "
                f"linearised ratio estimator, t interval and test with {k - 1} degrees of freedom",
                "" if se > 0 else "no_variation")


def _km_readings(minutes, answered, thresholds) -> np.ndarray:
    times, surv = km_steps(minutes, answered)
    out = [km_quantile(times, surv, 0.5, end=float(minutes.max()))]
    for t in thresholds:
        i = np.searchsorted(times, t, side="right") - 1
        out.append(1.0 - (surv[i] if i >= 0 else 1.0))
    return np.array(out)


def overall_changes(baseline: pd.DataFrame, current: pd.DataFrame, companies: Sequence[str],
                    thresholds: Sequence[int], answer_rates: bool, alpha: float = 0.05, n_boot: int = 999,
                    seed: int = seeds.ANALYSIS) -> pd.DataFrame:
    """The change over all companies in both waves (`COLUMNS`, company ``all``), companies as clusters."""
    b = baseline[baseline["company"].isin(companies)]
    c = current[current["company"].isin(companies)]
    rows = [_cluster_rate_row("response_rate", b, c, "answered", alpha, "response rate")]
    if answer_rates:
        bk, ck = (_answer_known(d).assign(_answer=lambda x: x["reply_kind"] == ANSWER) for d in (b, c))
        rows.append(_cluster_rate_row("answer_rate", bk, ck, "_answer", alpha, "answer rate"))
    rows += _km_rows(b, c, list(companies), thresholds, alpha, n_boot, seed)
    table = pd.DataFrame(rows)
    table["p_adjusted"] = table["p_value"]  # one test per metric: nothing to adjust across companies
    table["told_from_chance"] = table["p_adjusted"] < alpha
    sign = np.sign(table["estimate"]) * np.where(table["metric"] == "median_minutes", -1, 1)
    table["direction"] = np.where(~table["told_from_chance"], "", np.where(sign > 0, "better", "worse"))
    return table[list(COLUMNS)]


def _km_rows(b, c, companies, thresholds, alpha, n_boot, seed) -> list[dict]:
    n = (len(b), len(c))
    metrics_ = ["median_minutes", *(within_column(t) for t in thresholds)]
    if len(companies) < MIN_COMPANIES or not n[0] or not n[1]:
        return [_row("all", m, n=n, reason="few_companies",
                     method=f"not estimable: fewer than {MIN_COMPANIES} companies in both waves") for m in metrics_]
    waves = []
    for d in (b, c):
        code = pd.Categorical(d["company"], categories=companies).codes
        order = np.argsort(code, kind="stable")
        m, a, code = d["minutes"].to_numpy(float)[order], d["answered"].to_numpy(bool)[order], code[order]
        starts = np.searchsorted(code, np.arange(len(companies) + 1))
        waves.append((m, a, starts))
    observed = [_km_readings(m, a, thresholds) for m, a, _ in waves]
    rng = np.random.default_rng(seed)
    draws = np.empty((n_boot, len(metrics_)))
    for r in range(n_boot):
        pick = rng.integers(0, len(companies), len(companies))
        read = []
        for m, a, starts in waves:
            idx = np.concatenate([np.arange(starts[i], starts[i + 1]) for i in pick])
            read.append(_km_readings(m[idx], a[idx], thresholds) if len(idx) else np.full(len(metrics_), np.nan))
        draws[r] = read[1] - read[0]
    p_time = _log_rank(b, c, strata=True)
    rows = []
    for j, metric in enumerate(metrics_):
        before, after = observed[0][j], observed[1][j]
        if j == 0 and (np.isnan(before) or np.isnan(after)):
            rows.append(_row("all", metric, before, after, n=n, reason="median_not_reached",
                             method="not estimable: fewer than half of a wave's probes were answered within the window"))
            continue
        d = draws[:, j][~np.isnan(draws[:, j])]
        low, high = np.quantile(d, [alpha / 2, 1 - alpha / 2], method="inverted_cdf") if len(d) else (np.nan, np.nan)
        test = j == 0  # the time test belongs to the median row; the shares have intervals only
        rows.append(_row("all", metric, before, after, after - before, low, high, p_time if test else np.nan, n,
                         ("KM median minutes to first reply" if j == 0 else f"KM share answered within "
                          f"{thresholds[j - 1]} minutes") + ", this wave minus the baseline (unit: probe; unanswered "
                         f"probes censored); percentile interval from {n_boot} bootstrap replicates resampling the "
                         f"{len(companies)} companies with both their waves"
                         + ("; log-rank test stratified by company" if test else "; no test (see median_minutes)")))
    order = [metrics_[1:], metrics_[:1]]  # shares first, then the median, as `metrics` orders them
    by_metric = {r["metric"]: r for r in rows}
    return [by_metric[m] for group in order for m in group]
