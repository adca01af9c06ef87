"""Located problems: what is wrong, in which file, row and column."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a study, located as precisely as the data allows."""

    file: str
    row: int | None = None
    column: str | None = None
    message: str = ""

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class StudyValidationError(Exception):
    """Raised by `load_study` when a study breaks the data format."""

    def __init__(self, study_dir: str | os.PathLike, problems: Iterable[Problem]):
        self.study_dir = Path(study_dir)
        self.problems = sorted(problems, key=problem_order)
        super().__init__(str(self))

    def __str__(self) -> str:
        n = len(self.problems)
        lines = [f"Study {self.study_dir} is not valid ({n} problem{'s' if n != 1 else ''}):"]
        lines += [f"  - {p}" for p in self.problems]
        lines.append("The data format is described in data/README.md.")
        return "\n".join(lines)


def problem_order(p: Problem) -> tuple:
    return (p.file, p.row if p.row is not None else 0, p.column or "", p.message)
