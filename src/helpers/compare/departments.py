"""Departments compared (notebook 04): every probe of department A against every probe of B.

Rows are ``department:A-vs-B`` (and ``question_type:A-vs-B`` from the models), plus the
``within-company:A-vs-B`` rows of `helpers.compare.within_company`. The probe-level rate test
is a screen: probes of one company are not independent, which the models clustered by company
(`helpers.compare.models`) and the within-company comparisons take into account.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pandas as pd

from helpers import seeds
from helpers.compare.models import (
    cox_model,
    per_comparison,
    reference_department,
    response_glm,
)
from helpers.compare.multiplicity import _name, _row, table
from helpers.compare.rates import rate_difference
from helpers.compare.survival_tests import km_difference_bootstrap, log_rank
from helpers.compare.within_company import within_company_comparisons
from helpers.data.vocabulary import DEPARTMENTS


def department_pairs(probes: pd.DataFrame) -> list[tuple[str, str]]:
    """Pairs of departments present, customer service first and main second when present."""
    present = [d for d in DEPARTMENTS if d in set(probes["department"])]
    return list(itertools.combinations(present, 2))


def department_rate_comparisons(probes: pd.DataFrame, alpha: float = 0.05,
                                adjust: str = "holm") -> pd.DataFrame:
    """Answer-rate difference for every pair of departments present (``department:A-vs-B``).

    The unit is the probe; probes of one company are not independent, so read these p-values
    as a screen and the company-clustered model (`response_glm`) as the test.
    """
    counts = probes.groupby("department")["answered"].agg(["sum", "size"])
    rows = []
    for a, b in department_pairs(probes):
        r = rate_difference(int(counts.at[a, "sum"]), int(counts.at[a, "size"]),
                            int(counts.at[b, "sum"]), int(counts.at[b, "size"]), alpha)
        rows.append(_row(_name("department", a, b), "response_rate_difference", **r))
    return table(rows, adjust)


def department_comparisons(probes: pd.DataFrame, thresholds: Sequence[int], alpha: float = 0.05,
                           adjust: str = "holm", n_boot: int = 2000, seed: int = seeds.ANALYSIS,
                           glm_formula: str = "answered ~ department + question_type",
                           cox_formula: str = "minutes ~ department + question_type") -> pd.DataFrame:
    """Every department comparison of notebook 04 as one comparisons table."""
    pairs = department_pairs(probes)
    ref = reference_department(probes)
    others = dict.fromkeys(d for pair in pairs for d in pair if d != ref)
    dept_names = [_name("department", d, ref) for d in others]
    rows = department_rate_comparisons(probes, alpha, adjust).drop(columns="p_adjusted").to_dict("records")
    rows += per_comparison(response_glm(probes, glm_formula, alpha=alpha)[0], dept_names)
    rows += per_comparison(cox_model(probes, cox_formula, alpha=alpha)[0], dept_names)
    for a, b in pairs:
        pair = probes[probes["department"].isin([a, b])]
        rows.append(log_rank(pair, pair["department"], _name("department", a, b)))
        if n_boot > 0:  # 0 skips the bootstrap (simulations that check the tests only)
            rows += km_difference_bootstrap(pair, a, b, thresholds, n_boot=n_boot, alpha=alpha, seed=seed)
        rows += within_company_comparisons(probes, a, b, alpha, seed)
    return table(rows, adjust)
