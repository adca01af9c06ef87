"""The tables readers see in the analysis notebooks (00–09), built whole and then shown.

Each function takes results a notebook computed and returns ``show(table, lang)``: headers,
index names and vocabulary values in the reader's language, data values as they are. A table
is finished before it is shown, so nothing is ever assigned into a shown table.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from helpers.analysis import reply_kinds
from helpers.data.hours import CLOCK_RULES
from helpers.stats.survival import naive_within, within_column
from helpers.text import formatting as fmt
from helpers.text.catalogue import show, t
from helpers.text.sentences import say

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _level(table: pd.DataFrame, level_name: str) -> pd.DataFrame:
    """The rows of one level of a tidy results table (``level`` column)."""
    return table[table["level"] == level_name]


# --- 00: planning ---------------------------------------------------------------------------

SAMPLE_SIZE_COLUMNS = ("compared_share", "probes_per_group", "design_effect", "probes_per_group_clustered",
                       "companies_per_group")


def sample_sizes(sizes: pd.DataFrame, lang: str = "en"):
    """Probes needed per group, one row per metric, baseline and difference."""
    return show(sizes.set_index(["metric", "baseline", "difference"])[list(SAMPLE_SIZE_COLUMNS)], lang)


def schedule_balance(schedule: pd.DataFrame, lang: str = "en"):
    """Planned probes per weekday (Monday first), by question type and inside/outside stated hours."""
    weekday = pd.to_datetime(schedule["sent_at"].str[:10]).dt.day_name()
    counts = schedule.assign(weekday=weekday).pivot_table(
        index="weekday", columns=["question_type", "planned_in_stated_hours"], values="probe_id",
        aggfunc="count", fill_value=0)
    # Every weekday gets a row, also a day the schedule left empty.
    return show(counts.reindex(list(WEEKDAYS)).fillna(0).astype(int), lang)


# --- 01: data overview ----------------------------------------------------------------------

def study_summary(accounts: pd.DataFrame, probes: pd.DataFrame, lang: str = "en"):
    """Counts of companies, accounts and probes, answered and censored, in words."""
    summary = {
        say("companies", lang): accounts["company"].nunique(),
        say("accounts", lang): len(accounts),
        say("probes_sent", lang): len(probes),
        say("answered_in_window", lang): int(probes["answered"].sum()),
        say("unanswered_censored", lang): int((~probes["answered"]).sum()),
    }
    return show(pd.Series(summary, name=say("count", lang)).to_frame(), lang)


def probes_by_department(probes: pd.DataFrame, lang: str = "en"):
    """Probes per department and question type, with totals."""
    return show(probes.pivot_table(index="department", columns="question_type", values="probe_id",
                                   aggfunc="count", fill_value=0, margins=True, margins_name="total"), lang)


def probes_by_account(probes: pd.DataFrame, lang: str = "en"):
    """Probes each account received, per question type."""
    return show(probes.pivot_table(index=["company", "account", "department"], columns="question_type",
                                   values="probe_id", aggfunc="count", fill_value=0), lang)


def censoring(probes: pd.DataFrame, lang: str = "en"):
    """Per department: probes, answered, censored, and the shortest and longest window (hours)."""
    window_hours = (probes["observed_until"] - probes["sent_at"]).dt.total_seconds() / 3600
    table = probes.assign(window_hours=window_hours).groupby("department").agg(
        probes=("probe_id", "size"), answered=("answered", "sum"),
        censored=("answered", lambda a: int((~a).sum())),
        shortest_window_hours=("window_hours", "min"), longest_window_hours=("window_hours", "max"),
    )
    return show(table, lang)


# --- 02 and 03: rates and times by group ----------------------------------------------------

def level_rows(table: pd.DataFrame, level_name: str, lang: str = "en", columns: Sequence[str] | None = None):
    """One level of a tidy results table (answer rates, response times), one row per group."""
    rows = _level(table, level_name).drop(columns="level").set_index("group")
    return show(rows if columns is None else rows[list(columns)], lang)


def naive_vs_km(probes: pd.DataFrame, times: pd.DataFrame, thresholds: Sequence[int], lang: str = "en"):
    """Per threshold: the plain count answered within it beside the overall KM share and its interval.

    `times` is `survival.response_times` of the same probes and thresholds.
    """
    overall = _level(times, "overall").iloc[0]
    table = naive_within(probes, thresholds).set_index("threshold_minutes")
    table["km_share"] = [overall[within_column(th)] for th in thresholds]
    table["km_ci"] = [f"{fmt.pct(overall[within_column(th) + '_ci_low'])}–"
                      f"{fmt.pct(overall[within_column(th) + '_ci_high'])}" for th in thresholds]
    return show(table, lang)


# --- 04 and 05: comparisons -----------------------------------------------------------------

def ph_check(check: pd.DataFrame, lang: str = "en"):
    """The Schoenfeld-residual check of the Cox model, one row per term."""
    return show(check.set_index("term"), lang)


def league(table: pd.DataFrame, level: float = 0.95, lang: str = "en"):
    """The league table for reading: rank, its interval, response rate and median, each with its interval.

    Companies with too few questions to rank come last, with the words for it in place of a rank.
    """
    unranked = say("too_few_to_rank", lang)
    shown = table.assign(
        response_rate=[fmt.share_ci(k, n, lo, hi, "probes", level, lang) for k, n, lo, hi in
                       zip(table["n_responded"], table["n_probes"], table["response_rate_ci_low"],
                           table["response_rate_ci_high"], strict=True)],
        median=fmt.median_cis(table, level, lang),
        rank=[str(r) if ok else unranked for r, ok in zip(table["rank"], table["ranked"], strict=True)],
        rank_interval=[f"{lo}–{hi}" if ok else "" for lo, hi, ok in
                       zip(table["rank_ci_low"], table["rank_ci_high"], table["ranked"], strict=True)],
    )[["company", "rank", "rank_interval", "response_rate", "median"]].set_index("company")
    return show(shown, lang)


# --- 06: reply quality ----------------------------------------------------------------------

def measures_by(rates: pd.DataFrame, level_name: str, lang: str = "en", measures: Sequence[str] | None = None):
    """Estimates of the reply-quality measures (columns) for each group of one level (rows)."""
    rows = _level(rates, level_name)
    if measures is not None:
        rows = rows[rows["measure"].isin(measures)]
    return show(rows.pivot(index="group", columns="measure", values="estimate").rename_axis(None), lang)


def reply_rules(q: pd.DataFrame, lang: str = "en"):
    """How many replies each rule decided, by reply kind."""
    decided = q.loc[q["reply_rule"] != ""]
    return show(decided.groupby(["reply_kind", "reply_rule"]).size().rename("replies").to_frame(), lang)


def labelled_kinds(labels: pd.DataFrame, q: pd.DataFrame) -> pd.DataFrame:
    """The hand (or generator) labels of ``reply_labels.csv`` beside the rules' kind, for probes in `q`."""
    return labels.merge(q[["probe_id", "reply_kind"]], on="probe_id", suffixes=("_labelled", ""))


def rule_check(labelled: pd.DataFrame, lang: str = "en"):
    """Precision and recall of the rules against the labels (`labelled_kinds`), one row per kind."""
    check = reply_kinds.agreement(labelled["reply_kind"], labelled["reply_kind_labelled"])
    return show(check.set_index("kind"), lang)


def template_clusters(q: pd.DataFrame, probes: pd.DataFrame, lang: str = "en"):
    """Each copy-paste template cluster: how many replies, their kind and one example text."""
    clusters = q[q["template_cluster"] != ""].merge(probes[["probe_id", "first_reply_text"]], on="probe_id")
    return show(clusters.groupby("template_cluster").agg(
        replies=("probe_id", "size"), kind=("reply_kind", "first"), example=("first_reply_text", "first")), lang)


def clock_medians(times: pd.DataFrame, level: float = 0.95, lang: str = "en"):
    """KM median wait to the first reply on each clock (columns), overall and by stated hours (rows)."""
    rows = times[(times["measure"] == "first_reply") & times["level"].isin(["overall", "stated_hours"])]
    table = rows.assign(median=fmt.median_cis(rows, level, lang)).pivot(index="group", columns="clock",
                                                                          values="median")
    return show(table[list(CLOCK_RULES)].rename_axis(None), lang)


def medians(times: pd.DataFrame, level_name: str, level: float = 0.95, lang: str = "en"):
    """Probes, answered and the KM median with its interval, for each group of one level of `times`."""
    rows = _level(times, level_name)
    return show(rows.assign(median=fmt.median_cis(rows, level, lang))
                .set_index("group")[["n_probes", "n_responded", "median"]], lang)


PER_ACCOUNT_COLUMNS = ("n_probes", "response_rate", "answer_rate", "redirect_share", "template_share",
                       "follow_up_answer_rate", "stated_hours", "median_minutes_calendar",
                       "median_minutes_business")


def per_account(accounts: pd.DataFrame, lang: str = "en"):
    """`reply_quality.account_quality` for reading: one row per company and account."""
    return show(accounts.set_index(["company", "account"])[list(PER_ACCOUNT_COLUMNS)], lang)


# --- 09: the 2014 study ---------------------------------------------------------------------

# The published record keeps its own word: Econsultancy counted retailers that "answered".
PUBLISHED_KEYS = {"responded": "answered"}


def headline_rows(thresholds: Sequence[int], lang: str = "en") -> list[tuple[str, str]]:
    """(key of `company_level.headline`, its name for readers) for each company-level figure."""
    return [("responded", t("answered_at_all", lang))] + [
        (within_column(th), t("answered_within", lang, duration=fmt.duration(th, lang))) for th in thresholds]


def published_vs_ours(headline: dict, published: dict, thresholds: Sequence[int], level: float = 0.95,
                      lang: str = "en"):
    """Each company-level figure: the published count beside this study's, with its interval."""
    n = headline["companies"]
    table = pd.DataFrame([
        {"figure": label,
         say("col_published", lang): (say("published_of", lang, k=published[PUBLISHED_KEYS.get(key, key)],
                                          n=published["companies"])
                                      if PUBLISHED_KEYS.get(key, key) in published else say("not_published", lang)),
         say("col_ours", lang): fmt.share_ci(headline[key]["count"], n, headline[key]["ci_low"],
                                             headline[key]["ci_high"], "companies", level, lang)}
        for key, label in headline_rows(thresholds, lang)
    ]).set_index("figure")
    return show(table, lang)


FASTEST_COLUMNS = ("n_accounts", "n_probes", "answered", "fastest_minutes", "fastest_account",
                   "fastest_question_type")


def fastest_answers(view: pd.DataFrame, lang: str = "en"):
    """`company_level.company_view` for reading: fastest company first, those never answering last."""
    rows = view.sort_values("fastest_minutes", na_position="last").set_index("company")
    return show(rows[list(FASTEST_COLUMNS)], lang)
