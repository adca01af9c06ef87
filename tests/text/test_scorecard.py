"""Scorecard words: the findings say what the card's numbers say, about the company, in both languages."""

from __future__ import annotations

import re

import pytest

from helpers import paths
from helpers.analysis import league, reply_quality
from helpers.data.study import load_study
from helpers.text import scorecard
from helpers.text.catalogue import LANGS, TEXT, t
from helpers.text.markup import plain


@pytest.fixture(scope="module")
def replica():
    study = load_study(paths.DEFAULT_STUDY)
    table, _ = league.league_table(study.probes, n_boot=200)
    return study, table, reply_quality.probe_quality(study.probes, study.accounts)


@pytest.fixture(scope="module")
def single():
    """The replica with one question left for its first company (and the league of that)."""
    study = load_study(paths.DEFAULT_STUDY)
    company = min(study.probes["company"].unique())
    mine = study.probes.index[study.probes["company"] == company]
    probes = study.probes.drop(mine[1:])
    return study, probes, company, league.league_table(probes, n_boot=50)[0]


@pytest.fixture(scope="module")
def decks(replica):
    """Every company's card of the replica, per language."""
    study, table, q = replica
    return {lang: [scorecard.build(study.probes, company, table, study.thresholds_minutes, lang=lang, quality=q,
                                   accounts=study.accounts) for company in sorted(study.probes["company"].unique())]
            for lang in LANGS}


def every_text(card, study) -> list[str]:
    table = scorecard.accounts_table(card)
    return ([x for _, x in card.findings] + [scorecard.header(card, study), scorecard.method_notes(card),
            scorecard.quality_text(card)] + list(table.columns) + [str(v) for v in table.to_numpy().ravel()])


@pytest.mark.parametrize("lang", LANGS)
def test_findings_follow_the_counts(replica, decks, lang):
    study, table, _ = replica
    for card in decks[lang]:
        d = study.probes[study.probes["company"] == card.company]
        k, n = int(d["answered"].sum()), len(d)
        assert 3 <= len(card.findings) <= 5
        response = scorecard.finding(card, "response")
        assert card.company in response and str(n) in response and (str(k) in response or k in (0, n))
        handles = scorecard.finding(card, "handles")
        assert bool(handles) == (d["account"].nunique() > 1)
        for a in card.accounts.itertuples():
            if handles:
                assert f"@{a.account}" in plain(handles)  # escaped in the Markdown
        rank = table.set_index("company").loc[card.company]
        assert str(int(rank["rank_ci_low"])) in scorecard.finding(card, "rank")
        assert "findings" not in card.to_json()  # words live on the page; results are numbers only


def test_english_cards_speak_of_the_company_not_to_it(replica, decks):
    study = replica[0]
    for card in decks["en"]:
        for text in every_text(card, study):
            assert not re.search(r"\byou(r)?\b", text, re.IGNORECASE), text
        for section in ("response", "speed", "rank"):
            assert card.company in scorecard.finding(card, section)


@pytest.mark.parametrize("lang", LANGS)
def test_method_names_only_in_how_this_was_computed(replica, decks, lang):
    study = replica[0]
    names = ["Wilson", "Kaplan", "bootstrap", "Bayes", "CI", "ウィルソン", "カプラン", "ブートストラップ", "ベイズ",
             "信頼区間"]
    for card in decks[lang]:
        notes = scorecard.method_notes(card)
        assert notes.startswith(f"## {t('h_method', lang)}")
        assert any(name in notes for name in names)
        for text in every_text(card, study):
            if text != notes:
                assert not [name for name in names if name in text], text
        assert scorecard.header(card, study).count(t("ranges_note", lang, level="95%")) == 1


def test_one_question_reads_as_one(single):
    study, probes, company, table = single
    for lang in LANGS:
        card = scorecard.build(probes, company, table, study.thresholds_minutes, lang=lang)
        # Sentences, that is: a table's "1 of 1" under "Responded" is a count like the rows beside it.
        joined = "\n".join([x for _, x in card.findings] + [scorecard.header(card, study)])
        assert "1 of 1" not in joined and "1 questions" not in joined and "1件中1件" not in joined
        assert not card.rank["ranked"] and scorecard.finding(card, "rank") == t(
            "f_rank_unranked_one", lang, company=company)
        if lang == "en":
            assert "one question" in scorecard.finding(card, "response")


def test_half_answered_and_half_never_is_not_a_typical_wait(replica, decks):
    halves = [c for c in decks["en"] if c.speed["median_shape"] == "flat" and c.speed["half_to"] is None]
    assert halves  # the replica has companies answering 1 of 2
    for card in halves:
        speed = scorecard.finding(card, "speed")
        assert "not well determined" in speed and "Half of" not in speed
        assert scorecard.duration(card.fieldwork["window_max_minutes"], "en") in speed  # says how long the window is
        assert scorecard.duration(card.speed["median_minutes"], "en") in speed  # the league's figure, explained


def test_the_header_says_when_and_how_long(replica, decks):
    study = replica[0]
    for lang in LANGS:
        for card in decks[lang]:
            head = scorecard.header(card, study)
            assert head.startswith("# ") and card.company in head.splitlines()[0]
            assert ("SYNTHETIC DATA" in head) == (lang == "en") and ("合成データ" in head) == (lang == "ja")
            assert scorecard.day(card.fieldwork["first_sent"], lang) in head
            assert scorecard.window(card) in head


@pytest.mark.parametrize("lang", LANGS)
def test_the_accounts_table_reads_without_codes(replica, decks, lang):
    for card in decks[lang]:
        table = scorecard.accounts_table(card)
        assert len(table.columns) == 4 and len(table) == len(card.accounts)
        assert table.columns[0] == t("card_col_account", lang)
        cells = " ".join(str(v) for v in table.to_numpy().ravel())
        assert not re.search(r"\b(nan|inf|True|False|None|customer_service)\b", cells), cells


def test_japanese_cards_have_no_english_but_data():
    study = load_study(paths.JAPANESE_STUDY)
    q = reply_quality.probe_quality(study.probes, study.accounts)
    table = league.league_table(study.probes, n_boot=50)[0]
    data = [study.title, *study.accounts["account"], *study.probes["company"].unique(), "Asia/Tokyo", "UTC"]
    for company in sorted(study.probes["company"].unique()):
        card = scorecard.build(study.probes, company, table, study.thresholds_minutes, lang="ja", quality=q,
                               accounts=study.accounts)
        for text in map(plain, every_text(card, study)):  # the text a reader sees (data is escaped)
            for value in sorted(data, key=len, reverse=True):
                text = text.replace(value, "")
            assert not re.search(r"[A-Za-z]{2,}", text), text


def test_every_variant_has_both_languages_and_its_base():
    for key in TEXT:
        for suffix in ("_one_yes", "_one_no", "_none", "_all"):
            if key.startswith("f_") and key.endswith(suffix):
                assert key[: -len(suffix)] in TEXT, key
