"""W3, customer-service handle versus main handle: the checks, and the package's sentence to compare with."""

from __future__ import annotations

import pandas as pd

from helpers.compare import departments
from helpers.compare.rates import rate_difference
from helpers.stats import proportions
from helpers.text import sentences
from helpers.text.markup import md_join
from helpers.workshop.feedback import Checker, Verdict

A, B = "customer_service", "main"
CHANCE_OPTIONS = ("yes", "no")


def counts(probes: pd.DataFrame, department: str) -> tuple[int, int]:
    """(answered, sent) for one department's handles."""
    answered = probes.loc[probes["department"] == department, "answered"]
    return int(answered.sum()), len(answered)


def difference(check: Checker, value, probes: pd.DataFrame) -> Verdict:
    (ka, na), (kb, nb) = counts(probes, A), counts(probes, B)
    expected = ka / na - kb / nb
    return check.number("w3-difference", value, expected,
                        mistakes=[(-expected, "w3_reversed"), (float(ka - kb), "w3_counts"),
                                  (100 * expected, "w1_percent"), (0.0, "w1_dropped_unanswered")],
                        hint="w3_difference_hint", right="w3_difference_right",
                        ra=ka / na, rb=kb / nb, points=100 * expected)


def tell_apart(check: Checker, answer, probes: pd.DataFrame, alpha: float = 0.05) -> Verdict:
    (ka, na), (kb, nb) = counts(probes, A), counts(probes, B)
    r = rate_difference(ka, na, kb, nb, alpha)
    includes_zero = r["ci_low"] <= 0 <= r["ci_high"]
    expected = "no" if includes_zero else "yes"
    other = "yes" if includes_zero else "no"
    return check.choice("w3-chance", answer, expected, options=CHANCE_OPTIONS,
                        mistakes=[(other, "w3_chance_includes_zero" if includes_zero else "w3_chance_excludes_zero")],
                        right="w3_chance_right_no" if includes_zero else "w3_chance_right_yes",
                        low=100 * r["ci_low"], high=100 * r["ci_high"], level=f"{1 - alpha:.0%}")


def package_sentence(probes: pd.DataFrame, thresholds=(30,), alpha: float = 0.05, lang: str = "en"):
    """What the report's page 04 says about the two handles' response rates (Markdown)."""
    comparisons = departments.department_comparisons(probes, thresholds, alpha=alpha, n_boot=0)
    rates = proportions.response_rates(probes, alpha=alpha)
    level = 1 - alpha
    return md_join([sentences.departments_lead(rates, comparisons, A, B, level, lang),
                    sentences.response_rate_difference(comparisons, A, B, level, lang)])


def model_conclusion(lang: str = "en") -> str:
    """The instructor copy's model answer to exercise 3 (plain text, as a learner would type it)."""
    from helpers.text.catalogue import t_plain

    return t_plain("w3_model_conclusion", lang)


def conclusion(check: Checker, text, probes: pd.DataFrame, alpha: float = 0.05, lang: str = "en") -> Verdict:
    """The learner's conclusion first; only then the package's sentence beside it."""
    return check.written("w3-conclusion", text, min_words=12, reveal=package_sentence(probes, alpha=alpha, lang=lang))
