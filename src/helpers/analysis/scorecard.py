"""One company's scorecard: its figures beside its peers, and plain-language findings.

`build` computes everything notebook ``10-company-scorecard`` shows for one company (answer
rate, speed, its accounts side by side, reply quality, rank with its interval) and three to five
findings written from those numbers in English or Japanese (`helpers.i18n`). Each finding names
the section whose figure backs it. `slug` names the scorecard's file.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from helpers.stats import proportions, survival
from helpers.text import catalogue
from helpers.text.catalogue import t

HOUR = 60


@dataclass
class Scorecard:
    """What a scorecard shows for one company (tables are tidy; texts are in `lang`)."""

    company: str
    lang: str
    n_companies: int
    rate: dict  # k, n, share, ci_low, ci_high
    peer_rates: pd.DataFrame  # company, n_probes, n_answered, answer_rate, ci_low, ci_high
    speed: dict  # km_summary of the company's probes
    accounts: pd.DataFrame  # one row per account of the company
    rank: dict | None  # rank, rank_ci_low, rank_ci_high (None without a league table row)
    kinds: pd.Series | None  # counts of reply kinds, None without reply texts
    findings: list[tuple[str, str]] = field(default_factory=list)  # (section, sentence)

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
        ``reply_kinds.csv``-style rows (`helpers.quality.probe_quality`) of the study, if any.
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
        with_text = q["reply_kind"].isin(["answer", "acknowledgement", "redirect"])
        if with_text.any():
            kinds = q["reply_kind"].value_counts()

    card = Scorecard(company, lang, len(companies), rate, per_company, speed, accounts, rank, kinds)
    card.findings = findings(card)
    return card


def findings(card: Scorecard) -> list[tuple[str, str]]:
    """Three to five sentences from the numbers, each tagged with the section that shows it."""
    lang, out = card.lang, []
    r = card.rate
    peer = float(np.median(card.peer_rates["answer_rate"])) if len(card.peer_rates) else math.nan
    out.append(("answer", t("f_answer", lang, k=r["k"], n=r["n"], share=catalogue.pct(r["share"]),
                            low=catalogue.pct(r["ci_low"]), high=catalogue.pct(r["ci_high"]), peer=catalogue.pct(peer))))
    s = card.speed
    hour = survival.within_column(HOUR)
    within_hour = catalogue.pct(s.get(hour))
    if s["median_minutes"] is not None and not math.isnan(s["median_minutes"]):
        out.append(("speed", t("f_speed", lang, median=catalogue.duration(s["median_minutes"], lang),
                               low=catalogue.duration(s["median_ci_low"], lang),
                               high=catalogue.duration(s["median_ci_high"], lang), within_hour=within_hour)))
    else:
        out.append(("speed", t("f_speed_not_reached", lang, within_hour=within_hour)))
    if len(card.accounts) > 1:
        parts = [t("f_handle_part", lang, department=catalogue.department(a.department, lang), account=a.account,
                   k=a.answered_within_hour, n=a.n_probes) for a in card.accounts.itertuples()]
        out.append(("handles", t("f_handles", lang, parts=t("f_handle_join", lang).join(parts))))
    if card.rank is not None:
        out.append(("rank", t("f_rank", lang, rank=card.rank["rank"], n=card.n_companies,
                              low=card.rank["rank_ci_low"], high=card.rank["rank_ci_high"])))
    if card.kinds is not None:
        k = card.kinds
        replies = int(sum(k.get(x, 0) for x in ("answer", "acknowledgement", "redirect")))
        out.append(("quality", t("f_quality", lang, replies=replies, answers=int(k.get("answer", 0)),
                                 redirects=int(k.get("redirect", 0)))))
    return out[:5]


def quality_text(card: Scorecard) -> str:
    """The reply-quality finding, or why there is none."""
    if card.kinds is not None:
        return finding(card, "quality")
    return t("no_replies" if card.rate["k"] == 0 else "no_quality", card.lang, company=card.company)


def finding(card: Scorecard, section: str) -> str:
    """The finding backed by `section`'s figure ('' if that section has none)."""
    return next((text for s, text in card.findings if s == section), "")


def accounts_table(card: Scorecard, level: float = 0.95) -> pd.DataFrame:
    """The accounts side by side, with reader-facing column names in the card's language."""
    lang = card.lang
    a = card.accounts
    return pd.DataFrame({
        t("col_account", lang): "@" + a["account"],
        t("col_department", lang): [catalogue.department(d, lang) for d in a["department"]],
        t("col_questions", lang): a["n_probes"],
        t("col_answered", lang): a["n_answered"],
        t("col_rate", lang): [f"{catalogue.pct(x)} ({catalogue.pct(lo)}–{catalogue.pct(hi)})"
                              for x, lo, hi in zip(a["answer_rate"], a["ci_low"], a["ci_high"], strict=True)],
        t("col_within", lang, duration=catalogue.duration(HOUR, lang)): a["answered_within_hour"],
        t("col_median", lang): [
            catalogue.duration(m, lang) if m is None or math.isnan(m)
            else f"{catalogue.duration(m, lang)} ({catalogue.duration(lo, lang)}–{catalogue.duration(hi, lang)})"
            for m, lo, hi in zip(a["median_minutes"], a["median_ci_low"], a["median_ci_high"], strict=True)],
    })


def header(card: Scorecard, study) -> str:
    """Markdown that opens a scorecard: title, what it shows, and where the data come from."""
    lang = card.lang
    lines = [f"# {t('scorecard_title', lang, company=card.company)}",
             t("scorecard_intro", lang, company=card.company, title=study.title, n_peers=card.n_companies - 1)]
    lines.append(f"**{t('synthetic_banner', lang)}**" if study.synthetic
                 else t("real_banner", lang, source=study.source))
    if study.rate_scope:
        lines.append(f"**{t('scope_banner', lang, scope=study.rate_scope)}**")
    return "\n\n".join(lines)
