"""The opening sentences of pages 00-03 and 09 say the numbers of the results under them, in both languages."""

from __future__ import annotations

import re

import pytest
import yaml

from helpers import paths
from helpers.analysis import plan
from helpers.data.study import load_study
from helpers.stats import company_level, proportions, survival
from helpers.text import formatting as fmt
from helpers.text import sentences
from helpers.text.catalogue import LANGS
from tests.conftest import TINY_STUDY

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def replica():
    study = load_study(paths.DEFAULT_STUDY)
    return study, study.probes, study.thresholds_minutes


def english_free(text: str, allowed=()) -> bool:
    """No English word on a Japanese page but the `allowed` data values and cited names."""
    for value in sorted(allowed, key=len, reverse=True):
        text = text.replace(value, "")
    return not re.search(r"[A-Za-z]{3,}", text)


@pytest.mark.parametrize("lang", LANGS)
def test_the_plan_lead_quotes_the_first_planned_change_and_the_pilot(replica, lang):
    _, probes, _ = replica
    sizes = plan.sample_sizes([0.5, 0.7], [0.25], [0.1, 0.2], 60, 0.05, 0.8, 4, 0.2)
    text = sentences.plan_lead(sizes, probes, 0.05, 0.8, 4, 0.2, lang)
    first = sizes[sizes["metric"] == "response_rate"].iloc[0]
    numbers = re.findall(r"\d+", text)
    for value in (first["probes_per_group"], first["probes_per_group_clustered"], 4):
        assert str(int(value)) in numbers
    assert str(plan.pilot(probes, 0.05, 0.8, 4, 0.2)["probes_per_group_clustered"]) in numbers
    alone = probes[probes["department"] == "main"]
    without = sentences.plan_lead(sizes, alone, 0.05, 0.8, 4, 0.2, lang)  # no pilot to quote
    assert text.startswith(without) and len(without) < len(text)


@pytest.mark.parametrize("lang", LANGS)
def test_the_overview_lead_counts_questions_accounts_and_replies(replica, lang):
    study, probes, _ = replica
    text = sentences.overview_lead(study.accounts, probes, lang)
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    replied = int(probes["answered"].sum())
    for value in (len(probes), len(study.accounts), study.accounts["company"].nunique(), replied,
                  len(probes) - replied, probes["sent_at"].min().year):
        assert value in numbers
    assert lang == "en" or english_free(text)


@pytest.mark.parametrize("lang", LANGS)
def test_the_rates_lead_quotes_the_overall_and_each_department(replica, lang):
    _, probes, _ = replica
    rates = proportions.response_rates(probes, alpha=0.1)
    text = sentences.rates_lead(rates, 0.9, lang)
    for row in rates[rates["level"].isin(["overall", "department"])].itertuples():
        assert fmt.rate_interval(row.response_rate, row.ci_low, row.ci_high, lang) in text
    overall = rates[rates["level"] == "overall"].iloc[0]
    assert f"{overall.n_responded}" in text and f"{overall.n_probes}" in text
    assert "90%" in text and "95%" not in text  # the level follows alpha
    assert lang == "en" or english_free(text)


@pytest.mark.parametrize("lang", LANGS)
def test_the_times_lead_quotes_the_median_and_each_threshold(replica, lang):
    _, probes, thresholds = replica
    times = survival.response_times(probes, thresholds)
    overall = times[times["level"] == "overall"].iloc[0]
    text = sentences.times_lead(times, thresholds, 0.95, lang)
    assert fmt.wait_interval(overall["median_minutes"], overall["median_ci_low"], overall["median_ci_high"],
                             lang) in text
    for th in thresholds:
        col = survival.within_column(th)
        assert fmt.rate_interval(overall[col], overall[col + "_ci_low"], overall[col + "_ci_high"], lang) in text
    assert lang == "en" or english_free(text)


@pytest.mark.parametrize("lang", LANGS)
def test_a_median_not_reached_is_said_so_never_as_a_number(lang):
    probes = load_study(TINY_STUDY).probes.copy()
    probes["answered"] = probes.index < 2  # two of eight replied: fewer than half
    times = survival.response_times(probes, [30])
    assert times.query("level == 'overall'")["median_minutes"].isna().all()
    text = sentences.times_lead(times, [30], 0.95, lang)
    assert text.startswith(sentences.say("po_times_lead_not_reached", lang, within="")[:20])
    assert not re.search(r"\b(nan|inf)\b", text)


@pytest.mark.parametrize("lang", LANGS)
def test_the_2014_lead_sets_this_studys_companies_beside_the_published_count(replica, lang):
    _, probes, thresholds = replica
    headline = company_level.headline(probes, thresholds)
    published = yaml.safe_load((paths.PUBLISHED_DIR / "econsultancy-2014.yml").read_text(encoding="utf-8"))
    text = sentences.reproduce_lead(headline, published, thresholds, 0.95, lang)
    responded = headline["responded"]
    assert fmt.rate_interval(responded["share"], responded["ci_low"], responded["ci_high"], lang) in text
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    assert responded["count"] in numbers and published["answered"] in numbers
    assert all(headline[survival.within_column(th)]["count"] in numbers for th in thresholds)
    assert lang == "en" or english_free(text)


def test_the_published_note_keeps_its_english_provenance_off_japanese_pages():
    published = {"study": "Econsultancy (2014)", "url": "https://example.org/x", "provenance": "Second-hand figures."}
    assert "Second-hand figures." in sentences.published_note(published, "", "en")
    ja = sentences.published_note(published, "", "ja", "data/published/x.yml")
    assert "Second-hand" not in ja and "data/published/x.yml" in ja and "(https://example.org/x)" in ja
    translated = sentences.published_note({**published, "provenance_ja": "又聞きの数字です。"}, "", "ja")
    assert "又聞きの数字です。" in translated
