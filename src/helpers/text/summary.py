"""A study's summary in words, from its numbers (`helpers.analysis.summary.numbers`).

Headline tiles (a figure, its range, what it counts), three to five findings, and the
"How this was computed" sentences. The words are in ``words/summary.yml``. Everything here is
plain text (`t_plain`): the index and summary pages escape it as HTML (`helpers.report.site`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from helpers.text import catalogue
from helpers.text.catalogue import t_plain

MAX_NAMES = 5


@dataclass(frozen=True)
class Tile:
    """One headline figure: its name, value, range and what it counts (all text)."""

    key: str
    label: str
    value: str
    range: str
    unit: str


def level_text(level: float) -> str:
    """0.95 -> '95%' (0.9 -> '90%', 0.995 -> '99.5%')."""
    text = f"{100 * level:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


def interval_note(level: float, lang: str = "en") -> str:
    """'Ranges are 95% intervals: the values the data cannot rule out.'"""
    return t_plain("sum_intervals", lang, level=level_text(level))


def whole(n: int) -> str:
    """1653 -> '1,653' (the same in both languages)."""
    return f"{int(n):,}"


def count(n: int, what: str, lang: str = "en") -> str:
    """'56 questions', '1 question' (`what`: questions, replies, companies)."""
    return t_plain(f"sum_{what}_one", lang) if n == 1 else t_plain(f"sum_{what}", lang, n=whole(n))


def names(items, lang: str = "en", limit: int = MAX_NAMES) -> str:
    """'A, B and C'; past `limit` names, 'A, B, C, D, E and 7 others'."""
    items = [str(x) for x in items]
    sep = t_plain("sum_names_sep", lang)
    if len(items) > limit + 1:  # never "and 1 others"
        return t_plain("sum_names_others", lang, names=sep.join(items[:limit]), n=len(items) - limit)
    if len(items) <= 1:
        return "".join(items)
    return t_plain("sum_names_and", lang, names=sep.join(items[:-1]), last=items[-1])


def span(low, high, show, lang: str = "en") -> str:
    """'range 49%–74%'; an upper limit of None reads 'no upper bound'."""
    if low is None and high is None:
        return ""
    top = t_plain("sum_no_upper_bound", lang) if high is None else show(high)
    return t_plain("sum_range", lang, low=show(low), high=top)


def sentences(texts, lang: str = "en") -> str:
    """Sentences one after another: a space between them in English, none in Japanese."""
    return ("" if lang == "ja" else " ").join(x for x in texts if x)


def threshold(minutes: int, lang: str = "en") -> str:
    """A threshold in words: 60 -> '1 hour', 1440 -> '24 hours', 30 -> '30 min'."""
    if minutes >= 60 and minutes % 60 == 0:
        hours = minutes // 60
        return t_plain("sum_hours_one", lang) if hours == 1 else t_plain("sum_hours", lang, n=hours)
    return catalogue.duration(minutes, lang)


def _duration(lang: str):
    return lambda m: catalogue.duration(m, lang)


def tiles(numbers: dict, lang: str = "en") -> list[Tile]:
    """The headline tiles a study's numbers allow: response rate, answer rate, reply within an hour, median wait."""
    out = []
    if r := numbers.get("response"):
        out.append(Tile("response", t_plain("sum_tile_response", lang), catalogue.pct(r["rate"]),
                        span(r["low"], r["high"], catalogue.pct, lang),
                        t_plain("sum_tile_response_unit", lang, k=whole(r["k"]), questions=count(r["n"], "questions", lang))))
    if a := numbers.get("answer"):
        out.append(Tile("answer", t_plain("sum_tile_answer", lang), catalogue.pct(a["rate"]),
                        span(a["low"], a["high"], catalogue.pct, lang),
                        t_plain("sum_tile_answer_unit", lang, k=whole(a["k"]), questions=count(a["n"], "questions", lang))))
    if w := numbers.get("within"):
        out.append(Tile("within", t_plain("sum_tile_within", lang, duration=threshold(w["minutes"], lang)),
                        catalogue.pct(w["rate"]), span(w["low"], w["high"], catalogue.pct, lang),
                        t_plain("sum_tile_within_unit", lang, questions=count(w["n"], "questions", lang))))
    if m := numbers.get("median"):
        questions = count(m["n"], "questions", lang)
        if m["minutes"] is None:
            out.append(Tile("median", t_plain("sum_tile_median", lang), t_plain("not_reached", lang), "",
                            t_plain("sum_tile_median_not_reached", lang, questions=questions)))
        else:
            out.append(Tile("median", t_plain("sum_tile_median", lang), catalogue.duration(m["minutes"], lang),
                            span(m["low"], m["high"], _duration(lang), lang),
                            t_plain("sum_tile_median_unit", lang, questions=questions)))
    return out


def _rates_finding(numbers: dict, lang: str) -> str | None:
    r, a = numbers.get("response"), numbers.get("answer")
    if not r:
        return None
    questions = count(r["n"], "questions", lang)
    if a and a["n"] == r["n"]:
        return t_plain("sum_f_response_answer", lang, k=whole(r["k"]), questions=questions, rate=catalogue.pct(r["rate"]),
                 answered=whole(a["k"]), answer_rate=catalogue.pct(a["rate"]))
    return t_plain("sum_f_response", lang, k=whole(r["k"]), questions=questions, rate=catalogue.pct(r["rate"]))


def _speed_finding(numbers: dict, lang: str) -> str | None:
    m, w = numbers.get("median"), numbers.get("within")
    parts = []
    if m:
        parts.append(t_plain("sum_f_median_not_reached", lang) if m["minutes"] is None
                     else t_plain("sum_f_median", lang, median=catalogue.duration(m["minutes"], lang)))
    if w:
        parts.append(t_plain("sum_f_within", lang, share=catalogue.pct(w["rate"]),
                       duration=threshold(w["minutes"], lang)))
    return sentences(parts, lang) or None


def _apart_finding(league: dict, lang: str) -> str:
    pairs, apart = league["pairs"], league["pairs_apart"]
    if pairs == 0:
        return t_plain("sum_f_apart_too_few", lang)
    if pairs == 1:
        return t_plain("sum_f_apart_two", lang, verdict=t_plain("sum_can" if apart else "sum_cannot", lang))
    if apart == 0:
        return t_plain("sum_f_apart_none", lang, pairs=whole(pairs))
    if apart == pairs:
        return t_plain("sum_f_apart_all", lang, pairs=whole(pairs))
    return t_plain("sum_f_apart", lang, pairs=whole(pairs), apart=whole(apart))


def _first_finding(league: dict, lang: str) -> str | None:
    first = league["could_be_first"]
    if not league["ranked"]:
        text = ""
    elif not first:
        text = t_plain("sum_f_first_none", lang)
    elif len(first) == 1:
        text = t_plain("sum_f_first_one", lang, names=names(first, lang))
    elif len(first) == league["ranked"]:
        text = t_plain("sum_f_first_any", lang, companies=count(len(first), "companies", lang))
    else:
        text = t_plain("sum_f_first", lang, companies=count(len(first), "companies", lang), names=names(first, lang))
    if league["too_few"]:
        text = sentences([text, t_plain("sum_f_too_few", lang, companies=count(league["too_few"], "companies", lang))], lang)
    return text or None


def findings(numbers: dict, lang: str = "en") -> list[str]:
    """Three to five findings in plain words (fewer only when the study has fewer results)."""
    out = [_rates_finding(numbers, lang), _speed_finding(numbers, lang)]
    if d := numbers.get("redirect"):
        out.append(t_plain("sum_f_redirect", lang, k=whole(d["k"]), replies=count(d["n"], "replies", lang),
                     rate=catalogue.pct(d["rate"])))
    if league := numbers.get("league"):
        out += [_apart_finding(league, lang), _first_finding(league, lang)]
    return [f for f in out if f]


def how_computed(level: float, lang: str = "en", headline: bool = False, ranks: bool = False) -> list[str]:
    """The methods behind the page's figures, one sentence each, for the end of the page."""
    level = level_text(level)
    out = [t_plain("sum_how_rates", lang, level=level), t_plain("sum_how_times", lang)]
    if ranks:
        out.append(t_plain("sum_how_rank", lang, level=level))
    if headline:
        out.append(t_plain("sum_how_headline", lang, level=level))
    return out


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and (math.isnan(x) or math.isinf(x)))


def with_range(value, low, high, show, lang: str = "en") -> str:
    """A table cell: '63% (49%–74%)', '5.5 h (1.8 h–no upper bound)'; a missing figure alone ('not reached')."""
    if _missing(value):
        return show(value)
    if _missing(low):  # too few questions for any interval
        return f"{show(value)} ({t_plain('sum_range_unknown', lang)})"
    top = t_plain("sum_no_upper_bound", lang) if _missing(high) else show(high)
    return f"{show(value)} ({show(low)}–{top})"


def rank_text(rank, tied: bool, lang: str = "en") -> str:
    """A rank as the league table shows it: '3', or '=3' when another company shares it."""
    if rank is None or (isinstance(rank, float) and math.isnan(rank)):
        return ""
    return t_plain("sum_rank_tied", lang, rank=int(rank)) if tied else str(int(rank))


def rank_range(low, high) -> str:
    """'1–15', or '3' when the range is one rank."""
    def whole(x):
        try:
            return str(int(float(x)))
        except (TypeError, ValueError):
            return ""

    low, high = whole(low), whole(high)
    return low if low == high else f"{low}–{high}"
