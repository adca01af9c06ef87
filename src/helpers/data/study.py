"""The study data format, its loader and its validator.

A study is one folder (documented in ``data/README.md``)::

    data/studies/<study-id>/
        study.yml     title, description, synthetic, source, thresholds_minutes
        accounts.csv  company, account, department[, stated_hours, timezone]
        probes.csv    one row per question sent to an account

`validate_study` collects every problem it can find, each with its file, row and column, and
never raises for bad data. `load_study` returns a parsed `Study` or raises
`StudyValidationError` listing those problems. Rows are numbered as in a spreadsheet: the
header is row 1, so the first data row is row 2.
"""

from __future__ import annotations

import csv
import io
import os
import re
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd
import yaml

from helpers import paths
from helpers.data.accounts import FIRST_DATA_ROW, MAX_NAME_LENGTH, account_problems, name_too_long
from helpers.data.fast_csv import strict_table
from helpers.data.hours import hours_problem
from helpers.data.outcomes import add_outcomes
from helpers.data.problems import LINE, Problem, StudyValidationError, problem_order, shown
from helpers.data.timestamps import EXAMPLE, ISO_TIMESTAMP, MAX_TIMESTAMP_LENGTH, STUDY_YEARS
from helpers.data.vocabulary import TONES

DEFAULT_THRESHOLDS = (30, 60, 1440)

STUDY_FILE = "study.yml"
ACCOUNTS_FILE = "accounts.csv"
PROBES_FILE = "probes.csv"

ACCOUNT_REQUIRED = ("company", "account", "department")
ACCOUNT_OPTIONAL = ("stated_hours", "timezone")
PROBE_REQUIRED = (
    "probe_id", "company", "account", "question_type", "sent_at", "observed_until", "first_reply_at",
)
PROBE_OPTIONAL = (
    "tone", "first_reply_text", "follow_up_sent_at", "follow_up_reply_at", "resolved_publicly",
)
TIMESTAMP_COLUMNS = (
    "sent_at", "observed_until", "first_reply_at", "follow_up_sent_at", "follow_up_reply_at",
)
# Free text keeps its spaces; every other cell is stripped of surrounding blanks.
TEXT_COLUMNS = ("first_reply_text",)
# Longest cells, in characters, checked before any other work on them.
MAX_TIMEZONE_LENGTH = 64  # IANA names are under 40; a longer one is not a zone the OS may open
MAX_HOURS_LENGTH = 500  # every open interval becomes work for each week a calendar covers
MAX_REPLY_LENGTH = 10_000  # reply texts are shown on pages; tweets are 280
NAME_COLUMNS = ("probe_id", "company", "account", "question_type")  # at most MAX_NAME_LENGTH
TRUE_WORDS = {"true", "yes", "1"}
FALSE_WORDS = {"false", "no", "0"}


@dataclass
class Study:
    """A loaded, valid study: its metadata and parsed tables."""

    path: Path
    meta: dict
    accounts: pd.DataFrame
    probes: pd.DataFrame = field(repr=False)

    @property
    def id(self) -> str:
        return self.path.name

    @property
    def title(self) -> str:
        return self.meta["title"]

    @property
    def synthetic(self) -> bool:
        return bool(self.meta["synthetic"])

    @property
    def source(self) -> str:
        return self.meta["source"]

    @cached_property
    def thresholds_minutes(self) -> tuple[int, ...]:
        return tuple(self.meta.get("thresholds_minutes") or DEFAULT_THRESHOLDS)

    @property
    def rate_scope(self) -> str:
        """What answer rates cover, e.g. "within exported threads" for archived data ("" = all probes)."""
        return str(self.meta.get("answer_rate_scope") or "")

    @property
    def limits(self) -> list[str]:
        """Limits of the data a reader must know (``limits`` in study.yml)."""
        return [str(x) for x in self.meta.get("limits") or []]

    def limits_in(self, lang: str) -> list[str]:
        """The limits in `lang` (``limits_ja`` for Japanese, when the study gives them), else `limits`."""
        translated = self.meta.get(f"limits_{lang}") if lang != "en" else None
        return [str(x) for x in translated] if translated else self.limits


# --------------------------------------------------------------------------------------------
# Loading


# Set to "1" in a process that loads one study many times (a report's warm kernels run notebook
# after notebook on it): the last valid study read is kept, and each load returns a copy of it
# unless a file of the folder changed. One study at most, so memory stays that of one.
CACHE_ENV = "SOCIALCARE_STUDY_CACHE"
_last: tuple[tuple, Study] | None = None


def load_study(study_dir: str | os.PathLike) -> Study:
    """Load and validate a study folder; raise `StudyValidationError` listing every problem."""
    global _last
    path = paths.resolve(study_dir)
    cached = os.environ.get(CACHE_ENV) == "1" and path.is_dir()
    if cached:
        key = _fingerprint(path)
        if _last is not None and _last[0] == key:
            return _copy(_last[1])
    meta, accounts, probes, problems = _read_and_check(path)
    if problems:
        raise StudyValidationError(path, problems)
    study = Study(path=path, meta=meta, accounts=accounts, probes=probes)
    if not cached:
        return study
    _last = (key, study)
    return _copy(study)


def _fingerprint(path: Path) -> tuple:
    """The folder's files with their sizes and modification times: a change to any makes a new key."""
    files = sorted(p for p in path.rglob("*") if p.is_file())
    return (str(path), tuple((p.relative_to(path).as_posix(), p.stat().st_size, p.stat().st_mtime_ns) for p in files))


def _copy(study: Study) -> Study:
    """A copy a notebook may change (add columns, edit metadata) without changing the kept one."""
    import copy

    return Study(path=study.path, meta=copy.deepcopy(study.meta), accounts=study.accounts.copy(),
                 probes=study.probes.copy())


def validate_study(study_dir: str | os.PathLike) -> list[Problem]:
    """Every problem in a study folder (an empty list when it is valid)."""
    return sorted(_read_and_check(paths.resolve(study_dir))[3], key=problem_order)


def _read_and_check(path: Path):
    if not path.is_dir():
        return None, None, None, [Problem(str(path), message="no such study folder")]
    problems: list[Problem] = []
    meta = _read_meta(path / STUDY_FILE, problems)
    accounts = read_table(path / ACCOUNTS_FILE, ACCOUNT_REQUIRED, ACCOUNT_OPTIONAL, problems)
    probes = read_table(path / PROBES_FILE, PROBE_REQUIRED, PROBE_OPTIONAL, problems)
    if accounts is not None:
        _check_accounts(accounts, str(path / ACCOUNTS_FILE), problems)
    if probes is not None:
        probes = _check_probes(probes, accounts, str(path / PROBES_FILE), problems)
    if problems:
        return meta, accounts, probes, problems
    probes = probes.merge(
        accounts[["company", "account", "department"]], on=["company", "account"], how="left",
        validate="many_to_one",
    )
    return meta, accounts, add_outcomes(probes), problems


# --------------------------------------------------------------------------------------------
# study.yml. Read in bounded work: the file is capped in size, aliases and anchors are refused
# from the event stream before anything is built (an alias "bomb" of 1.6 KB expands to hundreds
# of megabytes), and nesting is capped (the composer recurses once per level).

MAX_STUDY_YML_BYTES = 1_000_000
MAX_YAML_DEPTH = 20
MAX_TITLE_LENGTH = 300  # title and answer_rate_scope: shown in page titles and figure labels
MAX_TEXT_LENGTH = 5_000  # description(_ja), source, each limit: a few paragraphs at most
# "Answered within" thresholds: a week is the longest a social-care benchmark reports (studies
# watch for replies for days, the replica for 7), and a bound keeps labels such as "within
# 69444444444444448.0 days" out of the pages. A few thresholds make a figure; dozens do not.
MAX_THRESHOLD_MINUTES = 7 * 24 * 60
MAX_THRESHOLDS = 10
MAX_LISTED = 20  # located problems of one kind per file (aliases, bad rows) before a summary


class _Loader(yaml.SafeLoader):
    """SafeLoader whose bad values (a 5,000-digit integer, the date 2014-13-45) fail with the
    line of the node instead of a bare ValueError."""

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(None, None, f"cannot read this value: {exc}",
                                                    node.start_mark) from exc


def _yaml_error(name: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    return Problem(name, line, message=f"not valid YAML: {getattr(exc, 'problem', None) or exc}", unit=LINE)


def _unsafe_yaml(text: str, name: str) -> list[Problem]:
    """Aliases, anchors and too deep nesting, found from the parser's events (nothing is built)."""
    out: list[Problem] = []
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        line = event.start_mark.line + 1
        what = None
        if isinstance(event, yaml.AliasEvent):
            what = f"YAML aliases (*{shown(event.anchor, 40)[1:-1]}) are not allowed; write the value out"
        elif isinstance(event, yaml.NodeEvent) and event.anchor is not None:
            what = f"YAML anchors (&{shown(event.anchor, 40)[1:-1]}) are not allowed; write the value out"
        if what and not any(p.row == line and p.message == what for p in out[-2:]):  # once per line
            out.append(Problem(name, line, message=what, unit=LINE))
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                out.append(Problem(name, line, message=f"nested more than {MAX_YAML_DEPTH} levels deep", unit=LINE))
                break
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        if len(out) > MAX_LISTED:
            out[-1] = Problem(name, line, message="more aliases or anchors follow; stopped looking", unit=LINE)
            break
    return out


def _read_bytes(file: Path, problems: list[Problem]) -> bytes | None:
    """The file's bytes, or None after noting why it cannot be read (permissions, a folder, I/O)."""
    try:
        return file.read_bytes()
    except OSError as exc:
        problems.append(Problem(str(file), message=f"cannot be read: {exc.strerror or exc}"))
        return None


def _read_meta(file: Path, problems: list[Problem]) -> dict | None:
    name = str(file)
    if not file.is_file():
        problems.append(Problem(name, message="is a folder, not a file" if file.is_dir() else "file is missing"))
        return None
    if file.stat().st_size > MAX_STUDY_YML_BYTES:
        problems.append(Problem(name, message=f"is {file.stat().st_size:,} bytes; study.yml may be at most "
                                              f"{MAX_STUDY_YML_BYTES:,}"))
        return None
    text = _decode(_read_bytes(file, problems), name, problems)
    if text is None:
        return None
    try:
        unsafe = _unsafe_yaml(text, name)
        if unsafe:
            problems += unsafe
            return None
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
            meta = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        problems.append(_yaml_error(name, exc))
        return None
    if not isinstance(meta, dict):
        problems.append(Problem(name, message="must be a mapping of keys to values"))
        return None
    lines = {}  # line of each top-level key, and of each item of a top-level list
    for key_node, value_node in root.value:
        key, line = getattr(key_node, "value", None), key_node.start_mark.line + 1
        if key in lines:  # YAML keeps the last silently; a second title is a mistake
            problems.append(Problem(name, line, str(key), f"key is given twice (first on line {lines[key][0]})", LINE))
            continue
        items = [n.start_mark.line + 1 for n in value_node.value] if isinstance(value_node, yaml.SequenceNode) else []
        lines[key] = (line, items)
    problems += _meta_problems(meta, lines, name)
    return meta


def _meta_problems(meta: dict, lines: dict, name: str) -> list[Problem]:
    """Every key of study.yml with a wrong type or size; keys not named here are kept unchecked."""
    out: list[Problem] = []

    def bad(key, message, item: int | None = None):
        line, items = lines.get(key, (None, []))
        if item is not None and item < len(items):
            line = items[item]
        out.append(Problem(name, line, key, message, LINE))

    def text(key, *, required: bool, empty_ok: bool, limit: int):
        if key not in meta:
            if required:
                out.append(Problem(name, column=key, message="required key is missing"))
            return
        value = meta[key]
        if value is None and not required:
            return  # "key:" with nothing after it: not given
        if not isinstance(value, str):
            bad(key, f"must be {'' if empty_ok else 'non-empty '}text, not {_kind(value)}")
        elif not empty_ok and not value.strip():
            bad(key, "must be non-empty text")
        elif len(value) > limit:
            bad(key, f"is {len(value):,} characters long; at most {limit:,} are allowed")

    text("title", required=True, empty_ok=False, limit=MAX_TITLE_LENGTH)
    text("description", required=True, empty_ok=True, limit=MAX_TEXT_LENGTH)
    text("source", required=True, empty_ok=False, limit=MAX_TEXT_LENGTH)
    text("description_ja", required=False, empty_ok=True, limit=MAX_TEXT_LENGTH)
    text("answer_rate_scope", required=False, empty_ok=True, limit=MAX_TITLE_LENGTH)
    text("platform", required=False, empty_ok=True, limit=MAX_TITLE_LENGTH)  # e.g. twitter: waves compare like for like
    if "synthetic" not in meta:
        out.append(Problem(name, column="synthetic", message="required key is missing"))
    elif not isinstance(meta["synthetic"], bool):
        bad("synthetic", f"must be true or false, not {shown(meta['synthetic'])}")
    for key in ("limits", "limits_ja"):
        value = meta.get(key)
        if value is None:
            continue
        if not isinstance(value, list):
            bad(key, f"must be a list of sentences (one '- ...' line each), not {_kind(value)}")
            continue
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                bad(key, f"item {i + 1} must be non-empty text, not {_kind(item)}", i)
            elif len(item) > MAX_TEXT_LENGTH:
                bad(key, f"item {i + 1} is {len(item):,} characters long; at most {MAX_TEXT_LENGTH:,} are allowed", i)
    thresholds = meta.get("thresholds_minutes", list(DEFAULT_THRESHOLDS))
    example = "e.g. [30, 60, 1440]"
    if not isinstance(thresholds, list) or not thresholds:
        bad("thresholds_minutes", f"must be a list of increasing whole minutes, {example}; got {_kind(thresholds)}")
    elif len(thresholds) > MAX_THRESHOLDS:
        bad("thresholds_minutes", f"lists {len(thresholds)} thresholds; at most {MAX_THRESHOLDS} are allowed")
    else:
        for i, t in enumerate(thresholds):
            if not isinstance(t, int) or isinstance(t, bool) or t <= 0:
                bad("thresholds_minutes", f"item {i + 1} must be a whole number of minutes above 0, "
                                          f"not {shown(t, 40)}", i)
            elif t > MAX_THRESHOLD_MINUTES:
                bad("thresholds_minutes", f"item {i + 1} is {t} minutes; at most {MAX_THRESHOLD_MINUTES} "
                                          "(7 days) are allowed", i)
        if all(isinstance(t, int) for t in thresholds) and sorted(set(thresholds)) != thresholds:
            bad("thresholds_minutes", f"must be a list of increasing whole minutes, {example}; "
                                      f"got {shown(thresholds, 60)}")
    return out


def _kind(value) -> str:
    """What a YAML value is, for a message: text 'abc', a list, a number 3, nothing."""
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return f"text {shown(value, 40)}"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {shown(value, 40)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__} value"


# --------------------------------------------------------------------------------------------
# CSV tables. Read with the csv module rather than pandas: pandas pads short rows with empty
# cells, renames a repeated column to `company.1` and reads an unclosed quote to the end of the
# file, all silently; here each of those is a located problem. A file whose quotes, widths and
# bytes are plainly valid is read by pyarrow instead (`helpers.data.fast_csv`), to the same cells.

MAX_CELL_LENGTH = csv.field_size_limit()  # the csv module's own limit (131,072): a located problem


def _decode(data: bytes | None, name: str, problems: list[Problem]) -> str | None:
    """`data` as text (a UTF-8 byte-order mark is allowed), or None after noting why it cannot be."""
    if data is None:  # could not be read at all; `_read_bytes` said why
        return None
    # UTF-16 has a byte-order mark, or a zero byte beside every ASCII character
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(data) >= 4 and (data[1] == data[3] == 0
                                                                         or data[0] == data[2] == 0)):
        problems.append(Problem(name, message="is UTF-16 text; save the file as UTF-8"))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        problems.append(Problem(name, line, message=(
            f"is not UTF-8 text: byte 0x{data[exc.start]:02x} at byte {exc.start + 1} of the file (byte "
            f"{exc.start - line_start + 1} of the line) cannot be read; save the file as UTF-8"), unit=LINE))
        return None
    nul = text.find("\0")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        problems.append(Problem(name, line, message="contains a NUL character; is it a text file?", unit=LINE))
        return None
    return text


def _records(text: str, name: str, problems: list[Problem]) -> list[list[str]] | None:
    """The rows of a CSV text (header first), or None after noting every row that breaks the format."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str] | None] = []  # None: a row the csv module could not read
    bad: list[Problem] = []
    blank: list[int] = []  # rows that are empty lines; fine only at the end of the file
    while True:
        row_number, first_line = len(rows) + 1, reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                bad.append(Problem(name, row_number, message=(
                    f"an opening quote in row {row_number} (line {first_line}) is never closed; "
                    "the rest of the file was read as one cell")))
                break
            if "field larger" in str(exc):
                why = f"has a cell longer than {MAX_CELL_LENGTH:,} characters"
            elif reader.line_num > first_line:  # the quoted cell ran over lines: a quote left open
                why = (f"a quote opened on line {first_line} closes on line {reader.line_num} in the middle of "
                       "a cell; is a quote never closed, or a quote inside a quoted cell not written twice (\"\")?")
            else:
                why = "a quoted cell goes on after its closing quote; inside quotes write a quote twice (\"\")"
            bad.append(Problem(name, row_number, message=why))
            row = None  # keep counting rows
        if row == []:
            blank.append(row_number)
        rows.append(row)
    while rows and not rows[-1]:  # blank lines at the end of the file are harmless
        rows.pop()
    bad += [Problem(name, r, message="is an empty line; remove it") for r in blank if r <= len(rows)]
    if not rows:
        problems.append(Problem(name, message="file is empty; it needs a header row"))
        return None
    width = len(rows[0] or [])
    for row_number, row in enumerate(rows[1:], start=FIRST_DATA_ROW):
        if row and len(row) != width:
            hint = "; is there a trailing comma?" if len(row) > width and row[-1] == "" else ""
            bad.append(Problem(name, row_number, message=(
                f"has {len(row)} cells but the header has {width}{hint}")))
    if bad:
        bad.sort(key=problem_order)
        if len(bad) > MAX_LISTED:
            bad = bad[:MAX_LISTED] + [Problem(name, bad[MAX_LISTED].row,
                                              message=f"and {len(bad) - MAX_LISTED} more rows like these")]
        problems += bad
        return None
    return rows


def _header_problems(header: list[str], name: str) -> list[Problem]:
    """Empty and repeated column names in the header (row 1)."""
    out: list[Problem] = []
    first: dict[str, int] = {}
    for cell, column in enumerate(header, start=1):
        if not column:
            out.append(Problem(name, 1, message=f"header cell {cell} has no column name; every column needs one"
                               + (" (is there a trailing comma?)" if cell == len(header) else "")))
        elif column in first:
            out.append(Problem(name, 1, column, f"column {shown(column)} appears twice in the header "
                                                f"(cells {first[column]} and {cell}); each column must be named once"))
        else:
            first[column] = cell
    return out


def read_table(file: Path, required, optional, problems: list[Problem]) -> pd.DataFrame | None:
    """A CSV table as stripped text (free text kept as is), or None after noting why it cannot be read."""
    name = str(file)
    if not file.is_file():
        problems.append(Problem(name, message="is a folder, not a file" if file.is_dir() else "file is missing"))
        return None
    data = _read_bytes(file, problems)
    fast = strict_table(data, MAX_CELL_LENGTH) if data is not None else None
    if fast is None:  # not plainly valid: the strict reader finds and names what is wrong
        text = _decode(data, name, problems)
        if text is None:
            return None
        rows = _records(text, name, problems)
        if rows is None:
            return None
        columns = list(zip(*rows[1:], strict=True)) if len(rows) > 1 else [()] * len(rows[0])
        cells, header = [pd.Series(values, dtype=str) for values in columns], rows[0]
    else:
        header, cells = fast
        cells = [pd.Series(pd.array(col, dtype="str")) for col in cells]
    header = [c.strip() for c in header]
    header_problems = _header_problems(header, name)
    missing = [c for c in required if c not in header]
    for col in missing:
        header_problems.append(Problem(name, row=1, column=col, message="required column is missing from the header"))
    if header_problems:
        problems += header_problems
        return None
    df = pd.DataFrame(dict(zip(header, cells, strict=True)))
    for col in df.columns:
        if col not in TEXT_COLUMNS:
            df[col] = df[col].str.strip()
    for col in optional:
        if col not in df.columns:
            df[col] = ""
    return df


# --------------------------------------------------------------------------------------------
# Checks. Probe columns are checked by a pandera schema, accounts by the rules importers share
# (helpers.data.accounts); rules across columns and files follow.


def _schema_problems(df: pd.DataFrame, schema, file: str) -> list[Problem]:
    import pandera.pandas as pa  # imported here: pandera takes a second to import

    try:
        schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        out = []
        for case in exc.failure_cases.itertuples(index=False):
            check = str(case.check)
            if check == "field_uniqueness":
                message = f"duplicate value {case.failure_case!r}; must be unique"
            else:
                message = check.format(value=shown(case.failure_case))
            row = None if pd.isna(case.index) else int(case.index) + FIRST_DATA_ROW
            out.append(Problem(file, row, case.column, message))
        return out
    return []


def _nonempty(what: str):
    import pandera.pandas as pa

    return pa.Check(lambda s: s.str.len() > 0, error=f"{what} must not be empty")


def _one_of(values: Iterable[str], allow_empty: bool):
    import pandera.pandas as pa

    allowed = tuple(values)
    listed = ", ".join(allowed)
    return pa.Check(
        lambda s: s.isin(allowed) | ((s == "") if allow_empty else False),
        error=f"{{value}} is not allowed; use one of {listed}" + (" (or leave empty)" if allow_empty else ""),
    )


def _is_timezone(value: str) -> bool:
    if value == "":
        return True
    if len(value) > MAX_TIMEZONE_LENGTH:
        return False
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name the OS cannot open
        return False
    return True


def _check_accounts(df: pd.DataFrame, file: str, problems: list[Problem]) -> None:
    problems += account_problems(df, file)
    for i, (zone, text) in enumerate(zip(df["timezone"], df["stated_hours"], strict=True)):
        if not _is_timezone(zone):
            problems.append(Problem(file, i + FIRST_DATA_ROW, "timezone",
                                    f"{shown(zone)} is not an IANA time zone such as Europe/London"))
        if len(text) > MAX_HOURS_LENGTH:
            problems.append(Problem(file, i + FIRST_DATA_ROW, "stated_hours",
                                    f"is {len(text):,} characters long; at most {MAX_HOURS_LENGTH} are allowed"))
            continue
        why = hours_problem(text)
        if why:
            problems.append(Problem(file, i + FIRST_DATA_ROW, "stated_hours",
                                    f"{shown(text)} is not stated hours such as 'Mon-Fri 08:00-20:00; "
                                    f"Sat 09:00-17:00': {why}"))
    if df.empty:
        problems.append(Problem(file, message="lists no accounts"))


def _parse_timestamps(df: pd.DataFrame, file: str, problems: list[Problem], required: set[str]) -> None:
    """Replace each timestamp column by UTC datetimes, noting every cell that is not one."""
    lo = pd.Timestamp(f"{STUDY_YEARS[0]}-01-01", tz="UTC")
    hi = pd.Timestamp(f"{STUDY_YEARS[1] + 1}-01-01", tz="UTC")
    for col in TIMESTAMP_COLUMNS:
        raw = df[col]
        empty = raw == ""
        well_formed = raw.where(raw.str.len() <= MAX_TIMESTAMP_LENGTH, "").str.match(ISO_TIMESTAMP)
        well_formed = well_formed.fillna(False).astype(bool)
        # Years outside STUDY_YEARS are not parsed at all: pandas would hold them at another
        # resolution, or not at all, and later differences would overflow.
        year = raw.str.slice(0, 4).where(well_formed, "2000").astype("int64")
        readable = well_formed & year.between(*STUDY_YEARS)
        parsed = pd.to_datetime(raw.where(readable), utc=True, format="ISO8601", errors="coerce")
        in_range = parsed.isna() | ((parsed >= lo) & (parsed < hi))
        for i in df.index[empty & (col in required)]:
            problems.append(Problem(file, i + FIRST_DATA_ROW, col, "must not be empty"))
        for i in df.index[~empty & (~well_formed | parsed.isna() | ~in_range)]:
            problems.append(Problem(file, i + FIRST_DATA_ROW, col, _timestamp_problem(raw[i], well_formed[i])))
        df[col] = parsed.where(in_range).astype("datetime64[ns, UTC]")


def _timestamp_problem(value: str, well_formed: bool) -> str:
    """Why a cell is not a usable timestamp."""
    years = f"outside the years {STUDY_YEARS[0]} to {STUDY_YEARS[1]}"
    if len(value) > MAX_TIMESTAMP_LENGTH:
        return f"{shown(value, 50)} is not an ISO 8601 timestamp such as {EXAMPLE}"
    if well_formed:
        offset = re.search(r"([+-])([0-9]{2}):?([0-9]{2})$", value)
        if offset and (int(offset[2]) > 23 or int(offset[3]) > 59):
            return f"{shown(value)} has UTC offset {offset[0]}; offsets lie between -23:59 and +23:59"
        year = int(value[:4])
        if not STUDY_YEARS[0] <= year <= STUDY_YEARS[1]:
            return f"{shown(value)} is {years}"
        parsed = pd.to_datetime(value, errors="coerce", utc=True, format="ISO8601")
        if pd.notna(parsed):
            return f"{shown(value)} is {years} in UTC"
        return f"{shown(value)} is not a real date and time"
    if pd.notna(pd.to_datetime(value, errors="coerce", format="ISO8601")):
        return f"{shown(value)} has no UTC offset; write e.g. {EXAMPLE}"
    return f"{shown(value)} is not an ISO 8601 timestamp such as {EXAMPLE}"


def _order_problems(df, file, problems, later: str, earlier: str, message: str) -> None:
    bad = df[later].notna() & df[earlier].notna() & (df[later] < df[earlier])
    for i in df.index[bad]:
        problems.append(Problem(file, i + FIRST_DATA_ROW, later, message.format(
            later=df.at[i, later].isoformat(), earlier=df.at[i, earlier].isoformat())))


def _check_probes(df: pd.DataFrame, accounts: pd.DataFrame | None, file: str,
                  problems: list[Problem]) -> pd.DataFrame:
    import pandera.pandas as pa

    schema = pa.DataFrameSchema(
        {
            "probe_id": pa.Column(checks=_nonempty("probe_id"), unique=True),
            "company": pa.Column(checks=_nonempty("company")),
            "account": pa.Column(checks=_nonempty("account")),
            "question_type": pa.Column(checks=_nonempty("question_type")),
            "tone": pa.Column(checks=_one_of(TONES, allow_empty=True)),
            "resolved_publicly": pa.Column(checks=_one_of(
                sorted(TRUE_WORDS | FALSE_WORDS), allow_empty=True), ),
        },
    )
    lowered = df.assign(resolved_publicly=df["resolved_publicly"].str.lower())
    problems += _schema_problems(lowered, schema, file)
    for col, limit in [(c, MAX_NAME_LENGTH) for c in NAME_COLUMNS] + [("first_reply_text", MAX_REPLY_LENGTH)]:
        for i in df.index[df[col].str.len() > limit]:
            message = (name_too_long(col, df.at[i, col]) if limit == MAX_NAME_LENGTH else
                       f"is {len(df.at[i, col]):,} characters long; at most {limit:,} are allowed")
            problems.append(Problem(file, i + FIRST_DATA_ROW, col, message))
    if df.empty:
        problems.append(Problem(file, message="lists no probes"))

    if accounts is not None:
        owner = dict(zip(accounts["account"], accounts["company"], strict=True))
        pairs = pd.MultiIndex.from_arrays([df["company"], df["account"]])
        listed = pairs.isin(pd.MultiIndex.from_arrays([accounts["company"], accounts["account"]]))
        unlisted = ~listed & (df["company"] != "").to_numpy() & (df["account"] != "").to_numpy()
        for i in df.index[unlisted]:
            company, account = df.at[i, "company"], df.at[i, "account"]
            if account in owner:
                why = (f"account {shown(account)} belongs to company {shown(owner[account])} in accounts.csv, "
                       f"not {shown(company)}")
            else:
                why = f"account {shown(account)} of company {shown(company)} is not listed in accounts.csv"
            problems.append(Problem(file, i + FIRST_DATA_ROW, "account", why))

    out = df.copy()
    _parse_timestamps(out, file, problems, required={"sent_at", "observed_until"})
    _order_problems(out, file, problems, "observed_until", "sent_at",
                    "observation ends ({later}) before the question was sent ({earlier})")
    _order_problems(out, file, problems, "first_reply_at", "sent_at",
                    "reply ({later}) is earlier than the question ({earlier})")
    _order_problems(out, file, problems, "follow_up_sent_at", "sent_at",
                    "follow-up ({later}) is earlier than the first question ({earlier})")
    _order_problems(out, file, problems, "observed_until", "follow_up_sent_at",
                    "observation ends ({later}) before the follow-up was sent ({earlier})")
    _order_problems(out, file, problems, "follow_up_reply_at", "follow_up_sent_at",
                    "follow-up reply ({later}) is earlier than the follow-up ({earlier})")
    orphan = out["follow_up_reply_at"].notna() & (df["follow_up_sent_at"] == "")
    for i in out.index[orphan]:
        problems.append(Problem(file, i + FIRST_DATA_ROW, "follow_up_reply_at",
                                "a follow-up reply needs follow_up_sent_at"))
    text_without_reply = (df["first_reply_text"].str.strip() != "") & (df["first_reply_at"] == "")
    for i in out.index[text_without_reply]:
        problems.append(Problem(file, i + FIRST_DATA_ROW, "first_reply_text",
                                "reply text is given but first_reply_at is empty"))

    out["tone"] = out["tone"].replace("", "neutral")
    flag = out["resolved_publicly"].str.lower()
    resolved = pd.Series(pd.NA, index=out.index, dtype="boolean")
    resolved[flag.isin(TRUE_WORDS)] = True
    resolved[flag.isin(FALSE_WORDS)] = False
    out["resolved_publicly"] = resolved
    return out
