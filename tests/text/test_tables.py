"""Reader tables: the numbers they show agree with the results they come from, in both languages."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
import yaml

from helpers import compare, paths
from helpers.analysis import data_quality, league, plan, reply_quality
from helpers.data.hours import CLOCK_RULES
from helpers.data.study import load_study
from helpers.stats import company_level, proportions, survival
from helpers.text import formatting as fmt
from helpers.text import tables
from helpers.text.catalogue import t, term
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
        "comparisons": pd.concat([compare.department_comparisons(probes, thresholds, n_boot=100),
                                  compare.company_comparisons(probes, n_perm=100)], ignore_index=True),
        "ph_check": compare.ph_check_of(probes, "minutes ~ department + question_type"),
        "labels": pd.read_csv(study.path / "reply_labels.csv", dtype=str),
        "headline": company_level.headline(probes, thresholds), "published": published,
        "view": company_level.company_view(probes),
        # The replica's windows outlast its thresholds: a longer one gives every kind of note.
        "notes": data_quality.quality_notes(probes, [*thresholds, 20000]),
        "sizes": plan.sample_size_table("response_rate", [0.5, 0.7], [0.1, 0.2], 0.05, 0.8, 4, 0.2),
        "schedule": plan.probe_schedule(study.accounts, ["store_opening_hours", "returns"], 4, "2027-01-11", seed=1),
    }


# Every reader table of the notebooks, built from the bundled study's results.
BUILDERS = {
    "sample_sizes": lambda r, lang: tables.sample_sizes(r["sizes"], lang),
    "schedule_balance": lambda r, lang: tables.schedule_balance(r["schedule"], lang),
    "schedule_preview": lambda r, lang: tables.schedule_preview(r["schedule"], 10, lang),
    "quality_notes": lambda r, lang: tables.quality_notes(r["notes"], lang),
    "response_rates": lambda r, lang: tables.response_rates(r["response_rates"], "department", lang),
    "response_rates_by_account": lambda r, lang: tables.response_rates(r["response_rates"], "account", lang),
    "waits": lambda r, lang: tables.waits(r["response_times"], "company", r["thresholds"], lang),
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
    "comparisons": lambda r, lang: tables.comparisons(r["comparisons"], 0.95, lang),
    "ph_check": lambda r, lang: tables.ph_check(r["ph_check"], r["probes"], lang),
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
    assert list(table.index) == [fmt.duration(th, lang) for th in thresholds]
    n, answered_within, share, km = (table.iloc[:, i] for i in range(4))
    for th, within, plain, cell in zip(thresholds, answered_within, share, km, strict=True):
        col = survival.within_column(th)
        assert cell == fmt.rate_interval(overall[col], overall[col + "_ci_low"], overall[col + "_ci_high"], lang)
        assert within == int((probes["answered"] & (probes["minutes"] <= th)).sum())
        assert plain == fmt.pct(within / len(probes))
        # Every window of the bundled study outlasts every threshold: then both estimates agree.
        assert overall[col] == pytest.approx(within / len(probes))
    windows = (probes["observed_until"] - probes["sent_at"]).dt.total_seconds() / 60
    assert (windows > max(thresholds)).all() and (n == len(probes)).all()


def test_naive_vs_km_differ_once_windows_close_before_a_threshold(replica):
    probes = replica["probes"].copy()
    unanswered = probes.index[~probes["answered"]][:10]
    probes.loc[unanswered, "minutes"] = 20.0  # censored after 20 minutes: unknown whether answered within 30
    times = survival.response_times(probes, [30], levels=["overall"])
    table = frame(tables.naive_vs_km(probes, times, [30], "en"))
    km = times.iloc[0][survival.within_column(30)]
    plain = (probes["answered"] & (probes["minutes"] <= 30)).mean()
    assert km > plain  # the plain count takes them for unanswered
    assert table.iloc[0, 2] == fmt.pct(plain) and table.iloc[0, 3].startswith(fmt.pct(km))


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
    assert len(by_account) == probes["account"].nunique()
    assert by_account.select_dtypes("number").to_numpy().sum() == len(probes)
    censoring = frame(tables.censoring(probes, lang))
    n, answered, censored = (censoring.iloc[:, i] for i in range(3))
    assert (n == answered + censored).all() and n.sum() == len(probes)
    windows = ((probes["observed_until"] - probes["sent_at"]).dt.total_seconds() / 60).groupby(probes["department"])
    assert sorted(censoring.iloc[:, 3]) == sorted(fmt.duration(m, lang) for m in windows.min())
    assert sorted(censoring.iloc[:, 4]) == sorted(fmt.duration(m, lang) for m in windows.max())
    assert sorted(censoring.index) == sorted(tables._department_label(d, lang) for d in probes["department"].unique())


@pytest.mark.parametrize("lang", LANGS)
def test_quality_notes_word_each_note_of_the_results_file(replica, lang):
    probes, thresholds, notes = replica["probes"], [*replica["thresholds"], 20000], replica["notes"]
    issues = data_quality.quality_issues(probes, thresholds)
    shown = frame(tables.quality_notes(notes, lang))
    assert list(shown.index) == list(issues["probe_id"]) and set(issues["issue"]) == {
        "reply_after_window", "window_shorter_than_threshold"}
    for (_, row), detail, note in zip(issues.iterrows(), shown.iloc[:, 3], notes.itertuples(), strict=True):
        # The page's words carry the file's numbers: the observed minutes, as a duration, and the thresholds.
        if row["issue"] == "window_shorter_than_threshold":
            assert fmt.duration(note.observed_minutes, lang) in detail
            assert all(fmt.duration(th, lang) in detail for th in note.unknown_thresholds)
        else:
            assert f"{note.replied_at:%H:%M}" in detail and f"{note.closed_at:%H:%M}" in detail
        assert row["detail"].split()[0] in ("replied", "unanswered")  # the file stays English


@pytest.mark.parametrize("lang", LANGS)
def test_rate_and_wait_tables_show_each_groups_figures_with_their_ranges(replica, lang):
    rates, times, thresholds = replica["response_rates"], replica["response_times"], replica["thresholds"]
    for level_name in ("department", "company", "account"):
        rows = rates[rates["level"] == level_name]
        shown = frame(tables.response_rates(rates, level_name, lang))
        assert len(shown) == len(rows) and list(shown.iloc[:, 0]) == list(rows["n_probes"])
        assert list(shown.iloc[:, 2]) == [fmt.rate_interval(v, lo, hi, lang) for v, lo, hi in
                                          zip(rows["response_rate"], rows["ci_low"], rows["ci_high"], strict=True)]
    accounts = frame(tables.response_rates(rates, "account", lang))
    assert accounts.index.nlevels == 2 and set(accounts.index.get_level_values(0)) == set(replica["probes"]["company"])
    company = times[times["level"] == "company"]
    waits = frame(tables.waits(times, "company", thresholds, lang))
    assert list(waits.index) == list(company["group"]) and len(waits.columns) == 3 + len(thresholds)
    for cell, (_, row) in zip(waits.iloc[:, 2], company.iterrows(), strict=True):
        if row["median_minutes"] != row["median_minutes"]:
            assert cell == fmt.wait_interval(row["median_minutes"], 0, 0, lang)  # not reached
        else:
            assert cell.startswith(fmt.duration(row["median_minutes"], lang))
            assert cell.endswith(fmt.duration(row["median_ci_high"], lang) + ")")


@pytest.mark.parametrize("lang", LANGS)
def test_schedule_balance_counts_every_planned_probe_by_weekday(replica, lang):
    schedule = replica["schedule"]
    balance = frame(tables.schedule_balance(schedule, lang))
    assert list(balance.index) == [tables.vocabulary(d, lang) for d in tables.WEEKDAYS]
    assert balance.to_numpy().sum() == len(schedule)
    assert len(balance.columns) == len(schedule[["question_type", "planned_in_stated_hours"]].drop_duplicates())


@pytest.mark.parametrize("lang", LANGS)
def test_the_schedule_preview_fits_a_page_and_names_each_question(replica, lang):
    schedule = replica["schedule"]
    preview = frame(tables.schedule_preview(schedule, 10, lang))
    assert list(preview.index) == list(schedule["probe_id"].head(10))
    assert len(preview.columns) <= 6 < len(schedule.columns)  # the file keeps every column
    sent = pd.to_datetime(schedule["sent_at"].head(10))
    assert all(f"{ts:%H:%M}" in cell and str(ts.year) in cell for ts, cell in zip(sent, preview.iloc[:, 3], strict=True))


@pytest.mark.parametrize("lang", LANGS)
def test_sample_sizes_read_each_planned_change(replica, lang):
    sizes = replica["sizes"]
    shown = frame(tables.sample_sizes(sizes, lang))
    assert len(shown) == len(sizes)
    assert list(shown.iloc[:, 0]) == list(sizes["probes_per_group"])
    assert list(shown.iloc[:, 1]) == list(sizes["probes_per_group_clustered"])
    changes = [key[1] for key in shown.index]
    assert changes == [f"{fmt.pct(b)} → {fmt.pct(c)}" for b, c in zip(sizes["baseline"], sizes["compared_share"],
                                                                       strict=True)]


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
    ranked = table["ranked"].astype(bool)
    # Ranked companies first, then those with too few questions: every company exactly once.
    assert sorted(shown.index) == sorted(table["company"])
    assert list(shown.index[:ranked.sum()]) == list(table.loc[ranked, "company"])
    rank, interval, questions, replied, rate, median = (shown.iloc[:, i] for i in range(6))
    rows = table.set_index("company").loc[list(shown.index)]
    for r, text, (_, row) in zip(rank, interval, rows.iterrows(), strict=True):
        if row["ranked"]:
            assert text == f"{row['rank_ci_low']}–{row['rank_ci_high']}"
            tied = (rows["rank"] == row["rank"]).sum() > 1
            assert r == (t("sum_rank_tied", lang, rank=int(row["rank"])) if tied else str(int(row["rank"])))
            assert row["rank_ci_low"] <= row["rank"] <= row["rank_ci_high"]
        else:
            assert (r, text) == (say("too_few_to_rank", lang), "–")
    assert list(questions) == list(rows["n_probes"]) and list(replied) == list(rows["n_responded"])
    assert list(rate) == [tables.rate_cell(v, lo, hi, lang) for v, lo, hi in zip(
        rows["response_rate"], rows["response_rate_ci_low"], rows["response_rate_ci_high"], strict=True)]
    assert all(fmt.pct(v) in text for v, text in zip(rows["response_rate"], rate, strict=True))
    reached = rows["median_minutes"].notna()
    assert all(text == say("not_reached", lang) for text in median[~reached.to_numpy()])
    assert not any(re.search(r"\b(nan|inf|True|False)\b", cell) for cell in [*rate, *median, *rank])


def test_league_lists_companies_with_too_few_questions_apart():
    probes = load_study(paths.DEFAULT_STUDY).probes
    one = probes[probes["company"] == probes["company"].iloc[0]].iloc[:1]
    table = league.league_table(pd.concat([probes[probes["company"] != one["company"].iloc[0]], one]),
                                n_boot=50, min_questions=2)[0]
    assert (~table["ranked"]).sum() == 1
    for lang in LANGS:
        shown = frame(tables.league(table, 0.95, lang))
        assert shown.index[-1] == one["company"].iloc[0]
        assert shown.iloc[-1, 0] == say("too_few_to_rank", lang)


def test_reply_quality_tables_hold_the_rates_and_times_they_show(replica):
    rates, times, q, probes = replica["rates"], replica["times"], replica["q"], replica["probes"]
    by_department = frame(tables.measures_by(rates, "department", "en", measures=["answer_rate", "response_rate"]))
    assert list(by_department.columns) == [say("pc_col_answer_rate"), say("pc_col_response_rate")]
    for group, row in zip(rates.query("level == 'department'")["group"].unique(), by_department.itertuples(),
                          strict=True):
        for measure, cell in zip(["answer_rate", "response_rate"], row[1:], strict=True):
            r = rates.query("level == 'department' and group == @group and measure == @measure").iloc[0]
            assert cell == tables.rate_cell(r["estimate"], r["ci_low"], r["ci_high"])
    replies = say("pc_col_replies")
    assert frame(tables.reply_rules(q, "en"))[replies].sum() == (q["reply_rule"] != "").sum()
    labelled = tables.labelled_kinds(replica["labels"], q)
    assert set(labelled["probe_id"]) <= set(q["probe_id"])
    assert frame(tables.rule_check(labelled, "en")).loc[say("pc_all_kinds"), say("pc_col_labelled")] == len(labelled)
    clusters = frame(tables.template_clusters(q, probes, "en"))
    assert clusters[replies].sum() == (q["template_cluster"] != "").sum() and (clusters[replies] >= 2).all()
    texts = probes.set_index("probe_id")["first_reply_text"]
    ids = sorted(c for c in q["template_cluster"].unique() if c)
    for cluster, example in zip(ids, clusters[say("pc_col_example")], strict=True):
        assert example in set(texts[q.loc[q["template_cluster"] == cluster, "probe_id"]])  # whole, not cut
    clocks = frame(tables.clock_medians(times, 0.95, "ja"))
    assert list(clocks.columns) == [say(f"pc_clock_{c}", "ja") for c in CLOCK_RULES]
    assert len(clocks) == len(times.query("measure == 'first_reply' and level == 'stated_hours'")["group"].unique()) + 1
    message = times[times["level"] == "message"]
    assert frame(tables.medians(times, "message", 0.95, "en"))[say("pc_col_median_wait")].tolist() == [
        tables.wait_cell(m, lo, hi) for m, lo, hi in zip(message["median_minutes"], message["median_ci_low"],
                                                         message["median_ci_high"], strict=True)]
    per_account = frame(tables.per_account(replica["per_account"], "en"))
    assert len(per_account) == q["account"].nunique() and len(per_account.columns) <= 8  # fits a page


@pytest.mark.parametrize("name", ["league", "measures_by", "reply_rules", "rule_check", "template_clusters",
                                  "clock_medians", "medians", "per_account", "comparisons", "ph_check"])
@pytest.mark.parametrize("lang", LANGS)
def test_reader_tables_of_pages_04_to_06_show_words_not_codes(replica, name, lang):
    """Headers in words, cells formatted: no snake_case name, NaN, inf or True/False a reader would see."""
    shown = frame(BUILDERS[name](replica, lang))
    words = headers(shown) + [str(v) for v in shown.to_numpy().ravel()] + [
        str(v) for key in shown.index for v in (key if isinstance(key, tuple) else (key,))]
    # Data values (company names, handles, stated hours, reply texts) stay as written: set them aside.
    study = replica["study"]
    data = sorted({*study.accounts["company"], *study.accounts["account"], *study.accounts["stated_hours"],
                   *replica["probes"]["first_reply_text"].dropna()} - {""}, key=len, reverse=True)
    for text in words:
        for value in data:
            text = text.replace(value, "")
        assert not re.search(r"\b(nan|NaN|inf|True|False|None)\b", text), (name, text)
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), (name, text)
        if lang == "ja":
            assert not re.search(r"[A-Za-z]{3,}", text), (name, text)


@pytest.mark.parametrize("lang", LANGS)
def test_published_figures_sit_beside_this_studys(replica, lang):
    headline, published, thresholds = replica["headline"], replica["published"], replica["thresholds"]
    shown = frame(tables.published_vs_ours(headline, published, thresholds, 0.95, lang))
    rows = tables.headline_rows(thresholds, lang)
    assert list(shown.index) == [name for _, name in rows]
    n = headline["companies"]
    for (key, _), (theirs, ours) in zip(rows, shown.itertuples(index=False), strict=True):
        figure = headline[key]
        assert str(figure["count"]) in ours and str(n) in ours
        assert ours.endswith(fmt.rate_interval(figure["share"], figure["ci_low"], figure["ci_high"], lang))
        key = tables.PUBLISHED_KEYS.get(key, key)
        assert (str(published[key]) in theirs) if key in published else not re.search(r"\d", theirs)


@pytest.mark.parametrize("lang", LANGS)
def test_fastest_answers_come_first_and_silent_companies_last(replica, lang):
    view = replica["view"]
    shown = frame(tables.fastest_answers(view, lang))
    silent = int((~view["answered"]).sum())
    replied = view[view["answered"]].sort_values("fastest_minutes")
    assert len(shown) == len(view) and silent
    assert list(shown.index[:len(replied)]) == list(replied["company"])
    assert list(shown.iloc[:len(replied), 3]) == [fmt.duration(m, lang) for m in replied["fastest_minutes"]]
    assert (shown.iloc[len(replied):, 2] == say("po_no", lang)).all()
    assert (shown.iloc[len(replied):, 3] == say("po_no_reply", lang)).all()


OVERVIEW_TABLES = ["sample_sizes", "schedule_balance", "schedule_preview", "study_summary", "probes_by_department",
                   "probes_by_account", "censoring", "quality_notes", "response_rates", "response_rates_by_account",
                   "naive_vs_km", "waits", "published_vs_ours", "fastest_answers"]


@pytest.mark.parametrize("name", OVERVIEW_TABLES)
@pytest.mark.parametrize("lang", LANGS)
def test_reader_tables_of_pages_00_to_03_and_09_show_words_not_codes(replica, name, lang):
    """No snake_case name, NaN, inf, True/False or numeric index; on Japanese pages no English but data."""
    shown = frame(BUILDERS[name](replica, lang))
    assert not pd.api.types.is_integer_dtype(shown.index.dtype), name  # the first column is a label
    words = headers(shown) + [str(v) for v in shown.to_numpy().ravel()] + [
        str(v) for key in shown.index for v in (key if isinstance(key, tuple) else (key,))]
    study = replica["study"]
    data = sorted({*study.accounts["company"], *study.accounts["account"], *replica["schedule"]["probe_id"],
                   *replica["probes"]["probe_id"]} - {""}, key=len, reverse=True)
    for text in words:
        for value in data:
            text = text.replace(value, "")
        assert not re.search(r"\b(nan|NaN|inf|True|False|None)\b", text), (name, text)
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), (name, text)
        if lang == "ja":  # UTC is how Japanese writes it too
            assert not re.search(r"[A-Za-z]{3,}", text.replace("UTC", "")), (name, text)


def test_tables_of_the_tiny_study_match_a_hand_count():
    """Three companies, eight probes: counts small enough to check by hand."""
    study = load_study(TINY_STUDY)
    summary = frame(tables.study_summary(study.accounts, study.probes, "en")).iloc[:, 0].tolist()
    assert summary == [3, 4, 8, 4, 4]  # P1, P2, P3, P5 answered in their windows; P6 replied after it closed
    times = survival.response_times(study.probes, [30, 60])
    naive = frame(tables.naive_vs_km(study.probes, times, [30, 60], "en"))
    assert naive.iloc[:, 1].tolist() == [2, 3]  # P3 (10 min), P1 (20 min); then P5 (45 min)
