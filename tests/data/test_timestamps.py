"""ISO timestamps: one reader and one writer, and the vectorised writer agrees with the plain one."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd

from helpers.data.timestamps import MISSING_SECONDS, iso, iso_utc, parse_iso


def test_vectorised_utc_times_match_the_plain_writer():
    rng = np.random.default_rng(5)
    seconds = np.concatenate([rng.integers(0, 4_102_444_800, size=3000), [0, 951_782_400, MISSING_SECONDS]])
    got = iso_utc(seconds).to_pylist()
    want = [None if s == MISSING_SECONDS else iso(datetime.fromtimestamp(int(s), timezone.utc)) for s in seconds]
    assert got == want


def test_written_times_read_back_to_the_same_instant():
    tokyo = pd.Timestamp("2026-02-03 10:00:59.75", tz="Asia/Tokyo")
    text = pd.Series([iso(tokyo), iso(tokyo, "UTC"), "2026-02-03T01:00:59Z", "2026-02-03T10:00:59+0900", ""])
    parsed, well_formed = parse_iso(text)
    assert text[0] == "2026-02-03T10:00:59+09:00"  # whole seconds, its own offset
    assert text[1] == "2026-02-03T01:00:59+00:00"
    assert parsed[:4].nunique() == 1 and parsed[0] == tokyo.floor("s")
    assert well_formed.tolist() == [True, True, True, True, False] and pd.isna(parsed[4])


def test_times_without_an_offset_or_impossible_dates_are_not_read():
    parsed, well_formed = parse_iso(pd.Series(["2020-03-02T10:00:00", "2020-02-30T10:00:00+00:00", None]))
    assert well_formed.tolist() == [False, True, False]
    assert parsed.isna().all()


def test_no_time_writes_as_empty_text():
    assert iso(None) == iso(pd.NaT) == ""
    start = datetime(2026, 11, 2, 9, tzinfo=timezone.utc)
    assert iso(start + timedelta(minutes=12.3456)) == "2026-11-02T09:12:20+00:00"  # fractions dropped
