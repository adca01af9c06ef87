"""Company comparisons: each company against the rest is one family."""

import pytest
from statsmodels.stats.multitest import multipletests

from helpers import compare
from tests.compare.studies import strong_effect_probes


def test_each_company_against_the_rest_is_one_family():
    probes = strong_effect_probes()
    table = compare.company_comparisons(probes, n_perm=200)
    vs_rest = table[table["comparison"].str.endswith("-vs-rest") & (table["metric"] == "response_rate_difference")]
    assert len(vs_rest) == probes["company"].nunique()
    assert vs_rest["p_adjusted"].to_numpy() == pytest.approx(
        multipletests(vs_rest["p_value"], method="holm")[1])
    omnibus = table[table["comparison"] == "company:all"]
    assert (omnibus["p_adjusted"] == omnibus["p_value"]).all()  # single tests are not adjusted with others
