"""W4's checks: company-level counts as the 2014 study made them, and a rerun's sample size."""

import math

import pytest

from helpers import paths
from helpers.analysis.plan import design_effect, probes_needed
from helpers.data.study import load_study
from helpers.stats import company_level
from helpers.workshop import w4
from helpers.workshop.feedback import Checker


@pytest.fixture(scope="module")
def probes():
    return load_study(paths.DEFAULT_STUDY).probes


def test_companies_answered_counts_companies_with_any_reply(probes):
    view = company_level.company_view(probes)
    assert w4.companies_answered(Checker(), int(view["answered"].sum()), probes).passed
    assert "counts questions" in w4.companies_answered(Checker(), int(probes["answered"].sum()), probes).message
    every = int(probes.groupby("company")["answered"].all().sum())
    assert "every question" in w4.companies_answered(Checker(), every, probes).message


def test_within_an_hour_is_by_each_companys_fastest_reply(probes):
    fastest = probes[probes["answered"]].groupby("company")["minutes"].min()
    assert w4.companies_within(Checker(), int((fastest <= 60).sum()), probes).passed
    questions = int((probes["answered"] & (probes["minutes"] <= 60)).sum())
    assert "counts questions" in w4.companies_within(Checker(), questions, probes).message


def test_the_sample_size_is_per_group_and_the_design_effect_rounds_up():
    n = probes_needed(0.33, 0.45)
    assert w4.per_group(Checker(), n, 0.33, 0.45).passed
    assert "both groups" in w4.per_group(Checker(), 2 * n, 0.33, 0.45).message
    assert w4.with_design_effect(Checker(), math.ceil(n * design_effect(4, 0.1)), 0.33, 0.45, 4, 0.1).passed
    assert "design effect" in w4.with_design_effect(Checker(), 4 * n, 0.33, 0.45, 4, 0.1).message
    assert "round up" in w4.with_design_effect(Checker(), n * design_effect(4, 0.1), 0.33, 0.45, 4, 0.1).message
