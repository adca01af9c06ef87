"""The published record: figures of earlier benchmark studies, one row each, with unit and source.

``data/published/published-record.csv`` holds every figure of the project's research notes that
is a response or answer rate, a response time, or a share answered within a threshold (see
``data/README.md`` for each column). `load_published` reads and checks it: a row without a source
or a unit, with a measure or unit not listed here, or with a share outside 0-1 is a located
problem (file, row, column), and the loader raises `PublishedRecordError` listing them all.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from helpers import paths
from helpers.data.accounts import FIRST_DATA_ROW
from helpers.data.problems import InvalidInput, Problem, shown

RECORD_FILE = paths.PUBLISHED_DIR / "published-record.csv"

# measure -> what its value is: a share (0-1) or minutes
MEASURES = {
    "response_rate": "share",  # replied at all (within the study's watch)
    "answer_rate": "share",  # answered successfully, as the study judged it
    "share_within": "share",  # replied within threshold_minutes
    "mean_minutes": "minutes",  # mean time to reply, over replies only unless the definition says otherwise
    "median_minutes": "minutes",
}
# What one counted thing is: a company, one of its accounts (handles), or a customer's message
# (a probe, in a probe study).
UNITS = ("company", "account", "message")
DESIGNS = ("probe", "observational")
REQUIRED = ("study_id", "study", "year", "country", "channel", "design", "group", "measure", "value", "unit",
            "definition", "source")
OPTIONAL = ("edition", "threshold_minutes", "among", "companies", "messages", "derived", "not_verified", "notes_ref")
# What a share or time is over: every message sent, or only those answered (a mean response time,
# "59% of responses within 1 h"). Only shares of all messages are comparable to a response rate.
AMONG = ("all", "answered")
YEARS = (2005, 2035)


class PublishedRecordError(InvalidInput):
    """The published record breaks its format."""

    footer = "The format of the published record is described in data/README.md."

    def heading(self) -> str:
        return f"The published record is not valid ({super().heading()[:-1]}):"


def load_published(path: str | os.PathLike = RECORD_FILE) -> pd.DataFrame:
    """The published record with typed columns; raises `PublishedRecordError` listing every problem."""
    table, problems = _read_and_check(paths.resolve(path))
    if problems:
        raise PublishedRecordError(problems)
    return table


def published_problems(path: str | os.PathLike = RECORD_FILE) -> list[Problem]:
    """Every problem of the published record (empty when it is valid)."""
    return _read_and_check(paths.resolve(path))[1]


def _read_and_check(path: Path) -> tuple[pd.DataFrame | None, list[Problem]]:
    from helpers.data.study import read_table  # the strict CSV reader and its located problems

    problems: list[Problem] = []
    raw = read_table(path, REQUIRED, OPTIONAL, problems)
    if raw is None:
        return None, problems
    name = str(path)
    out = raw.copy()
    numbers: dict[str, pd.Series] = {}
    for col in ("value", "threshold_minutes", "year", "companies", "messages"):
        numbers[col] = pd.to_numeric(raw[col].where(raw[col] != ""), errors="coerce")
    seen: dict[tuple, int] = {}
    for i, r in enumerate(raw.itertuples(index=False)):
        row = i + FIRST_DATA_ROW

        def bad(column: str, message: str) -> None:
            problems.append(Problem(name, row, column, message))

        for column in ("study_id", "study", "country", "channel", "definition"):
            if not getattr(r, column):
                bad(column, f"{column} must not be empty")
        if not r.source:
            bad("source", "a published figure needs its source: the URL it was read from")
        elif not r.source.startswith(("https://", "http://")):
            bad("source", f"{shown(r.source)} is not a URL (http:// or https://)")
        if not r.unit:
            bad("unit", f"a published figure needs its unit: one of {', '.join(UNITS)}")
        elif r.unit not in UNITS:
            bad("unit", f"{shown(r.unit)} is not a unit; use one of {', '.join(UNITS)}")
        if r.design not in DESIGNS:
            bad("design", f"{shown(r.design)} is not allowed; use one of {', '.join(DESIGNS)}")
        kind = MEASURES.get(r.measure)
        if kind is None:
            bad("measure", f"{shown(r.measure)} is not a measure; use one of {', '.join(MEASURES)}")
        value = numbers["value"].iloc[i]
        if pd.isna(value):
            bad("value", f"{shown(r.value)} is not a number")
        elif kind == "share" and not 0 <= value <= 1:
            bad("value", f"{shown(r.value)} is a share and lies between 0 and 1 (write 0.85, not 85)")
        elif kind == "minutes" and not value > 0:
            bad("value", f"{shown(r.value)} minutes: a time must be above 0")
        threshold = numbers["threshold_minutes"].iloc[i]
        if r.measure == "share_within" and not (threshold > 0 and float(threshold).is_integer()):
            bad("threshold_minutes", "share_within needs its threshold: whole minutes above 0")
        elif kind is not None and r.measure != "share_within" and r.threshold_minutes:
            bad("threshold_minutes", f"only share_within has a threshold, not {shown(r.measure)}")
        year = numbers["year"].iloc[i]
        if r.year and not (float(year).is_integer() and YEARS[0] <= year <= YEARS[1]):
            bad("year", f"{shown(r.year)} is not a year between {YEARS[0]} and {YEARS[1]} (leave it empty if unknown)")
        for column in ("companies", "messages"):
            count = numbers[column].iloc[i]
            if getattr(r, column) and not (count > 0 and float(count).is_integer()):
                bad(column, f"{shown(getattr(r, column))} is not a whole number above 0 (leave it empty if unknown)")
        if r.among not in ("", *AMONG):
            bad("among", f"{shown(r.among)} is not allowed; use one of {', '.join(AMONG)} (empty means all)")
        elif kind == "minutes" and r.among == "all":
            bad("among", "a response time is over answered messages only: write answered")
        if r.derived not in ("", "true", "false"):
            bad("derived", f"{shown(r.derived)} is not allowed; use true or false")
        key = (r.study_id, r.edition, r.group, r.measure, r.threshold_minutes, r.unit)
        if key in seen:
            bad("measure", f"the same figure is given again (row {seen[key]}): study, edition, group, measure, "
                           "threshold and unit")
        seen.setdefault(key, row)
    for col in ("value", "threshold_minutes"):
        out[col] = numbers[col]
    for col in ("year", "companies", "messages"):
        out[col] = numbers[col].round().astype("Int64")
    out["derived"] = raw["derived"] == "true"
    out["among"] = raw["among"].replace("", "all")
    return out, problems
