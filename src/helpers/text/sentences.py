"""The sentences the analysis notebooks (00–09) write from their numbers, in English or Japanese.

Each function takes results the notebook has computed and returns Markdown in ``lang`` (a
`markup.Markup`: every value from data in it is escaped, by `say`); the words are in
``words/sentences.yml`` (see `helpers.text.catalogue`), both languages side by side.
"""

from __future__ import annotations

import re

import pandas as pd

from helpers.analysis import reply_kinds, reply_quality
from helpers.text import catalogue
from helpers.text import formatting as fmt
from helpers.text.catalogue import Shown, show, t, term
from helpers.text.markup import Markup, md_list, md_text

#: The entries of ``words/sentences.yml`` (read-only); `say` reads every entry of the catalogue.
TEXT = catalogue.words().entries("sentences")

#: The sentence `key` in `lang` as Markdown, filled with `values` escaped: the catalogue's one `t`.
say = t

#: A Markdown list of the non-empty lines (each escaped unless it is Markup).
bullets = md_list


def headline_figure(table: pd.DataFrame, key: str, level: float, lang: str = "en") -> str:
    """The overall row of `response_rates` or `response_times` as the notebook's opening sentence."""
    overall = table.query("level == 'overall'").iloc[0]
    if key == "overall_rate":
        text = fmt.share_ci(overall.n_responded, overall.n_probes, overall.ci_low, overall.ci_high,
                            "probes answered", level, lang)
    else:
        text = fmt.duration_ci(overall.median_minutes, overall.median_ci_low, overall.median_ci_high, level, lang)
    return say(key, lang, text=text)


# --- 00: planning ---------------------------------------------------------------------------

def pilot(probes: pd.DataFrame, alpha: float, power: float, probes_per_company: int, icc: float,
          lang: str = "en") -> str:
    """The study's customer-service and main answer rates as a pilot for the next study."""
    # Imported here: statsmodels' power module then loads only for the page that plans.
    from helpers.analysis import plan

    p = plan.pilot(probes, alpha, power, probes_per_company, icc)
    if p is None:
        return say("pilot_none", lang)
    return say("pilot", lang, cs=fmt.pct(p["customer_service"]), main=fmt.pct(p["main"]),
               n=p["probes_per_group"], power=f"{power:.0%}", n_c=p["probes_per_group_clustered"],
               per_company=probes_per_company, icc=f"{icc:g}", had_cs=p["had_customer_service"],
               had_main=p["had_main"])


def plan_lead(sizes: pd.DataFrame, probes: pd.DataFrame, alpha: float, power: float, probes_per_company: int,
              icc: float, lang: str = "en") -> str:
    """The planning page's opening: the questions a rerun needs for the first planned response-rate change,
    then what this study's own departments call for (`plan.pilot`)."""
    # Imported here: statsmodels' power module then loads only for the page that plans.
    from helpers.analysis import plan

    first = sizes[sizes["metric"] == "response_rate"].iloc[0]
    p = plan.pilot(probes, alpha, power, probes_per_company, icc)
    pilot_text = "" if p is None else say("po_plan_pilot", lang, cs=fmt.pct(p["customer_service"]),
                                           main=fmt.pct(p["main"]), n_c=p["probes_per_group_clustered"])
    return Markup(say("po_plan_lead", lang, base=fmt.pct(first["baseline"]), to=fmt.pct(first["compared_share"]),
               n=int(first["probes_per_group"]), n_c=int(first["probes_per_group_clustered"]),
               m=int(first["probes_per_company"]), pilot=pilot_text).strip())


# --- 01, 02 and 03: overview, response rates, response times ---------------------------------

def overview_lead(accounts: pd.DataFrame, probes: pd.DataFrame, lang: str = "en") -> str:
    """The data overview's opening: who was asked, between which days, how many replied."""
    # Imported here: tables imports this module, so call across at run time.
    from helpers.text.tables import date as day

    replied = int(probes["answered"].sum())
    return say("po_overview_lead", lang, n=len(probes), accounts=len(accounts), companies=accounts["company"].nunique(),
               first=day(probes["sent_at"].min(), lang), last=day(probes["sent_at"].max(), lang), replied=replied,
               silent=len(probes) - replied)


def _then(text: Markup, more: Markup, lang: str) -> Markup:
    """Two sentences in a row (Japanese sets none of English's space between them)."""
    return Markup(md_text(text) + (" " if lang == "en" and more else "") + md_text(more))


def rates_lead(rates: pd.DataFrame, level: float, lang: str = "en") -> str:
    """The response-rate page's opening: the overall rate with its range, each department's, what ranges are."""
    overall = rates[rates["level"] == "overall"].iloc[0]
    text = say("po_rates_lead", lang, k=int(overall["n_responded"]), n=int(overall["n_probes"]),
               cell=fmt.rate_interval(overall["response_rate"], overall["ci_low"], overall["ci_high"], lang))
    departments = rates[rates["level"] == "department"]
    if len(departments) > 1:
        items = say("list_sep", lang).join(
            say("po_rates_department", lang, department=catalogue.department(r.group, lang),
                cell=fmt.rate_interval(r.response_rate, r.ci_low, r.ci_high, lang)) for r in departments.itertuples())
        text = _then(text, say("po_rates_departments", lang, items=items), lang)
    return _then(text, intervals(level, lang), lang)


def times_lead(times: pd.DataFrame, thresholds, level: float, lang: str = "en") -> str:
    """The response-time page's opening: the median wait with its range, then the share replied within each threshold."""
    from helpers.stats.survival import within_column

    o = times[times["level"] == "overall"].iloc[0]
    within = say("po_times_within", lang, items=say("list_sep", lang).join(
        say("po_times_within_item", lang, duration=fmt.duration(th, lang),
            cell=fmt.rate_interval(o[within_column(th)], o[within_column(th) + "_ci_low"],
                                   o[within_column(th) + "_ci_high"], lang)) for th in thresholds)) if len(thresholds) else ""
    median = o["median_minutes"]
    if pd.isna(median) or median == float("inf"):  # fewer than half replied
        return _then(say("po_times_lead_not_reached", lang, within=within), intervals(level, lang), lang)
    return _then(say("po_times_lead", lang, within=within,
                     median=fmt.wait_interval(median, o["median_ci_low"], o["median_ci_high"], lang)),
                 intervals(level, lang), lang)


# --- 04 and 05: comparisons -------------------------------------------------------------------

def reason(code, lang: str = "en", method=None) -> str:
    """Why a comparison row has no estimate, from its `reason` code, in `lang`.

    A row without a known code (a comparisons.csv from before the codes) points to its method;
    too few clusters says how many there were when the row's `method` records it.
    """
    key = f"reason_{code}"
    if not isinstance(code, str) or key not in catalogue.TEXT:
        return say("reason_unknown", lang)
    # Imported here: compare loads the models, which most pages never need.
    from helpers.compare import MIN_CLUSTERS

    # helpers.compare writes "not estimable: <n> <cluster> clusters, fewer than ..." into `method`.
    found = re.search(r"(\d+) \w+ clusters", method) if code == "few_clusters" and isinstance(method, str) else None
    if found:
        return say("pc_reason_few_clusters_count", lang, clusters=found.group(1), minimum=MIN_CLUSTERS)
    return say(key, lang, minimum=MIN_CLUSTERS)


def intervals(level: float, lang: str = "en") -> str:
    """The page's one statement of what its ranges are, at the level `alpha` sets."""
    return say("pc_intervals", lang, level=f"{level:.0%}")


def comparison(row: pd.Series | None, what: str, level: float = 0.95, lang: str = "en") -> str:
    """One comparison row as a sentence: what, estimate with interval, test (and adjusted test)."""
    if row is None or row.isna()["estimate"]:
        why = reason(row.get("reason"), lang, row.get("method")) if row is not None else say("not_run", lang)
        return say("not_estimable", lang, what=what, why=why)
    # The page states the interval level once (`intervals`), so a sentence keeps only the range.
    ci = Markup(fmt.estimate_ci(row["metric"], row["estimate"], row["ci_low"], row["ci_high"], level, lang).replace(
        t("ci_level", lang, level=f"{level:.0%}") + " ", ""))
    if row.isna()["p_value"]:
        return say("estimate", lang, what=what, ci=ci)
    test = fmt.pvalue(row["p_value"])
    if not row.isna()["p_adjusted"] and row["p_adjusted"] != row["p_value"]:
        test = say("adjusted", lang, p=test, adjusted=fmt.pvalue(row["p_adjusted"]))
    return say("estimate_test", lang, what=what, ci=ci, test=test)


def pick(comparisons: pd.DataFrame, name: str, metric: str) -> pd.Series | None:
    """The row of one comparison and metric, or None."""
    hit = comparisons[(comparisons["comparison"] == name) & (comparisons["metric"] == metric)]
    return hit.iloc[0] if len(hit) else None


def _range(value, low, high, lang: str) -> str:
    """'81% (57%–93%)': a share and its interval, as the page's tables show it."""
    return fmt.rate_interval(value, low, high, lang)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def departments_lead(rates: pd.DataFrame, comparisons: pd.DataFrame, a: str, b: str, level: float,
                     lang: str = "en") -> str:
    """The page's opening: each handle's response rate, and whether the gap holds once companies are allowed for.

    `rates` is `proportions.response_rates` by department; the verdict is the clustered model's
    (`response_odds_ratio` of ``department:a-vs-b``), which allows for questions to one company being alike.
    """
    by = rates[rates["level"] == "department"].set_index("group")
    da, db = catalogue.department(a, lang), catalogue.department(b, lang)
    glm = pick(comparisons, f"department:{a}-vs-{b}", "response_odds_ratio")
    if glm is None or glm.isna()["estimate"] or glm.isna()["ci_low"]:
        why = reason(glm.get("reason"), lang, glm.get("method")) if glm is not None else say("not_run", lang)
        verdict = say("pc_departments_untested", lang, why=why)
    elif glm["ci_low"] <= 1 <= glm["ci_high"]:
        verdict = say("pc_departments_no_difference", lang)
    else:
        verdict = say("pc_departments_differ", lang, more=da if glm["estimate"] > 1 else db)
    text = say("pc_departments_lead", lang, a=da, b=db, verdict=verdict,
               ra=_range(by.loc[a, "response_rate"], by.loc[a, "ci_low"], by.loc[a, "ci_high"], lang),
               rb=_range(by.loc[b, "response_rate"], by.loc[b, "ci_low"], by.loc[b, "ci_high"], lang))
    return text if lang != "en" else Markup("**" + _capital(text.removeprefix("**")))


def departments_intro(probes: pd.DataFrame, pairs: list, lang: str = "en") -> str:
    """Which departments there are and which comparison comes first."""
    if not pairs:
        return say("one_department", lang)
    a, b = pairs[0]
    names = say("comma", lang).join(catalogue.department(d, lang) for d in sorted(set(probes["department"])))
    return say("departments_intro", lang, departments=names, a=catalogue.department(a, lang),
               b=catalogue.department(b, lang), pairs=len(pairs))


def response_rate_difference(comparisons: pd.DataFrame, a: str, b: str, level: float, lang: str = "en") -> str:
    """The department answer-rate comparison: difference, clustered GLM odds ratio, and what to quote."""
    name = f"department:{a}-vs-{b}"
    ta, tb = catalogue.department(a, lang), catalogue.department(b, lang)
    glm = pick(comparisons, name, "response_odds_ratio")
    verdict = ""
    if glm is not None and glm["ci_low"] == glm["ci_low"]:
        verdict = say("glm_includes_1" if glm["ci_low"] <= 1 <= glm["ci_high"] else "glm_excludes_1", lang)
    return Markup("\n").join([
        bullets([comparison(pick(comparisons, name, "response_rate_difference"),
                            say("what_rate_diff", lang, a=ta, b=tb), level, lang),
                 comparison(glm, say("what_odds", lang, a=ta, b=tb), level, lang)]),
        "", Markup(say("glm_quote", lang) + (" " if lang == "en" else "") + verdict),
    ])


def reply_time_difference(comparisons: pd.DataFrame, a: str, b: str, thresholds, level: float,
                          lang: str = "en") -> str:
    """The department time-to-reply comparison: Cox hazard ratio, log-rank, KM median and shares."""
    name = f"department:{a}-vs-{b}"
    ta, tb = catalogue.department(a, lang), catalogue.department(b, lang)
    lr = pick(comparisons, name, "log_rank_statistic")
    lines = [comparison(pick(comparisons, name, "hazard_ratio"), say("what_hazard", lang, a=ta, b=tb), level, lang),
             say("log_rank", lang, stat=fmt.estimate_ci(lr["metric"], lr["estimate"], 0, 0),
                 p=fmt.pvalue(lr["p_value"])) if lr is not None else ""]
    what = {"median_minutes_difference": say("what_median_diff", lang, a=ta, b=tb)}
    what.update({f"share_within_{t}min_difference":
                 say("what_within_diff", lang, duration=fmt.duration(t, lang), a=ta, b=tb) for t in thresholds})
    for metric, words in what.items():
        row = pick(comparisons, name, metric)
        if row is not None:
            lines.append(comparison(row, words, level, lang))
    return bullets(lines)


def ph_verdict(check: pd.DataFrame, alpha: float, lang: str = "en") -> str:
    """Whether the Schoenfeld-residual check speaks against proportional hazards."""
    worst = check["p_value"].min()
    return say("ph_ok", lang, p=f"{worst:.2f}") if worst >= alpha else say("ph_trend", lang, p=f"{worst:.3f}")


def within_company(comparisons: pd.DataFrame, a: str, b: str, n_paired: int, level: float,
                   lang: str = "en") -> str:
    """The within-company comparison of two handles, with the limit of its exact test."""
    wc = f"within-company:{a}-vs-{b}"
    ta, tb = catalogue.department(a, lang), catalogue.department(b, lang)
    lr = pick(comparisons, wc, "log_rank_statistic")
    lines = bullets([
        comparison(pick(comparisons, wc, "response_rate_difference"), say("what_within_rate", lang, a=ta, b=tb),
                   level, lang),
        comparison(pick(comparisons, wc, "response_odds_ratio"), say("what_mh", lang), level, lang),
        comparison(pick(comparisons, wc, "hazard_ratio"), say("what_strat_hazard", lang), level, lang),
        say("strat_log_rank", lang, p=fmt.pvalue(lr["p_value"] if lr is not None else None)),
    ])
    if n_paired < 12:
        lines = Markup(lines + "\n\n" + say("few_pairs", lang, n=n_paired, floor=f"{2 / 2 ** n_paired:.3g}"))
    return lines


def rank_separation(table: pd.DataFrame, summary: dict, level: float, lang: str = "en", min_questions: int = 2) -> str:
    """How many pairs of companies the league table can tell apart, and who could be first."""
    first = summary["could_be_first"]
    return Markup("\n").join([
        say("told_apart", lang, per_company=f"{table.loc[table['ranked'], 'n_probes'].median():g}", apart=summary["pairs_told_apart"],
            pairs=summary["pairs"], level=f"{level:.0%}", rest=summary["pairs"] - summary["pairs_told_apart"]),
        "",
        bullets([say("could_be_first", lang, k=len(first), n=summary["ranked"],
                     names=say("comma", lang).join(first)) if first else "",
                 say("too_few_listed", lang, k=summary["too_few_to_rank"], m=min_questions)
                 if summary["too_few_to_rank"] else "",
                 say("widest", lang, places=summary["widest_rank_interval"]),
                 say("ranking_warning", lang)]),
    ])


def company_differences(comparisons: pd.DataFrame, alpha: float, adjust_method: str, lang: str = "en") -> str:
    """The omnibus tests across companies and each company against the rest."""
    rate = comparisons.query("comparison == 'company:all' and metric == 'response_rate_chisq'").iloc[0]
    time = comparisons.query("comparison == 'company:all' and metric == 'log_rank_statistic'").iloc[0]
    vs_rest = comparisons[comparisons["comparison"].str.endswith("-vs-rest")]
    flagged = vs_rest[vs_rest["p_adjusted"] < alpha]
    which = say("list_sep", lang).join(
        Markup(f"{md_text(c.split(':', 1)[1].removesuffix('-vs-rest'))} ({measure_name(m, lang)})")
        for c, m in zip(flagged["comparison"], flagged["metric"], strict=True))
    return bullets([
        say("omni_rate", lang, chi=rate["estimate"], p=fmt.pvalue(rate["p_value"]),
            verdict=say("omni_rate_yes" if rate["p_value"] < alpha else "omni_rate_no", lang)),
        say("omni_time", lang, chi=time["estimate"], p=fmt.pvalue(time["p_value"]),
            verdict=say("omni_time_yes" if time["p_value"] < alpha else "omni_time_no", lang))
        if time["estimate"] == time["estimate"] else say("omni_time_untestable", lang),
        say("vs_rest", lang, n=len(vs_rest) // 2, method=adjust_method,
            verdict=say("vs_rest_flagged", lang, k=len(flagged), which=which) if len(flagged)
            else say("vs_rest_none", lang)),
    ])


def metric_name(metric: str, lang: str = "en") -> str:
    """A metric of `comparisons.csv` in words ('share within 60min difference', '60分以内の割合の差')."""
    if metric.startswith("share_within_") and metric.endswith("min_difference"):
        minutes = metric.removeprefix("share_within_").removesuffix("min_difference")
        # English keeps the metric's own spelling of the threshold; Japanese says the duration.
        within = f"{minutes}min" if lang == "en" else fmt.duration(int(minutes), lang)
        return say("metric_share_within", lang, duration=within)
    if f"metric_{metric}" in catalogue.TEXT:
        return say(f"metric_{metric}", lang)
    return metric.replace("_", " ") if lang == "en" else metric


def measure_name(metric: str, lang: str = "en") -> str:
    """A metric of `comparisons.csv` in reader's words ('Difference in share replied within 1 h')."""
    if metric.startswith("share_within_") and metric.endswith("min_difference"):
        minutes = int(metric.removeprefix("share_within_").removesuffix("min_difference"))
        return say("pc_m_share_within", lang, duration=fmt.duration(minutes, lang))
    key = f"pc_m_{metric}"
    return say(key, lang) if key in catalogue.TEXT else metric_name(metric, lang)


def reply_lead(q: pd.DataFrame, rates: pd.DataFrame, level: float, lang: str = "en") -> str:
    """The reply-quality page's opening: how many questions got an answer, and how many any reply."""
    def overall(measure):
        hit = rates[(rates["measure"] == measure) & (rates["level"] == "overall")]
        return hit.iloc[0] if len(hit) and hit.iloc[0]["denominator"] else None

    response, answer = overall("response_rate"), overall("answer_rate")
    values = {"n": int(response["denominator"]), "responded": int(response["numerator"]),
              "response": _range(response["estimate"], response["ci_low"], response["ci_high"], lang)}
    if answer is None or not q["reply_kind"].isin(reply_kinds.REPLY_KINDS).any():
        return say("pc_reply_lead_no_texts", lang, **values)
    return say("pc_reply_lead", lang, answered=int(answer["numerator"]),
               answer=_range(answer["estimate"], answer["ci_low"], answer["ci_high"], lang), **values)


def readable(comparisons: pd.DataFrame, level: float = 0.95, lang: str = "en") -> Shown:
    """The comparisons table in words, shown for reading in a report (column names in `lang`).

    The ``method`` column is English prose written by `helpers.compare`; the Japanese table
    leaves it out, and the notebooks point to it in `comparisons.csv`.
    """
    table = pd.DataFrame({
        "comparison": comparisons["comparison"],
        "metric": [metric_name(m, lang) for m in comparisons["metric"]],
        "estimate (interval)": [fmt.estimate_ci(m, e, lo, hi, level, lang) for m, e, lo, hi in zip(
            comparisons["metric"], comparisons["estimate"], comparisons["ci_low"], comparisons["ci_high"], strict=True)],
        "p": comparisons["p_value"].map(fmt.pvalue),
        "p adjusted": comparisons["p_adjusted"].map(fmt.pvalue),
        "method": comparisons["method"],
    }).set_index(["comparison", "metric"])
    return show(table if lang == "en" else table.drop(columns="method"), lang)


# --- 09: the size of the study ----------------------------------------------------------------

def study_size_limits(headline: dict, n: int, alpha: float, level: float, lang: str = "en") -> str:
    """What a study of `n` companies can and cannot tell (interval width, detectable difference)."""
    # Imported here: statsmodels' power module then loads only for the page that needs it.
    from helpers.analysis import plan

    answered = headline["responded"]
    below, above = plan.detectable_shares(answered["share"], n, alpha, power=0.8)
    sides = [("reach_below", below), ("reach_above", above)]
    reach = say("reach_or", lang).join(say(key, lang, share=fmt.pct(v)) for key, v in sides if v is not None)
    return say("size_limits", lang, n=n, share=fmt.pct(answered["share"]), level=f"{level:.0%}",
               low=fmt.pct(answered["ci_low"]), high=fmt.pct(answered["ci_high"]), alpha=f"{alpha:g}",
               reach=reach or say("reach_none", lang))


# --- 06: reply quality ------------------------------------------------------------------------

def share_of(rates: pd.DataFrame, measure: str, level: float = 0.95, lang: str = "en",
             level_name: str = "overall", group: str = "all") -> str | None:
    """One row of `reply_quality.quality_rates` as 'k of n unit (share; CI)', or None when it has no data."""
    hit = rates[(rates["measure"] == measure) & (rates["level"] == level_name) & (rates["group"] == group)]
    if hit.empty:
        return None
    r = hit.iloc[0]
    return fmt.share_ci(int(r.numerator), int(r.denominator), r.ci_low, r.ci_high, reply_quality.UNIT_PLURALS[r.unit], level, lang)


def reply_summary(q: pd.DataFrame, rates: pd.DataFrame, level: float, lang: str = "en") -> str:
    """The headline of reply quality: response rate, then what the replies with text did."""
    lines = [say("q_response", lang, rate=share_of(rates, "response_rate", level, lang))]
    if q["reply_kind"].isin(reply_kinds.REPLY_KINDS).any():
        lines += [say(key, lang, rate=share_of(rates, measure, level, lang)) for key, measure in
                  (("q_answer", "answer_rate"), ("q_redirect", "redirect_share"), ("q_template", "template_share"))]
    else:
        lines.append(say("q_no_texts", lang))
    if no_text := int((q["reply_kind"] == reply_quality.NO_TEXT).sum()):
        lines.append(say("q_no_text_replies", lang, n=no_text))
    return bullets(lines)


def stated_hours(accounts: pd.DataFrame, q: pd.DataFrame, lang: str = "en") -> str:
    """How many accounts state support hours, and how many probes fell inside and outside them."""
    stated = accounts["stated_hours"].str.strip() != ""
    groups = reply_quality.hours_group(q).value_counts().sort_index()
    listed = say("list_sep", lang).join(say("hours_group", lang, group=term(g, lang), n=n) for g, n in groups.items())
    return say("stated_hours", lang, k=int(stated.sum()), n=len(stated), groups=Markup(_capital(listed)))


# --- 09: the published study ------------------------------------------------------------------

def reproduce_lead(headline: dict, published: dict, thresholds, level: float, lang: str = "en") -> str:
    """The 2014 page's opening: companies that replied (with the range) and within each threshold, then the published count."""
    from helpers.stats.survival import within_column

    n, responded = headline["companies"], headline["responded"]
    within = say("po_reproduce_within", lang, items=say("list_sep", lang).join(
        say("po_reproduce_within_item", lang, duration=fmt.duration(th, lang), k=headline[within_column(th)]["count"])
        for th in thresholds)) if len(thresholds) else ""
    figures = ([say("po_published_answered", lang, k=published["answered"], n=published["companies"])]
               if "answered" in published else [])
    figures += [say("po_published_within", lang, k=published[within_column(th)], duration=fmt.duration(th, lang))
                for th in thresholds if within_column(th) in published]
    text = say("po_reproduce_lead", lang, k=responded["count"], n=n, within=within,
               cell=fmt.rate_interval(responded["share"], responded["ci_low"], responded["ci_high"], lang),
               published=say("list_sep", lang).join(figures) or say("po_published_none", lang))
    return _then(text, intervals(level, lang), lang)


def published_note(published: dict, rate_scope: str, lang: str = "en", file: str = "") -> str:
    """Where the published figures come from and, for archived data, why they are not like for like.

    The provenance note is the published file's own English; a Japanese page shows ``provenance_ja``
    when the file has one, else points to `file` (the note is not translated by guesswork).
    """
    provenance = published["provenance"]
    if lang != "en":
        provenance = published.get(f"provenance_{lang}") or say("po_provenance_elsewhere", lang, file=file)
    note = say("published_source", lang, study=published["study"], url=published["url"], provenance=provenance)
    if rate_scope:  # archived data: nobody sent these questions, so "answered at all" is not like for like
        note = Markup(note + "\n\n" + say("not_like_for_like", lang, scope=rate_scope))
    return note
