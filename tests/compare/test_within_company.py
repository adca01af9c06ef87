"""Within companies: only companies with both handles, and a test its interval agrees with."""

import numpy as np

from helpers import compare
from helpers.synthetic import samples
from tests.compare.studies import strong_effect_probes


def test_within_company_uses_only_companies_with_both_handles():
    probes = strong_effect_probes()
    paired = compare.paired_companies(probes, "customer_service", "main")
    assert (paired.groupby("company")["department"].nunique() == 2).all()
    assert set(paired["company"]) == set(probes.loc[probes["department"] == "customer_service", "company"])


def test_sign_flip_interval_and_test_agree():
    # The interval inverts the test: it excludes 0 exactly when the test rejects.
    rng = np.random.default_rng(8)
    for _ in range(20):
        probes = samples.simulate_probes(rng, n_companies=24, share_with_service=0.5,
                                            service_odds_ratio=float(rng.choice([1.0, 8.0])))
        row = compare.within_company_rates(probes, "customer_service", "main")[0]
        excludes_zero = row["ci_low"] > 0 or row["ci_high"] < 0
        assert excludes_zero == (row["p_value"] <= 0.05), row
