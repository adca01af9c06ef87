"""Support hours stated in an account's profile, e.g. ``Mon-Fri 08:00-20:00; Sat 09:00-17:00``.

Grammar (case-insensitive; times are local to the account's ``timezone``)::

    hours   := "24/7" | clause (";" clause)*
    clause  := days " " ranges
    days    := day-spec ("," day-spec)*
    day-spec:= DAY | DAY "-" DAY | "daily" | "weekdays" | "weekends"
    ranges  := HH:MM "-" HH:MM ("," HH:MM "-" HH:MM)*
    DAY     := Mon | Tue | Wed | Thu | Fri | Sat | Sun

``24:00`` may end a range; a range that ends before it starts runs past midnight into the next
day (``Fri 22:00-02:00``). Days not named are closed. An empty value means no stated hours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_RANGE = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")
MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY


@dataclass(frozen=True)
class WeeklyHours:
    """Open intervals in minutes from Monday 00:00 local time (half-open, within one week)."""

    text: str
    intervals: tuple[tuple[int, int], ...]

    def is_open(self, local: datetime) -> bool:
        """Whether the account is open at the local (wall-clock) time `local`."""
        m = local.weekday() * MINUTES_PER_DAY + local.hour * 60 + local.minute + local.second / 60
        return any(start <= m < end for start, end in self.intervals)

    @property
    def always_open(self) -> bool:
        return self.intervals == ((0, MINUTES_PER_WEEK),)


def _days(spec: str) -> list[int]:
    out: list[int] = []
    for part in spec.split(","):
        part = part.strip().lower()
        if part == "daily":
            out += range(7)
        elif part == "weekdays":
            out += range(5)
        elif part == "weekends":
            out += [5, 6]
        elif "-" in part:
            a, b = (p.strip()[:3] for p in part.split("-", 1))
            if a not in DAYS or b not in DAYS:
                raise ValueError(f"unknown day in {part!r}; use Mon, Tue, Wed, Thu, Fri, Sat, Sun")
            i, j = DAYS.index(a), DAYS.index(b)
            out += [(i + k) % 7 for k in range((j - i) % 7 + 1)]
        elif part[:3] in DAYS and (len(part) == 3 or part in ("monday", "tuesday", "wednesday", "thursday",
                                                                   "friday", "saturday", "sunday")):
            out.append(DAYS.index(part[:3]))
        else:
            raise ValueError(f"unknown day {part!r}; use Mon, Tue, Wed, Thu, Fri, Sat, Sun, daily, weekdays")
    return out


def _minutes(h: str, m: str, allow_24: bool) -> int:
    hh, mm = int(h), int(m)
    if mm > 59 or hh > 24 or (hh == 24 and (mm or not allow_24)):
        raise ValueError(f"{h}:{m} is not a time of day")
    return hh * 60 + mm


def parse_hours(text: str) -> WeeklyHours:
    """Parse stated support hours; raise ValueError saying what is wrong."""
    raw = text.strip()
    if raw.lower() in ("24/7", "24x7"):
        return WeeklyHours(raw, ((0, MINUTES_PER_WEEK),))
    if not raw:
        raise ValueError("no hours given")
    pieces: list[tuple[int, int]] = []
    for clause in filter(None, (c.strip() for c in raw.split(";"))):
        match = re.match(r"^([A-Za-z,\-\s]+?)\s+(\d.*)$", clause)
        if not match:
            raise ValueError(f"{clause!r} is not 'DAYS HH:MM-HH:MM', e.g. 'Mon-Fri 08:00-20:00'")
        days = _days(match.group(1))
        for rng in match.group(2).split(","):
            r = _RANGE.match(rng.strip())
            if not r:
                raise ValueError(f"{rng.strip()!r} is not a time range such as 08:00-20:00")
            start = _minutes(r.group(1), r.group(2), allow_24=False)
            end = _minutes(r.group(3), r.group(4), allow_24=True)
            if end == start:
                raise ValueError(f"{rng.strip()!r} is an empty range")
            length = end - start if end > start else end + MINUTES_PER_DAY - start
            for d in days:
                s = d * MINUTES_PER_DAY + start
                e = s + length
                if e <= MINUTES_PER_WEEK:
                    pieces.append((s, e))
                else:  # Sunday night into Monday morning wraps around the week
                    pieces += [(s, MINUTES_PER_WEEK), (0, e - MINUTES_PER_WEEK)]
    return WeeklyHours(raw, tuple(_merge(pieces)))


def _merge(pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for s, e in sorted(pieces):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def hours_problem(text: str) -> str | None:
    """Why `text` is not valid stated hours, or None when it is (or is empty)."""
    if not text.strip():
        return None
    try:
        parse_hours(text)
    except ValueError as exc:
        return str(exc)
    return None


# --------------------------------------------------------------------------------------------
# Clocks: how long a customer waited, counted in calendar time or in stated business time.
#
# Vendors disagree on what to do with a message that arrives while the account is closed
# (see ``data/README.md``, "Response time outside stated hours"). The suite computes each rule
# side by side rather than choosing one:
#
# calendar      elapsed time, as the customer experiences it (Hootsuite's legacy team metrics,
#               Emplifi and Sprout when no hours are set).
# business      only time while the account is open counts; the clock pauses at closing and
#               resumes at the next opening (Hootsuite Inbox 2.0 SLAs, Zendesk business-hours
#               metrics). A reply sent before the account opens again takes 0 business minutes.
# next_opening  the clock starts at the next opening for a message sent while closed and then
#               runs in calendar time; but when the reply comes before that opening, the full
#               elapsed time counts (Orlo's office-hours rule).
#
# Emplifi's rule, that messages arriving outside business hours do not count at all, is a
# choice of probes, not a clock: the notebook shows calendar time for in-hours probes only.
# An account that states no hours is treated as open 24/7 (Emplifi's and Sprout's default),
# so every clock gives calendar time for it.

CLOCK_RULES = ("calendar", "business", "next_opening")
_NS_PER_MINUTE = 60 * 10**9


class OpenCalendar:
    """The real (UTC) instants an account is open between two dates, from its weekly hours.

    Opening times are wall-clock times in `tz`, so on a daylight-saving change day the open
    period is an hour shorter or longer in elapsed time, as it is for the staff.
    """

    def __init__(self, hours: WeeklyHours, tz: str, first: pd.Timestamp, last: pd.Timestamp):
        zone = tz or "UTC"
        lo = pd.Timestamp(first).tz_convert(zone).tz_localize(None).normalize()
        hi = pd.Timestamp(last).tz_convert(zone).tz_localize(None).normalize()
        monday = lo - pd.Timedelta(days=lo.weekday() + 7)
        weeks = int((hi - monday).days // 7) + 2
        offsets = np.array([[s, e] for s, e in hours.intervals], dtype=np.int64)
        week_starts = monday.value + np.arange(weeks, dtype=np.int64) * 7 * 24 * 60 * _NS_PER_MINUTE
        local = (week_starts[:, None, None] + offsets[None, :, :] * _NS_PER_MINUTE).reshape(-1)
        naive = pd.DatetimeIndex(local.astype("datetime64[ns]"))
        utc = naive.tz_localize(zone, ambiguous=np.ones(len(naive), dtype=bool), nonexistent="shift_forward")
        bounds = utc.tz_convert("UTC").asi8.reshape(-1, 2)
        merged: list[list[int]] = []
        for s, e in bounds:  # already in time order; join intervals that touch across midnight
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            elif e > s:
                merged.append([int(s), int(e)])
        arr = np.array(merged, dtype=np.int64).reshape(-1, 2)
        self.starts, self.ends = arr[:, 0], arr[:, 1]
        self._cum = np.concatenate([[0], np.cumsum(self.ends - self.starts)])

    def _index(self, t: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.starts, t, side="right") - 1

    def is_open(self, t: np.ndarray) -> np.ndarray:
        """Whether the account is open at each UTC instant `t` (int64 nanoseconds)."""
        i = self._index(t)
        return (i >= 0) & (t < self.ends[np.maximum(i, 0)])

    def open_ns_before(self, t: np.ndarray) -> np.ndarray:
        """Open time (ns) from the calendar's start up to each instant `t`."""
        i = self._index(t)
        j = np.maximum(i, 0)
        inside = np.clip(t - self.starts[j], 0, self.ends[j] - self.starts[j])
        return np.where(i >= 0, self._cum[j] + inside, 0)

    def next_opening(self, t: np.ndarray) -> np.ndarray:
        """`t` itself where open, else the next opening instant."""
        i = self._index(t)
        nxt = self.starts[np.minimum(i + 1, len(self.starts) - 1)]
        return np.where(self.is_open(t), t, nxt)


def _ns(ts: pd.Series) -> np.ndarray:
    return ts.dt.tz_convert("UTC").dt.as_unit("ns").astype("int64").to_numpy()


def clock_minutes(sent: pd.Series, stop: pd.Series, hours_text: str, tz: str, rule: str) -> pd.Series:
    """Minutes from `sent` to `stop` (UTC timestamps of one account) under a clock `rule`.

    `stop` is the reply, or the end of observation for an unanswered probe, so the result is
    an event time or a censoring time on that clock.
    """
    if rule not in CLOCK_RULES:
        raise ValueError(f"unknown clock rule {rule!r}; use one of {', '.join(CLOCK_RULES)}")
    calendar = (stop - sent).dt.total_seconds() / 60.0
    if rule == "calendar" or not str(hours_text).strip() or len(sent) == 0:
        return calendar
    hours = parse_hours(str(hours_text))
    if hours.always_open:
        return calendar
    cal = OpenCalendar(hours, tz, sent.min(), stop.max())
    s, e = _ns(sent), _ns(stop)
    if rule == "business":
        ns = cal.open_ns_before(e) - cal.open_ns_before(s)
    else:  # next_opening
        start = cal.next_opening(s)
        ns = np.where(e < start, e - s, e - start)
    return pd.Series(ns / _NS_PER_MINUTE, index=sent.index, dtype=float)


def in_hours(sent: pd.Series, hours_text: str, tz: str) -> pd.Series:
    """Whether each probe was sent inside stated hours (NA where the account states none)."""
    if not str(hours_text).strip():
        return pd.Series(pd.NA, index=sent.index, dtype="boolean")
    hours = parse_hours(str(hours_text))
    if hours.always_open or len(sent) == 0:
        return pd.Series(True, index=sent.index, dtype="boolean")
    cal = OpenCalendar(hours, tz, sent.min(), sent.max())
    return pd.Series(cal.is_open(_ns(sent)), index=sent.index, dtype="boolean")
