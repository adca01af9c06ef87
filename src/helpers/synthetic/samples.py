"""Simulated probes with known truth, for the calibration checks of intervals and tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit, logit


def simulate_probes(rng: np.random.Generator, n_companies: int = 20, share_with_service: float = 0.4,
                    probes_per_account: int = 2, answer_rate: float = 0.6, service_odds_ratio: float = 1.0,
                    company_sd: float = 1.0, median_minutes: float = 120.0, service_hazard_ratio: float = 1.0,
                    window_minutes: tuple[float, float] = (1440.0, 10080.0)) -> pd.DataFrame:
    """Probes of a study with known effects, in the columns the comparisons use.

    Every company has a main handle; a share also has a customer-service handle. A company
    effect (normal on the logit and log-time scales, sd `company_sd`) makes probes of one
    company alike, as real data are. A probe is answered at some point with probability from
    the logistic model; its reply time is exponential with the given median, shortened by
    `service_hazard_ratio` for the service handle; the window closes at a uniform time in
    `window_minutes`, censoring later replies.
    """
    rows = []
    n_service = int(round(share_with_service * n_companies))
    for c in range(n_companies):
        u = rng.normal(0.0, company_sd)
        v = rng.normal(0.0, company_sd)
        departments = ["main"] + (["customer_service"] if c < n_service else [])
        for dep in departments:
            cs = dep == "customer_service"
            p = expit(logit(answer_rate) + u + (np.log(service_odds_ratio) if cs else 0.0))
            scale = median_minutes / np.log(2) * np.exp(-v) / (service_hazard_ratio if cs else 1.0)
            for q in range(probes_per_account):
                would = rng.random() < p
                reply = rng.exponential(scale)
                window = rng.uniform(*window_minutes)
                answered = bool(would and reply <= window)
                rows.append({"company": f"Company {c:03d}", "account": f"c{c:03d}_{dep}", "department": dep,
                             "question_type": ("store_opening_hours", "returns")[q % 2],
                             "answered": answered, "minutes": reply if answered else window})
    return pd.DataFrame(rows)
