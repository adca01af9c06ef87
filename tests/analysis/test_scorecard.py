"""Scorecards: the numbers follow the probes; names make distinct files."""

from __future__ import annotations

import math

import pytest

from helpers import paths
from helpers.analysis import league, scorecard
from helpers.data.study import load_study


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
        assert (card.rate["k"], card.rate["n"]) == (k, n) and card.rate["ci_low"] <= k / n <= card.rate["ci_high"]
        assert set(card.accounts["account"]) == set(d["account"])
        for a in card.accounts.itertuples():  # "within an hour" counts, per account
            rows = d[d["account"] == a.account]
            assert a.answered_within_hour == int((rows["answered"] & (rows["minutes"] <= 60)).sum())
        rank = table.set_index("company").loc[company]
        assert card.rank == {"rank": rank["rank"], "rank_ci_low": rank["rank_ci_low"],
                             "rank_ci_high": rank["rank_ci_high"]}
        assert card.findings == []  # words are helpers.text.scorecard's


def test_the_peer_median_is_the_median_company_rate(replica):
    study, table = replica
    card = scorecard.build(study.probes, sorted(study.probes["company"].unique())[0], table, study.thresholds_minutes)
    rates = sorted(study.probes.groupby("company")["answered"].mean())
    middle = len(rates) // 2
    expected = rates[middle] if len(rates) % 2 else (rates[middle - 1] + rates[middle]) / 2
    assert math.isclose(card.peer_median, expected)


def test_slugs_are_distinct_and_safe():
    names = ["Retailer A", "Retailer B", "架空ストアA", "架空ストアB", "Marks & Spencer", "size?"]
    slugs = [scorecard.slug(n) for n in names]
    assert len(set(slugs)) == len(slugs)
    assert all(s and all(c.isascii() and (c.isalnum() or c == "-") for c in s) for s in slugs)
    assert scorecard.slug("Retailer A") == "retailer-a"


def test_unknown_company_is_a_clear_error(replica):
    study, table = replica
    with pytest.raises(ValueError, match="not in the study"):
        scorecard.build(study.probes, "Nobody Ltd", table, study.thresholds_minutes)


def test_reply_texts_give_the_replies_judged():
    from helpers.analysis import reply_quality

    study = load_study(paths.JAPANESE_STUDY)
    q = reply_quality.probe_quality(study.probes, study.accounts)
    company = sorted(study.probes["company"].unique())[0]
    card = scorecard.build(study.probes, company, None, study.thresholds_minutes, quality=q)
    mine = q[q["company"] == company]
    assert card.rank is None
    assert card.replies_with_text == int(mine["reply_kind"].isin(scorecard.TEXT_KINDS).sum()) > 0
