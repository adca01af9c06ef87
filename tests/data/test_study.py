"""Bad input: every class of validation error names its file, row and column, exits non-zero,
prints no traceback and writes nothing."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.data.problems import StudyValidationError
from helpers.data.study import load_study, validate_study
from tests.conftest import TINY_STUDY


def read_rows(file: Path) -> list[list[str]]:
    with file.open(newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def write_rows(file: Path, rows: list[list[str]]) -> None:
    with file.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def set_cell(file: Path, row: int, column: str, value: str) -> None:
    """Set one cell of a CSV file; `row` is numbered as in a spreadsheet (header = row 1)."""
    rows = read_rows(file)
    rows[row - 1][rows[0].index(column)] = value
    write_rows(file, rows)


def drop_column(file: Path, column: str) -> None:
    rows = read_rows(file)
    i = rows[0].index(column)
    write_rows(file, [r[:i] + r[i + 1:] for r in rows])


def replace_in(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new), encoding="utf-8")


# Each case: (id, how to break the study, file, row, column, words the message must contain).
CASES = [
    ("missing-study-yml", lambda d: (d / "study.yml").unlink(), "study.yml", None, None, "missing"),
    ("missing-accounts", lambda d: (d / "accounts.csv").unlink(), "accounts.csv", None, None, "missing"),
    ("missing-probes", lambda d: (d / "probes.csv").unlink(), "probes.csv", None, None, "missing"),
    ("yaml-syntax", lambda d: (d / "study.yml").write_text("title: [unclosed\n"), "study.yml", 2, None,
     "not valid YAML"),
    ("yaml-not-mapping", lambda d: (d / "study.yml").write_text("- just\n- a list\n"), "study.yml", None, None,
     "mapping"),
    ("yaml-missing-title", lambda d: replace_in(d / "study.yml", 'title: "Tiny test study (synthetic)"\n', ""),
     "study.yml", None, "title", "missing"),
    ("yaml-synthetic-not-bool", lambda d: replace_in(d / "study.yml", "synthetic: true", "synthetic: maybe"),
     "study.yml", 5, "synthetic", "true or false"),
    ("yaml-bad-thresholds", lambda d: replace_in(d / "study.yml", "[30, 60, 1440]", "[60, 30]"),
     "study.yml", 7, "thresholds_minutes", "increasing"),
    ("empty-csv", lambda d: (d / "accounts.csv").write_text(""), "accounts.csv", None, None, "empty"),
    ("not-utf8", lambda d: (d / "probes.csv").write_bytes((d / "probes.csv").read_bytes() + "é\n".encode("latin-1")),
     "probes.csv", 10, None, "UTF-8"),
    ("missing-column", lambda d: drop_column(d / "probes.csv", "sent_at"), "probes.csv", 1, "sent_at",
     "required column"),
    ("empty-required-cell", lambda d: set_cell(d / "accounts.csv", 3, "company", ""), "accounts.csv", 3, "company",
     "must not be empty"),
    ("bad-department", lambda d: set_cell(d / "accounts.csv", 2, "department", "sales"), "accounts.csv", 2,
     "department", "'sales' is not allowed"),
    ("bad-timezone", lambda d: set_cell(d / "accounts.csv", 5, "timezone", "Mars/Olympus"), "accounts.csv", 5,
     "timezone", "IANA"),
    ("bad-stated-hours", lambda d: set_cell(d / "accounts.csv", 2, "stated_hours", "Mon-Fri 9 to 5"),
     "accounts.csv", 2, "stated_hours", "not stated hours"),
    ("duplicate-account", lambda d: set_cell(d / "accounts.csv", 4, "account", "company_x"), "accounts.csv", 4,
     "account", "already listed"),
    ("duplicate-probe-id", lambda d: set_cell(d / "probes.csv", 3, "probe_id", "P1"), "probes.csv", 3, "probe_id",
     "unique"),
    ("unlisted-account", lambda d: set_cell(d / "probes.csv", 6, "account", "company_y_help"), "probes.csv", 6,
     "account", "not listed in accounts.csv"),
    ("account-of-other-company", lambda d: set_cell(d / "probes.csv", 6, "account", "company_z"), "probes.csv", 6,
     "account", "belongs to company 'Company Z'"),
    ("empty-question-type", lambda d: set_cell(d / "probes.csv", 2, "question_type", ""), "probes.csv", 2,
     "question_type", "must not be empty"),
    ("bad-tone", lambda d: set_cell(d / "probes.csv", 2, "tone", "angry"), "probes.csv", 2, "tone",
     "'angry' is not allowed"),
    ("timestamp-no-offset", lambda d: set_cell(d / "probes.csv", 4, "sent_at", "2020-03-02T10:00:00"),
     "probes.csv", 4, "sent_at", "no UTC offset"),
    ("timestamp-garbage", lambda d: set_cell(d / "probes.csv", 4, "first_reply_at", "yesterday"), "probes.csv", 4,
     "first_reply_at", "not an ISO 8601 timestamp"),
    ("timestamp-impossible", lambda d: set_cell(d / "probes.csv", 4, "observed_until", "2020-02-30T10:00:00+00:00"),
     "probes.csv", 4, "observed_until", "not a real date"),
    ("timestamp-out-of-range", lambda d: set_cell(d / "probes.csv", 4, "sent_at", "3000-01-01T00:00:00+00:00"),
     "probes.csv", 4, "sent_at", "outside the years"),
    ("timestamp-required-empty", lambda d: set_cell(d / "probes.csv", 4, "sent_at", ""), "probes.csv", 4,
     "sent_at", "must not be empty"),
    ("window-before-sent", lambda d: set_cell(d / "probes.csv", 5, "observed_until", "2020-03-01T10:00:00+00:00"),
     "probes.csv", 5, "observed_until", "before the question was sent"),
    ("reply-before-sent", lambda d: set_cell(d / "probes.csv", 2, "first_reply_at", "2020-03-02T09:59:00+00:00"),
     "probes.csv", 2, "first_reply_at", "earlier than the question"),
    ("follow-up-reply-without-follow-up", lambda d: set_cell(d / "probes.csv", 3, "follow_up_sent_at", ""),
     "probes.csv", 3, "follow_up_reply_at", "needs follow_up_sent_at"),
    ("follow-up-reply-before-follow-up",
     lambda d: set_cell(d / "probes.csv", 3, "follow_up_reply_at", "2020-03-02T12:00:00+00:00"),
     "probes.csv", 3, "follow_up_reply_at", "earlier than the follow-up"),
    ("bad-resolved-flag", lambda d: set_cell(d / "probes.csv", 2, "resolved_publicly", "sort of"), "probes.csv", 2,
     "resolved_publicly", "is not allowed"),
    ("text-without-reply", lambda d: set_cell(d / "probes.csv", 5, "first_reply_text", "Hello!"), "probes.csv", 5,
     "first_reply_text", "first_reply_at is empty"),
    ("no-probes", lambda d: (d / "probes.csv").write_text((d / "probes.csv").read_text().splitlines()[0] + "\n"),
     "probes.csv", None, None, "no probes"),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_each_error_is_located(tiny_copy, case):
    _, breaker, file, row, column, words = case
    breaker(tiny_copy)
    problems = validate_study(tiny_copy)
    matching = [p for p in problems if p.file.endswith(file) and p.row == row and p.column == column]
    assert matching, f"no problem at {file} row {row} column {column}; got: {[str(p) for p in problems]}"
    assert any(words in p.message for p in matching), [str(p) for p in matching]
    with pytest.raises(StudyValidationError):
        load_study(tiny_copy)


def test_valid_study_has_no_problems():
    assert validate_study(TINY_STUDY) == []


def test_every_problem_is_reported_not_just_the_first(tiny_copy):
    set_cell(tiny_copy / "accounts.csv", 2, "department", "sales")
    set_cell(tiny_copy / "probes.csv", 2, "tone", "angry")
    set_cell(tiny_copy / "probes.csv", 4, "sent_at", "nonsense")
    located = {(Path(p.file).name, p.row, p.column) for p in validate_study(tiny_copy)}
    assert {("accounts.csv", 2, "department"), ("probes.csv", 2, "tone"), ("probes.csv", 4, "sent_at")} <= located


def test_missing_folder_is_a_problem_not_a_crash(tmp_path):
    problems = validate_study(tmp_path / "nowhere")
    assert len(problems) == 1 and "no such study folder" in problems[0].message


def test_reply_after_window_is_valid_and_counted_unanswered():
    probes = load_study(TINY_STUDY).probes.set_index("probe_id")
    assert probes.at["P6", "reply_after_window"]
    assert not probes.at["P6", "answered"]
    # Censored at the end of its window (3 days), not dropped.
    assert probes.at["P6", "minutes"] == 3 * 24 * 60


def test_user_columns_are_kept(tiny_copy):
    rows = read_rows(tiny_copy / "probes.csv")
    rows[0].append("tester_notes")
    for i, r in enumerate(rows[1:], start=1):
        r.append(f"note {i}")
    write_rows(tiny_copy / "probes.csv", rows)
    probes = load_study(tiny_copy).probes
    assert probes["tester_notes"].tolist() == [f"note {i}" for i in range(1, 9)]


def _cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "helpers", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, check=False)


def test_cli_validate_exit_codes_and_messages(tiny_copy):
    ok = _cli("validate", TINY_STUDY)
    assert ok.returncode == 0 and "valid" in ok.stdout
    set_cell(tiny_copy / "probes.csv", 4, "sent_at", "soon")
    bad = _cli("validate", tiny_copy)
    assert bad.returncode == 1
    assert "probes.csv, row 4, column 'sent_at'" in bad.stderr
    assert "Traceback" not in bad.stderr + bad.stdout


def test_cli_paths_are_relative_to_the_callers_folder(tmp_path, tiny_copy):
    result = _cli("validate", tiny_copy.name, cwd=tiny_copy.parent)
    assert result.returncode == 0, result.stderr


def test_report_on_invalid_study_writes_nothing(tiny_copy, tmp_path):
    set_cell(tiny_copy / "accounts.csv", 2, "department", "sales")
    reports, build = tmp_path / "reports", tmp_path / "build"
    result = _cli("report", tiny_copy, "--out", reports, "--build", build)
    assert result.returncode == 1
    assert "accounts.csv, row 2, column 'department'" in result.stderr
    assert "No report was written" in result.stderr
    assert "Traceback" not in result.stderr
    assert not reports.exists() and not build.exists()


def test_a_kept_study_is_copied_out_and_read_again_when_a_file_changes(tmp_path, monkeypatch):
    """With the cache on (a report's warm kernels), a notebook's changes never reach the next one."""
    import os
    import shutil

    from helpers.data import study as study_module
    from tests.conftest import TINY_STUDY

    folder = tmp_path / "tiny"
    shutil.copytree(TINY_STUDY, folder)
    monkeypatch.setenv(study_module.CACHE_ENV, "1")
    monkeypatch.setattr(study_module, "_last", None)
    first = study_module.load_study(folder)
    first.probes["scratch"] = 1  # what a notebook might do
    first.meta["title"] = "changed"
    second = study_module.load_study(folder)
    assert "scratch" not in second.probes.columns and second.meta["title"] != "changed"
    assert second.probes is not first.probes
    probes = folder / "probes.csv"
    lines = probes.read_text(encoding="utf-8").splitlines(keepends=True)
    probes.write_text("".join(lines[:-1]), encoding="utf-8")  # one probe fewer
    os.utime(probes, ns=(probes.stat().st_atime_ns, probes.stat().st_mtime_ns + 1_000_000))
    assert len(study_module.load_study(folder).probes) == len(second.probes) - 1
