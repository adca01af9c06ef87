"""Import archived tweets in the TWCS format as a study.

TWCS ("Customer Support on Twitter", Thought Vector on Kaggle, 2017) has one tweet per row:
``tweet_id, author_id, inbound, created_at, text, response_tweet_id, in_response_to_tweet_id``
(``inbound`` is True for customers; brands tweet under their handle). `import_twcs` turns such
a file into a study folder (rules in ``data/README.md``):

- a **probe** is a customer's first contact with a brand, their earliest tweet addressed to
  it. The brand is the one that replied to the tweet; else the author of the tweet it answers;
  else the first @mention of a known brand handle.
- the **first reply** is the brand's earliest tweet in the same thread at or after the probe;
- the **follow-up** is the customer's next tweet in the thread after that reply, and the
  follow-up reply the brand's earliest tweet in the thread after it;
- observation ends at the last tweet in the file.

TWCS was exported starting from brand replies, so answer rates from it hold only "within
exported threads". A thread that links to tweets missing from the file (a truncated file) is
not counted as unanswered: its probe is listed in ``import/excluded_probes.csv`` instead.
Rows that cannot be read are errors naming the file, line and column; with
``skip_malformed`` they are listed in ``import/malformed_rows.csv`` and the rest is imported.
Every row of the input is accounted for in ``study.yml`` (``import.rows``).

Reading uses pyarrow's multithreaded CSV parser; the thread work is vectorised numpy, so a
3-million-tweet file imports in seconds.
"""

from __future__ import annotations

import hashlib
import mmap
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import yaml

from helpers import paths
from helpers.data.vocabulary import DEPARTMENTS, ISO_TIMESTAMP

RAW_COLUMNS = ("tweet_id", "author_id", "inbound", "created_at", "text",
               "response_tweet_id", "in_response_to_tweet_id")
QUESTION_TYPE = "first_contact"
SCOPE = "within exported threads"
EXCLUDED_FILE = "import/excluded_probes.csv"
MALFORMED_FILE = "import/malformed_rows.csv"
TWCS_SOURCE = (
    "Customer Support on Twitter (TWCS), Thought Vector / Stuart Axelbrooke, Kaggle 2017, "
    "https://www.kaggle.com/datasets/thoughtvector/customer-support-on-twitter , "
    "licence CC BY-NC-SA 4.0."
)
LIMITS = (
    "TWCS holds only threads that a brand answered: customer tweets no brand replied to were "
    "never exported. Answer rates are therefore 'within exported threads' and overstate how "
    "often brands answer; response times are unaffected.",
    "A probe is a customer's first contact with a brand in this file, not necessarily their "
    "first contact ever.",
    "Threads that link to tweets missing from the file (cut by a truncated export) are not "
    "counted as unanswered; their probes are listed in import/excluded_probes.csv.",
    "Observation ends at the last tweet in the file, so late replies near the end are censored.",
    "The probes were not sent by the researchers: question type, tone and stated support hours "
    "are unknown (question_type is 'first_contact'; tone defaults to neutral).",
)

_MENTION = re.compile(r"@(\w{1,50})")


# --------------------------------------------------------------------------------------------
# Errors


@dataclass(frozen=True, order=True)
class RowProblem:
    """One unreadable row of an input file, located by line (as an editor counts lines)."""

    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class ImportFailed(Exception):
    """The input cannot be imported; nothing was written."""

    SHOWN = 30

    def __init__(self, problems: list[RowProblem], hint: str = ""):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0, p.column or ""))
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        n = len(self.problems)
        lines = [f"Cannot import: {n} problem{'s' if n != 1 else ''} in the input:"]
        lines += [f"  - {p}" for p in self.problems[: self.SHOWN]]
        if n > self.SHOWN:
            lines.append(f"  ... and {n - self.SHOWN} more")
        if self.hint:
            lines.append(self.hint)
        lines.append("Nothing was written.")
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Reading


@dataclass
class Tweets:
    """The readable rows of a TWCS file, as arrays (one entry per tweet, in file order)."""

    file: Path
    line: np.ndarray  # int64, the line each row starts on (header = line 1)
    tweet_id: np.ndarray  # int64
    author: pa.Array  # string
    inbound: np.ndarray  # bool
    time: np.ndarray  # int64 seconds since 1970-01-01 UTC
    text: pa.Array  # string
    parent_id: np.ndarray  # int64, -1 where the tweet answers nothing
    response_row: np.ndarray  # int64: row i lists response_id[k] when response_row[k] == i
    response_id: np.ndarray  # int64
    malformed: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["line", "column", "problem", "raw"]))
    records: int = 0  # data rows in the file, readable or not

    def __len__(self) -> int:
        return len(self.tweet_id)


def _read_protected(file: Path) -> tuple[mmap.mmap, int, str | None]:
    r"""The file's bytes (BOM skipped) with bare carriage returns hidden from the CSV parser.

    TWCS texts hold bare ``\r`` outside quotes, which a CSV parser takes for a line end. Each
    becomes a control byte absent from the file, turned back into ``\r`` after parsing;
    ``\r\n`` line ends (Windows exports) stay line ends. The file is mapped copy-on-write, so
    only the pages that change are copied. Returns the bytes, where the data start, and the
    marker (None when there was no bare CR).
    """
    if file.stat().st_size == 0:
        raise ImportFailed([RowProblem(str(file), None, None, "the file is empty; it needs a header row")])
    with file.open("rb") as f:
        data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY)
    start = 3 if data[:3] == b"\xef\xbb\xbf" else 0
    if data.find(b"\r") < 0:
        return data, start, None
    view = np.frombuffer(data, dtype=np.uint8)
    cr = np.flatnonzero(view == 13)
    following = view[np.minimum(cr + 1, len(view) - 1)]
    bare = cr[(following != 10) | (cr + 1 == len(view))]
    if not len(bare):
        return data, start, None
    for b in range(1, 32):
        if b not in (9, 10, 13) and data.find(bytes([b])) < 0:
            view[bare] = b
            return data, start, chr(b)
    raise ImportFailed([RowProblem(str(file), None, None,
                                   "uses every control character, so bare carriage returns cannot be kept")])


def _unreadable(name: str, data: mmap.mmap, start: int, exc: Exception) -> RowProblem:
    """Say where a file the CSV parser rejects goes wrong (the first bytes that are not UTF-8)."""
    try:
        bytes(data[start:]).decode("utf-8")
    except UnicodeDecodeError as bad:
        at = start + bad.start
        line = data[:at].count(b"\n") + 1
        return RowProblem(name, line, None, f"is not UTF-8 text (byte 0x{data[at]:02x}); save the file as UTF-8")
    return RowProblem(name, None, None, f"not a readable CSV file: {exc}")


def _column_types(header: list[str]) -> dict:
    return {name: pa.string() for name in header}


def _read_header(data: mmap.mmap, start: int, file: Path) -> list[str]:
    end = data.find(b"\n", start)
    first = bytes(data[start: end if end >= 0 else len(data)]).rstrip(b"\r")
    try:
        text = first.decode("utf-8")
    except UnicodeDecodeError:
        raise ImportFailed([RowProblem(str(file), 1, None, "the header is not UTF-8 text")]) from None
    if not text.strip():
        raise ImportFailed([RowProblem(str(file), 1, None, "the file is empty or its first line is blank; "
                                       "it needs a header row")])
    return [c.strip().strip('"') for c in text.split(",")]


def read_tweets(file: str | os.PathLike, skip_malformed: bool = False) -> Tweets:
    """Read a TWCS-format CSV file; raise `ImportFailed` naming every unreadable row.

    With `skip_malformed`, unreadable rows are returned in ``Tweets.malformed`` (line, column,
    problem, raw text) instead, and the readable rows are kept.
    """
    file = Path(file)
    name = str(file)
    if not file.is_file():
        raise ImportFailed([RowProblem(name, None, None, "no such file")])
    data, start, bare_cr = _read_protected(file)
    header = _read_header(data, start, file)
    missing = [c for c in RAW_COLUMNS if c not in header]
    if missing:
        raise ImportFailed([RowProblem(name, 1, c, "required column is missing from the header "
                                       f"(found: {', '.join(repr(h) for h in header)})") for c in missing])
    buffer = pa.py_buffer(data)[start:]
    invalid: list = []
    try:
        table = _read_table(buffer, header, True, invalid)
        if invalid:  # rare: read again on one thread, which numbers the skipped records
            invalid.clear()
            table = _read_table(buffer, header, False, invalid)
    except pa.ArrowInvalid as exc:
        raise ImportFailed([_unreadable(name, data, start, exc)]) from None
    del buffer, data  # the parsed table holds its own copy
    cols = {c: _flat(table[c]) for c in table.column_names}
    if bare_cr is not None:
        cols = {c: _restore(a, ord(bare_cr)) for c, a in cols.items()}
    table = pa.table(cols)

    n = table.num_rows
    newlines = np.zeros(n, dtype=np.int64)
    for a in cols.values():
        newlines += np.bincount(_byte_rows(a, 10)[1], minlength=n)
    if bare_cr is not None:
        invalid = [(k, text.replace(bare_cr, "\r"), e, a) for k, text, e, a in invalid]
    line, skipped_lines = _line_numbers(newlines, invalid)

    problems: list[tuple[int, str, str]] = []  # (row, column, message)

    def bad(mask: np.ndarray, column: str, message) -> None:
        for i in np.flatnonzero(mask):
            problems.append((int(i), column, message(i) if callable(message) else message))

    def strip(c: str) -> pa.Array:
        return pc.ascii_trim_whitespace(cols[c])

    tweet_id_raw = strip("tweet_id")
    tweet_id, ok = _ids(tweet_id_raw)
    bad(~ok, "tweet_id", lambda i: f"{tweet_id_raw[int(i)].as_py()!r} is not a tweet id (a whole number)")

    author = strip("author_id")
    bad(pc.equal(pc.utf8_length(author), 0).to_numpy(zero_copy_only=False), "author_id", "must not be empty")

    inbound_raw = pc.utf8_lower(strip("inbound"))
    is_true = pc.equal(inbound_raw, "true").to_numpy(zero_copy_only=False)
    is_false = pc.equal(inbound_raw, "false").to_numpy(zero_copy_only=False)
    bad(~(is_true | is_false), "inbound",
        lambda i: f"{table['inbound'][int(i)].as_py()!r} is not True or False")

    time, time_ok = _times(strip("created_at"))
    bad(~time_ok, "created_at", lambda i: f"{table['created_at'][int(i)].as_py()!r} is not a time such as "
        "'Tue Oct 31 22:10:47 +0000 2017' or 2017-10-31T22:10:47+00:00")

    parent_raw = strip("in_response_to_tweet_id")
    parent_empty = pc.equal(pc.binary_length(parent_raw), 0).to_numpy(zero_copy_only=False)
    parent_id, parent_ok = _ids(parent_raw)
    bad(~(parent_empty | parent_ok), "in_response_to_tweet_id",
        lambda i: f"{parent_raw[int(i)].as_py()!r} is not a tweet id (or empty)")

    responses = strip("response_tweet_id")
    lists = pc.split_pattern(responses, ",")
    rows = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False).astype(np.int64)
    response_id, element_ok = _ids(pc.ascii_trim_whitespace(pc.list_flatten(lists)))
    resp_empty = pc.equal(pc.binary_length(responses), 0).to_numpy(zero_copy_only=False)
    resp_bad = np.zeros(n, dtype=bool)
    resp_bad[rows[~element_ok]] = True
    resp_bad &= ~resp_empty
    bad(resp_bad, "response_tweet_id",
        lambda i: f"{responses[int(i)].as_py()!r} is not a comma-separated list of tweet ids (or empty)")
    keep = element_ok & ~resp_bad[rows]
    response_row, response_id = rows[keep], response_id[keep]

    # A tweet id names one tweet: later rows repeating it are errors.
    valid_id = ok & (tweet_id >= 0)
    order = np.argsort(np.where(valid_id, tweet_id, -1), kind="stable")
    sorted_ids = tweet_id[order]
    dup = np.zeros(n, dtype=bool)
    same = (sorted_ids[1:] == sorted_ids[:-1]) & valid_id[order[1:]]
    dup[order[1:][same]] = True
    first_of = {}
    if dup.any():
        for i in order:
            if valid_id[i]:
                first_of.setdefault(int(tweet_id[i]), int(line[i]))
    bad(dup, "tweet_id", lambda i: f"tweet id {int(tweet_id[i])} already appears on line {first_of[int(tweet_id[i])]}")
    bad(valid_id & (parent_id == tweet_id), "in_response_to_tweet_id", "a tweet cannot answer itself")

    malformed = _malformed_table(problems, invalid, skipped_lines, table, line)
    if len(malformed) and not skip_malformed:
        raise ImportFailed(
            [RowProblem(name, int(r.line) if pd.notna(r.line) else None, r.column or None, r.problem)
             for r in malformed.itertuples()],
            hint="Fix these rows, or rerun with --skip-malformed to import the rest; every skipped "
                 f"row is then listed in <out>/{MALFORMED_FILE}.",
        )
    text = cols["text"]
    if problems:  # leave the unreadable rows out
        good = np.ones(n, dtype=bool)
        good[[r for r, _, _ in problems]] = False
        keep_resp = good[response_row]
        response_row, response_id = (np.cumsum(good) - 1)[response_row[keep_resp]], response_id[keep_resp]
        line, tweet_id, is_true, time, parent_id = (a[good] for a in (line, tweet_id, is_true, time, parent_id))
        author, text = pc.filter(author, pa.array(good)), pc.filter(text, pa.array(good))
    return Tweets(file=file, line=line, tweet_id=tweet_id, author=author, inbound=is_true, time=time, text=text,
                  parent_id=parent_id, response_row=response_row, response_id=response_id,
                  malformed=malformed, records=n + len(invalid))


def _read_table(buffer: pa.Buffer, header: list[str], threads: bool, invalid: list) -> pa.Table:
    def handler(row):
        invalid.append((row.number, row.text, row.expected_columns, row.actual_columns))
        return "skip"

    return pacsv.read_csv(
        pa.BufferReader(buffer),
        read_options=pacsv.ReadOptions(use_threads=threads, block_size=1 << 24),
        parse_options=pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False,
                                         invalid_row_handler=handler),
        convert_options=pacsv.ConvertOptions(
            column_types=_column_types(header), strings_can_be_null=False,
            quoted_strings_can_be_null=False, include_columns=list(RAW_COLUMNS)),
    )


def _flat(column: pa.ChunkedArray) -> pa.Array:
    """One contiguous string array (64-bit offsets when the text passes 2 GiB)."""
    if sum(c.buffers()[2].size if c.buffers()[2] is not None else 0 for c in column.chunks) >= 2**31 - 1:
        column = column.cast(pa.large_string())
    return column.combine_chunks()


def _byte_rows(array: pa.Array, byte: int) -> tuple[np.ndarray, np.ndarray]:
    """Where a byte occurs in a string array's characters, and in which rows (vectorised)."""
    wide = pa.types.is_large_string(array.type)
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int64 if wide else np.int32)[
        array.offset: array.offset + len(array) + 1]
    if len(array) == 0 or array.buffers()[2] is None:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    data = np.frombuffer(array.buffers()[2], dtype=np.uint8)
    at = np.flatnonzero(data[offsets[0]: offsets[-1]] == byte) + offsets[0]
    return at, np.searchsorted(offsets, at, side="right") - 1


def _restore(array: pa.Array, marker: int) -> pa.Array:
    """Turn the marker byte back into carriage returns, byte for byte (lengths do not change)."""
    at, _ = _byte_rows(array, marker)
    if not len(at):
        return array
    data = np.frombuffer(array.buffers()[2], dtype=np.uint8).copy()
    data[at] = 13
    return pa.Array.from_buffers(array.type, len(array), [array.buffers()[0], array.buffers()[1], pa.py_buffer(data)],
                                 offset=array.offset)


def _line_numbers(newlines: np.ndarray, invalid: list) -> tuple[np.ndarray, list[int]]:
    """The line each readable row starts on, and each skipped record, as an editor counts lines.

    The parser numbers records (header = 1); line breaks inside quoted texts of earlier records,
    readable or skipped, push later records down.
    """
    n = len(newlines)
    if not invalid:
        before = np.concatenate(([0], np.cumsum(newlines)[:-1])).astype(np.int64)
        return 2 + np.arange(n, dtype=np.int64) + before, []
    total = n + len(invalid) + 1
    numbers = np.array([int(r[0]) for r in invalid], dtype=np.int64)
    per_record = np.zeros(total + 1, dtype=np.int64)
    per_record[numbers] = [r[1].count("\n") for r in invalid]
    readable = np.setdiff1d(np.arange(2, total + 1), numbers)
    per_record[readable] = newlines
    before = np.concatenate(([0], np.cumsum(per_record)[:-1]))
    return (readable + before[readable]).astype(np.int64), [int(k + before[k]) for k in numbers]


def _malformed_table(problems, invalid, skipped_lines, table, line) -> pd.DataFrame:
    rows = []
    for (_, text, expected, actual), start in zip(invalid, skipped_lines, strict=True):
        message = ("empty line" if actual == 1 and not text.strip()
                   else f"has {actual} fields where the header has {expected}")
        rows.append((start, "", message, text))
    if problems:
        raw = _raw_rows(table, sorted({r for r, _, _ in problems}))
        for r, column, message in problems:
            rows.append((int(line[r]), column, message, raw[r]))
    out = pd.DataFrame(rows, columns=["line", "column", "problem", "raw"])
    return out.sort_values(["line", "column"], kind="stable").reset_index(drop=True)


def _raw_rows(table: pa.Table, rows: list[int]) -> dict[int, str]:
    sub = table.take(pa.array(rows, pa.int64())).to_pylist()
    return {r: ",".join(str(v) for v in rec.values()) for r, rec in zip(rows, sub, strict=True)}


def _ids(strings) -> tuple[np.ndarray, np.ndarray]:
    """Whole-number ids from text such as "12" or "12.0", and which cells are ids (else -1)."""
    strings = strings.combine_chunks() if isinstance(strings, pa.ChunkedArray) else strings
    # pandas writes ids of a column with gaps as floats: "12.0"
    strings = pc.if_else(pc.ends_with(strings, ".0"), pc.utf8_slice_codeunits(strings, 0, -2), strings)
    ok = pc.fill_null(pc.and_(pc.ascii_is_decimal(strings), pc.less_equal(pc.binary_length(strings), 18)),
                      False).to_numpy(zero_copy_only=False)
    values = pc.if_else(pa.array(ok), strings, pa.scalar("-1", pa.string()))
    return pc.cast(values, pa.int64()).to_numpy(zero_copy_only=False).astype(np.int64), ok


_MONTHS = {m: k for k, m in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)}
# Positions of the digits in "Tue Oct 31 22:10:47 +0000 2017": day, hh, mm, ss, offset hh, mm; year.
_DIGIT_AT = [8, 9, 11, 12, 14, 15, 17, 18, 21, 22, 23, 24, 26, 27, 28, 29]
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _key3(chars: np.ndarray) -> np.ndarray:
    return chars[:, 0].astype(np.int64) << 16 | chars[:, 1].astype(np.int64) << 8 | chars[:, 2]


def _twitter_times(strings: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised reading of ``Tue Oct 31 22:10:47 +0000 2017`` (fixed width: 30 characters)."""
    n = len(strings)
    seconds, ok = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool)
    fixed = (pc.binary_length(strings).to_numpy(zero_copy_only=False) == 30)
    if not fixed.any():
        return seconds, ok
    sub = pc.filter(strings, pa.array(fixed)) if not fixed.all() else strings
    offsets = np.frombuffer(sub.buffers()[1], dtype=np.int32)[sub.offset: sub.offset + len(sub) + 1]
    c = np.frombuffer(sub.buffers()[2], dtype=np.uint8)[offsets[0]: offsets[-1]].reshape(-1, 30)
    good = ((c[:, [3, 7, 10, 19, 25]] == 32).all(axis=1) & (c[:, 13] == 58) & (c[:, 16] == 58)
            & np.isin(c[:, 20], (43, 45)))
    weekday = np.isin(_key3(c[:, 0:3]), [_key3(np.frombuffer(d.encode(), np.uint8)[None])[0] for d in _WEEKDAYS])
    month_keys = np.array([_key3(np.frombuffer(m.encode(), np.uint8)[None])[0] for m in _MONTHS])
    month = np.searchsorted(np.sort(month_keys), _key3(c[:, 4:7]))
    month_num = np.array(list(_MONTHS.values()))[np.argsort(month_keys)]
    month_ok = np.isin(_key3(c[:, 4:7]), month_keys)
    mo = month_num[np.minimum(month, 11)]
    digits = c[:, _DIGIT_AT].astype(np.int32) - 48
    digits_ok = ((digits >= 0) & (digits <= 9)).all(axis=1)
    two = digits[:, :12:2] * 10 + digits[:, 1:12:2]
    day, hh, mi, ss, oh, om = (two[:, k] for k in range(6))
    year = digits[:, 12] * 1000 + digits[:, 13] * 100 + digits[:, 14] * 10 + digits[:, 15]
    month_start = ((year.astype(np.int64) - 1970) * 12 + mo - 1).astype("datetime64[M]")
    month_days = ((month_start + 1).astype("datetime64[D]") - month_start.astype("datetime64[D]")).astype(np.int64)
    good &= weekday & month_ok & digits_ok
    good &= (day >= 1) & (day <= month_days) & (hh < 24) & (mi < 60) & (ss < 61) & (oh < 24) & (om < 60)
    days = month_start.astype("datetime64[D]").astype(np.int64) + day - 1
    sign = np.where(c[:, 20] == 45, -1, 1)
    value = days * 86400 + (hh * 3600 + mi * 60 + ss - sign * (oh * 3600 + om * 60)).astype(np.int64)
    where = np.flatnonzero(fixed)
    seconds[where], ok[where] = np.where(good, value, 0), good
    return seconds, ok


def _times(strings) -> tuple[np.ndarray, np.ndarray]:
    """Seconds since the epoch (UTC) from Twitter-format or ISO 8601 times, and which parsed."""
    strings = strings.combine_chunks() if isinstance(strings, pa.ChunkedArray) else strings
    seconds, parsed = _twitter_times(strings)
    if not parsed.all():
        rest = np.flatnonzero(~parsed)
        values = pd.Series(pc.take(strings, pa.array(rest)).to_pylist(), dtype=object)
        iso = values.str.match(ISO_TIMESTAMP).fillna(False).to_numpy(dtype=bool)
        when = pd.to_datetime(values.where(iso), utc=True, format="ISO8601", errors="coerce")
        good = when.notna().to_numpy()
        seconds[rest[good]] = when[good].dt.as_unit("s").astype("int64").to_numpy()
        parsed[rest[good]] = True
    return seconds, parsed


# --------------------------------------------------------------------------------------------
# Accounts


def read_accounts(file: str | os.PathLike | None = None) -> pd.DataFrame:
    """The mapping of brand handles to company and department (``account,company,department``).

    Without `file`, the default mapping for the TWCS handles (``data/mappings/twcs-accounts.csv``).
    Raises `ImportFailed` naming the file, line and column of every bad entry.
    """
    file = Path(file) if file is not None else paths.TWCS_ACCOUNTS
    name = str(file)
    if not file.is_file():
        raise ImportFailed([RowProblem(name, None, None, "no such mapping file")])
    try:
        table = pd.read_csv(file, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ImportFailed([RowProblem(name, None, None, f"not a readable UTF-8 CSV file: {exc}")]) from None
    table.columns = [str(c).strip() for c in table.columns]
    missing = [c for c in ("account", "company", "department") if c not in table.columns]
    if missing:
        raise ImportFailed([RowProblem(name, 1, c, "required column is missing from the header") for c in missing])
    table = table[["account", "company", "department"]].apply(lambda s: s.str.strip())
    problems, seen = [], {}
    for i, (account, company, department) in enumerate(table.itertuples(index=False)):
        line = i + 2  # the header is line 1
        if not account:
            problems.append(RowProblem(name, line, "account", "must not be empty"))
        elif account.lower() in seen:
            problems.append(RowProblem(name, line, "account",
                                       f"{account!r} is already listed on line {seen[account.lower()]}"))
        else:
            seen[account.lower()] = line
        if not company:
            problems.append(RowProblem(name, line, "company", "must not be empty"))
        if department not in DEPARTMENTS:
            problems.append(RowProblem(name, line, "department",
                                       f"{department!r} is not allowed; use one of {', '.join(DEPARTMENTS)}"))
    if problems:
        raise ImportFailed(problems)
    return table


# --------------------------------------------------------------------------------------------
# Threads and probes

ROLES = ("probe", "probe_excluded", "first_reply", "follow_up", "follow_up_reply",
         "customer_tweet_other", "customer_tweet_no_brand", "brand_tweet_other")
EXCLUSIONS = ("thread_cut", "thread_starts_outside_file", "reply_before_question")
_MISSING = np.iinfo(np.int64).min


@dataclass
class Imported:
    """What `build` derived from the tweets: the study tables and the accounting of every row."""

    accounts: pd.DataFrame
    probes: pa.Table
    excluded: pa.Table  # probes left out, with the reason
    rows: dict[str, int]  # every input row by role; sums to the rows in the file
    summary: dict
    unmapped: list[str]


def _lookup(sorted_ids: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Position of each queried tweet id in `sorted_ids`, or -1 when the file does not hold it."""
    if len(sorted_ids) == 0:
        return np.full(len(query), -1, dtype=np.int64)
    i = np.minimum(np.searchsorted(sorted_ids, query), len(sorted_ids) - 1)
    return np.where((sorted_ids[i] == query) & (query >= 0), i, -1)


def _thread_roots(parent: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The top tweet of each tweet's thread (pointer doubling), and which tweets sit in a loop."""
    root = np.where(parent >= 0, parent, np.arange(len(parent)))
    for _ in range(64):  # each pass doubles the depth covered: 2**64 covers any thread
        nxt = root[root]
        if np.array_equal(nxt, root):
            return root, np.zeros(len(parent), dtype=bool)
        root = nxt
    return root, root[root] != root


def _keys(major: np.ndarray, time: np.ndarray, q_major=None, q_time=None):
    """One int64 sort key per row from (major, time), or None when it could overflow."""
    times = [time] + ([q_time] if q_time is not None else [])
    t0 = min(int(t.min()) for t in times if len(t))
    span = max(int(t.max()) for t in times if len(t)) - t0 + 2
    top = max(int(m.max()) for m in ([major] + ([q_major] if q_major is not None else [])) if len(m))
    if (top + 1) * span >= 2**62:
        return None
    key = major.astype(np.int64) * span + (time - t0)
    return key if q_major is None else (key, q_major.astype(np.int64) * span + (q_time - t0))


def _order(major: np.ndarray, time: np.ndarray) -> np.ndarray:
    """Rows sorted by (major, time), ties kept in row order (rows are in tweet-id order)."""
    if len(major) == 0:
        return np.zeros(0, dtype=np.int64)
    key = _keys(major, time)
    return np.argsort(key, kind="stable") if key is not None else np.lexsort((time, major))


def _first_at_or_after(group: np.ndarray, time: np.ndarray, q_group: np.ndarray, q_time: np.ndarray) -> np.ndarray:
    """For each query, the candidate with the same group and the earliest time >= the query's.

    Equal times go to the earlier candidate. Returns candidate positions, -1 where none qualifies.
    """
    if len(group) == 0 or len(q_group) == 0:
        return np.full(len(q_group), -1, dtype=np.int64)
    keys = _keys(group, time, q_group, q_time)
    if keys is None:  # huge keys: rank the groups first
        groups, dense = np.unique(group, return_inverse=True)
        q_dense = np.minimum(np.searchsorted(groups, q_group), len(groups) - 1)
        q_dense = np.where(groups[q_dense] == q_group, q_dense, len(groups))
        keys = _keys(dense, time, q_dense, q_time)
    key, q_key = keys
    order = np.argsort(key, kind="stable")
    at = np.minimum(np.searchsorted(key[order], q_key), len(key) - 1)
    hit = (group[order[at]] == q_group) & (time[order[at]] >= q_time)
    return np.where(hit, order[at], -1)


def _pick(rows: np.ndarray, group: np.ndarray, time: np.ndarray,
          q_group: np.ndarray, q_time: np.ndarray) -> np.ndarray:
    """Row of the earliest candidate (among `rows`) in the query's group at or after its time."""
    at = _first_at_or_after(group, time[rows], q_group, q_time)
    return np.where(at >= 0, rows[np.maximum(at, 0)] if len(rows) else -1, -1)


def _mentioned_brand(texts: pa.Array, brand_lower: pa.Array) -> np.ndarray:
    """Index of the first @mentioned known brand handle in each text (-1 if none)."""
    out = np.full(len(texts), -1, dtype=np.int64)
    rest, where = texts, np.arange(len(texts))
    for _ in range(10):  # the k-th pass looks at the k-th mention
        handle = pc.struct_field(pc.extract_regex(rest, r"@(?P<h>\w{1,50})"), "h")
        found = pc.fill_null(pc.index_in(pc.utf8_lower(handle), value_set=brand_lower), -1).to_numpy(
            zero_copy_only=False)
        out[where[found >= 0]] = found[found >= 0]
        more = (pc.is_valid(handle).to_numpy(zero_copy_only=False)) & (found < 0)
        if not more.any():
            return out
        where = where[more]
        rest = pc.replace_substring_regex(pc.filter(rest, pa.array(more)), r"^.*?@\w{1,50}", "", max_replacements=1)
    for k, text in zip(where, rest.to_pylist(), strict=True):  # texts with more than ten mentions
        for h in _MENTION.findall(text or ""):
            found = pc.index_in(pa.array([h.lower()]), value_set=brand_lower)[0].as_py()
            if found is not None:
                out[k] = found
                break
    return out


def build(tweets: Tweets, accounts: pd.DataFrame) -> Imported:
    """Turn tweets into probes, first replies and follow-ups (rules in the module docstring)."""
    # Work in tweet-id order, so that sorting by time keeps equal times in id order.
    n = len(tweets)
    file_row = np.argsort(tweets.tweet_id, kind="stable")
    id_row = np.empty(n, dtype=np.int64)
    id_row[file_row] = np.arange(n)
    ids, time, inbound = tweets.tweet_id[file_row], tweets.time[file_row], tweets.inbound[file_row]
    is_brand = ~inbound
    parent_id = tweets.parent_id[file_row]
    parent = _lookup(ids, parent_id)
    parent_outside = (parent_id >= 0) & (parent < 0)
    response_outside = _lookup(ids, tweets.response_id) < 0
    child_outside = np.zeros(n, dtype=bool)
    child_outside[id_row[tweets.response_row[response_outside]]] = True
    root, looped = _thread_roots(parent)
    if looped.any():
        raise ImportFailed([RowProblem(str(tweets.file), int(line), "in_response_to_tweet_id",
                                       "this reply chain loops back on itself")
                            for line in np.sort(tweets.line[file_row[looped]])[:100]])
    cut = np.zeros(n, dtype=bool)
    cut[root[parent_outside | child_outside]] = True
    thread_cut = cut[root]
    starts_outside = parent_outside[root]

    # Authors: brands tweet under their handle, matched ignoring case.
    encoded = pc.dictionary_encode(tweets.author.combine_chunks() if isinstance(tweets.author, pa.ChunkedArray)
                                   else tweets.author)
    author = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)[file_row]
    authors = encoded.dictionary
    brand_handles = pc.unique(pc.filter(tweets.author, pa.array(~tweets.inbound))).to_pylist()
    canonical = {h.lower(): h for h in brand_handles}
    for h in accounts["account"]:
        canonical.setdefault(h.lower(), h)
    brand_names = list(dict.fromkeys(canonical.values()))
    brand_lower = pa.array([h.lower() for h in brand_names], pa.string())
    author_brand = pc.fill_null(pc.index_in(pc.utf8_lower(authors), value_set=brand_lower), -1).to_numpy(
        zero_copy_only=False).astype(np.int64)
    tweet_brand = np.where(is_brand, author_brand[author], -1)

    # Which brand each customer tweet addresses: (1) the brand that replied to it (earliest reply)
    brand_of = np.full(n, -1, dtype=np.int64)
    direct = np.full(n, -1, dtype=np.int64)  # that earliest direct reply
    kids = np.flatnonzero(is_brand & (parent >= 0))
    kids = kids[inbound[parent[kids]]]
    if len(kids):
        kids = kids[_order(parent[kids], time[kids])]
        first = kids[np.concatenate(([True], parent[kids][1:] != parent[kids][:-1]))]
        direct[parent[first]] = first
        brand_of[parent[first]] = tweet_brand[first]
    # (2) else the author of the brand tweet it answers
    need = inbound & (brand_of < 0) & (parent >= 0)
    need[need] = is_brand[parent[need]]
    brand_of[need] = tweet_brand[parent[need]]
    # (3) else the first @mention of a known brand handle
    need = np.flatnonzero(inbound & (brand_of < 0))
    if len(need):
        brand_of[need] = _mentioned_brand(pc.take(tweets.text, pa.array(file_row[need])), brand_lower)

    # A probe is each customer's earliest tweet to each brand.
    n_brands = max(len(brand_names), 1)
    addressed = np.flatnonzero(inbound & (brand_of >= 0))
    pair = author[addressed] * n_brands + brand_of[addressed]
    sort = _order(pair, time[addressed])
    addressed, pair = addressed[sort], pair[sort]
    probe = addressed[np.concatenate(([True], pair[1:] != pair[:-1]))] if len(pair) else addressed
    probe_brand = brand_of[probe]

    # First reply: the brand's earliest tweet in the same thread at or after the probe.
    brand_rows = np.flatnonzero(tweet_brand >= 0)
    brand_group = root[brand_rows] * n_brands + tweet_brand[brand_rows]
    reply = _pick(brand_rows, brand_group, time, root[probe] * n_brands + probe_brand, time[probe])
    # Follow-up: the customer's next tweet in the thread after that reply; its reply likewise.
    n_authors = max(len(authors), 1)
    answered = reply >= 0
    customer_rows = np.flatnonzero(inbound)
    follow = np.full(len(probe), -1, dtype=np.int64)
    follow[answered] = _pick(customer_rows, root[customer_rows] * n_authors + author[customer_rows], time,
                             root[probe[answered]] * n_authors + author[probe[answered]], time[reply[answered]] + 1)
    has_follow = follow >= 0
    follow_reply = np.full(len(probe), -1, dtype=np.int64)
    follow_reply[has_follow] = _pick(brand_rows, brand_group, time,
                                     root[follow[has_follow]] * n_brands + probe_brand[has_follow],
                                     time[follow[has_follow]])

    # Honest limits: threads cut by the file's edges are reported, not counted as unanswered.
    early = (direct[probe] >= 0) & (time[np.maximum(direct[probe], 0)] < time[probe])
    reason = np.zeros(len(probe), dtype=np.int8)  # 0 kept, else 1 + index in EXCLUSIONS
    reason[~answered & thread_cut[probe]] = 1
    reason[starts_outside[probe]] = 2
    reason[early] = 3
    kept = reason == 0
    follow_cut = kept & has_follow & (follow_reply < 0) & thread_cut[probe]
    follow[follow_cut] = -1
    follow_reply[follow_cut] = -1

    # Accounts: every brand with a probe, named by the mapping (else by its handle).
    mapping = {a.lower(): (c, d) for a, c, d in accounts.itertuples(index=False)}
    used = sorted(set(np.unique(probe_brand[kept]).tolist()), key=lambda k: brand_names[k].lower())
    unmapped = [brand_names[k] for k in used if brand_names[k].lower() not in mapping]
    named = {k: mapping.get(brand_names[k].lower(), (brand_names[k], "other")) for k in used}
    account_table = pd.DataFrame({
        "company": [named[k][0] for k in used], "account": [brand_names[k] for k in used],
        "department": [named[k][1] for k in used], "stated_hours": "", "timezone": "",
    }).sort_values(["company", "account"], key=lambda s: s.str.lower(), kind="stable").reset_index(drop=True)
    companies = pa.array([named.get(k, (brand_names[k],))[0] for k in range(len(brand_names))], pa.string())
    handles = pa.array(brand_names, pa.string())

    observed_until = int(time.max()) if n else 0
    p = np.sort(probe[kept])  # id order, so that equal times stay in id order
    p = p[np.argsort(time[p], kind="stable")]
    position = np.full(n, -1, dtype=np.int64)
    position[probe] = np.arange(len(probe))
    k = position[p]
    r, f, fr = reply[k], follow[k], follow_reply[k]
    probes = pa.table({
        "probe_id": pc.binary_join_element_wise("T", pa.array(ids[p]).cast(pa.string()), ""),
        "company": companies.take(pa.array(probe_brand[k])),
        "account": handles.take(pa.array(probe_brand[k])),
        "question_type": pa.repeat(QUESTION_TYPE, len(p)).cast(pa.string()),
        "tone": pa.nulls(len(p), pa.string()),
        "sent_at": _iso(time[p]),
        "observed_until": pa.repeat(_iso(np.array([observed_until]))[0], len(p)),
        "first_reply_at": _iso(_at(time, r)),
        "first_reply_text": _texts(tweets.text, _at(file_row, r, -1)),
        "follow_up_sent_at": _iso(_at(time, f)),
        "follow_up_reply_at": _iso(_at(time, fr)),
        "resolved_publicly": pa.nulls(len(p), pa.string()),
        "customer_id": authors.take(pa.array(author[p])),
        "tweet_id": pa.array(ids[p]),
        "source_line": pa.array(tweets.line[file_row[p]]),
        "question_text": _texts(tweets.text, file_row[p]),
        "first_reply_tweet_id": _ids_or_null(ids, r),
        "follow_up_tweet_id": _ids_or_null(ids, f),
        "follow_up_reply_tweet_id": _ids_or_null(ids, fr),
    })

    x = probe[~kept]
    xk = np.flatnonzero(~kept)
    xs = _order(reason[xk].astype(np.int64), x)
    x, xk = x[xs], xk[xs]
    excluded = pa.table({
        "tweet_id": pa.array(ids[x], pa.int64()), "source_line": pa.array(tweets.line[file_row[x]], pa.int64()),
        "customer_id": authors.take(pa.array(author[x], pa.int64())),
        "account": handles.take(pa.array(probe_brand[xk], pa.int64())),
        "sent_at": _iso(time[x]),
        "reason": pa.array(np.asarray(("",) + EXCLUSIONS, dtype=object)[reason[xk]].tolist(), pa.string()),
        "first_reply_at": _iso(_at(time, reply[xk])),
    })

    # Every row has exactly one role; the counts add up to the rows of the file.
    role = np.where(inbound, np.where(brand_of >= 0, 5, 6), 7)
    for code, rows_ in ((4, fr), (3, f), (2, r), (1, x), (0, p)):
        role[rows_[rows_ >= 0]] = code
    counts = np.bincount(role, minlength=len(ROLES))
    rows = {name: int(counts[code]) for code, name in enumerate(ROLES)}
    rows["malformed"] = int(tweets.malformed["line"].nunique()) if len(tweets.malformed) else 0
    rows["total"] = sum(rows.values())

    summary = {
        "probes": int(kept.sum()),
        "answered": int((r >= 0).sum()),
        "follow_ups": int((f >= 0).sum()),
        "follow_ups_answered": int((fr >= 0).sum()),
        "excluded_probes": {name: int((reason == code + 1).sum()) for code, name in enumerate(EXCLUSIONS)},
        "follow_ups_dropped_thread_cut": int(follow_cut.sum()),
        "answered_in_threads_with_links_outside_file": int((kept & answered & thread_cut[probe]).sum()),
        "threads": int(np.count_nonzero(root == np.arange(n))),
        "threads_with_links_outside_file": int(cut.sum()),
        "links_to_tweets_outside_file": int(parent_outside.sum() + response_outside.sum()),
        "brands_seen": len(brand_handles),
        "accounts": len(account_table),
        "first_tweet_at": _iso(np.array([time.min()]))[0].as_py() if n else "",
        "last_tweet_at": _iso(np.array([observed_until]))[0].as_py() if n else "",
    }
    return Imported(account_table, probes, excluded, rows, summary, unmapped)


def _at(values: np.ndarray, rows: np.ndarray, missing: int = _MISSING) -> np.ndarray:
    return np.where(rows >= 0, values[np.maximum(rows, 0)] if len(values) else 0, missing)


def _iso(seconds: np.ndarray) -> pa.Array:
    """ISO 8601 UTC times (``2017-10-31T22:10:47+00:00``), null where missing; vectorised."""
    n = len(seconds)
    missing = seconds == _MISSING
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


def _texts(text: pa.Array, rows: np.ndarray) -> pa.Array:
    picked = pc.take(text, pa.array(np.maximum(rows, 0))) if len(text) else pa.nulls(len(rows), pa.string())
    return pc.if_else(pa.array(rows >= 0), picked, pa.scalar(None, pa.string()))


def _ids_or_null(ids: np.ndarray, rows: np.ndarray) -> pa.Array:
    picked = ids[np.maximum(rows, 0)] if len(ids) else np.zeros(len(rows), dtype=np.int64)
    return pa.array(picked, pa.int64(), mask=rows < 0)


# --------------------------------------------------------------------------------------------
# Writing the study


def _write_csv(table: pa.Table | pd.DataFrame, target: Path) -> None:
    if isinstance(table, pd.DataFrame):
        table = pa.Table.from_pandas(table, preserve_index=False)
    pacsv.write_csv(table, target, write_options=pacsv.WriteOptions(quoting_style="needed"))


def _sha256(file: Path) -> str:
    digest = hashlib.sha256()
    with file.open("rb") as f:
        for block in iter(lambda: f.read(1 << 24), b""):
            digest.update(block)
    return digest.hexdigest()


def study_yml(file: Path, imported: Imported, tweets: Tweets, *, title: str | None, source: str | None,
              synthetic: bool, mapping: Path) -> str:
    """The study.yml of an imported study: provenance, limits and the accounting of every row."""
    s = imported.summary
    kind = "SYNTHETIC DATA shaped like TWCS (fictional brands)" if synthetic else "Real tweets"
    meta = {
        "title": title or (f"Customer Support on Twitter: {file.name}" + (" (synthetic)" if synthetic else "")),
        "description": (
            f"{kind}, imported from {file.name} with `python -m helpers import-twcs`: {s['probes']} probes "
            f"(a customer's first contact with a brand) to {s['accounts']} brand accounts, tweeted between "
            f"{s['first_tweet_at'][:10]} and {s['last_tweet_at'][:10]} (UTC). Answer rates are {SCOPE}: "
            "customer tweets that no brand answered were never exported."
        ),
        "synthetic": bool(synthetic),
        "source": source or ("Simulated by helpers.synthetic_twcs (shaped like TWCS; fictional brands)."
                             if synthetic else TWCS_SOURCE),
        "thresholds_minutes": [30, 60, 1440],
        "answer_rate_scope": SCOPE,
        "limits": list(LIMITS),
        "imported_from": {
            "file": file.name,
            "sha256": _sha256(file),
            "rows": tweets.records,
            "accounts_mapping": (str(mapping.relative_to(paths.PROJECT_ROOT))
                                 if mapping.is_relative_to(paths.PROJECT_ROOT) else mapping.name),
            "unmapped_accounts": imported.unmapped,
        },
        "import": {"rows": imported.rows, **s},
    }
    header = ("# Written by `python -m helpers import-twcs`; import again rather than edit by hand.\n"
              "# import.rows gives every input row one role; the roles add up to the rows read.\n")
    return header + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100)


@dataclass
class ImportResult:
    """The study folder written, what was derived, and how many rows were skipped."""

    path: Path
    imported: Imported
    malformed: int


def import_twcs(csv_file: str | os.PathLike, out_dir: str | os.PathLike, accounts: str | os.PathLike | None = None,
                *, skip_malformed: bool = False, overwrite: bool = False, title: str | None = None,
                source: str | None = None, synthetic: bool = False) -> ImportResult:
    """Import a TWCS-format file as the study folder `out_dir` (all or nothing).

    The folder is built beside `out_dir` and moved into place only when complete. An existing
    `out_dir` is replaced only with `overwrite`, and only if an earlier import wrote it.
    """
    csv_file, out = Path(csv_file), Path(out_dir)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        if not overwrite:
            raise ImportFailed([RowProblem(str(out), None, None, "already exists")],
                               hint="Choose another --out folder, or pass --overwrite to replace an earlier import.")
        if not _written_by_import(out):
            raise ImportFailed([RowProblem(str(out), None, None,
                                           "already exists and was not written by import-twcs; it is left alone")])
    mapping_file = (Path(accounts) if accounts is not None else paths.TWCS_ACCOUNTS).resolve()
    mapping = read_accounts(mapping_file)
    tweets = read_tweets(csv_file, skip_malformed=skip_malformed)
    imported = build(tweets, mapping)
    if imported.probes.num_rows == 0:
        raise ImportFailed([RowProblem(str(csv_file), None, None,
                                       "holds no customer tweet addressed to a brand, so there is nothing to import")])

    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.importing-", dir=out.parent))
    try:
        (staging / "import").mkdir()
        _write_csv(imported.accounts, staging / "accounts.csv")
        _write_csv(imported.probes, staging / "probes.csv")
        _write_csv(imported.excluded, staging / EXCLUDED_FILE)
        _write_csv(tweets.malformed, staging / MALFORMED_FILE)
        (staging / "study.yml").write_text(
            study_yml(csv_file, imported, tweets, title=title, source=source, synthetic=synthetic,
                      mapping=mapping_file), encoding="utf-8")
        if out.exists():
            old = out.with_name(f".{out.name}.replaced-{os.getpid()}")
            os.replace(out, old)
            os.replace(staging, out)
            shutil.rmtree(old)
        else:
            os.replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return ImportResult(out, imported, len(tweets.malformed))


def _written_by_import(folder: Path) -> bool:
    try:
        meta = yaml.safe_load((folder / "study.yml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return False
    return isinstance(meta, dict) and "imported_from" in meta
