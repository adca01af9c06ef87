"""The accounts mapping: which company and department own each brand handle (``account,company,department``).

It obeys the rules of a study's ``accounts.csv`` (`helpers.data.accounts`, names at most
``MAX_NAME_LENGTH`` characters included), with handles matched ignoring case, as Twitter does.
It is read before the tweets, so a bad entry is refused at once.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from helpers import paths
from helpers.data.accounts import account_problems
from helpers.data.problems import ImportFailed, Problem
from helpers.data.study import read_table

MAPPING_COLUMNS = ("account", "company", "department")


def read_accounts(file: str | os.PathLike | None = None) -> pd.DataFrame:
    """The mapping of brand handles to company and department.

    Without `file`, the default mapping for the TWCS handles (``data/mappings/twcs-accounts.csv``).
    Raises `ImportFailed` naming the file, row and column of every bad entry.
    """
    file = Path(file) if file is not None else paths.TWCS_ACCOUNTS
    if not file.is_file():
        raise ImportFailed([Problem(str(file), message="no such mapping file")])
    problems: list[Problem] = []
    table = read_table(file, MAPPING_COLUMNS, (), problems)
    if table is not None:
        table = table[list(MAPPING_COLUMNS)]
        problems += account_problems(table, str(file), ignore_case=True)
    if problems:
        raise ImportFailed(problems)
    return table
