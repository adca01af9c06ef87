"""Write a study folder, all or nothing: the one writer every generator and importer uses.

The folder is built beside its target and moved into place only when every file is written,
so a failure leaves no partial study, and an earlier folder stays until the new one is whole.
The bytes depend only on the inputs (UTF-8, LF line ends): pandas frames are written by pandas,
pyarrow tables (large imports) by pyarrow's CSV writer, which quotes every text cell.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import yaml

from helpers.data.study import ACCOUNTS_FILE, PROBES_FILE, STUDY_FILE

Content = pd.DataFrame | pa.Table | str


def write_study(folder: str | os.PathLike, study_yml: str, accounts: pd.DataFrame | pa.Table,
                probes: pd.DataFrame | pa.Table, files: Mapping[str, Content] | None = None, *,
                replace: str | None = None) -> Path:
    """Write ``study.yml``, ``accounts.csv``, ``probes.csv`` and `files` (relative path: content).

    A folder that already holds something is replaced only if `replace` names a key its
    ``study.yml`` has, the mark an earlier run of the same writer left (`written_by`), so that
    nothing a user put there is lost; otherwise `FileExistsError`.
    """
    out = Path(folder)
    if occupied(out) and not (replace and written_by(out, replace)):
        raise FileExistsError(f"{out} already exists and was not written by this command; it is left alone")
    out.parent.mkdir(parents=True, exist_ok=True)
    # mkdir rather than mkdtemp: the folder gets the user's usual permissions, not 0700.
    staging = out.with_name(f".{out.name}.writing-{os.getpid()}-{secrets.token_hex(4)}")
    staging.mkdir()
    try:
        contents = {STUDY_FILE: study_yml, ACCOUNTS_FILE: accounts, PROBES_FILE: probes, **(files or {})}
        for name, content in contents.items():
            _write(content, staging / name)
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out


def occupied(folder: Path) -> bool:
    """Whether writing `folder` would replace something: a file, or a folder that is not empty."""
    return folder.exists() and (not folder.is_dir() or any(folder.iterdir()))


def written_by(folder: Path, key: str) -> bool:
    """Whether `folder` holds a study whose ``study.yml`` has `key`, the mark its writer leaves."""
    try:
        meta = yaml.safe_load((folder / STUDY_FILE).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return False
    return isinstance(meta, dict) and key in meta


def _write(content: Content, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        target.write_text(content, encoding="utf-8", newline="\n")
    elif isinstance(content, pa.Table):
        pacsv.write_csv(content, target, write_options=pacsv.WriteOptions(quoting_style="needed"))
    else:
        content.to_csv(target, index=False, lineterminator="\n", encoding="utf-8")


def _swap(staging: Path, out: Path) -> None:
    """Move `staging` to `out`; an existing `out` is removed only once the new one is in place."""
    if not out.exists():
        os.replace(staging, out)
        return
    old = out.with_name(f".{out.name}.replaced-{os.getpid()}-{secrets.token_hex(4)}")
    os.replace(out, old)
    try:
        os.replace(staging, out)
    except BaseException:
        os.replace(old, out)
        raise
    if old.is_dir():
        shutil.rmtree(old)
    else:
        old.unlink()
