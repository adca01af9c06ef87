r"""Reading a TWCS file: CSV bytes to `Tweets`, every unreadable row named by its line.

pyarrow's multithreaded CSV parser reads the memory-mapped file; bare ``\r`` inside texts are
hidden from it first. Lines are counted as an editor counts them, quoted line breaks included.
Times are in Twitter's format (``Tue Oct 31 22:10:47 +0000 2017``, read vectorised) or ISO 8601.
"""

from __future__ import annotations

import codecs
import mmap
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from helpers.data.accounts import MAX_NAME_LENGTH
from helpers.data.problems import LINE, ImportFailed, Problem
from helpers.data.timestamps import ISO_TIMESTAMP, STUDY_YEARS, parse_iso

RAW_COLUMNS = ("tweet_id", "author_id", "inbound", "created_at", "text",
               "response_tweet_id", "in_response_to_tweet_id")
MALFORMED_FILE = "import/malformed_rows.csv"
MALFORMED_COLUMNS = ["line", "column", "problem", "raw"]
# The times a study may hold (the validator refuses others), in seconds since 1970.
YEARS = STUDY_YEARS
FIRST_SECOND = int(np.datetime64(f"{YEARS[0]}-01-01", "s").astype(np.int64))
LAST_SECOND = int(np.datetime64(f"{YEARS[1] + 1}-01-01", "s").astype(np.int64)) - 1


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
    malformed: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=MALFORMED_COLUMNS))
    records: int = 0  # data rows in the file, readable or not

    def __len__(self) -> int:
        return len(self.tweet_id)


def read_tweets(file: str | os.PathLike, skip_malformed: bool = False) -> Tweets:
    """Read a TWCS-format CSV file; raise `ImportFailed` naming every unreadable row.

    With `skip_malformed`, unreadable rows are returned in ``Tweets.malformed`` (line, column,
    problem, raw text) instead, and the readable rows are kept.
    """
    file = Path(file)
    if not file.is_file():
        raise ImportFailed([Problem(str(file), message="is a folder, not a file" if file.is_dir() else "no such file",
                                    unit=LINE)])
    try:
        data, start, bare_cr = _read_protected(file)
    except OSError as exc:  # permissions, I/O: the input's problem, not the suite's
        raise ImportFailed([Problem(str(file), message=f"cannot be read: {exc.strerror or exc}", unit=LINE)]) from None
    header = _read_header(data, start, file)
    table, invalid, not_utf8 = _parse(file, data, start, header, bare_cr)
    del data  # the parsed table holds its own copy: unmap the file before copying the columns
    cols, invalid, bad_text = _columns(table, invalid, bare_cr, not_utf8)
    del table
    if len(cols["tweet_id"]) + len(invalid) == 0:
        raise ImportFailed([Problem(str(file), 2, None, "the file ends after its header: it holds no tweets "
                                    "to import", LINE)])
    line, skipped_lines = _line_numbers(_newlines(cols), invalid)
    cells, problems = _cells(cols, line)
    problems += bad_text
    malformed = _malformed_table(problems, invalid, skipped_lines, cols, line)
    if len(malformed) and not skip_malformed:
        raise ImportFailed(
            [Problem(str(file), int(r.line) if pd.notna(r.line) else None, r.column or None, r.problem, LINE)
             for r in malformed.itertuples()],
            hint="Fix these rows, or rerun with --skip-malformed to import the rest; every skipped "
                 f"row is then listed in <out>/{MALFORMED_FILE}.",
        )
    if problems:  # leave the unreadable rows out
        cells = _without(cells, sorted({r for r, _, _ in problems}))
    return Tweets(file=file, malformed=malformed, records=len(line) + len(invalid), **cells)


# --------------------------------------------------------------------------------------------
# Bytes to a table


def _read_protected(file: Path) -> tuple[mmap.mmap, int, str | None]:
    r"""The file's bytes (BOM skipped) with bare carriage returns hidden from the CSV parser.

    TWCS texts hold bare ``\r`` outside quotes, which a CSV parser takes for a line end. Each
    becomes a control byte absent from the file, turned back into ``\r`` after parsing;
    ``\r\n`` line ends (Windows exports) stay line ends. The file is mapped copy-on-write, so
    only the pages that change are copied. Returns the bytes, where the data start, and the
    marker (None when there was no bare CR).
    """
    if file.stat().st_size == 0:
        raise ImportFailed([Problem(str(file), message="the file is empty; it needs a header row", unit=LINE)])
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
    marker = _free_byte(data, file, "bare carriage returns cannot be kept")
    view[bare] = marker
    return data, start, chr(marker)


def _free_byte(data: mmap.mmap, file: Path, why: str, taken: str | None = None) -> int:
    """A control byte the file does not hold (nor `taken`), to stand in for bytes the parser must not see."""
    for b in range(1, 32):
        if b not in (9, 10, 13) and chr(b) != taken and data.find(bytes([b])) < 0:
            return b
    raise ImportFailed([Problem(str(file), message=f"uses every control character, so {why}", unit=LINE)])


def _mark_not_utf8(data: mmap.mmap, start: int, file: Path, taken: str | None) -> str | None:
    """Replace every byte that is not UTF-8 by a free control byte (returned), so that the rest parses.

    Such bytes are never commas, quotes or line ends, so the rows keep their shape; the rows that
    hold the marker are then reported (or skipped) one by one. None when the file is UTF-8.
    """
    view, pos, bad = memoryview(data), start, []
    while pos < len(data):
        try:
            codecs.utf_8_decode(view[pos:], "strict", True)
            break
        except UnicodeDecodeError as exc:
            bad.append((pos + exc.start, pos + exc.end))
            pos += exc.end
    view.release()
    if not bad:
        return None
    marker = _free_byte(data, file, "bytes that are not UTF-8 cannot be located", taken)
    array = np.frombuffer(data, dtype=np.uint8)
    for a, b in bad:
        array[a:b] = marker
    return chr(marker)


def _read_header(data: mmap.mmap, start: int, file: Path) -> list[str]:
    """The column names of the first line; every required one must be there."""
    end = data.find(b"\n", start)
    first = bytes(data[start: end if end >= 0 else len(data)]).rstrip(b"\r")
    try:
        text = first.decode("utf-8")
    except UnicodeDecodeError:
        raise ImportFailed([Problem(str(file), 1, None, "the header is not UTF-8 text", LINE)]) from None
    if not text.strip():
        raise ImportFailed([Problem(str(file), 1, None, "the file is empty or its first line is blank; "
                                    "it needs a header row", LINE)])
    header = [c.strip().strip('"') for c in text.split(",")]
    repeated = sorted({c for c in header if header.count(c) > 1}, key=header.index)
    if repeated:  # the parser would keep one of them silently
        raise ImportFailed([Problem(str(file), 1, c or "(unnamed)", "column appears "
                                    f"{header.count(c)} times in the header (columns "
                                    f"{', '.join(str(k + 1) for k, h in enumerate(header) if h == c)}); "
                                    "a column must appear once", LINE) for c in repeated])
    missing = [c for c in RAW_COLUMNS if c not in header]
    if missing:
        found = ", ".join(repr(h) for h in header)
        raise ImportFailed([Problem(str(file), 1, c, f"required column is missing from the header (found: {found})",
                                    LINE) for c in missing])
    return header


def _parse(file: Path, data: mmap.mmap, start: int, header: list[str],
           bare_cr: str | None) -> tuple[pa.Table, list, str | None]:
    """The raw columns as text, the records that could not be split into them, and the marker
    that stands for bytes that are not UTF-8 (None when the file is UTF-8)."""
    buffer = pa.py_buffer(data)[start:]
    try:
        return (*_read_records(buffer, header), None)
    except pa.ArrowInvalid as exc:
        # The parser refuses the whole file for one row that is not UTF-8: mark such bytes
        # (rare, so only after a failure) and read again, to name or skip those rows alone.
        not_utf8 = _mark_not_utf8(data, start, file, bare_cr)
        if not_utf8 is None:
            raise ImportFailed([Problem(str(file), None, None, f"not a readable CSV file: {exc}", LINE)]) from None
    try:
        return (*_read_records(buffer, header), not_utf8)
    except pa.ArrowInvalid as exc:
        raise ImportFailed([Problem(str(file), None, None, f"not a readable CSV file: {exc}", LINE)]) from None


def _read_records(buffer: pa.Buffer, header: list[str]) -> tuple[pa.Table, list]:
    invalid: list = []
    table = _read_table(buffer, header, True, invalid)
    if invalid:  # rare: read again on one thread, which numbers the skipped records
        invalid.clear()
        table = _read_table(buffer, header, False, invalid)
    return table, invalid


def _columns(table: pa.Table, invalid: list, bare_cr: str | None,
             not_utf8: str | None) -> tuple[dict[str, pa.Array], list, list]:
    """One contiguous string array per column, bare carriage returns put back, and a problem
    (row, column, message) per cell that held bytes that are not UTF-8 (shown as U+FFFD)."""
    cols = {c: _flat(table[c]) for c in table.column_names}
    if bare_cr is not None:
        cols = {c: _restore(a, ord(bare_cr)) for c, a in cols.items()}
        invalid = [(k, text.replace(bare_cr, "\r"), e, a) for k, text, e, a in invalid]
    bad: list = []
    if not_utf8 is not None:
        for c, a in cols.items():
            rows = np.unique(_byte_rows(a, ord(not_utf8))[1])
            bad += [(int(r), c, "is not UTF-8 text; save the file as UTF-8") for r in rows]
            if len(rows):
                cols[c] = pc.replace_substring(a, not_utf8, "\ufffd")
        invalid = [(k, text.replace(not_utf8, "\ufffd"), e, a) for k, text, e, a in invalid]
    return cols, invalid, bad


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
            column_types={name: pa.string() for name in header}, strings_can_be_null=False,
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


# --------------------------------------------------------------------------------------------
# Line numbers


def _newlines(cols: dict[str, pa.Array]) -> np.ndarray:
    """Line breaks inside each row's quoted cells."""
    n = len(cols["tweet_id"])
    newlines = np.zeros(n, dtype=np.int64)
    for a in cols.values():
        newlines += np.bincount(_byte_rows(a, 10)[1], minlength=n)
    return newlines


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


# --------------------------------------------------------------------------------------------
# Cells: ids, flags, times; each unreadable cell becomes a problem (row, column, message)


def _flag(problems: list, mask: np.ndarray, column: str, message) -> None:
    for i in np.flatnonzero(mask):
        problems.append((int(i), column, message(i) if callable(message) else message))


def _cells(cols: dict[str, pa.Array], line: np.ndarray) -> tuple[dict, list[tuple[int, str, str]]]:
    """Every column read into arrays, and the problems of the cells that cannot be read."""
    problems: list[tuple[int, str, str]] = []

    def strip(c: str) -> pa.Array:
        return pc.ascii_trim_whitespace(cols[c])

    raw = strip("tweet_id")
    tweet_id, ok = _ids(raw)
    _flag(problems, ~ok, "tweet_id", lambda i: f"{raw[int(i)].as_py()!r} is not a tweet id (a whole number)")

    author = strip("author_id")
    author_length = pc.utf8_length(author).to_numpy(zero_copy_only=False)
    _flag(problems, author_length == 0, "author_id", "must not be empty")
    # A brand's handle becomes a company and file name: refuse absurd ones now, not at report time.
    _flag(problems, author_length > MAX_NAME_LENGTH, "author_id",
          lambda i: f"author_id is {author_length[i]} characters long; at most {MAX_NAME_LENGTH} are allowed")

    inbound = pc.utf8_lower(strip("inbound"))
    is_true = pc.equal(inbound, "true").to_numpy(zero_copy_only=False)
    is_false = pc.equal(inbound, "false").to_numpy(zero_copy_only=False)
    _flag(problems, ~(is_true | is_false), "inbound",
          lambda i: f"{cols['inbound'][int(i)].as_py()!r} is not True or False")

    created = strip("created_at")
    time, time_ok = parse_times(created)
    # A study holds only times pandas can hold (the validator refuses others), so they are bad cells here.
    outside = time_ok & ((time < FIRST_SECOND) | (time > LAST_SECOND))
    if not time_ok.all():  # unparsed: ISO times in a year pandas cannot hold
        outside[~time_ok] = _iso_out_of_range(pc.filter(created, pa.array(~time_ok)))
    _flag(problems, ~time_ok & ~outside, "created_at", lambda i: f"{cols['created_at'][int(i)].as_py()!r} is not "
          "a time such as 'Tue Oct 31 22:10:47 +0000 2017' or 2017-10-31T22:10:47+00:00")
    _flag(problems, outside, "created_at",
          lambda i: f"{cols['created_at'][int(i)].as_py()!r} is outside the years {YEARS[0]} to {YEARS[1]}")

    parent_raw = strip("in_response_to_tweet_id")
    parent_empty = pc.equal(pc.binary_length(parent_raw), 0).to_numpy(zero_copy_only=False)
    parent_id, parent_ok = _ids(parent_raw)
    _flag(problems, ~(parent_empty | parent_ok), "in_response_to_tweet_id",
          lambda i: f"{parent_raw[int(i)].as_py()!r} is not a tweet id (or empty)")

    response_row, response_id = _responses(strip("response_tweet_id"), problems)
    _check_unique(tweet_id, ok, parent_id, line, problems)
    cells = dict(line=line, tweet_id=tweet_id, author=author, inbound=is_true, time=time, text=cols["text"],
                 parent_id=parent_id, response_row=response_row, response_id=response_id)
    return cells, problems


def _responses(responses: pa.Array, problems: list) -> tuple[np.ndarray, np.ndarray]:
    """The reply ids each row lists in ``response_tweet_id`` (``"5,7"``), as (row, id) pairs."""
    lists = pc.split_pattern(responses, ",")
    rows = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False).astype(np.int64)
    response_id, element_ok = _ids(pc.ascii_trim_whitespace(pc.list_flatten(lists)))
    empty = pc.equal(pc.binary_length(responses), 0).to_numpy(zero_copy_only=False)
    bad = np.zeros(len(responses), dtype=bool)
    bad[rows[~element_ok]] = True
    bad &= ~empty
    _flag(problems, bad, "response_tweet_id",
          lambda i: f"{responses[int(i)].as_py()!r} is not a comma-separated list of tweet ids (or empty)")
    keep = element_ok & ~bad[rows]
    return rows[keep], response_id[keep]


def _check_unique(tweet_id: np.ndarray, ok: np.ndarray, parent_id: np.ndarray, line: np.ndarray,
                  problems: list) -> None:
    """A tweet id names one tweet: later rows repeating it are errors; nor may a tweet answer itself."""
    n = len(tweet_id)
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
    _flag(problems, dup, "tweet_id",
          lambda i: f"tweet id {int(tweet_id[i])} already appears on line {first_of[int(tweet_id[i])]}")
    _flag(problems, valid_id & (parent_id == tweet_id), "in_response_to_tweet_id", "a tweet cannot answer itself")


def _without(cells: dict, bad_rows: list[int]) -> dict:
    """The cells of the readable rows only (response pairs renumbered to the rows kept)."""
    n = len(cells["tweet_id"])
    good = np.ones(n, dtype=bool)
    good[bad_rows] = False
    out = {k: cells[k][good] for k in ("line", "tweet_id", "inbound", "time", "parent_id")}
    keep = good[cells["response_row"]]
    out["response_row"] = (np.cumsum(good) - 1)[cells["response_row"][keep]]
    out["response_id"] = cells["response_id"][keep]
    out["author"], out["text"] = (pc.filter(cells[k], pa.array(good)) for k in ("author", "text"))
    return out


def _malformed_table(problems, invalid, skipped_lines, cols, line) -> pd.DataFrame:
    """Every unreadable row: its line, column, problem and raw text, in line order."""
    rows = []
    for (_, text, expected, actual), start in zip(invalid, skipped_lines, strict=True):
        message = ("empty line" if actual == 1 and not text.strip()
                   else f"has {actual} fields where the header has {expected}")
        rows.append((start, "", message, text))
    if problems:
        raw = _raw_rows(pa.table(cols), sorted({r for r, _, _ in problems}))
        for r, column, message in problems:
            rows.append((int(line[r]), column, message, raw[r]))
    out = pd.DataFrame(rows, columns=MALFORMED_COLUMNS)
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


# --------------------------------------------------------------------------------------------
# Times

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


def _iso_out_of_range(strings: pa.Array) -> np.ndarray:
    """ISO 8601 times whose year lies outside `YEARS` (some pandas cannot read, so they are not parsed)."""
    iso = pc.match_substring_regex(strings, ISO_TIMESTAMP)
    year = pc.cast(pc.if_else(iso, pc.utf8_slice_codeunits(strings, 0, 4), "2000"), pa.int64())
    return pc.fill_null(pc.and_(iso, pc.or_(pc.less(year, YEARS[0]), pc.greater(year, YEARS[1]))),
                        False).to_numpy(zero_copy_only=False)


def parse_times(strings) -> tuple[np.ndarray, np.ndarray]:
    """Seconds since the epoch (UTC) from Twitter-format or ISO 8601 times, and which parsed."""
    strings = strings.combine_chunks() if isinstance(strings, pa.ChunkedArray) else strings
    seconds, parsed = _twitter_times(strings)
    if not parsed.all():
        rest = np.flatnonzero(~parsed)
        when, _ = parse_iso(pd.Series(pc.take(strings, pa.array(rest)).to_pylist(), dtype=object))
        good = when.notna().to_numpy()
        seconds[rest[good]] = when[good].dt.as_unit("s").astype("int64").to_numpy()
        parsed[rest[good]] = True
    return seconds, parsed
