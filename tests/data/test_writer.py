"""The one study-folder writer: all or nothing, byte-stable, and it never replaces a user's folder."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest
import yaml

from helpers.data.study import load_study
from helpers.data.writer import MANIFEST, write_study
from tests.conftest import TINY_STUDY

MARK = "written_by_test"


def tiny(mark: bool = True) -> tuple[str, pd.DataFrame, pd.DataFrame]:
    meta = yaml.safe_load((TINY_STUDY / "study.yml").read_text(encoding="utf-8"))
    if mark:
        meta[MARK] = True
    accounts = pd.read_csv(TINY_STUDY / "accounts.csv", dtype=str, keep_default_na=False)
    probes = pd.read_csv(TINY_STUDY / "probes.csv", dtype=str, keep_default_na=False)
    return yaml.safe_dump(meta, allow_unicode=True), accounts, probes


class Unwritable(pd.DataFrame):
    def to_csv(self, *args, **kwargs):
        raise OSError("disk full")


def test_writes_a_valid_study_with_extra_files_and_lf_line_ends(tmp_path):
    text, accounts, probes = tiny()
    extra = {"notes/README.md": "ノート\n", "import/t.csv": pa.table({"a": ["x, y"], "n": [1]})}
    out = write_study(tmp_path / "s", text, accounts, probes, extra, mark=MARK)
    assert len(load_study(out).probes) == len(probes)
    assert (out / "notes" / "README.md").read_text(encoding="utf-8") == "ノート\n"
    assert (out / "import" / "t.csv").read_bytes() == b'"a","n"\n"x, y",1\n'  # pyarrow quotes text cells
    assert b"\r" not in (out / "probes.csv").read_bytes()
    again = write_study(tmp_path / "again", text, accounts, probes, extra)
    for name in ("study.yml", "accounts.csv", "probes.csv", "import/t.csv"):
        assert (again / name).read_bytes() == (out / name).read_bytes()


def test_a_failed_write_leaves_nothing_and_keeps_the_earlier_folder(tmp_path):
    text, accounts, probes = tiny()
    with pytest.raises(OSError, match="disk full"):
        write_study(tmp_path / "new", text, accounts, Unwritable(probes))
    assert list(tmp_path.iterdir()) == []  # neither the folder nor its staging copy
    out = write_study(tmp_path / "s", text, accounts, probes, mark=MARK)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with pytest.raises(OSError):
        write_study(out, text, accounts, Unwritable(probes), replace=MARK)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["s"]


def test_replaces_only_a_folder_it_wrote(tmp_path):
    text, accounts, probes = tiny()
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    with pytest.raises(FileExistsError):
        write_study(mine, text, accounts, probes, replace=MARK)
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    ours = write_study(tmp_path / "ours", text, accounts, probes, {"old.txt": "from the first run"}, mark=MARK)
    with pytest.raises(FileExistsError):
        write_study(ours, text, accounts, probes)  # no mark named: never replaced
    write_study(ours, text, accounts.iloc[:2], probes, replace=MARK)
    assert not (ours / "old.txt").exists()  # the whole folder is the new one
    assert len(pd.read_csv(ours / "accounts.csv")) == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert (write_study(empty, text, accounts, probes) / "study.yml").is_file()


def test_a_users_study_with_the_mark_key_but_no_manifest_is_never_replaced(tmp_path):
    text, accounts, probes = tiny()
    users = write_study(tmp_path / "users", text, accounts, probes)
    (users / MANIFEST).unlink()  # as a study the user wrote by hand, whose study.yml has the key
    assert MARK in (users / "study.yml").read_text(encoding="utf-8")
    before = tree(users)
    with pytest.raises(FileExistsError):
        write_study(users, text, accounts.iloc[:1], probes, replace=MARK)
    assert tree(users) == before


def tree(folder):
    """Every file under `folder` with its bytes, by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_manifest_lists_exactly_the_files_written(tmp_path):
    import json

    from helpers.data.writer import MANIFEST

    text, accounts, probes = tiny()
    out = write_study(tmp_path / "s", text, accounts, probes, {"import/a.csv": "x\n"}, replace=MARK)
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["mark"] == MARK
    assert set(manifest["files"]) == set(tree(out)) - {MANIFEST}


def test_replacing_keeps_every_file_and_folder_of_the_users(tmp_path):
    text, accounts, probes = tiny()
    out = write_study(tmp_path / "s", text, accounts, probes, {"import/old.csv": "old\n", "import/kept.csv": "1\n",
                                                                "gone/only.csv": "2\n"}, mark=MARK)
    (out / "hand_labels.csv").write_text("mine")
    (out / "import" / "notes.txt").write_text("mine too")
    (out / "empty").mkdir()
    write_study(out, text, accounts.iloc[:2], probes, {"import/kept.csv": "3\n"}, replace=MARK)
    files = tree(out)
    assert files["hand_labels.csv"] == b"mine" and files["import/notes.txt"] == b"mine too"
    assert (out / "empty").is_dir()
    assert files["import/kept.csv"] == b"3\n" and len(pd.read_csv(out / "accounts.csv")) == 2
    # files only the earlier run wrote are gone, and so is the folder that held only them
    assert "import/old.csv" not in files and not (out / "gone").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["s"]  # no staging or backup left


def test_a_file_of_the_users_where_the_writer_writes_is_refused(tmp_path):
    text, accounts, probes = tiny()
    out = write_study(tmp_path / "s", text, accounts, probes, mark=MARK)
    (out / "reply_labels.csv").write_text("my labels")  # not in the manifest: the user's
    before = tree(out)
    with pytest.raises(FileExistsError, match="reply_labels.csv was not written by this command"):
        write_study(out, text, accounts, probes, {"reply_labels.csv": "generated\n"}, replace=MARK)
    assert tree(out) == before


def test_a_failure_while_moving_in_restores_the_earlier_folder(tmp_path, monkeypatch):
    import os

    from helpers.data import writer

    text, accounts, probes = tiny()
    out = write_study(tmp_path / "s", text, accounts, probes, {"import/a.csv": "a\n"}, mark=MARK)
    (out / "mine.txt").write_text("mine")
    before = tree(out)
    real, calls = os.replace, []

    def failing(src, dst):
        calls.append(dst)
        if len(calls) == 7:  # after the 5 old files went out and 1 new one came in
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(writer.os, "replace", failing)
    with pytest.raises(writer.CannotWrite, match="No space left on device"):
        write_study(out, text, accounts.iloc[:1], probes, {"import/b/c.csv": "new\n"}, replace=MARK)
    monkeypatch.undo()
    assert tree(out) == before and not (out / "import" / "b").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["s"]


def test_folders_get_the_permissions_of_a_plain_mkdir(tmp_path):
    text, accounts, probes = tiny()
    plain = tmp_path / "plain"
    plain.mkdir()
    out = write_study(tmp_path / "new" / "s", text, accounts, probes, {"import/a.csv": "a\n"}, mark=MARK)
    mode = plain.stat().st_mode & 0o7777
    assert {(p.stat().st_mode & 0o7777) for p in (out, out / "import", out.parent)} == {mode}
    write_study(out, text, accounts, probes, {"sub/b.csv": "b\n"}, replace=MARK)
    assert (out / "sub").stat().st_mode & 0o7777 == mode


def test_an_unwritable_target_is_cannot_write_naming_it(tmp_path):
    from helpers.data.writer import CannotWrite, replace_file

    text, accounts, probes = tiny()
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(CannotWrite, match=f"cannot write to {blocker / 's'}: {blocker} is a file"):
        write_study(blocker / "s", text, accounts, probes)
    with pytest.raises(CannotWrite, match="is a file"):
        with replace_file(blocker / "t.csv"):
            pass
    assert blocker.read_text() == "x"


def test_a_killed_runs_staging_is_removed_by_the_next_write(tmp_path):
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    text, accounts, probes = tiny()
    staging = tmp_path / f".s.writing-{proc.pid}-0123abcd"
    staging.mkdir()
    (staging / "probes.csv").write_text("half")
    backup = tmp_path / f".s.replaced-{proc.pid}-0123abcd"  # may hold the only copy of earlier files: kept
    backup.mkdir()
    write_study(tmp_path / "s", text, accounts, probes)
    assert not staging.exists() and backup.exists()
