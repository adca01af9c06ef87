"""Scorecard words: the findings say what the card's numbers say, in both languages."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import paths
from helpers.analysis import league
from helpers.data.study import load_study
from helpers.text import scorecard
from helpers.text.catalogue import LANGS


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
        for a in card.accounts.itertuples():
            if handles:
                assert f"@{a.account}" in handles
        rank = table.set_index("company").loc[company]
        assert str(int(rank["rank_ci_low"])) in scorecard.finding(card, "rank")
        assert card.to_json()["findings"] == [{"section": s, "text": x} for s, x in card.findings]


def test_the_header_says_synthetic_and_names_the_company(replica):
    study, table = replica
    company = sorted(study.probes["company"].unique())[0]
    for lang in LANGS:
        card = scorecard.build(study.probes, company, table, study.thresholds_minutes, lang=lang)
        head = scorecard.header(card, study)
        assert head.startswith("# ") and company in head.splitlines()[0]
        assert ("SYNTHETIC DATA" in head) == (lang == "en") and ("合成データ" in head) == (lang == "ja")


def test_japanese_study_scorecard_in_japanese():
    study = load_study(paths.JAPANESE_STUDY)
    company = sorted(study.probes["company"].unique())[0]
    card = scorecard.build(study.probes, company, None, study.thresholds_minutes, lang="ja")
    assert card.rank is None and all("件" in text or "%" in text for _, text in card.findings)
    table = scorecard.accounts_table(card)
    assert list(table.columns)[0] == "アカウント" and isinstance(table, pd.DataFrame)
    assert scorecard.quality_text(card)  # without reply kinds: why there is no quality finding
