"""Sentences say what the numbers under them say, in both languages."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize

from helpers import paths
from helpers.analysis import plan, reply_quality
from helpers.data.study import load_study
from helpers.stats import proportions, survival
from helpers.text import sentences
from helpers.text.catalogue import LANGS
from helpers.text.markup import plain
from tests.conftest import TINY_STUDY


@pytest.mark.parametrize("lang", LANGS)
def test_the_pilot_sentence_asks_for_the_probes_its_rates_need(lang):
    probes = load_study(paths.DEFAULT_STUDY).probes
    text = sentences.pilot(probes, 0.05, 0.8, 4, 0.2, lang)
    rates = probes.groupby("department")["answered"].mean()
    n = plan.probes_needed(rates["main"], rates["customer_service"], 0.05, 0.8)
    clustered = -(-n * plan.design_effect(4, 0.2) // 1)  # rounded up
    had = probes["department"].value_counts()
    numbers = re.findall(r"\d+", text)
    for value in (n, int(clustered), had["customer_service"], had["main"]):
        assert str(value) in numbers, value


def test_a_study_without_both_departments_has_no_pilot():
    probes = load_study(TINY_STUDY).probes
    alone = probes[probes["department"] == probes["department"].iloc[0]]
    assert plan.pilot(alone) is None
    assert sentences.pilot(alone, 0.05, 0.8, 4, 0.2, "ja") == sentences.say("pilot_none", "ja")


@given(share=st.floats(0.02, 0.98), n=st.integers(5, 200))
def test_the_shares_said_to_be_told_apart_are_at_the_promised_power(share, n):
    below, above = plan.detectable_shares(share, n, alpha=0.05, power=0.8)
    for other in (below, above):
        if other is not None:
            h = abs(proportion_effectsize(other, share))
            assert NormalIndPower().power(effect_size=h, nobs1=n, alpha=0.05, ratio=1.0) == pytest.approx(0.8, abs=1e-4)
    assert below is None or below < share
    assert above is None or above > share


@pytest.mark.parametrize("lang", LANGS)
def test_size_limits_name_the_detectable_shares(lang):
    headline = {"responded": {"share": 0.5, "ci_low": 0.3, "ci_high": 0.7}}
    below, above = plan.detectable_shares(0.5, 20, 0.05)
    text = sentences.study_size_limits(headline, 20, 0.05, 0.95, lang)
    assert f"{100 * below:.0f}%" in text and f"{100 * above:.0f}%" in text
    lonely = sentences.study_size_limits({"responded": {"share": 0.5, "ci_low": 0.0, "ci_high": 1.0}}, 2, 0.05, 0.95,
                                         lang)
    assert sentences.say("reach_none", lang) in lonely  # two companies a side: no share is far enough away


@pytest.fixture(scope="module")
def quality():
    study = load_study(paths.DEFAULT_STUDY)
    q = reply_quality.probe_quality(study.probes, study.accounts)
    return study, q, reply_quality.quality_rates(q)


def test_share_of_reads_one_rate_or_none(quality):
    _, _, rates = quality
    row = rates.query("measure == 'response_rate' and level == 'overall'").iloc[0]
    assert sentences.share_of(rates, "response_rate").startswith(f"{row.numerator} of {row.denominator} questions")
    assert sentences.share_of(rates, "response_rate", lang="ja").startswith(f"{row.denominator}問中{row.numerator}問")
    assert sentences.share_of(rates, "response_rate", level_name="department", group="no such group") is None


@pytest.mark.parametrize("lang", LANGS)
def test_the_reply_summary_has_a_line_per_measure_or_says_texts_are_missing(quality, lang):
    _, q, rates = quality
    lines = sentences.reply_summary(q, rates, 0.95, lang).splitlines()
    assert len(lines) == 4 and all(line.startswith("- ") for line in lines)  # every replica reply has text
    for line, measure in zip(lines, ("response_rate", "answer_rate", "redirect_share", "template_share"), strict=True):
        assert sentences.share_of(rates, measure, 0.95, lang) in line
    no_texts = q.assign(reply_kind=q["reply_kind"].where(q["reply_kind"] == "no_reply", reply_quality.NO_TEXT))
    lines = sentences.reply_summary(no_texts, rates, 0.95, lang).splitlines()
    n_no_text = int((no_texts["reply_kind"] == reply_quality.NO_TEXT).sum())
    assert len(lines) == 3 and lines[1] == "- " + sentences.say("q_no_texts", lang) and str(n_no_text) in lines[2]


@pytest.mark.parametrize("lang", LANGS)
def test_the_stated_hours_sentence_counts_accounts_and_probes(quality, lang):
    study, q, _ = quality
    text = sentences.stated_hours(study.accounts, q, lang)
    stated = int((study.accounts["stated_hours"].str.strip() != "").sum())
    groups = reply_quality.hours_group(q).value_counts()
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    assert stated in numbers and len(study.accounts) in numbers
    assert all(int(n) in numbers for n in groups)


@pytest.mark.parametrize("lang", LANGS)
def test_the_opening_sentences_quote_the_overall_rows(lang):
    probes = load_study(TINY_STUDY).probes
    rates = proportions.response_rates(probes)
    overall = rates.query("level == 'overall'").iloc[0]
    rate = sentences.headline_figure(rates, "overall_rate", 0.95, lang)
    assert str(overall.n_responded) in rate and str(overall.n_probes) in rate
    times = survival.response_times(probes, [30, 60])
    median = sentences.headline_figure(times, "overall_median", 0.95, lang)
    assert sentences.fmt.duration(times.query("level == 'overall'").iloc[0].median_minutes, lang) in median


@pytest.mark.parametrize("lang", LANGS)
def test_the_published_note_cites_its_source_and_flags_archived_data(lang):
    published = {"study": "Econsultancy (2014)", "url": "https://example.org/x", "provenance": "Second-hand."}
    note = sentences.published_note(published, "", lang)
    assert f"]({published['url']})" in note and published["study"] in plain(note)  # a link to the source
    archived = sentences.published_note(published, "within exported threads", lang)
    assert archived.startswith(note) and "within exported threads" in archived[len(note):]


# --- 04-06: the pages' opening sentences and the comparisons in words ------------------------------

def _few_clusters_row(n: int):
    import pandas as pd

    return pd.Series({"comparison": "model:response_glm", "metric": "response_odds_ratio", "estimate": float("nan"),
                      "ci_low": float("nan"), "ci_high": float("nan"), "p_value": float("nan"),
                      "p_adjusted": float("nan"), "reason": "few_clusters",
                      "method": f"not estimable: {n} company clusters, fewer than 5; Binomial GLM"})


@pytest.mark.parametrize("lang", LANGS)
def test_too_few_clusters_says_how_many_there_were(lang):
    from helpers.compare import MIN_CLUSTERS

    said = sentences.comparison(_few_clusters_row(3), "X", lang=lang)
    assert re.search(r"(?<!\d)3(?!\d)", said) and str(MIN_CLUSTERS) in said
    assert str(MIN_CLUSTERS) in sentences.reason("few_clusters", lang)  # without a method: the minimum alone


@pytest.fixture(scope="module")
def departments():
    from helpers import compare

    study = load_study(paths.DEFAULT_STUDY)
    probes = study.probes
    return (proportions.response_rates(probes, levels=["department"]),
            compare.department_comparisons(probes, study.thresholds_minutes, n_boot=100))


@pytest.mark.parametrize("lang", LANGS)
def test_the_departments_lead_quotes_both_rates_and_the_clustered_verdict(departments, lang):
    rates, comparisons = departments
    lead = sentences.departments_lead(rates, comparisons, "customer_service", "main", 0.95, lang)
    by = rates[rates["level"] == "department"].set_index("group")
    for dept in ("customer_service", "main"):
        assert f"{100 * by.loc[dept, 'response_rate']:.0f}%" in lead
    glm = sentences.pick(comparisons, "department:customer_service-vs-main", "response_odds_ratio")
    verdict = ("pc_departments_no_difference" if glm["ci_low"] <= 1 <= glm["ci_high"] else "pc_departments_differ")
    assert sentences.say(verdict, lang, more=sentences.catalogue.department("customer_service", lang)) in lead
    assert "GLM" not in lead and "_" not in lead  # the lead names no method and no code


@pytest.mark.parametrize("lang", LANGS)
def test_the_reply_lead_counts_answers_and_replies(quality, lang):
    _, q, rates = quality
    lead = sentences.reply_lead(q, rates, 0.95, lang)
    overall = rates[rates["level"] == "overall"].set_index("measure")
    for measure in ("response_rate", "answer_rate"):
        assert str(int(overall.loc[measure, "numerator"])) in lead
        assert f"{100 * overall.loc[measure, 'estimate']:.0f}%" in lead
    no_text = q.assign(reply_kind=q["reply_kind"].where(~q["reply_kind"].isin(["answer", "acknowledgement",
                                                                                "redirect"]), "no_text"))
    assert lead != sentences.reply_lead(no_text, rates, 0.95, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_measures_read_in_words(lang):
    for metric in ("response_rate_difference", "response_odds_ratio", "hazard_ratio", "log_rank_statistic",
                   "response_rate_chisq", "median_minutes_difference", "share_within_60min_difference"):
        name = sentences.measure_name(metric, lang)
        assert "_" not in name and name != metric.replace("_", " ")
    from helpers.text import formatting

    assert formatting.duration(60, lang) in sentences.measure_name("share_within_60min_difference", lang)
