"""Located problems: one type for tables (rows) and raw files (lines), one exception listing them."""

from __future__ import annotations

from helpers.data.problems import LINE, ImportFailed, Problem, StudyValidationError


def test_a_problem_says_what_its_number_counts():
    assert str(Problem("a.csv", 3, "sent_at", "bad")) == "a.csv, row 3, column 'sent_at': bad"
    assert str(Problem("t.csv", 7, None, "bad", LINE)) == "t.csv, line 7: bad"
    assert str(Problem("study.yml", message="file is missing")) == "study.yml: file is missing"


def test_errors_list_every_problem_in_file_row_column_order():
    problems = [Problem("b.csv", 2, "x", "later"), Problem("a.csv", None, None, "first"),
                Problem("b.csv", 1, "y", "earlier")]
    err = StudyValidationError("my-study", problems)
    assert [p.message for p in err.problems] == ["first", "earlier", "later"]
    lines = str(err).splitlines()
    assert lines[0] == "Study my-study is not valid (3 problems):" and lines[-1].startswith("The data format")


def test_a_long_import_failure_is_shortened_but_counted():
    err = ImportFailed([Problem("t.csv", k, "tweet_id", "bad", LINE) for k in range(2, 102)], hint="Fix them.")
    text = str(err)
    assert text.startswith("Cannot import: 100 problems in the input:")
    assert text.count("  - t.csv, line ") == ImportFailed.shown and "... and 70 more" in text
    assert text.endswith("Fix them.\nNothing was written.") and len(err.problems) == 100
