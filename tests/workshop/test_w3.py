"""W3's checks: the difference and its reading, and the package's sentence shown only after the learner's."""

import pytest

from helpers import paths
from helpers.data.study import load_study
from helpers.workshop import w3
from helpers.workshop.feedback import Checker


@pytest.fixture(scope="module")
def probes():
    return load_study(paths.DEFAULT_STUDY).probes


def rates(probes):
    by = probes.groupby("department")["answered"].mean()
    return by["customer_service"], by["main"]


def test_the_difference_is_customer_service_minus_main(probes):
    cs, main = rates(probes)
    assert w3.difference(Checker(), cs - main, probes).passed
    assert "reversed" in w3.difference(Checker(), main - cs, probes).message
    (kc, _), (km, _) = w3.counts(probes, "customer_service"), w3.counts(probes, "main")
    assert "counts" in w3.difference(Checker(), kc - km, probes).message


def test_the_right_reading_follows_the_interval(probes):
    from helpers.compare.rates import rate_difference

    (kc, nc), (km, nm) = w3.counts(probes, "customer_service"), w3.counts(probes, "main")
    r = rate_difference(kc, nc, km, nm)
    right = "no" if r["ci_low"] <= 0 <= r["ci_high"] else "yes"
    wrong = "yes" if right == "no" else "no"
    assert w3.tell_apart(Checker(), right, probes).passed
    assert "includes 0" in w3.tell_apart(Checker(), wrong, probes).message or right == "yes"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_package_sentence_appears_only_beside_a_written_conclusion(probes, lang):
    sentence = str(w3.package_sentence(probes, lang=lang))
    assert not w3.conclusion(Checker(lang), ..., probes, lang=lang).passed
    too_short = w3.conclusion(Checker(lang), "CS is better", probes, lang=lang)
    assert not too_short.passed and sentence not in too_short.message
    verdict = w3.conclusion(Checker(lang), w3.model_conclusion(lang), probes, lang=lang)
    assert verdict.passed and sentence in verdict.message
