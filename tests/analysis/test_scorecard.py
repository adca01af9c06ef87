"""Scorecards: findings say what the numbers say, in both languages; names make distinct files."""

from __future__ import annotations

import string

import pandas as pd
import pytest

from helpers import paths
from helpers.analysis import league, scorecard
from helpers.data.study import load_study
from helpers.text.catalogue import LANGS, TEXT, t


@pytest.fixture(scope="module")
def replica():
    study = load_study(paths.DEFAULT_STUDY)
    table, _ = league.league_table(study.probes, n_boot=200)
    return study, table


@pytest.mark.parametrize("lang", LANGS)
def test_findings_follow_the_counts(replica, lang):
    study, table = replica
    for company, d in study.probes.groupby("company"):
        card = scorecard.build(study.probes, company, table, study.thresholds_minutes, lang=lang)
        k, n = int(d["answered"].sum()), len(d)
        assert 3 <= len(card.findings) <= 5
        answer = scorecard.finding(card, "answer")
        assert (f"{k} of {n} questions" if lang == "en" else f"{n}件の質問のうち{k}件") in answer
        handles = scorecard.finding(card, "handles")
        assert bool(handles) == (d["account"].nunique() > 1)
        for a in card.accounts.itertuples():  # "within an hour" counts, per account
            rows = d[d["account"] == a.account]
            assert a.answered_within_hour == int((rows["answered"] & (rows["minutes"] <= 60)).sum())
            if handles:
                assert f"@{a.account}" in handles
        rank = table.set_index("company").loc[company]
        assert str(int(rank["rank_ci_low"])) in scorecard.finding(card, "rank")


def test_every_text_exists_in_both_languages_with_the_same_blanks():
    def blanks(text):
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for key, texts in TEXT.items():
        assert set(texts) == set(LANGS), key
        assert all(texts.values()), key
        assert blanks(texts["en"]) == blanks(texts["ja"]), key
    with pytest.raises(ValueError):
        t("h_answer", "fr")


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


def test_japanese_study_scorecard_in_japanese():
    study = load_study(paths.JAPANESE_STUDY)
    company = sorted(study.probes["company"].unique())[0]
    card = scorecard.build(study.probes, company, None, study.thresholds_minutes, lang="ja")
    assert card.rank is None and all("件" in text or "%" in text for _, text in card.findings)
    table = scorecard.accounts_table(card)
    assert list(table.columns)[0] == "アカウント" and isinstance(table, pd.DataFrame)
