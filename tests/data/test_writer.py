"""The one study-folder writer: all or nothing, byte-stable, and it never replaces a user's folder."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest
import yaml

from helpers.data.study import load_study
from helpers.data.writer import write_study
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
    out = write_study(tmp_path / "s", text, accounts, probes, extra)
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
    out = write_study(tmp_path / "s", text, accounts, probes)
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
    ours = write_study(tmp_path / "ours", text, accounts, probes, {"old.txt": "from the first run"})
    with pytest.raises(FileExistsError):
        write_study(ours, text, accounts, probes)  # no mark named: never replaced
    write_study(ours, text, accounts.iloc[:2], probes, replace=MARK)
    assert not (ours / "old.txt").exists()  # the whole folder is the new one
    assert len(pd.read_csv(ours / "accounts.csv")) == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert (write_study(empty, text, accounts, probes) / "study.yml").is_file()
