"""Simulated studies that the comparison tests share."""

import numpy as np
import pandas as pd

from helpers.synthetic import samples


def strong_effect_probes(seed=5):
    """40 companies, half with a customer-service handle that answers more often and sooner."""
    return samples.simulate_probes(np.random.default_rng(seed), n_companies=40, share_with_service=0.5,
                                   probes_per_account=6, answer_rate=0.4, service_odds_ratio=6.0,
                                   service_hazard_ratio=4.0, company_sd=0.5)


def tied_probes():
    """360 probes of 24 companies with whole-minute reply times from 1 to 23: many ties.

    Closed-form (no random numbers), so that the figures R computed on it once stay valid.
    Company 23 never answers (a stratum without events). Reference figures for this study
    are in the tests, with the R call that produced them.
    """
    i = np.arange(360)
    company = i % 24
    department = np.where((i // 24) % 3 == 0, "customer_service", np.where((i // 24) % 3 == 1, "main", "sales"))
    question_type = np.where((i * 7) % 5 < 2, "returns", "hours")
    fast = (department == "customer_service") * 6 + (question_type == "returns") * 3 + company % 4
    minutes = 1 + (i * i * 7 + i * 3 + fast) % 23
    minutes = np.maximum(1, minutes - fast // 2)
    answered = ((i * 11 + company) % 7 > 1) & (company != 23)
    return pd.DataFrame({"company": [f"Company {c:02d}" for c in company], "department": department,
                         "question_type": question_type, "answered": answered,
                         "minutes": minutes.astype(float)})


def separated_probes():
    """800 probes of 40 companies, each with both handles; customer service answers far more
    often and sooner than main, so that the log-rank and CMH p-values are far below 1e-16.

    Closed-form (no random numbers), so that the figures R computed on it once stay valid.
    """
    i = np.arange(800)
    company = i % 40
    service = (i // 40) % 2 == 0
    rank = (i * 11 + (i // 40) * 3) % 10
    answered = np.where(service, rank < 9, rank < 3)
    minutes = np.where(service, 1 + (i * 7) % 13, 10 + (i * 5) % 50) + np.where(answered, 0, 1440)
    return pd.DataFrame({"company": [f"Company {c:02d}" for c in company],
                         "department": np.where(service, "customer_service", "main"),
                         "question_type": np.where((i * 3) % 4 < 2, "returns", "hours"),
                         "answered": answered, "minutes": minutes.astype(float)})
