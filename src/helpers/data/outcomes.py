"""Per-probe outcomes of a study: answered within the window, time to first reply, and grouping levels.

A probe is *answered* when its first reply came within its observation window
(``first_reply_at <= observed_until``); a reply after the window counts as not answered. Time to
first reply is right-censored: an unanswered probe is censored at the end of its window.
"""

from __future__ import annotations

import pandas as pd

LEVELS = ("overall", "company", "department", "account")


OVERALL_GROUP = "all"


def add_outcomes(probes: pd.DataFrame) -> pd.DataFrame:
    """Add ``answered``, ``reply_after_window`` and ``minutes`` (event or censoring time)."""
    reply, end, sent = probes["first_reply_at"], probes["observed_until"], probes["sent_at"]
    answered = reply.notna() & (reply <= end)
    stop = reply.where(answered, end)
    return probes.assign(
        answered=answered.astype(bool),
        reply_after_window=(reply.notna() & (reply > end)).astype(bool),
        minutes=(stop - sent).dt.total_seconds() / 60.0,
    )


def group_key(probes: pd.DataFrame, level: str) -> pd.Series:
    """The group each probe belongs to at `level` (accounts are named ``company/account``)."""
    if level == "overall":
        return pd.Series(OVERALL_GROUP, index=probes.index)
    if level == "account":
        return probes["company"] + "/" + probes["account"]
    if level in ("company", "department"):
        return probes[level]
    raise ValueError(f"unknown level {level!r}; use one of {', '.join(LEVELS)}")
