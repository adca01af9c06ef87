"""Reader tables: the numbers they show agree with the results they come from, in both languages."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
import yaml

from helpers import paths
from helpers.analysis import league, plan, reply_quality
from helpers.data.hours import CLOCK_RULES
from helpers.data.study import load_study
from helpers.stats import company_level, proportions, survival
from helpers.text import formatting as fmt
from helpers.text import tables
from helpers.text.catalogue import term
from helpers.text.sentences import say
from tests.conftest import TINY_STUDY

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
LANGS = ("en", "ja")


def frame(shown) -> pd.DataFrame:
    """The table behind what `show` returned: a DataFrame, or a display-only view keeping it as ``data``."""
    return shown if isinstance(shown, pd.DataFrame) else shown.data


def headers(table: pd.DataFrame) -> list[str]:
    """Every column and index name a reader sees above the table."""
    names = [" ".join(map(str, c)) if isinstance(c, tuple) else str(c) for c in table.columns]
    return names + [str(n) for n in [*table.index.names, *table.columns.names] if n is not None]


@pytest.fixture(scope="module")
def replica():
    """The bundled study with every result the notebooks compute from it."""
    study = load_study(paths.DEFAULT_STUDY)
    probes, thresholds = study.probes, study.thresholds_minutes
    q = reply_quality.probe_quality(probes, study.accounts)
    published = yaml.safe_load((paths.PUBLISHED_DIR / "econsultancy-2014.yml").read_text(encoding="utf-8"))
    return {
        "study": study, "probes": probes, "thresholds": thresholds, "q": q,
        "rates": reply_quality.quality_rates(q), "times": reply_quality.quality_times(q, thresholds),
        "response_rates": proportions.response_rates(probes),
        "response_times": survival.response_times(probes, thresholds),
        "league": league.league_table(probes, n_boot=200)[0],
        "per_account": reply_quality.account_quality(q, study.accounts),
        "labels": pd.read_csv(study.path / "reply_labels.csv", dtype=str),
        "headline": company_level.headline(probes, thresholds), "published": published,
        "view": company_level.company_view(probes),
        "sizes": plan.sample_size_table("response_rate", [0.5, 0.7], [0.1, 0.2], 0.05, 0.8, 4, 0.2),
        "schedule": plan.probe_schedule(study.accounts, ["store_opening_hours", "returns"], 4, "2027-01-11", seed=1),
    }


# Every reader table of the notebooks, built from the bundled study's results.
BUILDERS = {
    "sample_sizes": lambda r, lang: tables.sample_sizes(r["sizes"], lang),
    "schedule_balance": lambda r, lang: tables.schedule_balance(r["schedule"], lang),
    "study_summary": lambda r, lang: tables.study_summary(r["study"].accounts, r["probes"], lang),
    "probes_by_department": lambda r, lang: tables.probes_by_department(r["probes"], lang),
    "probes_by_account": lambda r, lang: tables.probes_by_account(r["probes"], lang),
    "censoring": lambda r, lang: tables.censoring(r["probes"], lang),
    "level_rows": lambda r, lang: tables.level_rows(r["response_rates"], "department", lang),
    "naive_vs_km": lambda r, lang: tables.naive_vs_km(r["probes"], r["response_times"], r["thresholds"], lang),
    "league": lambda r, lang: tables.league(r["league"], 0.95, lang),
    "measures_by": lambda r, lang: tables.measures_by(r["rates"], "department", lang),
    "reply_rules": lambda r, lang: tables.reply_rules(r["q"], lang),
    "rule_check": lambda r, lang: tables.rule_check(tables.labelled_kinds(r["labels"], r["q"]), lang),
    "template_clusters": lambda r, lang: tables.template_clusters(r["q"], r["probes"], lang),
    "clock_medians": lambda r, lang: tables.clock_medians(r["times"], 0.95, lang),
    "medians": lambda r, lang: tables.medians(r["times"], "message", 0.95, lang),
    "per_account": lambda r, lang: tables.per_account(r["per_account"], lang),
    "published_vs_ours": lambda r, lang: tables.published_vs_ours(r["headline"], r["published"], r["thresholds"],
                                                                  0.95, lang),
    "fastest_answers": lambda r, lang: tables.fastest_answers(r["view"], lang),
}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_a_table_has_the_same_shape_in_both_languages_and_headers_in_each(replica, name):
    en, ja = (frame(BUILDERS[name](replica, lang)) for lang in LANGS)
    assert en.shape == ja.shape and en.index.nlevels == ja.index.nlevels, name
    assert not any(JAPANESE.search(h) for h in headers(en)), name
    assert any(JAPANESE.search(h) for h in headers(ja)), name
    numbers = en.select_dtypes("number")
    assert np.allclose(numbers.to_numpy(float), ja[[ja.columns[en.columns.get_loc(c)] for c in numbers.columns]]
                       .to_numpy(float), equal_nan=True), "numbers are data: the same in both languages"


@pytest.mark.parametrize("lang", LANGS)
def test_naive_vs_km_sets_the_overall_km_share_beside_each_plain_count(replica, lang):
    probes, thresholds, times = replica["probes"], replica["thresholds"], replica["response_times"]
    table = frame(tables.naive_vs_km(probes, times, thresholds, lang))
    overall = times[times["level"] == "overall"].iloc[0]
    assert list(table.index) == list(thresholds)
    n, answered_within, share, km_share, km_ci = (table.iloc[:, i] for i in range(5))
    for th, within, km, ci in zip(thresholds, answered_within, km_share, km_ci, strict=True):
        col = survival.within_column(th)
        assert km == overall[col]
        assert ci == f"{fmt.pct(overall[col + '_ci_low'])}–{fmt.pct(overall[col + '_ci_high'])}"
        assert within == int((probes["answered"] & (probes["minutes"] <= th)).sum())
    # Every window of the bundled study outlasts every threshold: then both estimates agree.
    windows = (probes["observed_until"] - probes["sent_at"]).dt.total_seconds() / 60
    assert (windows > max(thresholds)).all() and np.allclose(share, km_share)
    assert (n == len(probes)).all()


def test_naive_vs_km_differ_once_windows_close_before_a_threshold(replica):
    probes = replica["probes"].copy()
    unanswered = probes.index[~probes["answered"]][:10]
    probes.loc[unanswered, "minutes"] = 20.0  # censored after 20 minutes: unknown whether answered within 30
    times = survival.response_times(probes, [30], levels=["overall"])
    table = frame(tables.naive_vs_km(probes, times, [30], "en"))
    assert table["km_share"].iloc[0] > table["share"].iloc[0]  # the plain count takes them for unanswered


@pytest.mark.parametrize("lang", LANGS)
def test_overview_counts_add_up(replica, lang):
    probes, accounts = replica["probes"], replica["study"].accounts
    summary = frame(tables.study_summary(accounts, probes, lang)).iloc[:, 0].tolist()
    assert summary == [accounts["company"].nunique(), len(accounts), len(probes), int(probes["answered"].sum()),
                       int((~probes["answered"]).sum())]
    by_department = frame(tables.probes_by_department(probes, lang))
    assert by_department.iloc[-1, -1] == len(probes)  # the margins' total
    assert (by_department.iloc[:-1, :-1].sum(axis=1) == by_department.iloc[:-1, -1]).all()
    by_account = frame(tables.probes_by_account(probes, lang))
    assert len(by_account) == probes["account"].nunique() and by_account.to_numpy().sum() == len(probes)
    censoring = frame(tables.censoring(probes, lang))
    n, answered, censored, shortest, longest = (censoring.iloc[:, i] for i in range(5))
    assert (n == answered + censored).all() and n.sum() == len(probes) and (shortest <= longest).all()
    assert sorted(censoring.index) == sorted(term(d, lang) for d in probes["department"].unique())


@pytest.mark.parametrize("lang", LANGS)
def test_schedule_balance_counts_every_planned_probe_by_weekday(replica, lang):
    schedule = replica["schedule"]
    balance = frame(tables.schedule_balance(schedule, lang))
    assert list(balance.index) == [term(d, lang) for d in tables.WEEKDAYS]
    assert balance.to_numpy().sum() == len(schedule)
    assert len(balance.columns) == len(schedule[["question_type", "planned_in_stated_hours"]].drop_duplicates())


def test_level_rows_keep_one_level_indexed_by_group(replica):
    rates = replica["response_rates"]
    shown = frame(tables.level_rows(rates, "account", "en"))
    assert list(shown.index) == list(rates.loc[rates["level"] == "account", "group"])
    assert "level" not in shown.columns
    picked = frame(tables.level_rows(replica["response_times"], "department", "ja",
                                     columns=["n_probes", "median_minutes"]))
    assert list(picked.columns) == [term("n_probes", "ja"), term("median_minutes", "ja")]


@pytest.mark.parametrize("lang", LANGS)
def test_league_reads_each_rank_with_its_interval(replica, lang):
    table = replica["league"]
    shown = frame(tables.league(table, 0.95, lang))
    assert list(shown.index) == list(table["company"])
    rank, interval, rate, median = (shown.iloc[:, i] for i in range(4))
    for r, text, lo, hi, ranked in zip(rank, interval, table["rank_ci_low"], table["rank_ci_high"], table["ranked"],
                                       strict=True):
        if ranked:
            assert text == f"{lo}–{hi}" and lo <= int(r) <= hi
        else:
            assert (r, text) == (say("too_few_to_rank", lang), "")
    assert all(str(n) in text for n, text in zip(table["n_probes"], rate, strict=True))
    assert list(median) == fmt.median_cis(table, 0.95, lang)


def test_reply_quality_tables_hold_the_rates_and_times_they_show(replica):
    rates, times, q, probes = replica["rates"], replica["times"], replica["q"], replica["probes"]
    by_department = frame(tables.measures_by(rates, "department", "en", measures=["answer_rate", "response_rate"]))
    assert list(by_department.columns) == ["answer_rate", "response_rate"]
    for group, row in by_department.iterrows():
        for measure, value in row.items():
            assert value == rates.query("level == 'department' and group == @group and measure == @measure")[
                "estimate"].iloc[0]
    assert frame(tables.reply_rules(q, "en"))["replies"].sum() == (q["reply_rule"] != "").sum()
    labelled = tables.labelled_kinds(replica["labels"], q)
    assert set(labelled["probe_id"]) <= set(q["probe_id"])
    assert frame(tables.rule_check(labelled, "en")).loc["all", "labelled"] == len(labelled)
    clusters = frame(tables.template_clusters(q, probes, "en"))
    assert clusters["replies"].sum() == (q["template_cluster"] != "").sum() and (clusters["replies"] >= 2).all()
    texts = probes.set_index("probe_id")["first_reply_text"]
    for cluster, example in clusters["example"].items():
        assert example in set(texts[q.loc[q["template_cluster"] == cluster, "probe_id"]])
    clocks = frame(tables.clock_medians(times, 0.95, "ja"))
    assert list(clocks.columns) == [term(c, "ja") for c in CLOCK_RULES]
    assert len(clocks) == len(times.query("measure == 'first_reply' and level == 'stated_hours'")["group"].unique()) + 1
    message = times[times["level"] == "message"]
    assert frame(tables.medians(times, "message", 0.95, "en"))["median"].tolist() == fmt.median_cis(message)
    per_account = frame(tables.per_account(replica["per_account"], "en"))
    assert list(per_account.columns) == list(tables.PER_ACCOUNT_COLUMNS)
    assert len(per_account) == q["account"].nunique()


@pytest.mark.parametrize("lang", LANGS)
def test_published_figures_sit_beside_this_studys(replica, lang):
    headline, published, thresholds = replica["headline"], replica["published"], replica["thresholds"]
    shown = frame(tables.published_vs_ours(headline, published, thresholds, 0.95, lang))
    rows = tables.headline_rows(thresholds, lang)
    assert list(shown.index) == [name for _, name in rows]
    n = headline["companies"]
    for (key, _), (theirs, ours) in zip(rows, shown.itertuples(index=False), strict=True):
        assert ours == fmt.share_ci(headline[key]["count"], n, headline[key]["ci_low"], headline[key]["ci_high"],
                                    "companies", 0.95, lang)
        key = tables.PUBLISHED_KEYS.get(key, key)
        assert (str(published[key]) in theirs) if key in published else not re.search(r"\d", theirs)


def test_fastest_answers_come_first_and_silent_companies_last(replica):
    view = replica["view"]
    shown = frame(tables.fastest_answers(view, "ja"))
    fastest = shown[term("fastest_minutes", "ja")]
    silent = int((~view["answered"]).sum())
    assert len(shown) == len(view) and fastest.dropna().is_monotonic_increasing
    assert silent and fastest.isna().sum() == silent and fastest.iloc[len(view) - silent:].isna().all()


def test_tables_of_the_tiny_study_match_a_hand_count():
    """Three companies, eight probes: counts small enough to check by hand."""
    study = load_study(TINY_STUDY)
    summary = frame(tables.study_summary(study.accounts, study.probes, "en")).iloc[:, 0].tolist()
    assert summary == [3, 4, 8, 4, 4]  # P1, P2, P3, P5 answered in their windows; P6 replied after it closed
    times = survival.response_times(study.probes, [30, 60])
    naive = frame(tables.naive_vs_km(study.probes, times, [30, 60], "en"))
    assert naive["answered_within"].tolist() == [2, 3]  # P3 (10 min), P1 (20 min); then P5 (45 min)
