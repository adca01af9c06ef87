"""Data-quality notes (not errors): what a reader of the results should know about a study's probes.

Each note is a code (``issue``) plus the values that word it; `quality_issues` writes them for
``data_quality.csv``, `helpers.text.tables.quality_notes` words them for a page in either language.
"""

from __future__ import annotations

import pandas as pd

#: The columns of `quality_notes`: the note's code and the values its words need.
NOTE_COLUMNS = ["probe_id", "company", "account", "issue", "replied_at", "closed_at", "observed_minutes",
                "unknown_thresholds"]


def quality_notes(probes: pd.DataFrame, thresholds) -> pd.DataFrame:
    """Probes whose outcome needs a note, one row per probe and issue, as codes and values.

    ``reply_after_window``: replied at ``replied_at``, after the window closed at ``closed_at``;
    counted as not answered. ``window_shorter_than_threshold``: unanswered after ``observed_minutes``
    of observation, so whether it was answered within each of ``unknown_thresholds`` is unknown.
    """
    rows = []
    window = (probes["observed_until"] - probes["sent_at"]).dt.total_seconds() / 60
    for r in probes[probes["reply_after_window"]].itertuples():
        rows.append((r.probe_id, r.company, r.account, "reply_after_window", r.first_reply_at, r.observed_until,
                     None, ()))
    longest = max(thresholds) if len(thresholds) else 0
    short = (~probes["answered"]) & (window < longest)
    for r, w in zip(probes[short].itertuples(), window[short], strict=True):
        rows.append((r.probe_id, r.company, r.account, "window_shorter_than_threshold", None, None, float(w),
                     tuple(t for t in thresholds if w < t)))
    return pd.DataFrame(rows, columns=NOTE_COLUMNS)


def detail(note) -> str:
    """A note's ``detail`` in ``data_quality.csv`` (English, as the results files are)."""
    if note.issue == "reply_after_window":
        return (f"replied {note.replied_at.isoformat()}, after the window closed {note.closed_at.isoformat()}; "
                "counted as not answered")
    return (f"unanswered after {note.observed_minutes:.0f} min of observation: whether it would have been "
            f"answered within {', '.join(f'{t} min' for t in note.unknown_thresholds)} is unknown (censored)")


def quality_issues(probes: pd.DataFrame, thresholds) -> pd.DataFrame:
    """Probes whose outcome needs a note: late replies and windows too short for a threshold.

    Returns ``probe_id, company, account, issue, detail``, one row per probe and issue (`quality_notes`
    with its values in words).
    """
    notes = quality_notes(probes, thresholds)
    return pd.DataFrame({**{c: notes[c] for c in ["probe_id", "company", "account", "issue"]},
                         "detail": [detail(n) for n in notes.itertuples()]},
                        columns=["probe_id", "company", "account", "issue", "detail"])
