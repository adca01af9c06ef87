"""The stated-hours grammar."""

from datetime import datetime

import pytest

from helpers.hours import hours_problem, parse_hours


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
