"""A company's scorecard in words: findings, header and accounts table, in English or Japanese.

`build` is `helpers.analysis.scorecard.build` with three to five findings written from the
numbers (``words/scorecard.yml``); each finding names the section whose figure backs it.
Notebook ``10-company-scorecard`` uses this module as ``scorecard``.
"""

from __future__ import annotations

import math

import pandas as pd

from helpers.analysis import scorecard as numbers
from helpers.analysis.scorecard import HOUR, Scorecard, slug
from helpers.stats import survival
from helpers.text import catalogue
from helpers.text import formatting as fmt
from helpers.text.catalogue import t

__all__ = ["Scorecard", "accounts_table", "build", "finding", "findings", "header", "quality_text", "slug"]


def build(probes: pd.DataFrame, company: str, league: pd.DataFrame | None, thresholds,
          alpha: float = 0.05, lang: str = "en", quality: pd.DataFrame | None = None) -> Scorecard:
    """`company`'s scorecard (`helpers.analysis.scorecard.build`) with its findings in `lang`."""
    card = numbers.build(probes, company, league, thresholds, alpha=alpha, lang=lang, quality=quality)
    card.findings = findings(card)
    return card


def findings(card: Scorecard) -> list[tuple[str, str]]:
    """Three to five sentences from the numbers, each tagged with the section that shows it."""
    lang, out = card.lang, []
    r = card.rate
    out.append(("answer", t("f_answer", lang, k=r["k"], n=r["n"], share=catalogue.pct(r["share"]),
                            low=catalogue.pct(r["ci_low"]), high=catalogue.pct(r["ci_high"]),
                            peer=catalogue.pct(card.peer_median))))
    s = card.speed
    within_hour = catalogue.pct(s.get(survival.within_column(HOUR)))
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
        out.append(("quality", t("f_quality", lang, replies=card.replies_with_text, answers=int(k.get("answer", 0)),
                                 redirects=int(k.get("redirect", 0)))))
    return out[:5]


def finding(card: Scorecard, section: str) -> str:
    """The finding backed by `section`'s figure ('' if that section has none)."""
    return next((text for s, text in card.findings if s == section), "")


def quality_text(card: Scorecard) -> str:
    """The reply-quality finding, or why there is none."""
    if card.kinds is not None:
        return finding(card, "quality")
    return t("no_replies" if card.rate["k"] == 0 else "no_quality", card.lang, company=card.company)


def accounts_table(card: Scorecard, level: float = 0.95) -> pd.DataFrame:
    """The accounts side by side, with reader-facing column names in the card's language."""
    lang = card.lang
    a = card.accounts
    return pd.DataFrame({
        t("col_account", lang): "@" + a["account"],
        t("col_department", lang): [catalogue.department(d, lang) for d in a["department"]],
        t("col_questions", lang): a["n_probes"],
        t("col_answered", lang): a["n_answered"],
        t("col_rate", lang): [fmt.with_interval(x, lo, hi, catalogue.pct)
                              for x, lo, hi in zip(a["answer_rate"], a["ci_low"], a["ci_high"], strict=True)],
        t("col_within", lang, duration=catalogue.duration(HOUR, lang)): a["answered_within_hour"],
        t("col_median", lang): [
            fmt.with_interval(m, lo, hi, lambda v: catalogue.duration(v, lang))
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
