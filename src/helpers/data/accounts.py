"""The rules every list of accounts obeys: a study's ``accounts.csv`` and an importer's mapping.

Each row names a company, an account (handle) and the department that owns it. The company and
the account must not be empty, the department must be one of `DEPARTMENTS`, and an account is
listed once, so it belongs to one company. Names are at most `MAX_NAME_LENGTH` characters.
"""

from __future__ import annotations

import pandas as pd

from helpers.data.problems import ROW, Problem, shown
from helpers.data.vocabulary import DEPARTMENTS

FIRST_DATA_ROW = 2  # the header is row (and line) 1
# Longest company, account or question-type name, in characters: names become page titles and
# (shortened) file names, so a longer one is refused when the data is read, not minutes later.
MAX_NAME_LENGTH = 200


def name_too_long(column: str, value: str) -> str:
    """The message for a name longer than `MAX_NAME_LENGTH`."""
    return f"{column} is {len(value)} characters long; at most {MAX_NAME_LENGTH} are allowed"


def account_problems(table: pd.DataFrame, file: str, *, ignore_case: bool = False) -> list[Problem]:
    """Every broken rule in `table` (columns company, account, department; stripped text).

    `ignore_case` treats ``AcmeHelp`` and ``acmehelp`` as one account, as handles are matched.
    """
    problems: list[Problem] = []
    seen: dict[str, tuple[int, str]] = {}
    columns = zip(table["company"], table["account"], table["department"], strict=True)
    for row, (company, account, department) in enumerate(columns, start=FIRST_DATA_ROW):
        for column, value in (("company", company), ("account", account)):
            if not value:
                problems.append(Problem(file, row, column, f"{column} must not be empty", ROW))
            elif len(value) > MAX_NAME_LENGTH:
                problems.append(Problem(file, row, column, name_too_long(column, value), ROW))
        if department not in DEPARTMENTS:
            problems.append(Problem(file, row, "department",
                                    f"{shown(department)} is not allowed; use one of {', '.join(DEPARTMENTS)}", ROW))
        key = account.lower() if ignore_case else account
        if not account:
            continue
        if key in seen:
            first_row, first_company = seen[key]
            what = "listed again" if first_company == company else f"already listed for company {shown(first_company)}"
            problems.append(Problem(file, row, "account", f"account {shown(account)} is {what} (row {first_row})", ROW))
        else:
            seen[key] = (row, company)
    return problems
