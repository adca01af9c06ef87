"""Where a report may write: refusals before any work, the manifest, the lock, dead runs' debris."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from helpers import __main__ as cli
from helpers.analysis.scorecard import RESERVED, scorecard_names, slug
from helpers.report import outputs, pipeline


def tree(folder):
    """Every file under `folder` with its bytes: to show nothing changed."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.mark.parametrize("where", ["parent", "itself", "inside"])
@pytest.mark.parametrize("option", ["--out", "--build"])
def test_an_output_at_or_around_the_study_is_refused_and_nothing_is_written(tiny_copy, tmp_path, capsys, where,
                                                                             option):
    parent = tiny_copy.parent
    before = tree(parent)
    folder = {"parent": parent, "itself": tiny_copy, "inside": tiny_copy / "reports"}[where]
    other = "--build" if option == "--out" else "--out"
    code = cli.main(["report", str(tiny_copy), option, str(folder), other, str(tmp_path / "elsewhere" / "x")])
    err = capsys.readouterr().err
    assert code == cli.EXIT_OUTPUT
    assert "study folder" in err and option in err and "No report was written" in err
    assert "Traceback" not in err
    assert tree(parent) == before  # the study and its parent are untouched: no lock, no manifest
    assert not (tmp_path / "elsewhere").exists()


def test_out_and_build_must_not_overlap(tiny_copy, tmp_path, capsys):
    code = cli.main(["report", str(tiny_copy), "--out", str(tmp_path / "site"), "--build", str(tmp_path / "site" / "b")])
    assert code == cli.EXIT_OUTPUT
    assert "--build" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()


def test_a_folder_holding_the_users_files_is_refused_and_kept(tiny_copy, tmp_path, capsys):
    site = tmp_path / "my-site"
    site.mkdir()
    (site / "index.html").write_text("<p>my own page</p>", encoding="utf-8")
    (site / "notes").mkdir()
    before = tree(site)
    code = cli.main(["report", str(tiny_copy), "--out", str(site), "--build", str(tmp_path / "build")])
    err = capsys.readouterr().err
    assert code == cli.EXIT_OUTPUT
    assert "did not write" in err and "index.html" in err and "notes" in err
    assert tree(site) == before and sorted(p.name for p in site.iterdir()) == ["index.html", "notes"]


def test_the_manifest_lists_what_the_suite_wrote_and_nothing_else(tmp_path):
    outputs.record(tmp_path, ["index.html", "study-a"])
    outputs.record(tmp_path, ["study-b"])
    (tmp_path / "index.html").write_text("x")
    (tmp_path / "study-a").mkdir()
    (tmp_path / "mine.txt").write_text("mine")
    (tmp_path / ".study-a.lock").write_text("1")
    (tmp_path / f".study-a.partial-{dead_pid()}").mkdir()
    assert outputs.written(tmp_path) == {"index.html", "study-a", "study-b"}
    assert outputs.foreign(tmp_path) == ["mine.txt"]
    outputs.forget(tmp_path, ["study-b"])
    assert outputs.written(tmp_path) == {"index.html", "study-a"}


@pytest.mark.parametrize("content", ["", "{}", "[1, 2]", '{"written_by": "someone else", "entries": ["a"]}',
                                     '{"written_by": "social-care-benchmark", "entries": ["../x", "a/b", 3]}'])
def test_a_broken_or_foreign_manifest_claims_nothing(tmp_path, content):
    (tmp_path / outputs.MANIFEST).write_text(content)
    assert outputs.written(tmp_path) == set()


def test_debris_of_dead_runs_is_removed_and_live_runs_and_user_files_are_left(tmp_path):
    outputs.record(tmp_path, ["study-a", "index.html"])
    users = tmp_path / f".draft.old-{dead_pid()}"  # looks like a working file, but of no entry the suite wrote
    users.write_text("mine")
    dead = tmp_path / f".study-a.partial-{dead_pid()}"
    (dead / "results").mkdir(parents=True)
    old_index = tmp_path / f".index.html.tmp-{dead_pid()}"
    old_index.write_text("half")
    live = tmp_path / f".study-a.partial-{os.getpid()}"
    live.mkdir()
    user = tmp_path / ".config"
    user.mkdir()
    removed = outputs.remove_debris(tmp_path)
    assert set(removed) == {dead, old_index}
    assert not dead.exists() and not old_index.exists() and live.exists() and user.exists() and users.exists()
    assert outputs.foreign(tmp_path) == [".config", users.name]


def test_a_second_run_on_the_same_study_is_refused_while_the_first_holds_the_lock(tiny_copy, tmp_path, capsys):
    site = tmp_path / "site"
    with outputs.locked(site, tiny_copy.name):
        code = cli.main(["report", str(tiny_copy), "--out", str(site), "--build", str(tmp_path / "build")])
    err = capsys.readouterr().err
    assert code == cli.EXIT_OUTPUT
    assert "another report on 'tiny-study' is running" in err and f"process {os.getpid()}" in err
    assert not (tmp_path / "build" / "tiny-study").exists()


def test_the_lock_is_free_again_when_its_holder_ends(tmp_path):
    with outputs.locked(tmp_path, "s"):
        with pytest.raises(outputs.Busy):
            with outputs.locked(tmp_path, "s"):
                pass
    with outputs.locked(tmp_path, "s"):  # released on leaving, even though the file stays
        pass


def test_a_read_only_or_full_output_gets_its_own_exit_code(tiny_copy, tmp_path, capsys, monkeypatch):
    import builtins
    import errno

    real_open = builtins.open

    def full(file, mode="r", *args, **kwargs):
        if "w" in str(mode) and ".write-check" in str(file):
            raise OSError(errno.ENOSPC, "No space left on device", str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", full)
    code = cli.main(["report", str(tiny_copy), "--out", str(tmp_path / "site"), "--build", str(tmp_path / "b")])
    err = capsys.readouterr().err
    assert code == cli.EXIT_OUTPUT
    assert "--out is not writable: No space left on device" in err and "Traceback" not in err
    # A --out below a regular file cannot be created at all (root ignores permission bits).
    monkeypatch.setattr(builtins, "open", real_open)
    (tmp_path / "a-file").write_text("x")
    code = cli.main(["report", str(tiny_copy), "--out", str(tmp_path / "a-file" / "site"),
                     "--build", str(tmp_path / "b")])
    assert code == cli.EXIT_OUTPUT
    assert "not writable" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["index.html", "index.ja.html", ".hidden", outputs.MANIFEST])
def test_a_study_named_like_a_site_file_is_refused(tmp_path, capsys, name):
    import shutil

    from tests.conftest import TINY_STUDY

    study = tmp_path / name
    shutil.copytree(TINY_STUDY, study)
    code = cli.main(["report", str(study), "--out", str(tmp_path / "site"), "--build", str(tmp_path / "b")])
    assert code == cli.EXIT_OUTPUT
    assert "Rename the study folder" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()


def test_a_signal_while_publishing_waits_until_the_report_is_whole(tmp_path):
    import signal

    from helpers.report import processes
    from helpers.report.processes import Interrupted, interruptible

    final, staging = tmp_path / "s", tmp_path / ".s.partial-1"
    final.mkdir()
    (final / "page.html").write_text("old")
    staging.mkdir()
    (staging / "page.html").write_text("new")
    real_rename = type(final).rename

    def rename(self, target):  # a Ctrl-C between the two renames
        if self == final:
            signal.raise_signal(signal.SIGINT)
        return real_rename(self, target)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(type(final), "rename", rename)
        # The handler ends this process's children: here they are pytest's (the tests' browser), not a report's.
        mp.setattr(processes, "stop_children", lambda: 0)
        with pytest.raises(Interrupted), interruptible():
            pipeline._publish(staging, final)
    assert (final / "page.html").read_text() == "new"  # the signal waited until the new report was in place
    assert not processes._stopping.is_set()  # and later runs in this process may start children again


def test_a_negative_job_count_is_a_usage_error(tiny_copy, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["report", str(tiny_copy), "--jobs", "-1"])
    assert exit_.value.code == cli.EXIT_USAGE
    assert "at least 1" in capsys.readouterr().err


def test_the_index_skips_a_broken_study_json_and_unlisted_folders(tmp_path):
    root = tmp_path / "reports"
    for name, info in {"broken": "{}", "garbage": "not json", "other-id": json.dumps({"id": "x", "langs": ["en"]})}.items():
        (root / name).mkdir(parents=True)
        (root / name / pipeline.STUDY_INFO).write_text(info)
    (root / "unlisted").mkdir()
    (root / "unlisted" / pipeline.STUDY_INFO).write_text(json.dumps({"id": "unlisted", "langs": ["en"]}))
    outputs.record(root, ["broken", "garbage", "other-id"])
    written = pipeline.write_index(root)
    assert written == [root / "index.html"]
    assert "index.html" in outputs.written(root)
    assert "unlisted" not in (root / "index.html").read_text(encoding="utf-8")


def test_scorecard_names_are_unique_safe_and_independent_of_order():
    names = ["Retailer A", "RETAILER A", "retailer-a!", "retailer a", "Retailer B", "CON", "con.txt", "NUL",
             "../../etc/passwd", "a/b\\c", "x\x00y", "A" * 1000, "A" * 999, "架空ストアA", "架空ストアB", "", " ",
             "\u202eevil.html", "COM1"]
    got = scorecard_names(names)
    assert set(got) == set(names)
    assert len(set(got.values())) == len(names)  # one file per company
    for name in got.values():
        assert name and len(name) <= 80 and all(c.isascii() and (c.islower() or c.isdigit() or c == "-") for c in name)
        assert name not in RESERVED  # Windows reserves "CON" and "CON.html", not "con-1a2b3c4d.html"
    assert scorecard_names(list(reversed(names))) == got
    assert got["Retailer B"] == "retailer-b"  # a name nobody shares stays plain
    assert got["Retailer A"] != "retailer-a" and got["RETAILER A"] != "retailer-a"


def test_a_plain_name_stays_the_same_when_other_companies_join():
    assert scorecard_names(["Retailer A"])["Retailer A"] == scorecard_names(["Retailer A", "Retailer B"])["Retailer A"]
    assert slug("Retailer A") == "retailer-a"
