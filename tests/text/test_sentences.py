"""The planning sentences say what the numbers under them say: sample sizes and detectable shares."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize

from helpers import paths
from helpers.analysis import plan
from helpers.data.study import load_study
from helpers.text import sentences
from helpers.text.catalogue import LANGS
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
    headline = {"answered": {"share": 0.5, "ci_low": 0.3, "ci_high": 0.7}}
    below, above = plan.detectable_shares(0.5, 20, 0.05)
    text = sentences.study_size_limits(headline, 20, 0.05, 0.95, lang)
    assert f"{100 * below:.0f}%" in text and f"{100 * above:.0f}%" in text
    lonely = sentences.study_size_limits({"answered": {"share": 0.5, "ci_low": 0.0, "ci_high": 1.0}}, 2, 0.05, 0.95,
                                         lang)
    assert sentences.say("reach_none", lang) in lonely  # two companies a side: no share is far enough away
