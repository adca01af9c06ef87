"""Learner and instructor copies of the workshop lessons, generated from the solved sources.

A solved lesson (``notebooks/workshop/W*.md``, MyST, paired with its ``.ipynb``) holds both
languages, the solutions and the instructor notes, marked by cell tags and line markers:

- ``lang-en`` / ``lang-ja`` on a Markdown cell: text in one language (each copy keeps its own);
- ``instructor`` on a cell: a note for the teacher (instructor copies only);
- ``solution`` on a Markdown cell: a model answer (instructor copies only);
- in a code cell, ``name = value  # SOLUTION`` becomes ``name = ...`` for learners, and the lines
  from ``# BEGIN SOLUTION`` to ``# END SOLUTION`` are left out;
- ``parameters``: the copy's ``lang = "..."`` line is set to its language.

A learner copy records a hash of its cells; `write_copies` replaces a copy only while it still
has that hash (nobody edited it), so a learner's work is never overwritten: `reset` moves an
edited copy aside (``*.backup-<time>.ipynb``) before writing a fresh one.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

import jupytext
import nbformat

from helpers import paths
from helpers.text.catalogue import LANGS

LESSONS_DIR = paths.NOTEBOOKS_DIR / "workshop"
LEARNERS_DIR = LESSONS_DIR / "learners"  # learners/en, learners/ja: committed, so Binder has them
INSTRUCTOR_DIR = paths.BUILD_DIR / "workshop" / "instructor"  # instructor/en, instructor/ja
LANG_TAG = "lang-"
INSTRUCTOR_TAG = "instructor"
SOLUTION_TAG = "solution"
METADATA_KEY = "socialcare_workshop"

_SOLUTION_LINE = re.compile(r"^(?P<lhs>\s*[^=#]+?)\s*=(?!=)\s*.*?\s*# SOLUTION\s*$")
_MARKER = re.compile(r"\s*# SOLUTION\s*$")
_BEGIN, _END = "# BEGIN SOLUTION", "# END SOLUTION"
_LANG_LINE = re.compile(r'^(lang\s*(?::\s*str)?\s*=\s*)"[a-z]+"', re.M)


class LessonError(ValueError):
    """A solved lesson whose markers do not pair up (named by file and cell)."""


def lessons(folder: Path = LESSONS_DIR) -> list[Path]:
    """The solved lessons' MyST sources, in order (W0, W1, ...)."""
    return sorted(folder.glob("W[0-9]*.md"))


def read_lesson(path: Path) -> nbformat.NotebookNode:
    return jupytext.read(path, fmt="md:myst")


def _tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def _other_language(cell, lang: str) -> bool:
    return any(tag.startswith(LANG_TAG) and tag != f"{LANG_TAG}{lang}" for tag in _tags(cell))


def learner_source(source: str, where: str = "") -> str:
    """A code cell's source with its solutions taken out."""
    out, inside = [], False
    for line in source.splitlines():
        stripped = line.strip()
        if stripped == _BEGIN:
            if inside:
                raise LessonError(f"{where}: {_BEGIN} inside another")
            inside = True
            continue
        if stripped == _END:
            if not inside:
                raise LessonError(f"{where}: {_END} without {_BEGIN}")
            inside = False
            continue
        if inside:
            continue
        match = _SOLUTION_LINE.match(line)
        if match:
            out.append(f"{match['lhs']} = ...")
        elif "# SOLUTION" in line or "# BEGIN SOLUTION" in line or "# END SOLUTION" in line:
            raise LessonError(f"{where}: a solution marker must end a 'name = value' line or stand alone: "
                              f"{line.strip()!r}")
        else:
            out.append(line)
    if inside:
        raise LessonError(f"{where}: {_BEGIN} without {_END}")
    return "\n".join(out).strip("\n")


def instructor_source(source: str) -> str:
    """A code cell's source as the instructor sees it: solutions in, markers out."""
    lines = [line for line in source.splitlines() if line.strip() not in (_BEGIN, _END)]
    return "\n".join(_MARKER.sub("", line) for line in lines)


def _cells_hash(nb) -> str:
    cells = [[c.cell_type, c.source, sorted(_tags(c))] for c in nb.cells]
    return hashlib.sha256(json.dumps(cells, ensure_ascii=False).encode()).hexdigest()[:16]


def _copy(nb, lang: str, role: str, name: str) -> nbformat.NotebookNode:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    out = nbformat.v4.new_notebook()
    out.metadata = {k: copy.deepcopy(v) for k, v in nb.metadata.items() if k != "jupytext"}
    out.metadata.setdefault("kernelspec", {"display_name": "Python 3", "language": "python", "name": "python3"})
    out.metadata["language_info"] = {"name": "python"}
    for number, cell in enumerate(nb.cells, start=1):
        tags = _tags(cell)
        if _other_language(cell, lang):
            continue
        if role == "learner" and (INSTRUCTOR_TAG in tags or (SOLUTION_TAG in tags and cell.cell_type == "markdown")):
            continue
        source = cell.source
        if cell.cell_type == "code":
            where = f"{name}, cell {number}"
            source = learner_source(source, where) if role == "learner" else instructor_source(source)
            if "parameters" in tags:
                source = _LANG_LINE.sub(lambda m: f'{m[1]}"{lang}"', source)
            new = nbformat.v4.new_code_cell(source)
        else:
            new = nbformat.v4.new_markdown_cell(source)
        if tags:
            new.metadata["tags"] = sorted(tags)
        new.id = f"{role[0]}{lang}-{number:03d}"  # stable ids: a regenerated copy is byte for byte the same
        out.cells.append(new)
    out.metadata[METADATA_KEY] = {"lesson": name, "lang": lang, "copy": role, "cells": _cells_hash(out)}
    return out


def learner_copy(nb, lang: str, name: str = "") -> nbformat.NotebookNode:
    """The learner's notebook: one language, no solutions, no instructor notes, no outputs."""
    return _copy(nb, lang, "learner", name)


def instructor_copy(nb, lang: str, name: str = "") -> nbformat.NotebookNode:
    """The instructor's notebook: one language, solutions and notes kept."""
    return _copy(nb, lang, "instructor", name)


def serialise(nb) -> str:
    return nbformat.writes(nb) + "\n"


def edited(path: Path) -> bool:
    """True when the copy at `path` is not as it was generated (a learner worked in it)."""
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:  # unreadable: treat as the learner's, never overwrite it
        return True
    recorded = nb.metadata.get(METADATA_KEY, {}).get("cells")
    return recorded != _cells_hash(nb)


@dataclass(frozen=True)
class Written:
    path: Path
    action: str  # "written", "unchanged", "kept" (edited by a learner), "reset" (edited copy moved aside)
    backup: Path | None = None


def _write(path: Path, text: str, reset: bool) -> Written:
    if path.exists():
        if path.read_text(encoding="utf-8") == text:
            return Written(path, "unchanged")
        if edited(path):
            if not reset:
                return Written(path, "kept")
            backup = path.with_name(f"{path.stem}.backup-{time.strftime('%Y%m%d-%H%M%S')}{path.suffix}")
            path.rename(backup)
            path.write_text(text, encoding="utf-8")
            return Written(path, "reset", backup)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return Written(path, "written")


def write_copies(langs=LANGS, reset: set[str] | frozenset = frozenset(), source_dir: Path = LESSONS_DIR,
                 learners_dir: Path = LEARNERS_DIR, instructor_dir: Path = INSTRUCTOR_DIR) -> list[Written]:
    """Write every lesson's learner copy (each language) and instructor copy; return what was done.

    `reset` names lessons (``W1`` or the file's stem) whose edited learner copies are moved aside
    and written afresh; ``all`` resets every lesson.
    """
    done = []
    for path in lessons(source_dir):
        nb = read_lesson(path)
        for lang in langs:
            learner = serialise(learner_copy(nb, lang, path.stem))
            wanted = "all" in reset or path.stem in reset or path.stem.split("-")[0] in reset
            done.append(_write(learners_dir / lang / f"{path.stem}.ipynb", learner, wanted))
            instructor = serialise(instructor_copy(nb, lang, path.stem))
            done.append(_write(instructor_dir / lang / f"{path.stem}.ipynb", instructor, True))
    return done
