"""The company-level view of the 2014 study: a company responded if any account replied to any probe."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from helpers.stats.proportions import wilson_interval
from helpers.stats.survival import within_column


def company_view(probes: pd.DataFrame) -> pd.DataFrame:
    """One row per company: did any of its accounts answer any probe, and its fastest answer.

    This is how the 2014 Econsultancy study counted: the unit is the company, a company is
    answered if any account answered any question within the window, and its time is its
    fastest first reply. ``fastest_minutes`` is NaN for companies that never answered.
    """
    answered = probes[probes["answered"]]
    fastest = answered.sort_values(["minutes", "probe_id"]).groupby("company", sort=True).first()
    windows = (probes["observed_until"] - probes["sent_at"]).dt.total_seconds() / 60
    base = probes.assign(window_minutes=windows).groupby("company", sort=True).agg(
        n_accounts=("account", "nunique"), n_probes=("probe_id", "size"),
        shortest_window_minutes=("window_minutes", "min"),
    )
    base["answered"] = base.index.isin(fastest.index)
    base["fastest_minutes"] = fastest["minutes"].reindex(base.index)
    base["fastest_account"] = fastest["account"].reindex(base.index)
    base["fastest_question_type"] = fastest["question_type"].reindex(base.index)
    base.index.name = "company"
    return base.reset_index()


def headline(probes: pd.DataFrame, thresholds: Sequence[int], alpha: float = 0.05) -> dict:
    """The company-level figures of the 2014 study, each with a Wilson interval.

    A company whose shortest observation window is under a threshold is still counted (as not
    answered within it, if it had not answered by then); ``companies_with_short_window`` says
    how many such companies there are, so a reader can judge the effect.
    """
    view = company_view(probes)
    n = len(view)

    def figure(count: int) -> dict:
        low, high = wilson_interval(count, n, alpha)
        return {"count": int(count), "share": count / n if n else None, "ci_low": low, "ci_high": high}

    out = {
        "unit": "company",
        "definition": ("a company counts as responding if any of its accounts replied to any probe within "
                       "the observation window; its time is its fastest first reply"),
        "ci_method": f"Wilson score interval, {100 * (1 - alpha):g}% confidence",
        "alpha": alpha,
        "companies": n,
        "responded": figure(int(view["answered"].sum())),
    }
    for t in thresholds:
        out[within_column(t)] = figure(int((view["fastest_minutes"] <= t).sum()))
        out[within_column(t)]["companies_with_short_window"] = int((view["shortest_window_minutes"] < t).sum())
    return out
