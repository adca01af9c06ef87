"""The tables readers see in the analysis notebooks (00–09), built whole and then shown.

Each function takes results a notebook computed and returns ``show(table, lang)``: headers,
index names and vocabulary values in the reader's language, data values as they are. Every cell
and label is plain text (`t_plain`): the table escapes it when it is rendered (`catalogue.Shown`). A table
is finished before it is shown, so nothing is ever assigned into a shown table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from helpers.analysis import reply_kinds
from helpers.data.hours import CLOCK_RULES
from helpers.stats.survival import naive_within, within_column
from helpers.text import catalogue, sentences
from helpers.text import formatting as fmt
from helpers.text.catalogue import show, t_plain, term

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _level(table: pd.DataFrame, level_name: str) -> pd.DataFrame:
    """The rows of one level of a tidy results table (``level`` column)."""
    return table[table["level"] == level_name]


# --- 00: planning ---------------------------------------------------------------------------

def _yes_no(flag, lang: str) -> str:
    return t_plain("po_yes" if bool(flag) else "po_no", lang)


def vocabulary(value, lang: str = "en") -> str:
    """A vocabulary value (question type, weekday, ...) for a reader: Japanese from the terms, English with spaces."""
    return term(value, lang) if lang == "ja" else str(value).replace("_", " ")


def measure_label(metric: str, lang: str = "en") -> str:
    """A planned metric in words: 'response_rate' -> 'Response rate', 'share_within_60min' -> 'Replied within 1 h'."""
    if metric.startswith("share_within_") and metric.endswith("min"):
        minutes = int(metric.removeprefix("share_within_").removesuffix("min"))
        return t_plain("po_measure_within", lang, duration=fmt.duration(minutes, lang))
    return t_plain("po_measure_response_rate", lang) if metric == "response_rate" else vocabulary(metric, lang)


def sample_sizes(sizes: pd.DataFrame, lang: str = "en"):
    """Questions needed per group, one row per measure and change to detect (baseline → compared share).

    The design effect and the test's settings stay in sample_sizes.csv; the page says them in its method section.
    """
    per_company = sizes["probes_per_company"].iloc[0] if len(sizes) else 1
    shown = pd.DataFrame({
        t_plain("po_col_measure", lang): [measure_label(m, lang) for m in sizes["metric"]],
        t_plain("po_col_change", lang): [t_plain("po_change", lang, base=fmt.pct(b), to=fmt.pct(c))
                                   for b, c in zip(sizes["baseline"], sizes["compared_share"], strict=True)],
        t_plain("po_col_per_group", lang): sizes["probes_per_group"].astype(int).tolist(),
        t_plain("po_col_per_group_clustered", lang, m=per_company): sizes["probes_per_group_clustered"].astype(int).tolist(),
        t_plain("po_col_companies_per_group", lang): sizes["companies_per_group"].astype(int).tolist(),
    }).set_index([t_plain("po_col_measure", lang), t_plain("po_col_change", lang)])
    return show(shown, lang)


def _slot(question_type: str, inside: bool, lang: str) -> str:
    return t_plain("po_slot", lang, question=vocabulary(question_type, lang),
             hours=t_plain("po_inside_hours" if inside else "po_outside_hours", lang))


def schedule_balance(schedule: pd.DataFrame, lang: str = "en"):
    """Planned questions per weekday (Monday first), by question type and inside/outside support hours."""
    weekday = pd.to_datetime(schedule["sent_at"].str[:10]).dt.day_name()
    counts = schedule.assign(weekday=weekday).pivot_table(
        index="weekday", columns=["question_type", "planned_in_stated_hours"], values="probe_id",
        aggfunc="count", fill_value=0)
    # Every weekday gets a row, also a day the schedule left empty.
    counts = counts.reindex(list(WEEKDAYS)).fillna(0).astype(int)
    shown = pd.DataFrame({_slot(q, inside, lang): counts[(q, inside)].tolist() for q, inside in counts.columns},
                         index=pd.Index([vocabulary(d, lang) for d in WEEKDAYS], name=t_plain("po_col_day", lang)))
    return show(shown, lang)


def _utc(value) -> pd.Timestamp:
    ts = pd.Timestamp(value)
    return ts.tz_convert("UTC") if ts.tzinfo else ts


def date(value, lang: str = "en") -> str:
    """A UTC timestamp's day for a reader: 'Mon 11 Jan 2027' / '2027年1月11日(月)'."""
    ts = _utc(value)
    if lang == "ja":
        return t_plain("po_date", lang, weekday=term(ts.day_name(), lang)[:1], day=ts.day, month=ts.month, year=ts.year)
    return t_plain("po_date", lang, weekday=ts.strftime("%a"), day=ts.day, month=ts.strftime("%b"), year=ts.year)


def date_time(value, lang: str = "en") -> str:
    """A UTC timestamp for a reader: 'Mon 11 Jan 2027, 10:08' / '2027年1月11日(月) 10:08'."""
    return t_plain("po_datetime", lang, date=date(value, lang), time=_utc(value).strftime("%H:%M"))


def schedule_preview(schedule: pd.DataFrame, n: int = 10, lang: str = "en"):
    """The first `n` planned questions in a page's width: who is asked what, when, inside their hours or not.

    The full plan, with the columns to fill in, is ``fieldwork-plan/probes.csv``.
    """
    rows = schedule.head(n)
    shown = pd.DataFrame({
        t_plain("po_col_company", lang): rows["company"].tolist(),
        t_plain("po_col_account", lang): rows["account"].tolist(),
        t_plain("po_col_question_type", lang): [vocabulary(q, lang) for q in rows["question_type"]],
        t_plain("po_col_send_at", lang): [date_time(v, lang) for v in rows["sent_at"]],
        t_plain("po_col_in_hours", lang): [_yes_no(v, lang) for v in rows["planned_in_stated_hours"]],
        t_plain("po_col_hours_basis", lang): [t_plain(f"po_hours_{b}", lang) if f"po_hours_{b}" in catalogue.TEXT else b
                                        for b in rows["hours_basis"]],
    }, index=pd.Index(rows["probe_id"].tolist(), name=t_plain("po_col_question", lang)))
    return show(shown, lang)


# --- 01: data overview ----------------------------------------------------------------------

def study_summary(accounts: pd.DataFrame, probes: pd.DataFrame, lang: str = "en"):
    """Counts of companies, accounts and questions, replied and not, in words."""
    summary = {
        t_plain("companies", lang): accounts["company"].nunique(),
        t_plain("accounts", lang): len(accounts),
        t_plain("probes_sent", lang): len(probes),
        t_plain("answered_in_window", lang): int(probes["answered"].sum()),
        t_plain("unanswered_censored", lang): int((~probes["answered"]).sum()),
    }
    return show(pd.Series(summary, name=t_plain("count", lang)).rename_axis(t_plain("po_col_measure", lang)).to_frame(), lang)


def _department_label(name: str, lang: str) -> str:
    return catalogue.department(name, lang) if f"dept_{name}" in catalogue.TEXT else vocabulary(name, lang)


def probes_by_department(probes: pd.DataFrame, lang: str = "en"):
    """Questions per department and question type, with totals."""
    counts = probes.pivot_table(index="department", columns="question_type", values="probe_id",
                                aggfunc="count", fill_value=0, margins=True, margins_name="total")
    label = lambda v, f: t_plain("po_total", lang) if v == "total" else f(v, lang)
    shown = pd.DataFrame(counts.to_numpy(), columns=pd.Index([label(c, vocabulary) for c in counts.columns],
                                                             name=t_plain("po_col_question_type", lang)),
                         index=pd.Index([label(d, _department_label) for d in counts.index],
                                        name=t_plain("po_col_department", lang)))
    return show(shown, lang)


def probes_by_account(probes: pd.DataFrame, lang: str = "en"):
    """Questions each account received, per question type, with the account's department."""
    counts = probes.pivot_table(index=["company", "account", "department"], columns="question_type",
                                values="probe_id", aggfunc="count", fill_value=0)
    index = counts.index.to_frame(index=False)
    shown = pd.DataFrame({t_plain("po_col_department", lang): [_department_label(d, lang) for d in index["department"]],
                          **{vocabulary(q, lang): counts[q].tolist() for q in counts.columns}},
                         index=pd.MultiIndex.from_frame(index[["company", "account"]],
                                                        names=[t_plain("po_col_company", lang), t_plain("po_col_account", lang)]))
    return show(shown, lang)


def censoring(probes: pd.DataFrame, lang: str = "en"):
    """Per department: questions, replied, not replied (censored), and the shortest and longest window."""
    window_minutes = (probes["observed_until"] - probes["sent_at"]).dt.total_seconds() / 60
    table = probes.assign(window=window_minutes).groupby("department").agg(
        probes=("probe_id", "size"), answered=("answered", "sum"),
        censored=("answered", lambda a: int((~a).sum())), shortest=("window", "min"), longest=("window", "max"))
    shown = pd.DataFrame({
        t_plain("po_col_questions", lang): table["probes"].astype(int).tolist(),
        t_plain("po_col_replied_window", lang): table["answered"].astype(int).tolist(),
        t_plain("po_col_censored", lang): table["censored"].astype(int).tolist(),
        t_plain("po_col_shortest", lang): [fmt.duration(m, lang) for m in table["shortest"]],
        t_plain("po_col_longest", lang): [fmt.duration(m, lang) for m in table["longest"]],
    }, index=pd.Index([_department_label(d, lang) for d in table.index], name=t_plain("po_col_department", lang)))
    return show(shown, lang)


def quality_detail(note, lang: str = "en") -> str:
    """One note of `data_quality.quality_notes` in words, in `lang`."""
    if note.issue == "reply_after_window":
        return t_plain("po_detail_reply_after_window", lang, replied=date_time(note.replied_at, lang) + " UTC",
                 closed=date_time(note.closed_at, lang) + " UTC")
    return t_plain("po_detail_window_shorter_than_threshold", lang, observed=fmt.duration(note.observed_minutes, lang),
             thresholds=t_plain("comma", lang).join(fmt.duration(m, lang) for m in note.unknown_thresholds))


def quality_notes(notes: pd.DataFrame, lang: str = "en"):
    """`data_quality.quality_notes` for reading: one row per question and note, worded in `lang`."""
    shown = pd.DataFrame({
        t_plain("po_col_company", lang): notes["company"].tolist(),
        t_plain("po_col_account", lang): notes["account"].tolist(),
        t_plain("po_col_note", lang): [t_plain(f"po_issue_{i}", lang) for i in notes["issue"]],
        t_plain("po_col_detail", lang): [quality_detail(n, lang) for n in notes.itertuples()],
    }, index=pd.Index(notes["probe_id"].tolist(), name=t_plain("po_col_question", lang)))
    return show(shown, lang)


# --- 02 and 03: rates and times by group ----------------------------------------------------

#: The header of the groups of each level of `response_rates` and `response_times`.
LEVEL_HEADERS = {"overall": "po_col_measure", "department": "po_col_department", "company": "po_col_company",
                 "account": "po_col_account"}


def _groups(rows: pd.DataFrame, level_name: str, lang: str) -> pd.Index:
    """The row labels of one level: departments in words, companies as they are, accounts beside their company."""
    if level_name == "account":  # `outcomes.group_key` names an account company/account
        pairs = [g.split("/", 1) if "/" in g else ["", g] for g in rows["group"]]
        return pd.MultiIndex.from_tuples([tuple(p) for p in pairs],
                                         names=[t_plain("po_col_company", lang), t_plain("po_col_account", lang)])
    labels = [_department_label(g, lang) for g in rows["group"]] if level_name == "department" else rows["group"]
    return pd.Index(list(labels), name=t_plain(LEVEL_HEADERS.get(level_name, "po_col_measure"), lang))


def response_rates(rates: pd.DataFrame, level_name: str, lang: str = "en"):
    """One level of `proportions.response_rates` for reading: questions, replied, response rate with its range."""
    rows = _level(rates, level_name)
    shown = pd.DataFrame({
        t_plain("po_col_questions", lang): rows["n_probes"].astype(int).tolist(),
        t_plain("po_col_replied", lang): rows["n_responded"].astype(int).tolist(),
        t_plain("po_col_response_rate", lang): [fmt.rate_interval(v, lo, hi, lang) for v, lo, hi in
                                          zip(rows["response_rate"], rows["ci_low"], rows["ci_high"], strict=True)],
    }, index=_groups(rows, level_name, lang))
    return show(shown, lang)


def waits(times: pd.DataFrame, level_name: str, thresholds: Sequence[int], lang: str = "en"):
    """One level of `survival.response_times` for reading: questions, replied, median wait and share within each threshold.

    Each figure carries its range in its cell; the results file keeps every bound in its own column.
    """
    rows = _level(times, level_name)
    within = {t_plain("po_col_replied_within", lang, duration=fmt.duration(th, lang)): [
        fmt.rate_interval(v, lo, hi, lang) for v, lo, hi in zip(
            rows[within_column(th)], rows[within_column(th) + "_ci_low"], rows[within_column(th) + "_ci_high"],
            strict=True)] for th in thresholds}
    shown = pd.DataFrame({
        t_plain("po_col_questions", lang): rows["n_probes"].astype(int).tolist(),
        t_plain("po_col_replied", lang): rows["n_responded"].astype(int).tolist(),
        t_plain("po_col_median_wait", lang): [fmt.wait_interval(m, lo, hi, lang) for m, lo, hi in zip(
            rows["median_minutes"], rows["median_ci_low"], rows["median_ci_high"], strict=True)],
        **within,
    }, index=_groups(rows, level_name, lang))
    return show(shown, lang)


def level_rows(table: pd.DataFrame, level_name: str, lang: str = "en", columns: Sequence[str] | None = None):
    """One level of a tidy results table, one row per group, with the file's own columns (for the lab)."""
    rows = _level(table, level_name).drop(columns="level").set_index("group")
    return show(rows if columns is None else rows[list(columns)], lang)


def naive_vs_km(probes: pd.DataFrame, times: pd.DataFrame, thresholds: Sequence[int], lang: str = "en"):
    """Per threshold: the plain count replied within it beside the overall estimate and its range.

    `times` is `survival.response_times` of the same probes and thresholds; the estimate counts a
    question whose window closed before the threshold as unknown, the plain count as unanswered.
    """
    overall = _level(times, "overall").iloc[0]
    naive = naive_within(probes, thresholds).set_index("threshold_minutes")
    shown = pd.DataFrame({
        t_plain("po_col_questions", lang): naive["n"].astype(int).tolist(),
        t_plain("po_col_counted", lang): naive["answered_within"].astype(int).tolist(),
        t_plain("po_col_share_counted", lang): [fmt.pct(x) for x in naive["share"]],
        t_plain("po_col_share_estimated", lang): [fmt.rate_interval(overall[within_column(th)],
                                                              overall[within_column(th) + "_ci_low"],
                                                              overall[within_column(th) + "_ci_high"], lang)
                                            for th in thresholds],
    }, index=pd.Index([fmt.duration(th, lang) for th in thresholds], name=t_plain("po_col_within", lang)))
    return show(shown, lang)


# --- 04 and 05: comparisons -----------------------------------------------------------------

def _missing(x) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def word(value: str, lang: str = "en") -> str:
    """A vocabulary value (department, question type, tone, clock ...) in reader's words.

    Japanese takes the term's translation; English the value with spaces for underscores.
    """
    if value == "all":
        return t_plain("pc_all", lang)
    return term(value, lang) if lang == "ja" else str(value).replace("_", " ")


def rate_cell(value, low, high, lang: str = "en") -> str:
    """A share with its interval in one cell, as every page shows it (`fmt.rate_interval`)."""
    return fmt.rate_interval(value, low, high, lang)


def wait_cell(median, low, high, lang: str = "en") -> str:
    """A median wait with its interval in one cell, 'not reached' or 'no upper bound' (`fmt.wait_interval`)."""
    return fmt.wait_interval(median, low, high, lang)


def _pvalue(p) -> str:
    """`fmt.pvalue` kept on one line in a narrow column ('p = 0.077' does not break)."""
    return fmt.pvalue(p).replace(" ", "\u00a0")


def comparison_name(name: str, lang: str = "en") -> str:
    """A comparison of comparisons.csv in words: 'department:customer_service-vs-main' -> 'customer service vs main'."""
    kind, _, rest = name.partition(":")
    if kind == "company":
        return t_plain("pc_all_companies", lang) if rest == "all" else t_plain("pc_vs_rest", lang, a=rest.removesuffix("-vs-rest"))
    if rest in ("response_glm", "cox"):  # a model that could not be fitted at all
        return t_plain("pc_model_response" if rest == "response_glm" else "pc_model_speed", lang)
    a, _, b = rest.partition("-vs-")
    pair = t_plain("pc_vs", lang, a=word(a, lang), b=word(b, lang))
    return t_plain("pc_within", lang, a=word(a, lang), b=word(b, lang)) if kind == "within-company" else pair


def comparisons(table: pd.DataFrame, level: float = 0.95, lang: str = "en"):
    """Every comparison row for reading: what is compared, the measure, estimate with range, p-values.

    The ``method`` column stays in comparisons.csv (the page's method section says it in words); a row
    without an estimate says why, in the reader's language.
    """
    def estimate(row) -> str:
        if _missing(row["estimate"]):
            return t_plain("pc_not_estimable_why", lang, why=sentences.reason(row.get("reason"), lang, row.get("method")))
        text = fmt.estimate_ci(row["metric"], row["estimate"], row["ci_low"], row["ci_high"], level, lang)
        # The page states the interval level once, so the cell keeps only the range.
        return text.replace(t_plain("ci_level", lang, level=f"{level:.0%}") + " ", "")

    shown = pd.DataFrame({
        t_plain("pc_col_comparison", lang): [comparison_name(c, lang) for c in table["comparison"]],
        t_plain("pc_col_measure", lang): [sentences.measure_name(m, lang) for m in table["metric"]],
        t_plain("pc_col_estimate", lang): [estimate(row) for _, row in table.iterrows()],
        t_plain("pc_col_p", lang): table["p_value"].map(_pvalue).tolist(),
        t_plain("pc_col_p_adjusted", lang): table["p_adjusted"].map(_pvalue).tolist(),
    })
    return show(shown.set_index([t_plain("pc_col_comparison", lang), t_plain("pc_col_measure", lang)]), lang)


def model_term(name: str, probes: pd.DataFrame, lang: str = "en") -> str:
    """A model term in words: 'department[T.customer_service]' -> 'customer service vs main'."""
    if "[T." not in name:
        return word(name, lang)
    var, _, level_name = name.partition("[T.")
    level_name = level_name.rstrip("]")
    if var == "department":
        # The models' own baseline; imported here, as compare loads the models most pages never need.
        from helpers.compare.models import reference_department

        ref = reference_department(probes)
    else:
        ref = min(set(probes[var].dropna())) if var in probes else ""
    return t_plain("pc_vs", lang, a=word(level_name, lang), b=word(ref, lang)) if ref else word(level_name, lang)


def ph_check(check: pd.DataFrame, probes: pd.DataFrame, lang: str = "en"):
    """The check of the reply-speed model's assumption, one row per compared pair: replies, trend, p-value."""
    shown = pd.DataFrame({
        t_plain("pc_col_term", lang): [model_term(n, probes, lang) for n in check["term"]],
        t_plain("pc_col_events", lang): check["n_events"].astype(int).tolist(),
        t_plain("pc_col_trend", lang): [catalogue.pct(None) if _missing(r) else f"{r:+.2f}".replace("-", "−")
                                  for r in check["correlation"]],
        t_plain("pc_col_p", lang): check["p_value"].map(_pvalue).tolist(),
    }).set_index(t_plain("pc_col_term", lang))
    return show(shown, lang)


def league(table: pd.DataFrame, level: float = 0.95, lang: str = "en"):
    """The league table for reading: rank and the ranks it could hold, questions, response rate, median wait.

    Ranked companies come first in rank order; companies with too few questions to rank come last,
    with the words for it in place of a rank.
    """
    order = table.assign(_unranked=~table["ranked"].astype(bool)).sort_values(["_unranked", "rank"], kind="stable")
    ranked = order["ranked"].astype(bool)
    shared = order.loc[ranked, "rank"].value_counts()
    rank_words = [(t_plain("sum_rank_tied", lang, rank=int(r)) if shared.get(r, 0) > 1 else str(int(r)))
                  if ok else t_plain("too_few_to_rank", lang) for r, ok in zip(order["rank"], ranked, strict=True)]
    shown = pd.DataFrame({
        t_plain("pc_col_company", lang): order["company"].tolist(),
        t_plain("pc_col_rank", lang): rank_words,
        t_plain("pc_col_rank_range", lang): [f"{lo}–{hi}" if ok else "–" for lo, hi, ok in
                                       zip(order["rank_ci_low"], order["rank_ci_high"], ranked, strict=True)],
        t_plain("pc_col_questions", lang): order["n_probes"].astype(int).tolist(),
        t_plain("pc_col_replied", lang): order["n_responded"].astype(int).tolist(),
        t_plain("pc_col_response_rate", lang): [rate_cell(v, lo, hi, lang) for v, lo, hi in zip(
            order["response_rate"], order["response_rate_ci_low"], order["response_rate_ci_high"], strict=True)],
        t_plain("pc_col_median_wait", lang): [wait_cell(m, lo, hi, lang) for m, lo, hi in zip(
            order["median_minutes"], order["median_ci_low"], order["median_ci_high"], strict=True)],
    }).set_index(t_plain("pc_col_company", lang))
    return show(shown, lang)


# --- 06: reply quality ----------------------------------------------------------------------

#: The header of a reply-quality measure's column.
MEASURE_HEADERS = {"response_rate": "pc_col_response_rate", "answer_rate": "pc_col_answer_rate",
                   "redirect_share": "pc_col_redirect_rate", "template_share": "pc_col_template_share",
                   "follow_up_response_rate": "pc_col_follow_up_rate"}
#: The header of the groups of each level of the reply-quality results.
GROUP_HEADERS = {"department": "pc_col_department", "tone": "pc_col_tone", "stated_hours": "pc_col_hours_group",
                 "message": "pc_col_message", "overall": "pc_col_group"}


def _group_header(level_name: str, lang: str) -> str:
    return t_plain(GROUP_HEADERS.get(level_name, "pc_col_group"), lang)


def measures_by(rates: pd.DataFrame, level_name: str, lang: str = "en", measures: Sequence[str] | None = None):
    """The reply-quality measures (columns, each with its interval) for each group of one level (rows)."""
    rows = _level(rates, level_name)
    wanted = [m for m in (measures or MEASURE_HEADERS) if m in set(rows["measure"])]
    groups = list(dict.fromkeys(rows["group"]))
    cells = {(r.group, r.measure): rate_cell(r.estimate, r.ci_low, r.ci_high, lang) for r in rows.itertuples()}
    shown = pd.DataFrame({t_plain(MEASURE_HEADERS[m], lang): [cells.get((g, m), catalogue.pct(None)) for g in groups]
                          for m in wanted}, index=pd.Index([word(g, lang) for g in groups],
                                                           name=_group_header(level_name, lang)))
    return show(shown, lang)


def rule_name(rule: str, lang: str = "en") -> str:
    """A rule of `helpers.analysis.reply_kinds` in words: 'en:dm' -> 'asks for a DM (English)'."""
    language, _, name = rule.rpartition(":")
    words = t_plain(f"pc_rule_{name}", lang) if f"pc_rule_{name}" in catalogue.TEXT else name
    if not language:
        return words
    return t_plain("pc_rule_in_lang", lang, rule=words, language=t_plain(f"pc_rule_lang_{language}", lang))


def reply_rules(q: pd.DataFrame, lang: str = "en"):
    """How many replies each rule decided, by reply kind."""
    decided = q.loc[q["reply_rule"] != ""]
    counts = decided.groupby(["reply_kind", "reply_rule"]).size().reset_index(name="n")
    shown = pd.DataFrame({
        t_plain("pc_col_kind", lang): [word(k, lang) for k in counts["reply_kind"]],
        t_plain("pc_col_rule", lang): [rule_name(r, lang) for r in counts["reply_rule"]],
        t_plain("pc_col_replies", lang): counts["n"].astype(int).tolist(),
    }).set_index([t_plain("pc_col_kind", lang), t_plain("pc_col_rule", lang)])
    return show(shown, lang)


def labelled_kinds(labels: pd.DataFrame, q: pd.DataFrame) -> pd.DataFrame:
    """The hand (or generator) labels of ``reply_labels.csv`` beside the rules' kind, for probes in `q`."""
    return labels.merge(q[["probe_id", "reply_kind"]], on="probe_id", suffixes=("_labelled", ""))


def rule_check(labelled: pd.DataFrame, lang: str = "en"):
    """Precision and recall of the rules against the labels (`labelled_kinds`), one row per kind."""
    check = reply_kinds.agreement(labelled["reply_kind"], labelled["reply_kind_labelled"])
    shown = pd.DataFrame({
        t_plain("pc_col_labelled", lang): check["labelled"].astype(int).tolist(),
        t_plain("pc_col_found", lang): check["predicted"].astype(int).tolist(),
        t_plain("pc_col_correct", lang): check["correct"].astype(int).tolist(),
        t_plain("pc_col_precision", lang): [catalogue.pct(x) for x in check["precision"]],
        t_plain("pc_col_recall", lang): [catalogue.pct(x) for x in check["recall"]],
    }, index=pd.Index([t_plain("pc_all_kinds", lang) if k == "all" else word(k, lang) for k in check["kind"]],
                      name=t_plain("pc_col_kind", lang)))
    return show(shown, lang)


def template_name(cluster: str, lang: str = "en") -> str:
    """A template cluster id in words: 'retailer_e#T1' -> 'retailer_e, template 1'."""
    account, _, number = cluster.rpartition("#T")
    return t_plain("pc_template_name", lang, account=account, n=number) if account else cluster


def template_clusters(q: pd.DataFrame, probes: pd.DataFrame, lang: str = "en"):
    """Each copy-paste template cluster: how many replies, their kind and one example text (in full)."""
    clusters = q[q["template_cluster"] != ""].merge(probes[["probe_id", "first_reply_text"]], on="probe_id")
    agg = clusters.groupby("template_cluster").agg(
        replies=("probe_id", "size"), kind=("reply_kind", "first"), example=("first_reply_text", "first"))
    shown = pd.DataFrame({
        t_plain("pc_col_replies", lang): agg["replies"].astype(int).tolist(),
        t_plain("pc_col_kind", lang): [word(k, lang) for k in agg["kind"]],
        t_plain("pc_col_example", lang): agg["example"].tolist(),
    }, index=pd.Index([template_name(c, lang) for c in agg.index], name=t_plain("pc_col_template", lang)))
    return show(shown, lang)


def clock_medians(times: pd.DataFrame, level: float = 0.95, lang: str = "en"):
    """Median wait to the first reply on each clock (columns), overall and by stated hours (rows)."""
    rows = times[(times["measure"] == "first_reply") & times["level"].isin(["overall", "stated_hours"])]
    groups = list(dict.fromkeys(rows["group"]))
    cell = {(r.group, r.clock): wait_cell(r.median_minutes, r.median_ci_low, r.median_ci_high, lang)
            for r in rows.itertuples()}
    shown = pd.DataFrame({t_plain(f"pc_clock_{c}", lang): [cell.get((g, c), "–") for g in groups] for c in CLOCK_RULES},
                         index=pd.Index([word(g, lang) for g in groups], name=t_plain("pc_col_hours_group", lang)))
    return show(shown, lang)


def medians(times: pd.DataFrame, level_name: str, level: float = 0.95, lang: str = "en"):
    """Questions, replied and the median wait with its interval, for each group of one level of `times`."""
    rows = _level(times, level_name)
    shown = pd.DataFrame({
        t_plain("pc_col_questions", lang): rows["n_probes"].astype(int).tolist(),
        t_plain("pc_col_replied", lang): rows["n_responded"].astype(int).tolist(),
        t_plain("pc_col_median_wait", lang): [wait_cell(m, lo, hi, lang) for m, lo, hi in zip(
            rows["median_minutes"], rows["median_ci_low"], rows["median_ci_high"], strict=True)],
    }, index=pd.Index([word(g, lang) for g in rows["group"]], name=_group_header(level_name, lang)))
    return show(shown, lang)


#: The measures of `reply_quality.account_quality` a reader sees per account, in order.
PER_ACCOUNT_COLUMNS = ("n_probes", "response_rate", "answer_rate", "redirect_share", "stated_hours",
                       "median_minutes_calendar", "median_minutes_business")


def per_account(accounts: pd.DataFrame, lang: str = "en"):
    """`reply_quality.account_quality` for reading: one row per company and account, compact enough for a page.

    Response and answer rates carry their intervals; redirect rate is a share of the account's
    replies ('–' where it had none); the waits are Kaplan-Meier medians, 'not reached' where fewer
    than half the questions were answered.
    """
    a = accounts
    shown = pd.DataFrame({
        t_plain("pc_col_company", lang): a["company"].tolist(),
        t_plain("pc_col_account", lang): a["account"].tolist(),
        t_plain("pc_col_questions", lang): a["n_probes"].astype(int).tolist(),
        t_plain("pc_col_response_rate", lang): [rate_cell(v, lo, hi, lang) for v, lo, hi in zip(
            a["response_rate"], a["response_rate_ci_low"], a["response_rate_ci_high"], strict=True)],
        t_plain("pc_col_answer_rate", lang): [rate_cell(v, lo, hi, lang) for v, lo, hi in zip(
            a["answer_rate"], a["answer_rate_ci_low"], a["answer_rate_ci_high"], strict=True)],
        t_plain("pc_col_redirect_rate", lang): [catalogue.pct(x) for x in a["redirect_share"]],
        t_plain("pc_col_stated_hours", lang): [h if isinstance(h, str) and h.strip() else t_plain("pc_not_stated", lang)
                                         for h in a["stated_hours"]],
        t_plain("pc_col_wait_calendar", lang): [catalogue.duration(m, lang) for m in a["median_minutes_calendar"]],
        t_plain("pc_col_wait_business", lang): [catalogue.duration(m, lang) for m in a["median_minutes_business"]],
    }).set_index([t_plain("pc_col_company", lang), t_plain("pc_col_account", lang)])
    return show(shown, lang)


# --- 09: the 2014 study ---------------------------------------------------------------------

# The published record keeps its own word: Econsultancy counted retailers that "answered".
PUBLISHED_KEYS = {"responded": "answered"}


def headline_rows(thresholds: Sequence[int], lang: str = "en") -> list[tuple[str, str]]:
    """(key of `company_level.headline`, its name for readers) for each company-level figure."""
    return [("responded", t_plain("answered_at_all", lang))] + [
        (within_column(th), t_plain("answered_within", lang, duration=fmt.duration(th, lang))) for th in thresholds]


def published_vs_ours(headline: dict, published: dict, thresholds: Sequence[int], level: float = 0.95,
                      lang: str = "en"):
    """Each company-level figure: the published count beside this study's, with its range."""
    n = headline["companies"]

    def ours(key: str) -> str:
        figure = headline[key]
        return t_plain("po_count_share", lang, k=figure["count"], n=n,
                 cell=fmt.rate_interval(figure["share"], figure["ci_low"], figure["ci_high"], lang))

    table = pd.DataFrame([
        {t_plain("po_col_figure", lang): label,
         t_plain("col_published", lang): (t_plain("published_of", lang, k=published[PUBLISHED_KEYS.get(key, key)],
                                          n=published["companies"])
                                      if PUBLISHED_KEYS.get(key, key) in published else t_plain("not_published", lang)),
         t_plain("col_ours", lang): ours(key)}
        for key, label in headline_rows(thresholds, lang)
    ]).set_index(t_plain("po_col_figure", lang))
    return show(table, lang)


def fastest_answers(view: pd.DataFrame, lang: str = "en"):
    """`company_level.company_view` for reading: fastest company first, those that never replied last."""
    rows = view.sort_values("fastest_minutes", na_position="last")
    replied = rows["answered"].astype(bool)
    shown = pd.DataFrame({
        t_plain("po_col_accounts", lang): rows["n_accounts"].astype(int).tolist(),
        t_plain("po_col_questions", lang): rows["n_probes"].astype(int).tolist(),
        t_plain("po_col_any_reply", lang): [_yes_no(a, lang) for a in replied],
        t_plain("po_col_fastest", lang): [fmt.duration(m, lang) if ok else t_plain("po_no_reply", lang)
                                    for m, ok in zip(rows["fastest_minutes"], replied, strict=True)],
        t_plain("po_col_fastest_account", lang): [a if ok else "–" for a, ok in zip(rows["fastest_account"], replied,
                                                                              strict=True)],
        t_plain("po_col_fastest_question", lang): [vocabulary(q, lang) if ok else "–" for q, ok in
                                             zip(rows["fastest_question_type"], replied, strict=True)],
    }, index=pd.Index(rows["company"].tolist(), name=t_plain("po_col_company", lang)))
    return show(shown, lang)
