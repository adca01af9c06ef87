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
