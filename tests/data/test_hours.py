"""The stated-hours grammar."""

from datetime import datetime

import pytest

from helpers.data.hours import hours_problem, parse_hours


@pytest.mark.parametrize("text, when, expected", [
    ("Mon-Fri 08:00-20:00; Sat 09:00-17:00", datetime(2014, 11, 24, 8, 0), True),   # Monday 08:00
    ("Mon-Fri 08:00-20:00; Sat 09:00-17:00", datetime(2014, 11, 24, 20, 0), False),  # closes at 20:00
    ("Mon-Fri 08:00-20:00; Sat 09:00-17:00", datetime(2014, 11, 29, 10, 0), True),   # Saturday
    ("Mon-Fri 08:00-20:00; Sat 09:00-17:00", datetime(2014, 11, 30, 10, 0), False),  # Sunday closed
    ("Fri 22:00-02:00", datetime(2014, 11, 29, 1, 30), True),                        # past midnight
    ("Sun 22:00-02:00", datetime(2014, 11, 24, 1, 0), True),                         # wraps the week
    ("daily 00:00-24:00", datetime(2014, 11, 26, 23, 59), True),
    ("weekends 10:00-12:00, 14:00-16:00", datetime(2014, 11, 30, 15, 0), True),
    ("weekends 10:00-12:00, 14:00-16:00", datetime(2014, 11, 30, 13, 0), False),
    ("24/7", datetime(2014, 11, 30, 3, 0), True),
])
def test_is_open(text, when, expected):
    assert parse_hours(text).is_open(when) is expected


@pytest.mark.parametrize("text", ["Mon-Fri 9 to 5", "Funday 09:00-17:00", "Mon 25:00-26:00", "Mon 09:00-09:00",
                                  "09:00-17:00"])
def test_bad_hours_are_explained(text):
    assert hours_problem(text)


def test_empty_hours_are_allowed():
    assert hours_problem("") is None
    assert parse_hours("24/7").always_open


# --------------------------------------------------------------------------------------------
# Clocks

from datetime import timedelta  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

import pandas as pd  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from helpers.data.hours import CLOCK_RULES, clock_minutes, in_hours


def _ts(*values):
    return pd.Series(pd.to_datetime(list(values), utc=True))


def test_hootsuite_example_business_clock():
    # Mon-Fri 9-5: a message on Friday 16:45 answered Monday 09:16 waited 31 business minutes.
    sent, reply = _ts("2024-03-01T16:45:00Z"), _ts("2024-03-04T09:16:00Z")
    assert clock_minutes(sent, reply, "Mon-Fri 09:00-17:00", "UTC", "business").iloc[0] == 31


def test_orlo_examples_next_opening_clock():
    sent = _ts("2024-03-05T06:00:00Z", "2024-03-05T06:00:00Z")
    reply = _ts("2024-03-05T09:05:00Z", "2024-03-05T08:45:00Z")
    got = clock_minutes(sent, reply, "Mon-Fri 09:00-17:00", "UTC", "next_opening")
    assert got.tolist() == [5, 165]


@pytest.mark.parametrize("hours", ["", "24/7"])
def test_no_stated_hours_means_calendar_time(hours):
    sent, reply = _ts("2024-03-02T23:00:00Z"), _ts("2024-03-04T10:00:00Z")
    calendar = clock_minutes(sent, reply, hours, "Europe/London", "calendar").iloc[0]
    for rule in CLOCK_RULES:
        assert clock_minutes(sent, reply, hours, "Europe/London", rule).iloc[0] == calendar
    assert in_hours(sent, hours, "Europe/London").isna().all() == (hours == "")


def test_business_clock_across_a_clock_change():
    # London springs forward at 01:00 UTC on 31 March 2024: 00:00-12:00 local is 11 hours long.
    got = clock_minutes(_ts("2024-03-30T23:00:00Z"), _ts("2024-03-31T12:00:00Z"), "daily 00:00-12:00",
                        "Europe/London", "business")
    assert got.iloc[0] == 11 * 60


HOURS = ["Mon-Fri 09:00-17:00", "Mon-Fri 08:00-20:00; Sat-Sun 09:00-17:00", "Fri 22:00-02:00",
         "weekdays 09:00-12:00,13:00-17:30", "daily 10:00-22:00"]
ZONES = ["UTC", "Europe/London", "Asia/Tokyo", "America/New_York"]


@settings(max_examples=40, deadline=None)
@given(hours=st.sampled_from(HOURS), zone=st.sampled_from(ZONES),
       start=st.integers(0, 60 * 24 * 400), length=st.integers(0, 60 * 24 * 3))
def test_business_minutes_match_a_minute_by_minute_count(hours, zone, start, length):
    origin = pd.Timestamp("2023-10-20T00:00:00Z")
    sent = origin + pd.Timedelta(minutes=start)
    stop = sent + pd.Timedelta(minutes=length)
    weekly, tz = parse_hours(hours), ZoneInfo(zone)
    # Independent count: every minute whose local wall-clock time is open.
    t0 = sent.to_pydatetime()
    open_minutes = sum(weekly.is_open((t0 + timedelta(minutes=m)).astimezone(tz).replace(tzinfo=None))
                       for m in range(length))
    got = {rule: clock_minutes(_ts(sent), _ts(stop), hours, zone, rule).iloc[0] for rule in CLOCK_RULES}
    assert got["business"] == pytest.approx(open_minutes)
    assert got["calendar"] == length
    assert 0 <= got["business"] <= got["next_opening"] <= got["calendar"]
    was_open = weekly.is_open(t0.astimezone(tz).replace(tzinfo=None))
    assert bool(in_hours(_ts(sent), hours, zone).iloc[0]) == was_open
    if was_open:
        assert got["next_opening"] == got["calendar"]


def test_unknown_clock_rule_is_refused():
    with pytest.raises(ValueError, match="unknown clock rule"):
        clock_minutes(_ts("2024-03-01T10:00:00Z"), _ts("2024-03-01T11:00:00Z"), "24/7", "UTC", "wallclock")


