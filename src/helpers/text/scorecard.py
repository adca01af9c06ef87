"""A company's scorecard in words: findings, header, accounts table and method notes, in English or Japanese.

`build` is `helpers.analysis.scorecard.build` with three to five findings written from the
numbers (``words/scorecard.yml``); each finding names the section whose figure backs it. The
words are for readers who are not the company: third person, counts that read right for one
question, and no method names outside `method_notes`. Notebook ``10-company-scorecard`` uses this
module as ``scorecard``. Page text is Markdown (`markup.Markup`, every value from data escaped by
`t`); the accounts table is plain text, escaped when it is rendered (`accounts_shown`).
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd

from helpers.analysis import scorecard as numbers
from helpers.analysis.scorecard import HOUR, Scorecard, slug
from helpers.stats import survival
from helpers.text import catalogue
from helpers.text.catalogue import t, t_plain
from helpers.text.markup import Markup, md_list, md_text

__all__ = ["Scorecard", "accounts_shown", "accounts_table", "build", "finding", "findings", "findings_section",
           "header", "method_notes", "quality_text", "section", "slug"]


def build(probes: pd.DataFrame, company: str, league: pd.DataFrame | None, thresholds,
          alpha: float = 0.05, lang: str = "en", quality: pd.DataFrame | None = None,
          accounts: pd.DataFrame | None = None) -> Scorecard:
    """`company`'s scorecard (`helpers.analysis.scorecard.build`) with its findings in `lang`."""
    card = numbers.build(probes, company, league, thresholds, alpha=alpha, lang=lang, quality=quality,
                         accounts=accounts)
    card.findings = findings(card)
    return card


# --------------------------------------------------------------------------------------------
# Pieces of sentences


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def counted(key: str, k: int, n: int) -> str:
    """The variant of sentence `key` that reads right for k of n (see the head of ``scorecard.yml``)."""
    if n == 1:
        variant = f"{key}_one_yes" if k else f"{key}_one_no"
    elif k == 0:
        variant = f"{key}_none"
    elif k == n:
        variant = f"{key}_all"
    else:
        variant = key
    return variant if variant in catalogue.TEXT else key


def questions(n: int, lang: str) -> str:
    """'1 question' is 'one question'; '4 questions'."""
    return t("n_questions_one" if n == 1 else "n_questions", lang, n=n)


def duration(minutes, lang: str) -> str:
    return catalogue.duration(minutes, lang)


def rate_range(low: float, high: float, lang: str, inside: bool = False) -> str:
    """' (range 30%–95%)' for a rate, or ', range 30%–95%' `inside` brackets."""
    if _missing(low):
        return ""
    return t("range_in" if inside else "range", lang, low=catalogue.pct(low), high=catalogue.pct(high))


def wait_range(low: float, high: float, lang: str) -> str:
    """' (range 3 min–2.1 h)', ' (range 3 min or longer: no upper bound)', or '' when the data give none."""
    if _missing(low):
        return ""
    if _missing(high) or math.isinf(high):
        return t("range_open", lang, low=duration(low, lang))
    return t("range", lang, low=duration(low, lang), high=duration(high, lang))


def window(card: Scorecard, ref: bool = False) -> str:
    """How long each question was watched: '7.0 days', or 'between 7.1 days and 13.7 days'; `ref`:
    'the observation window of 7.0 days' or 'observation windows of 7.1 days to 13.7 days'."""
    f, lang = card.fieldwork, card.lang
    low, high = duration(f["window_min_minutes"], lang), duration(f["window_max_minutes"], lang)
    if ref:
        return t("window_ref", lang, window=low) if low == high else t("window_ref_range", lang, low=low, high=high)
    return low if low == high else t("window_range", lang, low=low, high=high)


def day(iso: str, lang: str) -> str:
    """'24 November 2014' or '2014年11月24日'."""
    d = date.fromisoformat(iso)
    return t("date", lang, day=d.day, month=t("months", lang).split()[d.month - 1], year=d.year)


# --------------------------------------------------------------------------------------------
# Findings


def _response(card: Scorecard) -> str:
    lang, r = card.lang, card.response_rate
    text = t(counted("f_response", r["k"], r["n"]), lang, company=card.company, k=r["k"], n=r["n"],
             share=catalogue.pct(r["share"]), range=rate_range(r["ci_low"], r["ci_high"], lang, inside=True))
    return text + t("f_response_peer", lang, peer=catalogue.pct(card.peer_median))


def _speed(card: Scorecard) -> str:
    lang, s, n = card.lang, card.speed, card.response_rate["n"]
    values = {"company": card.company, "window_ref": window(card, ref=True), "n": n, "k": s["n_responded"],
              "within_hour": catalogue.pct(s.get(survival.within_column(HOUR))),
              "median": duration(s["median_minutes"], lang)}
    if n == 1:
        return t(counted("f_speed", s["n_responded"], 1), lang, **values)
    shape = s["median_shape"]
    if shape == "none":
        return t("f_speed_none", lang, **values)
    if shape == "not_reached":
        return t("f_speed_not_reached", lang, **values)
    if shape == "flat" and s["half_to"] is None:  # half answered, the rest never: the midpoint is no wait
        key = "f_speed_flat_end_single" if s["n_responded"] == 1 else "f_speed_flat_end"
        return t(key, lang, first=duration(s["half_from"], lang), **values)
    # Between two replies the midpoint is the usual median of an even count: nothing to warn about.
    return t("f_speed", lang, range=wait_range(s["median_ci_low"], s["median_ci_high"], lang), **values)


def _handles(card: Scorecard) -> str:
    lang = card.lang
    parts = [t(counted("f_handle_part", a.responded_within_hour, a.n_probes), lang,
               department=catalogue.department(a.department, lang), account=a.account,
               k=a.responded_within_hour, n=a.n_probes) for a in card.accounts.itertuples()]
    return t("f_handles", lang, parts=t("f_handle_join", lang).join(parts))


def _rank(card: Scorecard) -> str:
    lang, r = card.lang, card.rank
    if not r["ranked"]:
        n = card.response_rate["n"]
        return t("f_rank_unranked_one" if n == 1 else "f_rank_unranked", lang, company=card.company,
                 questions=questions(n, lang))
    key = "f_rank_sure" if r["rank_ci_low"] == r["rank_ci_high"] else "f_rank"
    return t(key, lang, company=card.company, rank=r["rank"], n=r["n_ranked"], low=r["rank_ci_low"],
             high=r["rank_ci_high"])


def _rate_sentence(key: str, r: dict, card: Scorecard, **values) -> str:
    return t(counted(key, r["k"], r["n"]), card.lang, company=card.company, k=r["k"], n=r["n"],
             share=catalogue.pct(r["share"]), range=rate_range(r["ci_low"], r["ci_high"], card.lang), **values)


def _quality(card: Scorecard) -> str:
    lang, q = card.lang, card.quality
    parts = []
    if q.get("answer_rate"):
        parts.append(_rate_sentence("f_answer_rate", q["answer_rate"], card))
        untexted = int(card.kinds.get("no_text", 0))
        if untexted:
            parts.append(t("f_untexted", lang, n=untexted))
    if q.get("redirect_rate"):
        parts.append(_rate_sentence("f_redirect_rate", q["redirect_rate"], card))
    return Markup(("" if lang == "ja" else " ").join(p.strip() for p in parts))


def findings(card: Scorecard) -> list[tuple[str, str]]:
    """Three to five sentences from the numbers, each tagged with the section that shows it."""
    out = [("response", _response(card)), ("speed", _speed(card))]
    if len(card.accounts) > 1:
        out.append(("handles", _handles(card)))
    if card.rank is not None:
        out.append(("rank", _rank(card)))
    if card.quality is not None:
        out.append(("quality", _quality(card)))
    return out[:5]


def finding(card: Scorecard, section: str) -> Markup:
    """The finding backed by `section`'s figure ('' if that section has none)."""
    return next((text for s, text in card.findings if s == section), Markup(""))


def quality_text(card: Scorecard) -> str:
    """The reply-quality finding, or why there is none."""
    if card.quality is not None:
        return finding(card, "quality")
    return t("no_replies" if card.response_rate["k"] == 0 else "no_quality", card.lang, company=card.company)


# --------------------------------------------------------------------------------------------
# Tables and page text


def _wait_cell(median, low, high, shape: str, half_from, half_to, lang: str) -> str:
    if _missing(median):
        return t_plain("median_not_reached_cell", lang)
    if shape == "flat" and _missing(half_to):  # half answered, the rest never: the midpoint is no wait
        return t_plain("median_unclear_cell", lang, low=duration(half_from, lang))
    value = duration(median, lang)
    if _missing(low):  # too few questions for a range (one reply)
        return value
    if _missing(high) or math.isinf(high):
        return t_plain("cell_range_open", lang, value=value, low=duration(low, lang))
    return t_plain("cell_range", lang, value=value, low=duration(low, lang), high=duration(high, lang))


def accounts_table(card: Scorecard) -> pd.DataFrame:
    """The accounts side by side, four columns narrow enough for a phone, in the card's language (plain text)."""
    lang, a = card.lang, card.accounts
    return pd.DataFrame({
        t_plain("card_col_account", lang): [t_plain("account_cell", lang, account=x, department=catalogue.department(d, lang))
                                 for x, d in zip(a["account"], a["department"], strict=True)],
        t_plain("card_col_responded", lang): [t_plain("responded_cell", lang, k=k, n=n)
                                   for k, n in zip(a["n_responded"], a["n_probes"], strict=True)],
        t_plain("card_col_response_rate", lang): [
            t_plain("cell_range", lang, value=catalogue.pct(x), low=catalogue.pct(lo), high=catalogue.pct(hi))
            for x, lo, hi in zip(a["response_rate"], a["ci_low"], a["ci_high"], strict=True)],
        t_plain("card_col_median_wait", lang): [
            _wait_cell(m, lo, hi, shape, start, end, lang) for m, lo, hi, shape, start, end in
            zip(a["median_minutes"], a["median_ci_low"], a["median_ci_high"], a["median_shape"], a["half_from"],
                a["half_to"], strict=True)],
    })


def accounts_shown(card: Scorecard):
    """`accounts_table` for the page: names left-aligned, counts ("6件中3件") on one line on a phone.

    A pandas Styler does not escape cells unless told to: every cell and header is escaped here.
    """
    table = accounts_table(card)
    return (table.style.format(escape="html").format_index(escape="html", axis=1).hide(axis="index")
            .set_properties(subset=table.columns[:1], **{"text-align": "left"})
            .set_properties(subset=table.columns[1:2], **{"white-space": "nowrap"}))


def header(card: Scorecard, study, level: float = 0.95) -> str:
    """Markdown that opens a scorecard: title, what it shows, when it was asked, what ranges mean, the data."""
    lang, f, n = card.lang, card.fieldwork, card.response_rate["n"]
    peers = card.n_companies - 1
    intro = t("scorecard_intro_one" if peers == 1 else "scorecard_intro", lang, company=card.company,
              title=study.title, n_peers=peers)
    first, last = day(f["first_sent"], lang), day(f["last_sent"], lang)
    key = "fieldwork_one" if n == 1 else "fieldwork_one_day" if first == last else "fieldwork"
    sent = t(key, lang, company=card.company, questions=questions(n, lang), first=first, last=last,
             window=window(card))
    # Every piece is Markup (`t` escaped the company, title and source), so they join as Markdown.
    lines = [f"# {t('scorecard_title', lang, company=card.company)}", f"{intro} {sent}" if lang == "en"
             else intro + sent, t("ranges_note", lang, level=f"{level:.0%}")]
    lines.append(f"**{t('synthetic_banner', lang)}**" if study.synthetic
                 else t("real_banner", lang, source=study.source))
    if study.rate_scope:
        lines.append(f"**{t('scope_banner', lang, scope=study.rate_scope)}**")
    return Markup("\n\n".join(lines))


def method_notes(card: Scorecard, level: float = 0.95) -> str:
    """Markdown for the page's end: how each kind of figure was computed, the only place naming the methods."""
    lang = card.lang
    items = [t("method_rates", lang), t("method_wait", lang)]
    if card.rank is not None:
        items.append(t("method_rank", lang, level=f"{level:.0%}"))
    if card.quality is not None:
        items.append(t("method_quality", lang))
    items.append(t("method_dates", lang, timezone=card.fieldwork["timezone"]))
    return section(t("h_method", lang), md_list(items))


def section(heading: str, body: str) -> Markup:
    """A section of the page in Markdown: `heading`, then `body` (each escaped unless it is Markup)."""
    return Markup(f"## {md_text(heading)}\n\n{md_text(body)}")


def findings_section(card: Scorecard) -> Markup:
    """The findings, one bullet each, under their heading."""
    return section(t("h_findings", card.lang), md_list(text for _, text in card.findings))
