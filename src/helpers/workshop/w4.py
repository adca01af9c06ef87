"""W4, reproduce the 2014 study (track A) or plan a rerun (track B): the checks."""

from __future__ import annotations

import math

import pandas as pd

from helpers.analysis.plan import design_effect, probes_needed
from helpers.stats import company_level
from helpers.workshop.feedback import Checker, Verdict


def companies_answered(check: Checker, value, probes: pd.DataFrame) -> Verdict:
    view = company_level.company_view(probes)
    all_answered = int(probes.groupby("company")["answered"].all().sum())
    return check.number("w4-companies-answered", value, float(view["answered"].sum()),
                        mistakes=[(float(probes["answered"].sum()), "w4_questions_not_companies"),
                                  (float(all_answered), "w4_all_not_any"),
                                  (float(len(view)), "w4_every_company"),
                                  (lambda v: 0 < v < 1, "w4_share_not_count")],
                        hint="w4_answered_hint", right="w4_answered_right", companies=len(view))


def companies_within(check: Checker, value, probes: pd.DataFrame, minutes: float = 60) -> Verdict:
    view = company_level.company_view(probes)
    expected = float((view["fastest_minutes"] <= minutes).sum())
    probe_level = float((probes["answered"] & (probes["minutes"] <= minutes)).sum())
    answered = probes[probes["answered"]]
    by_mean = float((answered.groupby("company")["minutes"].mean() <= minutes).sum())
    mistakes = [(probe_level, "w4_within_questions"), (lambda v: 0 < v < 1, "w4_share_not_count")]
    if by_mean != expected:
        mistakes.insert(0, (by_mean, "w4_within_mean"))
    return check.number("w4-companies-within", value, expected, mistakes=mistakes,
                        hint="w4_within_hint", right="w4_within_right", minutes=minutes, companies=len(view))


def per_group(check: Checker, value, p1: float, p2: float, alpha: float = 0.05, power: float = 0.8) -> Verdict:
    n = probes_needed(p1, p2, alpha, power)
    return check.number("w4-per-group", value, float(n),
                        mistakes=[(float(2 * n), "w4_total_not_per_group"),
                                  (float(probes_needed(p1, p2, alpha, 0.5)), "w4_forgot_power")],
                        hint="w4_per_group_hint", right="w4_per_group_right", p1=p1, p2=p2, power=power)


def with_design_effect(check: Checker, value, p1: float, p2: float, per_company: int, icc: float,
                       alpha: float = 0.05, power: float = 0.8) -> Verdict:
    n = probes_needed(p1, p2, alpha, power)
    inflated = n * design_effect(per_company, icc)
    expected = float(math.ceil(inflated))
    return check.number("w4-design-effect", value, expected,
                        mistakes=[(float(n * per_company), "w4_times_per_company"), (float(n), "w4_forgot_deff"),
                                  (inflated, "w4_round_up")],
                        hint="w4_deff_hint", right="w4_deff_right", per_company=per_company, icc=icc,
                        deff=design_effect(per_company, icc), companies=math.ceil(expected / per_company))
