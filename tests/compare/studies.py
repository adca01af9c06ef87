"""Simulated studies that the comparison tests share."""

import numpy as np

from helpers.synthetic import samples


def strong_effect_probes(seed=5):
    """40 companies, half with a customer-service handle that answers more often and sooner."""
    return samples.simulate_probes(np.random.default_rng(seed), n_companies=40, share_with_service=0.5,
                                   probes_per_account=6, answer_rate=0.4, service_odds_ratio=6.0,
                                   service_hazard_ratio=4.0, company_sd=0.5)
