"""Data-quality notes (not errors): what a reader of the results should know about a study's probes."""

from __future__ import annotations

import pandas as pd


def quality_issues(probes: pd.DataFrame, thresholds) -> pd.DataFrame:
    """Probes whose outcome needs a note: late replies and windows too short for a threshold.

    Returns ``probe_id, company, account, issue, detail``, one row per probe and issue.
    """
    rows = []
    window = (probes["observed_until"] - probes["sent_at"]).dt.total_seconds() / 60
    for r in probes[probes["reply_after_window"]].itertuples():
        rows.append((r.probe_id, r.company, r.account, "reply_after_window",
                     f"replied {r.first_reply_at.isoformat()}, after the window closed "
                     f"{r.observed_until.isoformat()}; counted as not answered"))
    longest = max(thresholds) if len(thresholds) else 0
    short = (~probes["answered"]) & (window < longest)
    for r, w in zip(probes[short].itertuples(), window[short], strict=True):
        unknown = [t for t in thresholds if w < t]
        rows.append((r.probe_id, r.company, r.account, "window_shorter_than_threshold",
                     f"unanswered after {w:.0f} min of observation: whether it would have been "
                     f"answered within {', '.join(f'{t} min' for t in unknown)} is unknown (censored)"))
    return pd.DataFrame(rows, columns=["probe_id", "company", "account", "issue", "detail"])
