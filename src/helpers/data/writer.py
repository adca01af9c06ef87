"""Write a study folder, all or nothing: the one writer every generator and importer uses.

The files are built in a staging folder beside the target and moved into place only when every
one is written, so a failure leaves no partial study and an earlier study stays until the new
one is whole. The bytes depend only on the inputs (UTF-8, LF line ends): pandas frames are
written by pandas, pyarrow tables (large imports) by pyarrow's CSV writer, which quotes every text cell.

**Nothing of the user's is removed or overwritten.** Each folder written holds a manifest,
`MANIFEST` (``.written-by.json``: ``{"written_by": ..., "mark": <key>, "files": [relative
paths]}``), listing the files the writer put there. Replacing a folder (allowed only when its
manifest carries the mark named by `replace`) replaces the files this run writes and removes
the files the manifest lists that this run no longer writes; every other file and folder (hand
labels, notes) stays as it is. A file of the user's at a path the writer needs is never
overwritten: the write is refused. Folders get the user's usual permissions (a plain ``mkdir``).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import BinaryIO

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from helpers.data.study import ACCOUNTS_FILE, PROBES_FILE, STUDY_FILE

Content = pd.DataFrame | pa.Table | str
MANIFEST = ".written-by.json"
WRITER = "helpers.data.writer"


class CannotWrite(OSError):
    """The output could not be written (read-only, full, or not a folder); nothing was left half-written."""

    def __init__(self, path: Path, reason: str):
        self.path, self.reason = Path(path), reason
        super().__init__(f"cannot write to {path}: {reason}")


def write_study(folder: str | os.PathLike, study_yml: str, accounts: pd.DataFrame | pa.Table,
                probes: pd.DataFrame | pa.Table, files: Mapping[str, Content] | None = None, *,
                replace: str | None = None, mark: str | None = None) -> Path:
    """Write ``study.yml``, ``accounts.csv``, ``probes.csv`` and `files` (relative path: content).

    A folder that already holds something is replaced only if `replace` names a key its
    ``study.yml`` has, the mark an earlier run of the same writer left, and then only the files
    that run wrote (see the module docstring); otherwise `FileExistsError`. `mark` (default
    `replace`) is recorded in the manifest. An `OSError` while writing becomes `CannotWrite`.
    """
    out = Path(folder)
    if occupied(out) and not replace:
        raise FileExistsError(f"{out} already exists; it is left alone")
    if occupied(out) and not written_by(out, replace):
        raise FileExistsError(f"{out} already exists and was not written by this command; it is left alone")
    contents = {STUDY_FILE: study_yml, ACCOUNTS_FILE: accounts, PROBES_FILE: probes, **(files or {})}
    names = [_relative(name) for name in contents]
    if out.is_dir():
        _check_no_clash(out, names, _manifest(out))
    check_writable(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        # mkdir rather than mkdtemp: the folder gets the user's usual permissions, not 0700.
        _remove_dead_staging(out)
        staging = out.with_name(f".{out.name}.writing-{os.getpid()}-{secrets.token_hex(4)}")
        staging.mkdir()
    except OSError as exc:
        raise CannotWrite(out, _reason(exc)) from exc
    try:
        for name, content in zip(names, contents.values(), strict=True):
            _write(content, staging / name)
        manifest = {"written_by": WRITER, "mark": mark or replace, "files": sorted(names)}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
        if out.is_dir():
            _merge(staging, out, names)
        else:
            os.replace(staging, out)
    except OSError as exc:
        raise CannotWrite(out, _reason(exc)) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out


def occupied(folder: Path) -> bool:
    """Whether writing `folder` would replace something: a file, or a folder that is not empty."""
    return folder.exists() and (not folder.is_dir() or any(folder.iterdir()))


def written_by(folder: Path, key: str) -> bool:
    """Whether this writer, run with mark `key`, wrote `folder`: its manifest says so.

    Only the manifest counts, not study.yml: a user's own study may well have a ``seed`` key.
    """
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("written_by") == WRITER and data.get("mark") == key


@contextmanager
def replace_file(path: str | os.PathLike) -> Iterator[BinaryIO]:
    """Write one file atomically: a temporary file beside `path`, moved over it when complete.

    A failure leaves `path` as it was; an `OSError` becomes `CannotWrite`. The file gets the
    user's usual permissions (created with mode 0666 under the umask, unlike ``mkstemp``'s 0600).
    """
    path = Path(path)
    check_writable(path)
    _remove_dead_staging(path)
    tmp = path.with_name(f".{path.name}.writing-{os.getpid()}-{secrets.token_hex(4)}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise CannotWrite(path, _reason(exc)) from exc
    try:
        try:
            f = os.fdopen(fd, "wb")
        except BaseException:
            os.close(fd)
            raise
        with f:
            yield f
        os.replace(tmp, path)
    except OSError as exc:
        raise CannotWrite(path, _reason(exc)) from exc
    finally:
        tmp.unlink(missing_ok=True)


def check_writable(out: Path) -> None:
    """Raise `CannotWrite` now when `out` plainly cannot be written (so a long import fails at once)."""
    existing = next(p for p in [out, *out.parents] if p.exists() or p == p.parent)
    if existing != out and not existing.is_dir():
        raise CannotWrite(out, f"{existing} is a file, not a folder")
    folder = existing if existing.is_dir() else existing.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        raise CannotWrite(out, f"{folder} is read-only ({os.strerror(13)})")


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _relative(name: str) -> str:
    """A file name inside the folder, as the manifest writes it (no absolute paths, no ``..``)."""
    p = PurePosixPath(name)
    if p.is_absolute() or not p.parts or ".." in p.parts or p.as_posix() == MANIFEST:
        raise ValueError(f"{name!r} is not a file name inside the study folder")
    return p.as_posix()


def _manifest(out: Path) -> list[str] | None:
    """The files an earlier run listed in `out`'s manifest; None when it has none (or not readable)."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        names = [_relative(n) for n in data["files"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return names


def _check_no_clash(out: Path, names: list[str], earlier: list[str] | None) -> None:
    """Refuse to write where a file or folder of the user's stands (anything no earlier run listed)."""
    ours = set(earlier or ())
    for name in names:
        target = out / name
        for parent in list(target.parents)[: len(PurePosixPath(name).parts) - 1]:
            if parent.exists() and not parent.is_dir():
                raise FileExistsError(f"{parent} is a file of yours where this command writes a folder; "
                                      "it is left alone")
        if (target.exists() or target.is_symlink()) and (name not in ours or target.is_dir()):
            raise FileExistsError(f"{target} was not written by this command; it is left alone")


def _remove_dead_staging(out: Path) -> None:
    """Remove what a killed run of this writer staged beside `out` (``.<name>.writing-<pid>-<hex>``).

    Only staging: it holds new files, written again now. A ``.replaced-`` backup of a run killed
    while moving files in may hold the only copy of earlier files, so it is left for the user.
    """
    import re

    pattern = re.compile(rf"^\.{re.escape(out.name)}\.writing-(\d+)-[0-9a-f]{{8}}$")
    if not out.parent.is_dir():
        return
    for p in out.parent.iterdir():
        m = pattern.match(p.name)
        if not m:
            continue
        try:
            os.kill(int(m.group(1)), 0)
            continue  # that run is alive
        except ProcessLookupError:
            pass
        except PermissionError:
            continue
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)


def _merge(staging: Path, out: Path, names: list[str]) -> None:
    """Move the staged files into `out`, replacing only the writer's own; restore everything on failure."""
    earlier = _manifest(out)
    old = [n for n in dict.fromkeys((earlier or []) + names + [MANIFEST]) if (out / n).is_file()]
    backup = out.with_name(f".{out.name}.replaced-{os.getpid()}-{secrets.token_hex(4)}")
    moved_out: list[str] = []
    moved_in: list[str] = []
    made: list[Path] = []
    try:
        backup.mkdir()
        for n in old:
            (backup / n).parent.mkdir(parents=True, exist_ok=True)
            os.replace(out / n, backup / n)
            moved_out.append(n)
        for n in names + [MANIFEST]:  # the manifest last: it is there only when the files are
            made += _mkdirs(out, (out / n).parent)
            os.replace(staging / n, out / n)
            moved_in.append(n)
    except BaseException:
        for n in reversed(moved_in):
            (out / n).unlink(missing_ok=True)
        for n in reversed(moved_out):
            os.replace(backup / n, out / n)
        for d in reversed(made):
            _rmdir_if_empty(d)
        shutil.rmtree(backup, ignore_errors=True)
        raise
    shutil.rmtree(backup, ignore_errors=True)
    # Folders that held only files of an earlier run that this run no longer writes.
    for n in set(old) - set(names) - {MANIFEST}:
        for parent in list((out / n).parents)[: len(PurePosixPath(n).parts) - 1]:
            _rmdir_if_empty(parent)


def _mkdirs(out: Path, folder: Path) -> list[Path]:
    """Create `folder` (inside `out`) and its missing parents; return those created, outermost first."""
    missing = [p for p in [folder, *folder.parents] if p.is_relative_to(out) and p != out and not p.exists()]
    for p in reversed(missing):
        p.mkdir()
    return list(reversed(missing))


def _rmdir_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass


def _write(content: Content, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        target.write_text(content, encoding="utf-8", newline="\n")
    elif isinstance(content, pa.Table):
        pacsv.write_csv(content, target, write_options=pacsv.WriteOptions(quoting_style="needed"))
    else:
        content.to_csv(target, index=False, lineterminator="\n", encoding="utf-8")
