"""The bundled replica study: synthetic, fictional, reproducible, and true to the 2014 figures."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml

from helpers import paths
from helpers.data.study import load_study
from helpers.stats import company_level
from helpers.synthetic import studies
from helpers.synthetic.waves import CHANGED, CHANGES_FILE, GONE_COMPANY, NEW_COMPANY, RERUN_STUDY

PUBLISHED = yaml.safe_load((paths.PUBLISHED_DIR / "econsultancy-2014.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def replica():
    return load_study(paths.DEFAULT_STUDY)


def test_replica_reproduces_the_published_company_level_figures(replica):
    head = company_level.headline(replica.probes, [30, 60])
    assert head["companies"] == PUBLISHED["companies"]
    assert head["responded"]["count"] == PUBLISHED["answered"]
    assert head["within_30min"]["count"] == PUBLISHED["within_30min"]
    assert head["within_60min"]["count"] == PUBLISHED["within_60min"]


def test_replica_is_labelled_synthetic_and_cites_its_source(replica):
    assert replica.synthetic is True
    assert "SYNTHETIC" in replica.meta["description"]
    assert PUBLISHED["url"] in replica.source


def test_replica_uses_only_fictional_company_names(replica):
    assert all(re.fullmatch(r"Retailer [A-T]", c) for c in replica.accounts["company"])


def test_replica_design(replica):
    accounts, probes = replica.accounts, replica.probes
    assert (accounts.groupby("company")["department"].apply(lambda d: "main" in set(d))).all()
    assert (accounts["department"] == "customer_service").any()
    # Both questions to every account.
    per_account = probes.groupby(["company", "account"])["question_type"].apply(set)
    assert all(q == set(studies.QUESTION_TYPES) for q in per_account)
    window_days = (probes["observed_until"] - probes["sent_at"]).dt.total_seconds() / 86400
    assert window_days.min() >= 3


def test_make_data_regenerates_the_bundled_study_byte_for_byte(tmp_path):
    subprocess.run([sys.executable, "-m", "helpers", "simulate", "replica", "--out", str(tmp_path)],
                   check=True, capture_output=True)
    for name in ("study.yml", "accounts.csv", "probes.csv", "reply_labels.csv"):
        assert (tmp_path / name).read_bytes() == (paths.DEFAULT_STUDY / name).read_bytes(), name


def test_make_data_regenerates_the_japanese_study_byte_for_byte(tmp_path):
    subprocess.run([sys.executable, "-m", "helpers", "simulate", "japanese", "--out", str(tmp_path)],
                   check=True, capture_output=True)
    for name in ("study.yml", "accounts.csv", "probes.csv", "reply_labels.csv"):
        assert (tmp_path / name).read_bytes() == (paths.JAPANESE_STUDY / name).read_bytes(), name


def test_make_data_regenerates_the_second_wave_byte_for_byte(tmp_path):
    subprocess.run([sys.executable, "-m", "helpers", "simulate", "rerun", "--out", str(tmp_path)],
                   check=True, capture_output=True)
    for name in ("study.yml", "accounts.csv", "probes.csv", "reply_labels.csv", "changes.csv", "renamed_handles.csv"):
        assert (tmp_path / name).read_bytes() == (RERUN_STUDY / name).read_bytes(), name


def test_second_wave_is_synthetic_fictional_and_its_changes_are_written_down():
    import pandas as pd

    rerun = load_study(RERUN_STUDY)
    assert rerun.synthetic and "SYNTHETIC" in rerun.meta["description"] and "合成データ" in rerun.meta["description_ja"]
    assert all(re.fullmatch(r"Retailer [A-U]", c) for c in rerun.accounts["company"])
    truth = pd.read_csv(RERUN_STUDY / CHANGES_FILE).set_index("company")["change"]
    assert set(truth[truth.isin(["better", "worse"])].index) == set(CHANGED)
    assert truth[GONE_COMPANY] == "gone" and truth[NEW_COMPANY[0]] == "new"
    assert GONE_COMPANY not in set(rerun.accounts["company"])
    # Each company of the rerun was asked each question three times on each handle.
    per = rerun.probes.groupby(["account", "question_type"]).size()
    assert (per == 3).all()


def test_japanese_study_is_synthetic_fictional_and_in_japanese():
    study = load_study(paths.JAPANESE_STUDY)
    assert study.synthetic is True and "SYNTHETIC" in study.meta["description"]
    assert all(re.fullmatch(r"架空ストア[A-J]", c) for c in study.accounts["company"])
    texts = study.probes["first_reply_text"].replace("", None).dropna()
    assert len(texts) > 30 and texts.str.contains(r"[\u3040-\u30ff]").all()
    assert set(study.probes["tone"]) == {"neutral", "negative", "positive"}
    assert (study.accounts["stated_hours"] != "").any() and (study.accounts["stated_hours"] == "").any()


def test_replica_reply_texts_use_no_real_contact_details():
    texts = load_study(paths.DEFAULT_STUDY).probes["first_reply_text"].replace("", None).dropna()
    assert len(texts) > 20
    urls = texts.str.findall(r"https?://\S+|[\w.]+@[\w.]+").explode().dropna()
    assert urls.str.contains(r"example\.(?:com|jp)").all()


@pytest.mark.parametrize("seed", [1, 2, 3, 99])
def test_any_seed_reproduces_the_targets(tmp_path, seed):
    studies.write_replica(tmp_path / str(seed), seed=seed)
    head = company_level.headline(load_study(tmp_path / str(seed)).probes, [30, 60])
    assert (head["responded"]["count"], head["within_30min"]["count"], head["within_60min"]["count"]) == (
        PUBLISHED["answered"], PUBLISHED["within_30min"], PUBLISHED["within_60min"])


def _tree(folder):
    """Every file under `folder` with its bytes, by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_simulate_refuses_anything_that_exists_without_overwrite(tmp_path, capsys):
    from helpers.__main__ import EXIT_OUTPUT, main

    out = tmp_path / "gen"
    assert main(["simulate", "companies", "--companies", "6", "--out", str(out)]) == 0
    before = _tree(out)
    for kind in ("companies", "replica", "japanese"):  # even over a study simulate wrote itself
        assert main(["simulate", kind, "--companies", "6", "--out", str(out)]) == EXIT_OUTPUT
        err = capsys.readouterr().err
        assert str(out) in err and "--overwrite" in err and "Traceback" not in err
        assert _tree(out) == before
    file = tmp_path / "tweets.csv"
    file.write_bytes(b"my own tweets\r\n")
    assert main(["simulate", "twcs", "--tweets", "50", "--out", str(file)]) == EXIT_OUTPUT
    assert "tweets.csv already exists" in capsys.readouterr().err
    assert file.read_bytes() == b"my own tweets\r\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gen", "tweets.csv"]  # no temporary file left


def test_simulate_overwrite_replaces_only_its_own_files(tmp_path, capsys):
    from helpers.__main__ import EXIT_OUTPUT, main
    from helpers.data.writer import MANIFEST

    out = tmp_path / "gen"
    assert main(["simulate", "replica", "--out", str(out)]) == 0
    (out / "hand_labels.csv").write_text("probe_id,reply_kind\nP001,answer\n")
    (out / "notes").mkdir()
    (out / "notes" / "todo.md").write_text("check Retailer C\n")
    # companies writes no reply_labels.csv: the replica's is removed, as the manifest listed it.
    assert main(["simulate", "companies", "--companies", "6", "--out", str(out), "--overwrite"]) == 0
    assert load_study(out).title.startswith("Simulated study of 6 companies")
    assert not (out / studies.REPLY_LABELS_FILE).exists()
    assert (out / "hand_labels.csv").read_text() == "probe_id,reply_kind\nP001,answer\n"
    assert (out / "notes" / "todo.md").read_text() == "check Retailer C\n"
    assert "reply_labels.csv" not in (out / MANIFEST).read_text()
    file = tmp_path / "t.csv"
    assert main(["simulate", "twcs", "--tweets", "50", "--out", str(file)]) == 0
    first = file.read_bytes()
    assert main(["simulate", "twcs", "--tweets", "80", "--out", str(file), "--overwrite"]) == 0
    assert file.read_bytes() != first and file.read_bytes().count(b"\n") >= 81
    # A folder simulate did not write is refused even with --overwrite.
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "probes.csv").write_text("my own data\n")
    assert main(["simulate", "replica", "--out", str(mine), "--overwrite"]) == EXIT_OUTPUT
    assert "left alone" in capsys.readouterr().err
    assert _tree(mine) == {"probes.csv": b"my own data\n"}


def test_make_data_with_overwrite_regenerates_the_bundled_studies_over_copies(tmp_path):
    """What `make data` runs, into copies of data/studies: the same bytes, and the user's files kept."""
    import shutil

    from helpers.__main__ import main

    for kind, bundled in (("replica", paths.DEFAULT_STUDY), ("japanese", paths.JAPANESE_STUDY),
                          ("rerun", RERUN_STUDY)):
        copy = tmp_path / bundled.name
        shutil.copytree(bundled, copy)
        (copy / "mine.txt").write_text("kept")
        assert main(["simulate", kind, "--out", str(copy), "--overwrite"]) == 0
        tree = _tree(copy)
        assert tree.pop("mine.txt") == b"kept"
        tree.pop(".written-by.json")
        assert tree == {k: v for k, v in _tree(bundled).items() if k != ".written-by.json"}


def test_simulate_cannot_write_is_one_located_line_and_exit_output(tmp_path, capsys, monkeypatch):
    import errno
    import os

    from helpers.__main__ import EXIT_OUTPUT, main
    from helpers.data import writer

    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for kind, target in (("companies", blocker / "study"), ("twcs", blocker / "t.csv")):
        assert main(["simulate", kind, "--companies", "6", "--tweets", "50", "--out", str(target)]) == EXIT_OUTPUT
        err = capsys.readouterr().err
        assert err.startswith(f"cannot write to {target}: ") and "Traceback" not in err
        assert err.count("\n") == 1
    assert blocker.read_text() == "x"

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(writer, "_write", full)  # the disk fills while the files are written
    out = tmp_path / "study"
    assert main(["simulate", "companies", "--companies", "6", "--out", str(out)]) == EXIT_OUTPUT
    assert f"cannot write to {out}: No space left on device" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]  # no staging folder left
    monkeypatch.setattr(writer.os, "fdopen", full)  # the CSV file's temporary copy cannot be made
    csv = tmp_path / "t.csv"
    assert main(["simulate", "twcs", "--tweets", "50", "--out", str(csv)]) == EXIT_OUTPUT
    assert f"cannot write to {csv}: No space left on device" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]
