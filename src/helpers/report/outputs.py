"""Where a report may write, and what it may replace: the user's files are never touched.

A report writes into two folders, ``--out`` (the site) and ``--build`` (executed notebooks).
Each keeps a manifest (`MANIFEST`) of the entries the suite wrote there; a run replaces only
those. A folder is refused, before any work, when it is, contains or lies inside the study
folder, when the two overlap, or when it holds entries the suite did not write. A lock per
study serialises runs; leftovers of a run that was killed are removed by the next one.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

MANIFEST = ".socialcare-manifest.json"
_KIND = "social-care-benchmark"
# Names of the suite's own working files: staging and old copies (<name>.<kind>-<pid>), locks.
_WORKING = re.compile(r"^\.(?P<name>.+)\.(?:partial|old|tmp)-(?P<pid>\d+)$")
_LOCK = re.compile(r"^\..+\.lock$")


class OutputRefused(Exception):
    """An output folder the report must not write into; nothing was written."""

    def __init__(self, folder: Path, reason: str, hint: str = ""):
        self.folder, self.reason, self.hint = folder, reason, hint
        super().__init__(f"{folder}: {reason}" + (f"\n  {hint}" if hint else ""))


def _overlap(a: Path, b: Path) -> str | None:
    if a == b:
        return "is"
    if b.is_relative_to(a):
        return "contains"
    if a.is_relative_to(b):
        return "lies inside"
    return None


def check_study_id(study_id: str, reserved: Iterable[str]) -> None:
    """Refuse a study whose folder name the site uses for its own files (`reserved`, the manifest, dot files)."""
    if study_id.startswith(".") or study_id in set(reserved) | _OWN:
        raise OutputRefused(Path(study_id), f"the study folder's name {study_id!r} is one the report site uses "
                                            "for its own files", "Rename the study folder.")


def check_folders(study: Path, folders: dict[str, Path]) -> None:
    """Refuse output folders that are, contain or lie inside the study, or each other.

    `folders` maps an option name (``--out``) to its resolved folder.
    """
    study = study.resolve()
    items = [(name, Path(f).resolve()) for name, f in folders.items()]
    for name, folder in items:
        if how := _overlap(folder, study):
            raise OutputRefused(folder, f"{name} {how} the study folder {study}",
                                f"Choose a {name} folder outside the study: the study's files are never written to.")
    for i, (name, folder) in enumerate(items):
        for other, second in items[i + 1:]:
            if how := _overlap(folder, second):
                raise OutputRefused(folder, f"{name} {how} the {other} folder {second}",
                                    f"Give {name} and {other} separate folders.")


def written(folder: Path) -> set[str]:
    """Names of the entries of `folder` that the suite wrote (its manifest); empty when it has none."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    if not isinstance(data, dict) or data.get("written_by") != _KIND or not isinstance(data.get("entries"), list):
        return set()
    return {e for e in data["entries"] if isinstance(e, str) and "/" not in e and e not in {"", ".", ".."}}


# Entries the suite writes in every output folder, besides those its manifest lists.
_OWN = {MANIFEST, "write-check"}


def _working_of(folder: Path, name: str, listed: set[str]) -> re.Match | None:
    """The match when `name` is a working file of an entry the suite wrote (else None: it may be the user's)."""
    m = _WORKING.match(name)
    return m if m and (m.group("name") in listed or m.group("name") in _OWN) else None


def foreign(folder: Path) -> list[str]:
    """Entries of `folder` the suite did not write (its manifest, working files and locks aside)."""
    if not folder.is_dir():
        return []
    listed = written(folder)
    return sorted(p.name for p in folder.iterdir()
                  if p.name not in listed | _OWN and not _working_of(folder, p.name, listed)
                  and not _LOCK.match(p.name))


def check_ours(folder: Path, option: str) -> None:
    """Refuse `folder` if it is a file or holds something the suite did not write."""
    if folder.exists() and not folder.is_dir():
        raise OutputRefused(folder, f"{option} is a file, not a folder")
    others = foreign(folder)
    if others:
        shown = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
        hint = (f"Choose a new or empty {option} folder; the suite replaces only what it wrote "
                f"(listed in {MANIFEST}).")
        if not (folder / MANIFEST).exists() and any((folder / name / "study.json").is_file() for name in others):
            hint += (" This looks like a report written before the suite kept that list: if nothing of "
                     "yours is in it, remove the folder and run again.")
        raise OutputRefused(folder, f"{option} holds files this suite did not write ({shown})", hint)


def record(folder: Path, entries: Iterable[str]) -> None:
    """Add `entries` (names in `folder`) to its manifest."""
    _update(folder, lambda names: names | set(entries))


def forget(folder: Path, entries: Iterable[str]) -> None:
    """Take `entries` off the manifest of `folder` (after removing them)."""
    _update(folder, lambda names: names - set(entries))


def _update(folder: Path, change) -> None:
    # Runs of different studies share a folder: read, change and replace the manifest under one lock.
    folder.mkdir(parents=True, exist_ok=True)
    with locked(folder, MANIFEST, wait=True):
        names = sorted(change(written(folder)))
        tmp = folder / f".{MANIFEST}.tmp-{os.getpid()}"
        tmp.write_text(json.dumps({"written_by": _KIND, "entries": names}, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, folder / MANIFEST)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_debris(folder: Path, name: str | None = None) -> list[Path]:
    """Remove working files of dead runs in `folder` (of entry `name`, or all); the paths removed."""
    removed = []
    if not folder.is_dir():
        return removed
    listed = written(folder)
    for p in folder.iterdir():
        m = _working_of(folder, p.name, listed)  # never a file of the user's that happens to look like one
        if not m or (name is not None and m.group("name") != name) or _alive(int(m.group("pid"))):
            continue
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)
        removed.append(p)
    return removed


class Busy(Exception):
    """Another run holds the lock on this study."""


def check_writable(folder: Path, option: str) -> None:
    """Refuse `folder` when a file cannot be created in it (read-only, no space, not a folder)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".write-check.tmp-{os.getpid()}"  # a working file of `_OWN`
        with open(probe, "wb") as f:
            f.write(b"x" * 4096)
            f.flush()
            os.fsync(f.fileno())
        probe.unlink()
    except OSError as exc:
        raise OutputRefused(folder, f"{option} is not writable: {exc.strerror or exc}") from None


@contextmanager
def locked(folder: Path, name: str, wait: bool = False) -> Iterator[None]:
    """Hold the lock on entry `name` of `folder` (``.<name>.lock``); raise `Busy` unless `wait`."""
    folder.mkdir(parents=True, exist_ok=True)
    file = folder / f".{name}.lock"
    fd = os.open(file, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
                raise Busy(f"another report on {name!r} is running{f' (process {holder})' if holder else ''}; "
                           f"wait for it to finish") from None
            raise
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock; the file stays (removing it would race a waiting run)
