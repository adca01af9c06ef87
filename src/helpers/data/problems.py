"""Located problems: what is wrong, in which file, row (or line) and column, and the errors that list them.

`Problem` is the one located-problem type; `InvalidInput` the one exception that carries a list
of them. Its subclasses only word the list for their command: `StudyValidationError` for the
loader, `ImportFailed` for importers.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

ROW: Literal["row"] = "row"  # spreadsheet numbering: the header is row 1
LINE: Literal["line"] = "line"  # as an editor counts lines in the raw file, quoted line breaks included


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located as precisely as the data allows.

    `row` counts what `unit` says: spreadsheet rows of a table read as such, or lines of a raw
    file whose records may span several lines.
    """

    file: str
    row: int | None = None
    column: str | None = None
    message: str = ""
    unit: Literal["row", "line"] = field(default=ROW, compare=False)

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"{self.unit} {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


def shown(value: object, limit: int = 80) -> str:
    """`value` as quoted in a message (its repr), cut to about `limit` characters: a hostile
    100,000-character cell must not become a 100,000-character message."""
    text = repr(value)
    if len(text) <= limit:
        return text
    length = f" ({len(value)} characters)" if isinstance(value, str) else ""
    return f"{text[:limit]}...{length}"


def problem_order(p: Problem) -> tuple:
    return (p.file, p.row if p.row is not None else 0, p.column or "", p.message)


class InvalidInput(Exception):
    """Bad input: every located problem found, sorted by file, row and column."""

    shown: int | None = None  # problems printed before "... and N more" (None: all)
    footer = ""

    def __init__(self, problems: Iterable[Problem], hint: str = ""):
        self.problems = sorted(problems, key=problem_order)
        self.hint = hint
        super().__init__(str(self))

    def heading(self) -> str:
        n = len(self.problems)
        return f"{n} problem{'s' if n != 1 else ''}:"

    def __str__(self) -> str:
        n, shown = len(self.problems), self.shown or len(self.problems)
        lines = [self.heading()] + [f"  - {p}" for p in self.problems[:shown]]
        if n > shown:
            lines.append(f"  ... and {n - shown} more")
        lines += [text for text in (self.hint, self.footer) if text]
        return "\n".join(lines)


class StudyValidationError(InvalidInput):
    """Raised by `load_study` when a study breaks the data format."""

    footer = "The data format is described in data/README.md."

    def __init__(self, study_dir: str | os.PathLike, problems: Iterable[Problem]):
        self.study_dir = Path(study_dir)
        super().__init__(problems)

    def heading(self) -> str:
        return f"Study {self.study_dir} is not valid ({super().heading()[:-1]}):"


class ImportFailed(InvalidInput):
    """The input cannot be imported; nothing was written."""

    shown = 30
    footer = "Nothing was written."

    def heading(self) -> str:
        return f"Cannot import: {super().heading()[:-1]} in the input:"
