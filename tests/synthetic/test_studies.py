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


def test_simulate_replaces_an_earlier_generated_study_but_never_a_users_folder(tmp_path, capsys):
    from helpers.__main__ import main

    out = tmp_path / "gen"
    assert main(["simulate", "companies", "--companies", "6", "--out", str(out)]) == 0
    assert main(["simulate", "replica", "--out", str(out)]) == 0  # its own earlier output: replaced
    assert load_study(out).title == load_study(paths.DEFAULT_STUDY).title
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "probes.csv").write_text("my own data\n")
    assert main(["simulate", "replica", "--out", str(mine)]) == 1
    assert "left alone" in capsys.readouterr().err
    assert [p.name for p in mine.iterdir()] == ["probes.csv"]
    assert (mine / "probes.csv").read_text() == "my own data\n"
