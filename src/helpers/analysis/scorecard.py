"""One company's scorecard: its figures beside its peers.

`build` computes every number notebook ``10-company-scorecard`` shows for one company (answer
rate, speed, its accounts side by side, reply quality, rank with its interval); the findings
written from them are `helpers.text.scorecard`'s. `slug` names the scorecard's file.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from helpers.analysis.reply_kinds import REPLY_KINDS
from helpers.stats import proportions, survival

HOUR = 60
TEXT_KINDS = REPLY_KINDS  # reply kinds judged from a recorded text


@dataclass
class Scorecard:
    """What a scorecard shows for one company (tables are tidy; `lang` is the language it is written in)."""

    company: str
    lang: str
    n_companies: int
    rate: dict  # k, n, share, ci_low, ci_high
    peer_rates: pd.DataFrame  # company, n_probes, n_answered, answer_rate, ci_low, ci_high
    speed: dict  # km_summary of the company's probes
    accounts: pd.DataFrame  # one row per account of the company
    rank: dict | None  # rank, rank_ci_low, rank_ci_high (None without a league table row)
    kinds: pd.Series | None  # counts of reply kinds, None without reply texts
    findings: list[tuple[str, str]] = field(default_factory=list)  # (section, sentence), by helpers.text.scorecard

    @property
    def peer_median(self) -> float:
        """The median answer rate of the study's companies (this one included)."""
        return float(np.median(self.peer_rates["answer_rate"])) if len(self.peer_rates) else math.nan

    @property
    def replies_with_text(self) -> int:
        """First replies whose text was recorded (answers, acknowledgements, redirects)."""
        return 0 if self.kinds is None else int(sum(self.kinds.get(x, 0) for x in TEXT_KINDS))

    def to_json(self) -> dict:
        """The scorecard's numbers and findings, for ``scorecards/<slug>.json``."""
        return {"company": self.company, "lang": self.lang, "n_companies": self.n_companies,
                "answer_rate": self.rate, "speed": self.speed,
                "accounts": self.accounts.to_dict(orient="records"), "rank": self.rank,
                "reply_kinds": None if self.kinds is None else {k: int(v) for k, v in self.kinds.items()},
                "findings": [{"section": s, "text": x} for s, x in self.findings]}


def slug(company: str) -> str:
    """A file name for a company: ASCII words joined by '-', plus a short hash when the name
    has other characters (so '架空ストアA' and '架空ストアB' stay apart)."""
    ascii_part = re.sub(r"[^a-z0-9]+", "-", company.lower()).strip("-")
    if ascii_part and company.isascii():
        return ascii_part
    digest = hashlib.sha1(company.encode("utf-8")).hexdigest()[:8]
    return f"{ascii_part}-{digest}" if ascii_part else f"company-{digest}"


def _wilson(k: int, n: int, alpha: float) -> tuple[float, float]:
    low, high = proportions.wilson_interval(k, n, alpha)
    return float(low), float(high)


def build(probes: pd.DataFrame, company: str, league: pd.DataFrame | None, thresholds,
          alpha: float = 0.05, lang: str = "en", quality: pd.DataFrame | None = None) -> Scorecard:
    """Compute `company`'s scorecard from the study's probes (outcomes added by `load_study`).

    Parameters
    ----------
    league
        The league table (``league_table.csv``), for the rank and its interval.
    quality
        ``reply_kinds.csv``-style rows (`helpers.analysis.reply_quality.probe_quality`) of the study, if any.
    """
    companies = sorted(probes["company"].unique())
    if company not in companies:
        shown = ", ".join(companies[:10]) + (" ..." if len(companies) > 10 else "")
        raise ValueError(f"company {company!r} is not in the study; it has: {shown}")
    mine = probes[probes["company"] == company]
    k, n = int(mine["answered"].sum()), len(mine)
    low, high = _wilson(k, n, alpha)
    rate = {"k": k, "n": n, "share": k / n if n else math.nan, "ci_low": low, "ci_high": high}

    per_company = proportions.answer_rates(probes, alpha, levels=("company",)).rename(columns={"group": "company"})
    speed = survival.km_summary(mine["minutes"], mine["answered"], thresholds, alpha)
    if HOUR not in thresholds:  # the findings speak of the hour even when the study's thresholds do not
        speed.update({k_: v for k_, v in survival.km_summary(mine["minutes"], mine["answered"], [HOUR], alpha).items()
                      if k_.startswith(survival.within_column(HOUR))})

    rows = []
    for (account, department), d in mine.groupby(["account", "department"], sort=True):
        a_k, a_n = int(d["answered"].sum()), len(d)
        a_low, a_high = _wilson(a_k, a_n, alpha)
        km = survival.km_summary(d["minutes"], d["answered"], [HOUR], alpha)
        within = int((d["answered"] & (d["minutes"] <= HOUR)).sum())
        rows.append({"account": account, "department": department, "n_probes": a_n, "n_answered": a_k,
                     "answer_rate": a_k / a_n, "ci_low": a_low, "ci_high": a_high,
                     "answered_within_hour": within, "median_minutes": km["median_minutes"],
                     "median_ci_low": km["median_ci_low"], "median_ci_high": km["median_ci_high"]})
    accounts = pd.DataFrame(rows)

    rank = None
    if league is not None and company in set(league["company"]):
        r = league.set_index("company").loc[company]
        rank = {"rank": int(r["rank"]), "rank_ci_low": int(r["rank_ci_low"]), "rank_ci_high": int(r["rank_ci_high"])}

    kinds = None
    if quality is not None and len(quality):
        q = quality[quality["company"] == company]
        with_text = q["reply_kind"].isin(TEXT_KINDS)
        if with_text.any():
            kinds = q["reply_kind"].value_counts()

    return Scorecard(company, lang, len(companies), rate, per_company, speed, accounts, rank, kinds)
