"""Page 07's words: a study beside its earlier wave, in sentences and tables (`helpers.analysis.waves`).

Every number comes from the comparison's tables; every word from ``words/waves.yml``. A change
that cannot be computed says why (its reason code) instead of showing a number.
"""

from __future__ import annotations

import math

import pandas as pd
from IPython.display import Markdown

from helpers.analysis.waves import WaveComparison
from helpers.text import formatting as fmt
from helpers.text.catalogue import show, t, t_plain
from helpers.text.markup import Markup
from helpers.text.summary import threshold


def measure_name(metric: str, lang: str = "en") -> str:
    """A metric of `helpers.compare.waves` in the reader's words."""
    if metric.startswith("within_"):
        return t_plain("wv_metric_within", lang, limit=threshold(int(metric[7:-3]), lang))
    return t_plain(f"wv_metric_{metric}", lang)


def _value(metric: str, x: float, lang: str) -> str:
    if metric == "median_minutes":
        return fmt.duration(x, lang)
    return fmt.pct(x)


def change_cell(row, level: float, lang: str = "en") -> str:
    """'+12 points (95% CI −3 to +27)', or why there is no number."""
    if row["reason"] and (isinstance(row["estimate"], float) and math.isnan(row["estimate"])):
        return t_plain("wv_not_comparable", lang, why=t_plain(f"wv_reason_{row['reason']}", lang))
    metric = "median_minutes_difference" if row["metric"] == "median_minutes" else f"{row['metric']}_difference"
    return fmt.estimate_ci(metric, row["estimate"], row["ci_low"], row["ci_high"], level, lang)


def verdict(row, lang: str = "en") -> str:
    if math.isnan(row["p_adjusted"]):
        return t_plain("wv_not_tested", lang)
    return t_plain(f"wv_{row['direction']}", lang) if row["told_from_chance"] else t_plain("wv_cannot_tell", lang)


def nothing(cmp: WaveComparison, lang: str = "en") -> Markup:
    """Why nothing (or not this) is compared."""
    if not cmp.matching.both or not cmp.alignment.comparable:
        why = t("wv_no_companies", lang) if cmp.alignment.comparable else Markup(" ").join(differences(cmp, lang))
        return t("wv_nothing", lang, why=why)
    return t("wv_nothing", lang, why=t("wv_reason_no_probes", lang))


def overall_table(cmp: WaveComparison, lang: str = "en"):
    """One row per measure over all companies in both waves."""
    if cmp.overall.empty:
        return Markdown(nothing(cmp, lang))
    level = 1 - cmp.alpha
    rows = [{t_plain("wv_col_measure", lang): measure_name(r["metric"], lang),
             t_plain("wv_col_before", lang): _value(r["metric"], r["baseline"], lang),
             t_plain("wv_col_after", lang): _value(r["metric"], r["current"], lang),
             t_plain("wv_col_change", lang): change_cell(r, level, lang),
             t_plain("wv_col_p", lang): fmt.pvalue(r["p_value"]),
             t_plain("wv_col_verdict", lang): verdict(r, lang)}
            for _, r in cmp.overall.iterrows()]
    return show(pd.DataFrame(rows).set_index(t_plain("wv_col_measure", lang)), lang)


def company_table(cmp: WaveComparison, metric: str | None, lang: str = "en"):
    """Each company's change in one measure; changes told from chance first, then by size.

    Nothing compared (or no such measure): the sentence that says so instead.
    """
    if cmp.companies.empty or metric not in set(cmp.companies["metric"]):
        return Markdown(nothing(cmp, lang))
    level = 1 - cmp.alpha
    part = cmp.companies[cmp.companies["metric"] == metric].copy()
    part["_order"] = part["estimate"].abs().fillna(-1)
    part = part.sort_values(["told_from_chance", "_order", "company"], ascending=[False, False, True])
    rows = [{t_plain("wv_col_company", lang): r["company"],
             t_plain("wv_col_questions", lang): f"{r['n_baseline']} / {r['n_current']}",
             t_plain("wv_col_before", lang): _value(metric, r["baseline"], lang),
             t_plain("wv_col_after", lang): _value(metric, r["current"], lang),
             t_plain("wv_col_change", lang): change_cell(r, level, lang),
             t_plain("wv_col_p_adjusted", lang): fmt.pvalue(r["p_adjusted"]),
             t_plain("wv_col_verdict", lang): verdict(r, lang)}
            for _, r in part.iterrows()]
    return show(pd.DataFrame(rows).set_index(t_plain("wv_col_company", lang)), lang)


def _names(names, lang: str) -> Markup:
    return Markup(t("sum_names_sep", lang)).join(names)


def lead(cmp: WaveComparison, lang: str = "en") -> Markup:
    """Which study beside which, how many companies are compared, and the overall response rate."""
    m = cmp.matching
    out = [t("wv_lead", lang, current=cmp.current_id, baseline=cmp.baseline_id, both=len(m.both),
             baseline_only=len(m.baseline_only), current_only=len(m.current_only))]
    if cmp.overall.empty:
        out.append(nothing(cmp, lang))
        return Markup("\n\n").join(out)
    r = cmp.overall.set_index("metric").loc["response_rate"]
    change = change_cell({**r.to_dict(), "metric": "response_rate"}, 1 - cmp.alpha, lang)
    out.append(t("wv_overall_sentence", lang, both=len(m.both), before=fmt.pct(r["baseline"]),
                 after=fmt.pct(r["current"]), change=Markup(change),
                 verdict=t("wv_overall_told" if r["told_from_chance"] else "wv_overall_not_told", lang)))
    return Markup("\n\n").join(out)


def differences(cmp: WaveComparison, lang: str = "en") -> list[Markup]:
    """Every way the waves differ, and what the comparison does about it, one sentence each."""
    out = []
    for d in cmp.alignment.differences:
        code = d["code"]
        if code == "platform":
            out.append(t("wv_diff_platform", lang, baseline=d["baseline"], current=d["current"]))
        elif code in ("questions", "tones"):
            left = [*d["baseline_only"], *d["current_only"]]
            if not d["shared"]:
                out.append(t(f"wv_diff_{code}_none", lang) if code == "questions" else
                           t("wv_diff_tones", lang, shared="–", left_out=_names(left, lang)))
            else:
                out.append(t(f"wv_diff_{code}", lang, shared=_names(d["shared"], lang), left_out=_names(left, lang)))
        elif code == "window":
            out.append(t("wv_diff_window", lang, baseline=fmt.duration(d["baseline"], lang),
                         current=fmt.duration(d["current"], lang), shared=fmt.duration(d["shared"], lang)))
        elif code == "thresholds":
            limits = [threshold(x, lang) for x in [*d["baseline_only"], *d["current_only"]]]
            out.append(t("wv_diff_thresholds", lang, limits=_names(limits, lang)))
        elif code == "beyond_window":
            out.append(t("wv_diff_beyond_window", lang, limits=_names([threshold(x, lang) for x in d["thresholds"]],
                                                                      lang), shared=fmt.duration(d["shared"], lang)))
        elif code == "reply_kinds":
            out.append(t("wv_diff_reply_kinds", lang))
        elif code == "design":
            out.append(t("wv_diff_design", lang, baseline=f"{d['baseline']:g}", current=f"{d['current']:g}"))
        elif code == "accounts":
            out.append(t("wv_diff_accounts", lang, companies=_names(d["companies"], lang)))
    return out


def differences_list(cmp: WaveComparison, platforms: tuple[str, str], lang: str = "en") -> Markup:
    """The differences as a Markdown list (or one sentence: the waves asked alike)."""
    items = differences(cmp, lang)
    if not all(p.strip() for p in platforms):
        items.append(t("wv_diff_platform_unknown", lang))
    if not items:
        return t("wv_alike", lang)
    return Markup("\n").join(Markup("- ") + item for item in items)


def matching_notes(cmp: WaveComparison, lang: str = "en") -> Markup:
    """Companies in one wave only, and the handles matched through the mapping file."""
    m = cmp.matching
    out = []
    if m.baseline_only:
        out.append(t("wv_unmatched_baseline", lang, names=_names(m.baseline_only, lang)))
    if m.current_only:
        out.append(t("wv_unmatched_current", lang, names=_names(m.current_only, lang)))
    if not out:
        out.append(t("wv_unmatched_none", lang))
    if cmp.mapping_file and m.renamed_handles:
        items = [t("wv_renamed_item", lang, company=c, old=old, new=new) for c, old, new in m.renamed_handles]
        out.append(t("wv_renamed", lang, file=cmp.mapping_file.rsplit("/", 1)[-1], items=_names(items, lang)))
    elif not cmp.mapping_file:
        out.append(t("wv_no_mapping", lang))
    return Markup("\n\n").join(out)


def verdict_sentence(cmp: WaveComparison, lang: str = "en") -> Markup:
    """Which changes can be told from chance after multiple-testing control, in plain words."""
    if cmp.companies.empty:
        return nothing(cmp, lang)
    rows = cmp.companies[cmp.companies["told_from_chance"]]
    n = len(cmp.matching.both)
    if rows.empty:
        said = t("wv_verdict_none", lang, n=n, smallest=baseline_range(cmp)[0])
    else:
        items = [t("wv_verdict_item", lang, company=r["company"], measure=measure_name(r["metric"], lang),
                   direction=t_plain(f"wv_direction_{r['direction']}", lang)) for _, r in rows.iterrows()]
        said = t("wv_verdict_some", lang, n=n, k=len(items), items=Markup(t("list_sep", lang)).join(items))
    return Markup("\n\n").join([said, small_baseline(cmp, lang)])


def baseline_range(cmp: WaveComparison) -> tuple[int, int]:
    """Fewest and most questions a company got in the earlier wave (of those compared)."""
    n = cmp.companies.loc[cmp.companies["metric"] == "response_rate", "n_baseline"]
    return (int(n.min()), int(n.max())) if len(n) else (0, 0)


def small_baseline(cmp: WaveComparison, lang: str = "en") -> Markup:
    low, high = baseline_range(cmp)
    return t("wv_small_baseline", lang, low=low, high=high)

