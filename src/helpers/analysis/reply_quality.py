"""Reply quality: beyond speed, what good social customer service means.

Per probe (`probe_quality`): the reply's kind and template cluster (``helpers.analysis.reply_kinds``),
whether the question was sent inside the account's stated hours, the wait on each clock
(``helpers.data.hours.CLOCK_RULES``), and the follow-up's outcome. From those:

- ``response_rate``: share of probes with any reply within the window (as on pages 02-05; the
  2014 study's "answered"). Unit: probe.
- ``answer_rate``: share of probes whose first reply answers the question. Probes answered
  without a recorded reply text have no known kind and are left out of this rate (its
  ``denominator`` says how many remain). Unit: probe.
- ``redirect_share`` / ``acknowledgement_share``: share of replies (with text) of that kind.
  ``template_share``: share of replies (with text) that belong to a copy-paste cluster.
  Unit: reply.
- ``follow_up_response_rate``: share of follow-ups that got a reply within the window. Unit:
  follow-up.
- ``public_resolution_share``: share of resolved cases (``resolved_publicly`` filled in) that
  were closed in public. Unit: resolved case.

Every proportion has a Wilson interval; every time is a Kaplan-Meier estimate with the
unanswered censored at the end of the window, on each clock.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from helpers.analysis.reply_kinds import (
    REPLY_KINDS,
    TEMPLATE_MIN_CHARS,
    TEMPLATE_SIMILARITY,
    classify_all,
    normalise_all,
    template_clusters,
)
from helpers.data.hours import CLOCK_RULES, clock_minutes, in_hours
from helpers.stats.proportions import wilson_interval
from helpers.stats.survival import km_summary

NO_REPLY = "no_reply"
NO_TEXT = "no_text"  # answered, but the reply's text was not recorded
HOURS_GROUPS = {True: "inside stated hours", False: "outside stated hours"}
NO_HOURS = "no stated hours"
UNIT_PLURALS = {"probe": "probes", "reply": "replies", "follow-up": "follow-ups", "resolved case": "resolved cases"}

REPLY_KINDS_COLUMNS = (
    "probe_id", "reply_kind", "template_cluster", "in_stated_hours",
    "company", "account", "department", "question_type", "tone", "answered", "reply_rule",
    "minutes_calendar", "minutes_business", "minutes_next_opening",
    "follow_up_sent", "follow_up_answered", "follow_up_minutes", "resolved_publicly",
)


def probe_quality(probes: pd.DataFrame, accounts: pd.DataFrame,
                  template_similarity: float = TEMPLATE_SIMILARITY,
                  template_min_chars: int = TEMPLATE_MIN_CHARS) -> pd.DataFrame:
    """One row per probe with the columns of ``reply_kinds.csv`` (`REPLY_KINDS_COLUMNS`).

    ``reply_kind`` is ``answer``, ``acknowledgement`` or ``redirect`` for a reply with text,
    ``no_text`` for a reply whose text was not recorded, and ``no_reply`` when nothing came
    within the window. ``in_stated_hours`` is empty where the account states no hours.
    """
    p = probes.copy()
    text = p["first_reply_text"].fillna("").astype(str)
    has_text = p["answered"] & (text.str.strip() != "")
    replies = text.where(has_text, "")
    normalised = normalise_all(replies)  # once, for the kinds and the templates
    kinds = classify_all(replies, normalised)
    p["reply_kind"] = np.where(has_text, kinds["reply_kind"], np.where(p["answered"], NO_TEXT, NO_REPLY))
    p["reply_rule"] = np.where(has_text, kinds["reply_rule"], "")
    p["template_cluster"] = template_clusters(replies, p["account"], threshold=template_similarity,
                                              min_chars=template_min_chars, normalised=normalised)

    info = accounts.set_index("account")[["stated_hours", "timezone"]]
    stop = p["first_reply_at"].where(p["answered"], p["observed_until"])
    p["in_stated_hours"] = pd.Series(pd.NA, index=p.index, dtype="boolean")
    for rule in CLOCK_RULES:
        p[f"minutes_{rule}"] = np.nan
    for account, idx in p.groupby("account", sort=False).groups.items():
        hours, tz = info.at[account, "stated_hours"], info.at[account, "timezone"]
        sent = p.loc[idx, "sent_at"]
        p.loc[idx, "in_stated_hours"] = in_hours(sent, hours, tz)
        for rule in CLOCK_RULES:
            p.loc[idx, f"minutes_{rule}"] = clock_minutes(sent, stop[idx], hours, tz, rule)

    fu_sent, fu_reply, end = p["follow_up_sent_at"], p["follow_up_reply_at"], p["observed_until"]
    p["follow_up_sent"] = fu_sent.notna()
    p["follow_up_answered"] = fu_sent.notna() & fu_reply.notna() & (fu_reply <= end)
    fu_stop = fu_reply.where(p["follow_up_answered"], end)
    p["follow_up_minutes"] = ((fu_stop - fu_sent).dt.total_seconds() / 60).clip(lower=0)
    return p[list(REPLY_KINDS_COLUMNS)].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Proportions


def _rate(measure: str, unit: str, level: str, group: str, hits: pd.Series, alpha: float) -> dict:
    k, n = int(hits.sum()), int(hits.size)
    low, high = wilson_interval(k, n, alpha)
    return {"measure": measure, "level": level, "group": group, "estimate": k / n if n else np.nan,
            "ci_low": low, "ci_high": high, "numerator": k, "denominator": n, "unit": unit}


def _measures(q: pd.DataFrame) -> list[tuple[str, str, pd.Series]]:
    """(measure, unit, 0/1 series over the rows it is defined on) for one group of probes."""
    replies = q[q["reply_kind"].isin(REPLY_KINDS)]
    known = q[q["reply_kind"] != NO_TEXT]
    fu = q[q["follow_up_sent"]]
    resolved = q[q["resolved_publicly"].notna()]
    return [
        ("response_rate", "probe", q["answered"]),
        ("answer_rate", "probe", known["reply_kind"] == "answer"),
        ("redirect_share", "reply", replies["reply_kind"] == "redirect"),
        ("acknowledgement_share", "reply", replies["reply_kind"] == "acknowledgement"),
        ("template_share", "reply", replies["template_cluster"] != ""),
        ("follow_up_response_rate", "follow-up", fu["follow_up_answered"]),
        ("public_resolution_share", "resolved case", resolved["resolved_publicly"].astype(bool)),
    ]


def hours_group(q: pd.DataFrame) -> pd.Series:
    """``inside stated hours``, ``outside stated hours`` or ``no stated hours`` per probe."""
    flag = q["in_stated_hours"]
    return pd.Series(np.where(flag.isna(), NO_HOURS, np.where(flag.fillna(False), HOURS_GROUPS[True],
                                                               HOURS_GROUPS[False])), index=q.index)


def quality_rates(q: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Every reply-quality proportion, overall and by department, tone and stated hours.

    Tidy: ``measure, level, group, estimate, ci_low, ci_high, numerator, denominator, unit``
    (Wilson intervals). Tone and hours rows carry the two rates that make sense by message:
    ``response_rate`` and ``answer_rate``.
    """
    rows = []
    groupings = [("overall", pd.Series("all", index=q.index)), ("department", q["department"])]
    for level, key in groupings:
        for group, d in q.groupby(key, sort=True):
            rows += [_rate(m, u, level, group, s, alpha) for m, u, s in _measures(d)]
    for level, key in [("tone", q["tone"]), ("stated_hours", hours_group(q))]:
        for group, d in q.groupby(key, sort=True):
            rows += [_rate(m, u, level, group, s, alpha) for m, u, s in _measures(d)[:2]]
    out = pd.DataFrame(rows)
    return out[out["denominator"] > 0].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Times


def quality_times(q: pd.DataFrame, thresholds: Sequence[int], alpha: float = 0.05) -> pd.DataFrame:
    """KM times, side by side: each clock by stated hours; by tone; first message vs follow-up.

    Tidy: ``measure, level, group, clock`` then the `helpers.stats.survival.km_summary` columns.
    ``measure`` is ``first_reply`` or ``follow_up_reply``.
    """
    rows = []
    hours = hours_group(q)
    for clock in CLOCK_RULES:
        col = f"minutes_{clock}"
        rows.append({"measure": "first_reply", "level": "overall", "group": "all", "clock": clock,
                     **km_summary(q[col], q["answered"], thresholds, alpha)})
        for group, d in q.groupby(hours, sort=True):
            rows.append({"measure": "first_reply", "level": "stated_hours", "group": group, "clock": clock,
                         **km_summary(d[col], d["answered"], thresholds, alpha)})
    for group, d in q.groupby("tone", sort=True):
        rows.append({"measure": "first_reply", "level": "tone", "group": group, "clock": "calendar",
                     **km_summary(d["minutes_calendar"], d["answered"], thresholds, alpha)})
    # A follow-up exists only after a reply, so it is set beside every first message.
    rows.append({"measure": "first_reply", "level": "message", "group": "first message", "clock": "calendar",
                 **km_summary(q["minutes_calendar"], q["answered"], thresholds, alpha)})
    fu = q[q["follow_up_sent"]]
    if len(fu):
        rows.append({"measure": "follow_up_reply", "level": "message", "group": "follow-up", "clock": "calendar",
                     **km_summary(fu["follow_up_minutes"], fu["follow_up_answered"], thresholds, alpha)})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# Per account


def account_quality(q: pd.DataFrame, accounts: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """One row per account: the columns of ``reply_quality.csv`` (see ``data/README.md``)."""
    rows = []
    stated = accounts.set_index("account")["stated_hours"]
    for (company, account), d in q.groupby(["company", "account"], sort=True):
        row = {"company": company, "account": account, "department": d["department"].iloc[0],
               "n_probes": len(d)}
        for measure, _unit, hits in _measures(d):
            k, n = int(hits.sum()), int(hits.size)
            row[measure] = k / n if n else np.nan
            if measure in ("response_rate", "answer_rate"):
                row[f"{measure}_ci_low"], row[f"{measure}_ci_high"] = wilson_interval(k, n, alpha)
            row[f"n_{measure}"] = n
        row["stated_hours"] = stated.get(account, "")
        flag = d["in_stated_hours"]
        row["probes_in_stated_hours"] = int(flag.fillna(False).sum()) if flag.notna().any() else np.nan
        for value, label in ((True, "in_hours"), (False, "out_of_hours")):
            sub = d[flag.fillna(not value) == value] if flag.notna().any() else d.iloc[0:0]
            row[f"response_rate_{label}"] = sub["answered"].mean() if len(sub) else np.nan
        for clock in CLOCK_RULES:
            summary = km_summary(d[f"minutes_{clock}"], d["answered"], ())
            row[f"median_minutes_{clock}"] = summary["median_minutes"]
        for tone in ("negative", "neutral", "positive"):
            sub = d[d["tone"] == tone]
            row[f"response_rate_{tone}"] = sub["answered"].mean() if len(sub) else np.nan
        rows.append(row)
    first = ["company", "account", "response_rate", "answer_rate", "redirect_share", "template_share",
             "follow_up_response_rate"]
    out = pd.DataFrame(rows)
    return out[first + [c for c in out.columns if c not in first]]
