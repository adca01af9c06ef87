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

import os
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd
import yaml

from helpers import paths
from helpers.data.accounts import FIRST_DATA_ROW, account_problems
from helpers.data.hours import hours_problem
from helpers.data.outcomes import add_outcomes
from helpers.data.problems import Problem, StudyValidationError, problem_order
from helpers.data.timestamps import EXAMPLE, parse_iso
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


def load_study(study_dir: str | os.PathLike) -> Study:
    """Load and validate a study folder; raise `StudyValidationError` listing every problem."""
    path = paths.resolve(study_dir)
    meta, accounts, probes, problems = _read_and_check(path)
    if problems:
        raise StudyValidationError(path, problems)
    return Study(path=path, meta=meta, accounts=accounts, probes=probes)


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


def _read_meta(file: Path, problems: list[Problem]) -> dict | None:
    name = str(file)
    if not file.is_file():
        problems.append(Problem(name, message="file is missing"))
        return None
    try:
        meta = yaml.safe_load(file.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        problems.append(Problem(name, message="not UTF-8 text"))
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" (line {mark.line + 1})" if mark is not None else ""
        problems.append(Problem(name, message=f"not valid YAML{line}: {getattr(exc, 'problem', exc)}"))
        return None
    if not isinstance(meta, dict):
        problems.append(Problem(name, message="must be a mapping of keys to values"))
        return None
    for key in ("title", "description", "source"):
        value = meta.get(key)
        if key not in meta:
            problems.append(Problem(name, column=key, message="required key is missing"))
        elif not isinstance(value, str) or (key != "description" and not value.strip()):
            problems.append(Problem(name, column=key, message="must be non-empty text"))
    if "description_ja" in meta and not isinstance(meta["description_ja"], str):
        problems.append(Problem(name, column="description_ja", message="must be text"))
    if "synthetic" not in meta:
        problems.append(Problem(name, column="synthetic", message="required key is missing"))
    elif not isinstance(meta["synthetic"], bool):
        problems.append(
            Problem(name, column="synthetic", message=f"must be true or false, not {meta['synthetic']!r}")
        )
    thresholds = meta.get("thresholds_minutes", list(DEFAULT_THRESHOLDS))
    if (
        not isinstance(thresholds, list)
        or not thresholds
        or not all(isinstance(t, int) and not isinstance(t, bool) and t > 0 for t in thresholds)
        or sorted(set(thresholds)) != thresholds
    ):
        problems.append(
            Problem(name, column="thresholds_minutes",
                    message=f"must be a list of increasing whole minutes, e.g. [30, 60, 1440]; got {thresholds!r}")
        )
    return meta


def read_table(file: Path, required, optional, problems: list[Problem]) -> pd.DataFrame | None:
    """A CSV table as stripped text (free text kept as is), or None after noting why it cannot be read."""
    name = str(file)
    if not file.is_file():
        problems.append(Problem(name, message="file is missing"))
        return None
    try:
        df = pd.read_csv(file, dtype=str, keep_default_na=False, encoding="utf-8")
    except UnicodeDecodeError:
        problems.append(Problem(name, message="not UTF-8 text; save the file as UTF-8 CSV"))
        return None
    except pd.errors.EmptyDataError:
        problems.append(Problem(name, message="file is empty; it needs a header row"))
        return None
    except pd.errors.ParserError as exc:
        problems.append(Problem(name, message=f"not a readable CSV file: {str(exc).strip()}"))
        return None
    df.columns = [str(c).strip() for c in df.columns]
    missing = [c for c in required if c not in df.columns]
    for col in missing:
        problems.append(Problem(name, row=1, column=col, message="required column is missing from the header"))
    if missing:
        return None
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
                message = check.format(value=case.failure_case)
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
    shown = ", ".join(allowed)
    return pa.Check(
        lambda s: s.isin(allowed) | ((s == "") if allow_empty else False),
        error=f"{{value!r}} is not allowed; use one of {shown}" + (" (or leave empty)" if allow_empty else ""),
    )


def _is_timezone(value: str) -> bool:
    if value == "":
        return True
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _check_accounts(df: pd.DataFrame, file: str, problems: list[Problem]) -> None:
    problems += account_problems(df, file)
    for i, (zone, text) in enumerate(zip(df["timezone"], df["stated_hours"], strict=True)):
        if not _is_timezone(zone):
            problems.append(Problem(file, i + FIRST_DATA_ROW, "timezone",
                                    f"{zone!r} is not an IANA time zone such as Europe/London"))
        why = hours_problem(text)
        if why:
            problems.append(Problem(file, i + FIRST_DATA_ROW, "stated_hours",
                                    f"{text!r} is not stated hours such as 'Mon-Fri 08:00-20:00; Sat 09:00-17:00': {why}"))
    if df.empty:
        problems.append(Problem(file, message="lists no accounts"))


def _parse_timestamps(df: pd.DataFrame, file: str, problems: list[Problem], required: set[str]) -> None:
    """Replace each timestamp column by UTC datetimes, noting every cell that is not one."""
    for col in TIMESTAMP_COLUMNS:
        raw = df[col]
        empty = raw == ""
        parsed, well_formed = parse_iso(raw)
        # pandas times are nanoseconds from 1970: about the years 1678 to 2261
        in_range = parsed.isna() | parsed.between(pd.Timestamp.min.tz_localize("UTC"),
                                                  pd.Timestamp.max.tz_localize("UTC"))
        for i in df.index[empty & (col in required)]:
            problems.append(Problem(file, i + FIRST_DATA_ROW, col, "must not be empty"))
        for i in df.index[~empty & (~well_formed | parsed.isna() | ~in_range)]:
            value = raw[i]
            if well_formed[i] and not in_range[i]:
                message = f"{value!r} is outside the years 1678 to 2261"
            elif well_formed[i]:
                message = f"{value!r} is not a real date and time"
            elif pd.notna(pd.to_datetime(value, errors="coerce", format="ISO8601")):
                message = f"{value!r} has no UTC offset; write e.g. {EXAMPLE}"
            else:
                message = f"{value!r} is not an ISO 8601 timestamp such as {EXAMPLE}"
            problems.append(Problem(file, i + FIRST_DATA_ROW, col, message))
        df[col] = parsed.where(in_range).astype("datetime64[ns, UTC]")


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
    if df.empty:
        problems.append(Problem(file, message="lists no probes"))

    if accounts is not None:
        listed = set(zip(accounts["company"], accounts["account"], strict=True))
        owner = dict(zip(accounts["account"], accounts["company"], strict=True))
        for i, (company, account) in enumerate(zip(df["company"], df["account"], strict=True)):
            if not company or not account or (company, account) in listed:
                continue
            if account in owner:
                why = f"account {account!r} belongs to company {owner[account]!r} in accounts.csv, not {company!r}"
            else:
                why = f"account {account!r} of company {company!r} is not listed in accounts.csv"
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
    out["resolved_publicly"] = pd.array(
        [True if v in TRUE_WORDS else False if v in FALSE_WORDS else pd.NA for v in flag], dtype="boolean"
    )
    return out
