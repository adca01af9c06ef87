"""import-twcs never touches the user's files, and every bad input ends in a located message, exit 1."""

from __future__ import annotations

import errno
import os

import pandas as pd
import pytest

from helpers.__main__ import EXIT_INVALID, EXIT_OUTPUT, main
from helpers.data.accounts import MAX_NAME_LENGTH
from helpers.data.study import load_study
from helpers.data.timestamps import STUDY_YEARS
from helpers.importers import twcs
from tests.importers.test_twcs import HEADER, THREADS, tw, write


def tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def refused(capsys, *args) -> str:
    """Run import-twcs; it must exit 1 with no traceback. Returns what it printed."""
    assert main(["import-twcs", *map(str, args)]) == EXIT_INVALID
    err = capsys.readouterr().err
    assert "Traceback" not in err and "Nothing was written." in err
    return err


def test_overwrite_keeps_the_users_files(tmp_path, capsys):
    good = write(tmp_path, THREADS, name="good.csv")
    out = tmp_path / "study"
    assert main(["import-twcs", str(good), "--out", str(out)]) == 0
    (out / "hand_labels.csv").write_text("tweet_id,reply_kind\n3,answer\n")
    (out / "import" / "notes.md").write_text("checked by hand\n")
    (out / "mine").mkdir()
    (out / "mine" / "a.txt").write_text("a")
    fewer = write(tmp_path, THREADS[:5], name="fewer.csv")
    assert main(["import-twcs", str(fewer), "--out", str(out), "--overwrite"]) == 0
    files = tree(out)
    assert files["hand_labels.csv"] == b"tweet_id,reply_kind\n3,answer\n"
    assert files["import/notes.md"] == b"checked by hand\n" and files["mine/a.txt"] == b"a"
    assert len(load_study(out).probes) == 1  # the new import, not the old one
    plain = tmp_path / "plain"
    plain.mkdir()
    assert (out.stat().st_mode & 0o7777) == (out / "import").stat().st_mode & 0o7777 == plain.stat().st_mode & 0o7777


def test_a_header_only_file(tmp_path, capsys):
    file = write(tmp_path, [], name="empty.csv")
    assert "empty.csv, line 2: the file ends after its header" in refused(capsys, file, "--out", tmp_path / "o")
    assert not (tmp_path / "o").exists()


def test_every_reply_before_its_question(tmp_path, capsys):
    rows = [f"0,1,900,True,{tw(2, 10, 0)},@AcmeHelp hi,2,", f"1,2,AcmeHelp,False,{tw(2, 9, 0)},@900 hi,,1",
            f"2,3,901,True,{tw(2, 11, 0)},@AcmeHelp yo,4,", f"3,4,AcmeHelp,False,{tw(2, 10, 30)},@901 yo,,3"]
    err = refused(capsys, write(tmp_path, rows, name="early.csv"), "--out", tmp_path / "o")
    assert "early.csv, line 2, column 'created_at': no probe is left to import: 2 customer tweet(s)" in err
    assert "timed before it" in err and not (tmp_path / "o").exists()


@pytest.mark.parametrize("year", ["9999", "0001", "1969", "2200"])
def test_a_year_outside_what_a_study_holds(tmp_path, capsys, year):
    late = tw(2, 9, 5).replace("2017", year)
    rows = [THREADS[0], THREADS[1], THREADS[2].replace(tw(2, 9, 10), late),
            f"9,20,906,True,{year}-10-02T09:00:00+00:00,@AcmeHelp x,,"]
    file = write(tmp_path, rows, name="years.csv")
    err = refused(capsys, file, "--out", tmp_path / "o")
    assert f"years.csv, line 4, column 'created_at': '{late}' is outside the years {STUDY_YEARS[0]} to {STUDY_YEARS[1]}" in err
    assert f"years.csv, line 5, column 'created_at': '{year}-10-02T09:00:00+00:00' is outside the years" in err
    # --skip-malformed leaves those rows out and lists them; the study it writes is valid.
    assert main(["import-twcs", str(file), "--out", str(tmp_path / "o"), "--skip-malformed"]) == 0
    listed = pd.read_csv(tmp_path / "o" / twcs.MALFORMED_FILE)
    assert sorted(listed["line"]) == [4, 5] and set(listed["column"]) == {"created_at"}
    assert main(["validate", str(tmp_path / "o")]) == 0


def test_skip_malformed_skips_a_row_that_is_not_utf8(tmp_path, capsys):
    file = tmp_path / "latin.csv"
    body = "".join(r + "\n" for r in THREADS).replace("@900 first reply", "@900 caf\xe9 first reply")
    file.write_bytes(HEADER.encode() + body.encode("utf-8").replace("caf\xe9".encode(), "caf\xe9".encode("latin-1")))
    err = refused(capsys, file, "--out", tmp_path / "o")
    assert "latin.csv, line 4, column 'text': is not UTF-8 text" in err
    assert main(["import-twcs", str(file), "--out", str(tmp_path / "o"), "--skip-malformed"]) == 0
    listed = pd.read_csv(tmp_path / "o" / twcs.MALFORMED_FILE)
    assert listed[["line", "column"]].values.tolist() == [[4, "text"]]
    assert "caf\ufffd first reply" in listed["raw"][0]  # the bad byte shown, the file still UTF-8
    probes = load_study(tmp_path / "o").probes.set_index("probe_id")
    assert probes.loc["T1", "first_reply_tweet_id"] == "2"  # its reply skipped, the next one counts
    assert len(probes) == 3


def test_a_column_named_twice_in_the_header(tmp_path, capsys):
    header = HEADER.replace(",text,", ",text,text,")
    rows = [r.replace(",@", ",x,@", 1) for r in THREADS]
    err = refused(capsys, write(tmp_path, rows, name="dup.csv", header=header), "--out", tmp_path / "o")
    assert "dup.csv, line 1, column 'text': column appears 2 times in the header (columns 6, 7)" in err


def test_names_too_long_are_refused_before_the_work(tmp_path, capsys, monkeypatch):
    long = "A" * (MAX_NAME_LENGTH + 100)
    mapping = tmp_path / "map.csv"
    mapping.write_text(f"account,company,department\nAcmeHelp,{long},customer_service\n{long},Other,main\n")
    file = write(tmp_path, THREADS, name="good.csv")

    def no_heavy_work(*args, **kwargs):
        raise AssertionError("the tweets were read before the mapping was refused")

    with monkeypatch.context() as m:
        m.setattr(twcs, "read_tweets", no_heavy_work)
        err = refused(capsys, file, "--out", tmp_path / "o", "--accounts", mapping)
    assert f"map.csv, row 2, column 'company': company is {len(long)} characters long" in err
    assert f"map.csv, row 3, column 'account': account is {len(long)} characters long" in err
    in_data = write(tmp_path, [THREADS[0], THREADS[2].replace("AcmeHelp", long)], name="handle.csv")
    with monkeypatch.context() as m:
        m.setattr(twcs, "build", no_heavy_work)
        err = refused(capsys, in_data, "--out", tmp_path / "o")
    assert f"handle.csv, line 3, column 'author_id': author_id is {len(long)} characters long" in err
    assert not (tmp_path / "o").exists()


def test_an_out_that_cannot_be_written_is_exit_output(tmp_path, capsys, monkeypatch):
    from helpers.data import writer

    file = write(tmp_path, THREADS, name="good.csv")
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with monkeypatch.context() as m:  # refused before the tweets are read
        m.setattr(twcs, "read_tweets", lambda *a, **k: pytest.fail("read before the output was checked"))
        assert main(["import-twcs", str(file), "--out", str(blocker / "study")]) == EXIT_OUTPUT
    err = capsys.readouterr().err
    assert err.startswith(f"cannot write to {blocker / 'study'}: {blocker} is a file") and "Traceback" not in err

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    out = tmp_path / "study"
    assert main(["import-twcs", str(file), "--out", str(out)]) == 0
    before = tree(out)
    monkeypatch.setattr(writer, "_write", full)
    assert main(["import-twcs", str(file), "--out", str(out), "--overwrite"]) == EXIT_OUTPUT
    assert f"cannot write to {out}: No space left on device" in capsys.readouterr().err
    assert tree(out) == before
    monkeypatch.setattr(writer.os, "access", lambda *a, **k: False)  # a read-only folder (root ignores chmod)
    assert main(["import-twcs", str(file), "--out", str(tmp_path / "new")]) == EXIT_OUTPUT
    assert "read-only" in capsys.readouterr().err and not (tmp_path / "new").exists()
