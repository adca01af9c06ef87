"""Scorecards: the numbers follow the probes and agree with the league table; names make distinct files."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from helpers import paths
from helpers.analysis import league, reply_quality, scorecard
from helpers.data.study import load_study
from helpers.stats import survival


@pytest.fixture(scope="module")
def replica():
    study = load_study(paths.DEFAULT_STUDY)
    table, _ = league.league_table(study.probes, n_boot=200)
    return study, table


def test_numbers_follow_the_counts(replica):
    study, table = replica
    for company, d in study.probes.groupby("company"):
        card = scorecard.build(study.probes, company, table, study.thresholds_minutes)
        k, n = int(d["answered"].sum()), len(d)
        r = card.response_rate
        assert (r["k"], r["n"]) == (k, n) and r["ci_low"] <= k / n <= r["ci_high"]
        assert set(card.accounts["account"]) == set(d["account"])
        for a in card.accounts.itertuples():  # "within an hour" counts, per account
            rows = d[d["account"] == a.account]
            assert a.responded_within_hour == int((rows["answered"] & (rows["minutes"] <= 60)).sum())
            assert a.n_responded == int(rows["answered"].sum()) and a.n_probes == len(rows)
        row = table.set_index("company").loc[company]
        assert card.rank["ranked"] == bool(row["ranked"])
        assert (card.rank["rank"], card.rank["rank_ci_low"], card.rank["rank_ci_high"]) == (
            row["rank"], row["rank_ci_low"], row["rank_ci_high"])
        assert card.rank["n_ranked"] == int(table["ranked"].sum())
        assert card.to_json()["response_rate"] == r
        assert card.findings == []  # words are helpers.text.scorecard's


@pytest.mark.parametrize("study_dir", [paths.DEFAULT_STUDY, paths.JAPANESE_STUDY])
def test_the_median_wait_is_the_league_tables(study_dir):
    study = load_study(study_dir)
    table = league.league_table(study.probes, n_boot=50)[0].set_index("company")
    for company in table.index:
        speed = scorecard.build(study.probes, company, None, study.thresholds_minutes).speed
        for key in ("median_minutes", "median_ci_low", "median_ci_high"):
            ours, theirs = speed[key], float(table.loc[company, key])
            assert (math.isnan(ours) and math.isnan(theirs)) or math.isclose(ours, theirs), (company, key)


def test_the_peer_median_is_the_median_company_rate(replica):
    study, table = replica
    card = scorecard.build(study.probes, min(study.probes["company"].unique()), table, study.thresholds_minutes)
    assert list(card.peer_rates.columns) == ["company", "n_probes", "n_responded", "response_rate", "ci_low", "ci_high"]
    rates = sorted(study.probes.groupby("company")["answered"].mean())
    middle = len(rates) // 2
    expected = rates[middle] if len(rates) % 2 else (rates[middle - 1] + rates[middle]) / 2
    assert math.isclose(card.peer_median, expected)


def test_companies_with_too_few_questions_are_not_ranked(replica):
    study, _ = replica
    sizes = study.probes.groupby("company").size()
    table, _ = league.league_table(study.probes, n_boot=50, min_questions=int(sizes.max()))
    for company, n in sizes.items():
        rank = scorecard.build(study.probes, company, table, study.thresholds_minutes).rank
        assert rank["ranked"] == (n >= sizes.max()) and rank["n_ranked"] == int((sizes >= sizes.max()).sum())
        assert (rank["rank"] is None) == (not rank["ranked"])


def test_a_league_table_without_ranked_ranks_everyone(replica):
    table = replica[1]
    old = table.drop(columns="ranked")
    company = table["company"].iloc[0]
    rank = scorecard.league_rank(old, company)
    assert rank["ranked"] and rank["n_ranked"] == len(table) and rank["rank"] == table["rank"].iloc[0]
    assert scorecard.league_rank(old, "Nobody Ltd") is None


@pytest.mark.parametrize(("minutes", "answered", "shape"), [
    ([5.0, 9000.0], [True, False], "flat"),  # one of two: the flat run goes on to the end
    ([5.0, 30.0], [True, True], "flat"),  # two of two: between the two replies
    ([5.0, 30.0, 40.0], [True, True, True], "reached"),
    ([5.0, 9000.0, 9000.0], [True, False, False], "not_reached"),
    ([9000.0, 9000.0], [False, False], "none"),
])
def test_the_shape_of_the_median_says_how_it_was_read(minutes, answered, shape):
    got = scorecard.median_shape(minutes, answered)
    assert got["median_shape"] == shape
    median = survival.km_median(minutes, answered)
    if shape == "flat":
        end = got["half_to"] if got["half_to"] is not None else max(minutes)
        assert math.isclose(median, (got["half_from"] + end) / 2)  # R's midpoint, which the shape explains
        assert (got["half_to"] is None) == (sum(answered) < len(answered))
    assert math.isnan(median) == (shape in ("none", "not_reached"))


def test_fieldwork_dates_are_local_and_windows_come_from_the_probes():
    study = load_study(paths.JAPANESE_STUDY)
    company = min(study.probes["company"].unique())
    card = scorecard.build(study.probes, company, None, study.thresholds_minutes, accounts=study.accounts)
    mine = study.probes[study.probes["company"] == company]
    f = card.fieldwork
    assert f["timezone"] == "Asia/Tokyo"
    local = mine["sent_at"].dt.tz_convert("Asia/Tokyo")
    assert (f["first_sent"], f["last_sent"]) == (local.min().date().isoformat(), local.max().date().isoformat())
    window = (mine["observed_until"] - mine["sent_at"]).dt.total_seconds() / 60
    assert np.isclose([f["window_min_minutes"], f["window_max_minutes"]], [window.min(), window.max()]).all()
    assert scorecard.build(study.probes, company, None, study.thresholds_minutes).fieldwork["timezone"] == "UTC"


def test_slugs_are_distinct_and_safe():
    names = ["Retailer A", "Retailer B", "架空ストアA", "架空ストアB", "Marks & Spencer", "size?"]
    slugs = [scorecard.slug(n) for n in names]
    assert len(set(slugs)) == len(slugs)
    assert all(s and all(c.isascii() and (c.isalnum() or c == "-") for c in s) for s in slugs)
    assert scorecard.slug("Retailer A") == "retailer-a"
    # Names that differ only in punctuation get files of their own.
    assert len({scorecard.slug(n) for n in ("AT&T", "AT T", "At-T", "AT-T", "at.t")}) == 5


def test_unknown_company_is_a_clear_error(replica):
    study, table = replica
    with pytest.raises(ValueError, match="not in the study"):
        scorecard.build(study.probes, "Nobody Ltd", table, study.thresholds_minutes)


def test_answer_and_redirect_rates_are_page_06s(tmp_path):
    study = load_study(paths.JAPANESE_STUDY)
    q = reply_quality.probe_quality(study.probes, study.accounts)
    company = min(study.probes["company"].unique())
    card = scorecard.build(study.probes, company, None, study.thresholds_minutes, quality=q)
    mine = q[q["company"] == company]
    assert card.rank is None
    assert card.replies_with_text == int(mine["reply_kind"].isin(scorecard.TEXT_KINDS).sum()) > 0
    rates = reply_quality.quality_rates(mine).query("level == 'overall'").set_index("measure")
    for ours, theirs in (("answer_rate", "answer_rate"), ("redirect_rate", "redirect_share")):
        r = card.quality[ours]
        assert (r["k"], r["n"]) == (rates.loc[theirs, "numerator"], rates.loc[theirs, "denominator"])
        assert math.isclose(r["ci_low"], rates.loc[theirs, "ci_low"])
    # Read back from reply_kinds.csv, as notebook 10 reads it, the rates are the same.
    q.to_csv(tmp_path / "reply_kinds.csv", index=False)
    again = scorecard.build(study.probes, company, None, study.thresholds_minutes,
                            quality=pd.read_csv(tmp_path / "reply_kinds.csv"))
    assert again.quality == card.quality
