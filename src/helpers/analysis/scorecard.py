"""One company's scorecard: its figures beside its peers.

`build` computes every number notebook ``10-company-scorecard`` shows for one company (response
rate, speed, its accounts side by side, reply quality, rank with its interval, when its questions
were sent and how long each was watched); the findings written from them are
`helpers.text.scorecard`'s. `slug` names the scorecard's file.

One method per kind of figure, the same as the rest of the suite: rates have Wilson intervals
(`helpers.stats.proportions`), waits are Kaplan-Meier with the unanswered censored
(`helpers.stats.survival.km_summary`, as ``response_times.csv``), the rank is the league table's.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from helpers.analysis import reply_quality
from helpers.analysis.reply_kinds import REPLY_KINDS
from helpers.stats import proportions, survival

HOUR = 60
TEXT_KINDS = REPLY_KINDS  # reply kinds judged from a recorded text
# R quantile.survfit's tolerance, as helpers.stats.survival applies it: a KM curve "at" one half
# within it has its median on a flat run, at the run's midpoint.
_TOLERANCE = float(np.sqrt(np.finfo(float).eps))


@dataclass
class Scorecard:
    """What a scorecard shows for one company (tables are tidy; `lang` is the language it is written in)."""

    company: str
    lang: str
    n_companies: int
    response_rate: dict  # k, n, share, ci_low, ci_high: questions that got any reply
    peer_rates: pd.DataFrame  # company, n_probes, n_responded, response_rate, ci_low, ci_high
    speed: dict  # km_summary of the company's probes, with the shape of its median (see `median_shape`)
    accounts: pd.DataFrame  # one row per account of the company
    rank: dict | None  # ranked, rank, rank_ci_low, rank_ci_high, n_ranked (None without a league table row)
    kinds: pd.Series | None  # counts of reply kinds, None without reply texts
    fieldwork: dict = field(default_factory=dict)  # first_sent, last_sent, timezone, window_min/max_minutes
    quality: dict | None = None  # answer_rate, redirect_rate (k, n, share, ci_low, ci_high), None without texts
    findings: list[tuple[str, str]] = field(default_factory=list)  # (section, sentence), by helpers.text.scorecard

    @property
    def peer_median(self) -> float:
        """The median response rate of the study's companies (this one included)."""
        return float(np.median(self.peer_rates["response_rate"])) if len(self.peer_rates) else math.nan

    @property
    def replies_with_text(self) -> int:
        """First replies whose text was recorded (answers, acknowledgements, redirects)."""
        return 0 if self.kinds is None else int(sum(self.kinds.get(x, 0) for x in TEXT_KINDS))

    def to_json(self) -> dict:
        """The scorecard's numbers, for ``scorecards/<slug>.json``.

        Numbers only: results files are the same whatever language the pages are in; the
        findings in words are on the page.
        """
        quality = self.quality or {}
        return {"company": self.company, "n_companies": self.n_companies,
                "response_rate": self.response_rate, "answer_rate": quality.get("answer_rate"),
                "redirect_rate": quality.get("redirect_rate"), "speed": self.speed, "fieldwork": self.fieldwork,
                "accounts": self.accounts.to_dict(orient="records"), "rank": self.rank,
                "reply_kinds": None if self.kinds is None else {k: int(v) for k, v in self.kinds.items()}}


# Longest ASCII part of a scorecard's file name; with a hash the name stays under 80 characters.
MAX_SLUG = 60
# Names Windows reserves for devices, in any case and with any extension: never a file name.
RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))})


def slug(company: str) -> str:
    """A file name for a company: ASCII words joined by '-', plus a short hash whenever the name
    holds more than letters, digits and single spaces (so 'AT&T' and 'AT T', or '架空ストアA' and
    '架空ストアB', never share a file), is long, or is a reserved device name. Only a-z, 0-9 and
    '-': no name can leave the scorecards folder. `scorecard_names` makes a set of them unique."""
    ascii_part = re.sub(r"[^a-z0-9]+", "-", company.lower())[:MAX_SLUG].strip("-")
    if (ascii_part and len(company) <= MAX_SLUG and ascii_part.split("-")[0] not in RESERVED
            and re.fullmatch(r"[A-Za-z0-9]+( [A-Za-z0-9]+)*", company)):
        return ascii_part
    return f"{ascii_part or 'company'}-{_digest(company, 8)}"


def _digest(company: str, length: int) -> str:
    return hashlib.sha1(company.encode("utf-8")).hexdigest()[:length]


def scorecard_names(companies) -> dict[str, str]:
    """Each company's scorecard file name (without suffix), unique within `companies`.

    A name is its `slug` unless another company's slug is the same ('Retailer A' and
    'RETAILER A'); then each of them takes its own hash too. The result depends only on the
    set of names, not on their order.
    """
    names = {c: slug(c) for c in sorted(set(companies))}
    length = 8
    while len(set(names.values())) < len(names):
        taken: dict[str, list[str]] = {}
        for company, name in names.items():
            taken.setdefault(name, []).append(company)
        for group in (g for g in taken.values() if len(g) > 1):
            for company in group:
                ascii_part = re.sub(r"[^a-z0-9]+", "-", company.lower())[:MAX_SLUG].strip("-") or "company"
                names[company] = f"{ascii_part}-{_digest(company, length)}"
        length += 4  # a hash prefix shared by two names: take more of the hash
    return names


def share(k: int, n: int, alpha: float = 0.05) -> dict:
    """k of n with its share and Wilson interval."""
    low, high = proportions.wilson_interval(k, n, alpha)
    return {"k": int(k), "n": int(n), "share": k / n if n else math.nan, "ci_low": float(low), "ci_high": float(high)}


def median_shape(minutes, answered) -> dict:
    """How the KM median was read, for honest words about it.

    ``median_shape`` is ``none`` (no reply), ``not_reached`` (fewer than half answered),
    ``flat`` (the curve sits at exactly one half from ``half_from`` to ``half_to``: the median is
    their midpoint, by R's rule; ``half_to`` is None when no reply came after, the run going on
    to the end of follow-up, and then the median is not well determined) or ``reached``.
    """
    times, surv = survival.km_steps(minutes, answered)
    if len(times) == 0:
        return {"median_shape": "none", "half_from": None, "half_to": None}
    f = 1.0 - surv
    at_half = np.flatnonzero(np.abs(f - 0.5) <= _TOLERANCE)
    if len(at_half):
        after = np.flatnonzero(f > 0.5 + _TOLERANCE)
        return {"median_shape": "flat", "half_from": float(times[at_half[0]]),
                "half_to": float(times[after[0]]) if len(after) else None}
    return {"median_shape": "reached" if f[-1] > 0.5 else "not_reached", "half_from": None, "half_to": None}


def _fieldwork(mine: pd.DataFrame, accounts: pd.DataFrame | None) -> dict:
    """When the company's questions were sent (dates in its accounts' time zone) and how long each was watched."""
    zones = set()
    if accounts is not None and "timezone" in accounts:
        zones = {z for z in accounts.loc[accounts["account"].isin(mine["account"].unique()), "timezone"].dropna() if z}
    tz = zones.pop() if len(zones) == 1 else "UTC"  # several zones: UTC rather than one account's
    sent = mine["sent_at"].dt.tz_convert(tz)
    window = (mine["observed_until"] - mine["sent_at"]).dt.total_seconds() / 60
    return {"first_sent": sent.min().date().isoformat(), "last_sent": sent.max().date().isoformat(),
            "timezone": tz, "window_min_minutes": float(window.min()), "window_max_minutes": float(window.max())}


def _number(x):
    """A rank read from the league table: whole numbers as int, a median rank between two as float."""
    x = float(x)
    return int(x) if x.is_integer() else x


def _ranked(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value) and not (isinstance(value, float) and math.isnan(value))


def league_rank(league: pd.DataFrame | None, company: str) -> dict | None:
    """The company's row of ``league_table.csv`` as the card shows it (None when it has none).

    Companies the league does not rank (``ranked`` false: too few questions) get ``ranked: False``
    and no rank. ``n_ranked`` is how many companies are ranked. A league table without
    ``ranked`` (written before it had one) ranks every company.
    """
    if league is None or company not in set(league["company"]):
        return None
    ranked = league["ranked"].map(_ranked) if "ranked" in league else league["rank"].notna()
    row = league[league["company"] == company].iloc[0]
    is_ranked = bool(ranked[row.name])
    out = {"ranked": is_ranked, "n_ranked": int(ranked.sum())}
    for key in ("rank", "rank_ci_low", "rank_ci_high"):
        out[key] = _number(row[key]) if is_ranked else None
    return out


def _quality(q: pd.DataFrame, alpha: float) -> dict:
    """The company's answer rate and redirect rate, as page 06 computes them (``reply_quality_rates.csv``)."""
    rates = reply_quality.quality_rates(q, alpha)
    overall = rates[rates["level"] == "overall"].set_index("measure")
    out = {}
    for measure, key in (("answer_rate", "answer_rate"), ("redirect_share", "redirect_rate")):
        if measure in overall.index:
            r = overall.loc[measure]
            out[key] = share(int(r["numerator"]), int(r["denominator"]), alpha)
        else:
            out[key] = None
    return out


def build(probes: pd.DataFrame, company: str, league: pd.DataFrame | None, thresholds,
          alpha: float = 0.05, lang: str = "en", quality: pd.DataFrame | None = None,
          accounts: pd.DataFrame | None = None) -> Scorecard:
    """Compute `company`'s scorecard from the study's probes (outcomes added by `load_study`).

    Parameters
    ----------
    league
        The league table (``league_table.csv``), for the rank and its interval.
    quality
        ``reply_kinds.csv``-style rows (`helpers.analysis.reply_quality.probe_quality`) of the study, if any.
    accounts
        The study's accounts, for the time zone the sending dates are given in (UTC without).
    """
    companies = sorted(probes["company"].unique())
    if company not in companies:
        shown = ", ".join(companies[:10]) + (" ..." if len(companies) > 10 else "")
        raise ValueError(f"company {company!r} is not in the study; it has: {shown}")
    mine = probes[probes["company"] == company]
    response = share(int(mine["answered"].sum()), len(mine), alpha)

    per_company = (proportions.response_rates(probes, alpha, levels=("company",))
                   .rename(columns={"group": "company"}).drop(columns="level"))
    # The findings speak of the hour even when the study's thresholds do not.
    speed = survival.km_summary(mine["minutes"], mine["answered"], sorted({*thresholds, HOUR}), alpha)
    speed.update(median_shape(mine["minutes"], mine["answered"]))

    rows = []
    for (account, department), d in mine.groupby(["account", "department"], sort=True):
        rate = share(int(d["answered"].sum()), len(d), alpha)
        km = survival.km_summary(d["minutes"], d["answered"], [HOUR], alpha)
        rows.append({"account": account, "department": department, "n_probes": rate["n"],
                     "n_responded": rate["k"], "response_rate": rate["share"], "ci_low": rate["ci_low"],
                     "ci_high": rate["ci_high"],
                     "responded_within_hour": int((d["answered"] & (d["minutes"] <= HOUR)).sum()),
                     "median_minutes": km["median_minutes"], "median_ci_low": km["median_ci_low"],
                     "median_ci_high": km["median_ci_high"], **median_shape(d["minutes"], d["answered"])})

    kinds, rates = None, None
    if quality is not None and len(quality):
        q = quality[quality["company"] == company]
        if q["reply_kind"].isin(TEXT_KINDS).any():
            kinds = q["reply_kind"].value_counts()
            rates = _quality(q, alpha)

    return Scorecard(company, lang, len(companies), response, per_company, speed, pd.DataFrame(rows),
                     league_rank(league, company), kinds, _fieldwork(mine, accounts), rates)
