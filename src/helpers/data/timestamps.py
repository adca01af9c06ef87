"""ISO 8601 timestamps with a UTC offset: the one place that reads and writes them.

Studies store times as text such as ``2014-11-24T09:30:00+00:00`` (also ``Z`` or ``+0900``). The
loader and the importers read them with `parse_iso`; every writer of a study writes them with
`iso` (one time) or `iso_utc` (many UTC times at once, for large imports).
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd
import pyarrow as pa

# Date and time with a UTC offset (Z, +01:00 or +0100); seconds and fractions optional. [0-9],
# not \d: Python's \d also matches other scripts' digits, and the pattern runs in pyarrow's RE2 too.
ISO_TIMESTAMP = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})$"
EXAMPLE = "2014-11-25T09:30:00+00:00"
MISSING_SECONDS = np.iinfo(np.int64).min  # marks "no time" in arrays of epoch seconds
# The years a study's timestamps may fall in. pandas holds nanoseconds in 64 bits: any two times
# must lie less than 292 years apart or their difference overflows (a probe sent in 1678 and
# watched until 2014 crashed the loader). Social media began long after 1970, so 1970-2199
# loses nothing real and keeps every difference well inside that range.
STUDY_YEARS = (1970, 2199)
MAX_TIMESTAMP_LENGTH = 40  # "2014-11-25T09:30:00.123456789+00:00" is 35


def parse_iso(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """UTC times from text, and which cells are well formed (NaT where not, or not a real date)."""
    text = text.astype("str")  # pyarrow text: the pattern runs over the column at once, not cell by cell
    well_formed = text.str.match(ISO_TIMESTAMP).fillna(False).astype(bool)
    return pd.to_datetime(text.where(well_formed), utc=True, format="ISO8601", errors="coerce"), well_formed


def iso(ts: datetime | pd.Timestamp | None, tz: str | None = None) -> str:
    """One time as written in a study: whole seconds, with its UTC offset (in zone `tz` if given); "" for none."""
    if ts is None or pd.isna(ts):
        return ""
    ts = pd.Timestamp(ts) if tz is None else pd.Timestamp(ts).tz_convert(tz)
    return ts.isoformat(timespec="seconds")  # drops fractions of a second, whatever the zone


def iso_utc(seconds: np.ndarray) -> pa.Array:
    """ISO 8601 UTC times (``2017-10-31T22:10:47+00:00``) from epoch seconds, null where
    `MISSING_SECONDS`; vectorised, for millions of times."""
    n = len(seconds)
    missing = seconds == MISSING_SECONDS
    t = np.where(missing, 0, seconds)
    day = (t // 86400).astype("datetime64[D]")
    month = day.astype("datetime64[M]")
    year = month.astype("datetime64[Y]").astype(np.int64) + 1970
    fields = (year, month.astype(np.int64) % 12 + 1, (day - month.astype("datetime64[D]")).astype(np.int64) + 1,
              t % 86400 // 3600, t % 3600 // 60, t % 60)
    out = np.frombuffer(bytearray(b"0000-00-00T00:00:00+00:00" * n), dtype=np.uint8).reshape(n, 25).copy()
    for value, (start, width) in zip(fields, ((0, 4), (5, 2), (8, 2), (11, 2), (14, 2), (17, 2)), strict=True):
        for d in range(width):
            out[:, start + width - 1 - d] = 48 + value // 10 ** d % 10
    offsets = np.arange(0, 25 * n + 1, 25, dtype=np.int32)
    valid = pa.py_buffer(np.packbits(~missing, bitorder="little")) if missing.any() else None
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(out), valid,
                                       int(missing.sum()) if missing.any() else 0)
