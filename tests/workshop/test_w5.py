"""W5: the class's log is checked row by row in the learner's words, never overwritten, and becomes a valid study."""

import shutil

import pytest

from helpers import paths
from helpers.data.study import load_study
from helpers.workshop import w5
from helpers.workshop.feedback import Checker

EXAMPLE = paths.PROJECT_ROOT / "tests" / "fixtures" / "class-fieldwork-example"


@pytest.fixture
def example(tmp_path):
    folder = tmp_path / "class"
    shutil.copytree(EXAMPLE, folder)
    return folder


def test_prepare_copies_the_template_once_and_never_over_a_log(tmp_path):
    folder = w5.prepare(tmp_path / "class")
    log = folder / w5.LOG
    assert log.read_text() == (w5.TEMPLATE / w5.LOG).read_text()
    log.write_text(log.read_text() + "L1,Shop,shop,main,q,2026-12-02T14:00+09:00,,2026-12-02T16:00+09:00,,\n")
    w5.prepare(folder)
    assert "Shop" in log.read_text()


def test_an_empty_log_is_not_yet_not_an_error(tmp_path):
    verdict = w5.validate(Checker(), w5.prepare(tmp_path / "class"))
    assert not verdict.passed and "No questions logged yet" in verdict.message


def test_each_practice_mistake_is_named_by_the_logs_row_and_column(tmp_path):
    problems = [str(p) for p in w5.check_log(w5.read_log(w5.make_practice(tmp_path)))]
    assert len(problems) == 3
    assert problems[0].startswith("fieldwork.csv, row 3, column sent") and "no offset" in problems[0]
    assert "row 4, column department" in problems[1] and "'support'" in problems[1]
    assert "row 5, column first" in problems[2] and "before the question" in problems[2]


def test_an_account_logged_for_two_companies_is_named(example):
    log = w5.read_log(example)
    log.loc[1, "company"] = "Shop Nine"  # shopone belongs to Shop One on row 2
    log.loc[0, "account"] = "shopone"
    assert any("row 3, column account" in str(p) for p in w5.check_log(log))


def test_a_valid_log_becomes_a_study_the_suite_loads(example):
    study, problems = w5.to_study(example)
    assert problems == [] and study is not None
    loaded = load_study(example / w5.STUDY)
    assert not loaded.synthetic and len(loaded.probes) == len(w5.read_log(example))
    assert w5.validate(Checker(), example).passed
    rate = loaded.probes["answered"].mean()
    assert w5.class_rate(Checker(), rate, study).passed
    # A second run replaces the study it wrote, and only that.
    assert w5.to_study(example)[1] == []


def test_a_study_folder_w5_did_not_write_is_left_alone(example):
    (example / w5.STUDY).mkdir()
    (example / w5.STUDY / "mine.txt").write_text("the class's notes")
    study, problems = w5.to_study(example)
    assert study is None and problems and (example / w5.STUDY / "mine.txt").read_text() == "the class's notes"


def test_the_report_command_names_the_classs_study(example):
    assert w5.report_command(example).endswith(f'{example / w5.STUDY}"')
