"""Hostile and broken study input: every case is a located problem, never another exception, and
costs bounded work (no YAML alias expansion, capped sizes)."""

from __future__ import annotations

import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.data.accounts import MAX_NAME_LENGTH
from helpers.data.problems import LINE, StudyValidationError
from helpers.data.study import MAX_STUDY_YML_BYTES, load_study, validate_study
from tests.data.test_study import read_rows, set_cell, write_rows

# Nine levels of nine-fold aliases: about 9**9 (387 million) strings if anything expanded it.
ALIAS_BOMB = "lol: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"lol{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10))


def located(study: Path, file: str, row: int | None, column: str | None, words: str, unit: str | None = None):
    """Assert a problem at (file, row, column) whose message has `words`, and that loading refuses."""
    problems = validate_study(study)
    matching = [p for p in problems if Path(p.file).name == file and p.row == row and p.column == column]
    assert matching, f"no problem at {file} row {row} column {column}; got: {[str(p) for p in problems]}"
    assert any(words in p.message for p in matching), [str(p) for p in matching]
    if unit is not None:
        assert any(p.unit == unit for p in matching)
    with pytest.raises(StudyValidationError):
        load_study(study)
    return matching


def append_yml(study: Path, text: str) -> None:
    with (study / "study.yml").open("a", encoding="utf-8") as f:
        f.write(text)


def yml_line_count(study: Path) -> int:
    return len((study / "study.yml").read_text(encoding="utf-8").splitlines())


def edit_line(file: Path, line: int, edit) -> None:
    """Change one physical line (1-based) of a text file."""
    lines = file.read_text(encoding="utf-8").split("\n")
    lines[line - 1] = edit(lines[line - 1])
    file.write_text("\n".join(lines), encoding="utf-8")


# --------------------------------------------------------------------------------------------
# study.yml


def test_alias_bomb_is_refused_without_expansion(tiny_copy):
    append_yml(tiny_copy, ALIAS_BOMB)
    first = yml_line_count(tiny_copy) - 9  # the line of "lol: &a0 ..."
    tracemalloc.start()
    try:
        problems = validate_study(tiny_copy)
        with pytest.raises(StudyValidationError) as caught:
            load_study(tiny_copy)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50 * 2**20, f"peak {peak / 2**20:.0f} MB: was the bomb expanded?"
    refused = [p for p in problems if Path(p.file).name == "study.yml" and p.unit == LINE]
    assert refused[0].row == first and "anchors" in refused[0].message
    assert any("aliases" in p.message and p.row == first + 1 for p in refused)
    assert "YAML" in str(caught.value)


def test_a_single_alias_is_refused_with_its_line(tiny_copy):
    append_yml(tiny_copy, 'limits: ["Only one limit."]\nlimits_ja: *x\n')
    # an alias to an undefined anchor is a YAML error; with an anchor it is refused as an alias
    (tiny_copy / "study.yml").write_text(
        (tiny_copy / "study.yml").read_text().replace('limits: ["', 'limits: &x ["'), encoding="utf-8")
    n = yml_line_count(tiny_copy)
    located(tiny_copy, "study.yml", n, None, "aliases (*x) are not allowed", LINE)
    located(tiny_copy, "study.yml", n - 1, None, "anchors (&x) are not allowed", LINE)


def test_oversized_study_yml_is_refused_unread(tiny_copy):
    append_yml(tiny_copy, "# " + "x" * MAX_STUDY_YML_BYTES + "\n")
    located(tiny_copy, "study.yml", None, None, "may be at most 1,000,000")


def test_deep_nesting_is_refused(tiny_copy):
    append_yml(tiny_copy, "deep: " + "[" * 50_000 + "]" * 50_000 + "\n")
    located(tiny_copy, "study.yml", yml_line_count(tiny_copy), None, "nested more than")


@pytest.mark.parametrize("value, words", [
    ("9" * 5000, "cannot read this value"),  # Python refuses to read a 5,000-digit integer
    ("2014-13-45", "month must be in 1..12"),  # YAML reads it as an impossible date
])
def test_unreadable_yaml_values_are_located(tiny_copy, value, words):
    append_yml(tiny_copy, f"seed: {value}\n")
    located(tiny_copy, "study.yml", yml_line_count(tiny_copy), None, words, LINE)


def test_a_key_given_twice_is_refused(tiny_copy):
    append_yml(tiny_copy, "title: Another title\n")
    located(tiny_copy, "study.yml", yml_line_count(tiny_copy), "title", "given twice (first on line 2)")


@pytest.mark.parametrize("text, key, words", [
    ('limits: "one sentence"\n', "limits", "must be a list of sentences"),
    ("limits_ja: 3\n", "limits_ja", "must be a list of sentences (one '- ...' line each), not the number 3"),
    ("description_ja: [a, b]\n", "description_ja", "must be text, not a list"),
    ("answer_rate_scope: {a: 1}\n", "answer_rate_scope", "must be text, not a mapping"),
    ("platform: [twitter]\n", "platform", "must be text, not a list"),
    ("thresholds_minutes: [30, 60, 100000000000000000000]\n", "thresholds_minutes", "at most 10080 (7 days)"),
    ("thresholds_minutes: [30, 60.5]\n", "thresholds_minutes", "whole number of minutes"),
    (f"thresholds_minutes: {list(range(1, 30))}\n", "thresholds_minutes", "at most 10 are allowed"),
    ("thresholds_minutes: 30\n", "thresholds_minutes", "must be a list"),
])
def test_wrong_types_name_the_key_and_line(tiny_copy, text, key, words):
    # drop the fixture's own thresholds so that the appended key is the only one
    (tiny_copy / "study.yml").write_text(
        (tiny_copy / "study.yml").read_text().replace("thresholds_minutes: [30, 60, 1440]\n", ""), encoding="utf-8")
    append_yml(tiny_copy, text)
    located(tiny_copy, "study.yml", yml_line_count(tiny_copy), key, words, LINE)


def test_each_bad_limit_is_located_by_its_line(tiny_copy):
    append_yml(tiny_copy, f'limits:\n  - "Fine."\n  - ""\n  - 7\n  - "{"L" * 5001}"\n')
    n = yml_line_count(tiny_copy)
    located(tiny_copy, "study.yml", n - 2, "limits", "item 2 must be non-empty text")
    located(tiny_copy, "study.yml", n - 1, "limits", "item 3 must be non-empty text, not the number 7")
    located(tiny_copy, "study.yml", n, "limits", "item 4 is 5,001 characters long")


@pytest.mark.parametrize("old, new, key, words", [
    ('title: "Tiny test study (synthetic)"', "title: 2014", "title", "must be non-empty text, not the number"),
    ('title: "Tiny test study (synthetic)"', f"title: {'T' * 301}", "title", "at most 300"),
    ('source: "Invented for the Social Care Benchmark tests."', "source: [a]", "source", "not a list"),
])
def test_required_text_keys(tiny_copy, old, new, key, words):
    (tiny_copy / "study.yml").write_text((tiny_copy / "study.yml").read_text().replace(old, new), encoding="utf-8")
    lines = (tiny_copy / "study.yml").read_text().splitlines()
    line = next(i for i, text in enumerate(lines, start=1) if text.startswith(f"{key}:"))
    located(tiny_copy, "study.yml", line, key, words)


def test_keys_written_by_importers_and_generators_stay_valid(tiny_copy):
    append_yml(tiny_copy, (
        "seed: 20141126\ngenerated_by: helpers.synthetic\n"
        "imported_from: {file: twcs.csv, sha256: abc, rows: 3, unmapped_accounts: []}\n"
        "import: {rows: {probe: 1}, probes: 1}\nanswer_rate_scope: within exported threads\n"
        "limits: [One., Two.]\nlimits_ja: [一つ。, 二つ。]\ndescription_ja: 説明\nlimits_de:\n"
    ))
    assert validate_study(tiny_copy) == []
    assert load_study(tiny_copy).limits == ["One.", "Two."]


def test_study_yml_encodings(tiny_copy):
    data = (tiny_copy / "study.yml").read_bytes()
    (tiny_copy / "study.yml").write_bytes(b"\xef\xbb\xbf" + data)
    assert validate_study(tiny_copy) == []  # a UTF-8 byte-order mark is fine
    (tiny_copy / "study.yml").write_bytes(data + "x: caf\xe9\n".encode("latin-1"))
    located(tiny_copy, "study.yml", data.count(b"\n") + 1, None, "byte 0xe9", LINE)
    (tiny_copy / "study.yml").write_bytes(data.decode().encode("utf-16"))
    located(tiny_copy, "study.yml", None, None, "UTF-16")


# --------------------------------------------------------------------------------------------
# Cells: lengths, time zones, hours, timestamps


def test_names_are_capped(tiny_copy):
    long = "N" * (MAX_NAME_LENGTH + 1)
    set_cell(tiny_copy / "accounts.csv", 3, "company", long)
    set_cell(tiny_copy / "probes.csv", 4, "question_type", long)
    set_cell(tiny_copy / "probes.csv", 5, "probe_id", long)
    located(tiny_copy, "accounts.csv", 3, "company", f"201 characters long; at most {MAX_NAME_LENGTH}")
    located(tiny_copy, "probes.csv", 4, "question_type", "201 characters long")
    located(tiny_copy, "probes.csv", 5, "probe_id", "201 characters long")


def test_a_name_of_the_longest_length_is_fine(tiny_copy):
    set_cell(tiny_copy / "probes.csv", 4, "question_type", "q" * MAX_NAME_LENGTH)
    assert validate_study(tiny_copy) == []


def test_long_probe_account_is_capped(tiny_copy):
    set_cell(tiny_copy / "probes.csv", 2, "account", "a" * 1000)
    matching = located(tiny_copy, "probes.csv", 2, "account", "1000 characters long")
    assert all(len(str(p)) < 400 for p in validate_study(tiny_copy)), "a long value must be cut in messages"
    assert matching


def test_long_reply_text_and_stated_hours_and_timezone(tiny_copy):
    set_cell(tiny_copy / "probes.csv", 2, "first_reply_text", "r" * 10_001)
    set_cell(tiny_copy / "accounts.csv", 2, "stated_hours", "Mon 09:00-10:00, " * 100)
    set_cell(tiny_copy / "accounts.csv", 3, "timezone", "Europe/" + "x" * 100_000)  # the OS cannot open it
    located(tiny_copy, "probes.csv", 2, "first_reply_text", "10,001 characters long")
    located(tiny_copy, "accounts.csv", 2, "stated_hours", "at most 500")
    located(tiny_copy, "accounts.csv", 3, "timezone", "is not an IANA time zone")


@pytest.mark.parametrize("column, value, words", [
    ("sent_at", "9999-12-31T23:59:59+00:00", "outside the years 1970 to 2199"),
    ("sent_at", "0001-01-01T00:00:00+00:00", "outside the years"),
    ("first_reply_at", "9999-12-31T23:59:59-14:00", "outside the years"),
    # in pandas' range, but 336 years before the end of its window: the difference overflowed
    ("sent_at", "1678-01-01T00:00:00+00:00", "outside the years"),
    ("observed_until", "2199-12-31T23:00:00-14:00", "outside the years 1970 to 2199 in UTC"),
    ("sent_at", "2014-13-45T25:61:00Z", "not a real date and time"),
    ("sent_at", "2014-01-01T00:00:00+25:00", "UTC offset +25:00"),
    ("sent_at", "2014-01-01T00:00:00" + "0" * 100_000 + "Z", "is not an ISO 8601 timestamp"),
    ("follow_up_sent_at", "\u0662\u0660\u0661\u0664-01-01T00:00:00Z", "is not an ISO 8601 timestamp"),
])
def test_bad_timestamps_are_located(tiny_copy, column, value, words):
    set_cell(tiny_copy / "probes.csv", 3, column, value)
    located(tiny_copy, "probes.csv", 3, column, words)


def test_nul_character_is_located_by_line(tiny_copy):
    set_cell(tiny_copy / "probes.csv", 4, "sent_at", "2020-03-02T10:00\x00:00Z")
    located(tiny_copy, "probes.csv", 4, None, "NUL character", LINE)


# --------------------------------------------------------------------------------------------
# CSV structure


def test_trailing_comma_names_the_row(tiny_copy):
    edit_line(tiny_copy / "probes.csv", 7, lambda line: line + ",")
    located(tiny_copy, "probes.csv", 7, None, "has 13 cells but the header has 12; is there a trailing comma?")


def test_short_row_names_the_row(tiny_copy):
    edit_line(tiny_copy / "accounts.csv", 4, lambda line: "Company Y,company_y")
    located(tiny_copy, "accounts.csv", 4, None, "has 2 cells but the header has 5")


def test_rows_are_counted_as_records_not_lines(tiny_copy):
    """A reply over three lines makes row 2 lines 2-4; a bad row 5 is still called row 5."""
    set_cell(tiny_copy / "probes.csv", 2, "first_reply_text", "Hello,\nwe open at 9.\nThanks!")
    rows = read_rows(tiny_copy / "probes.csv")
    rows[4].append("")
    write_rows(tiny_copy / "probes.csv", rows)
    located(tiny_copy, "probes.csv", 5, None, "has 13 cells", "row")


def test_unclosed_quote_at_the_end(tiny_copy):
    edit_line(tiny_copy / "probes.csv", 9, lambda line: line.replace("P8,", 'P8,"'))
    located(tiny_copy, "probes.csv", 9, None, "an opening quote in row 9 (line 9) is never closed")


def test_quote_left_open_until_a_later_quote(tiny_copy):
    """A quote opened in row 4 runs on to the quoted reply of row 8, where it closes mid-cell."""
    set_cell(tiny_copy / "probes.csv", 8, "first_reply_text", "Hi, there")
    edit_line(tiny_copy / "probes.csv", 4, lambda line: line.replace("P3,", 'P3,"'))
    located(tiny_copy, "probes.csv", 4, None, "a quote opened on line 4 closes on line 8 in the middle of a cell")


def test_text_after_a_closing_quote(tiny_copy):
    edit_line(tiny_copy / "probes.csv", 2, lambda line: line.replace('"We open', '"We" open'))
    located(tiny_copy, "probes.csv", 2, None, "goes on after its closing quote")


def test_a_giant_cell_is_located(tiny_copy):
    set_cell(tiny_copy / "probes.csv", 3, "first_reply_text", "x" * 200_000)
    located(tiny_copy, "probes.csv", 3, None, "has a cell longer than 131,072 characters")


def test_duplicated_column_is_refused(tiny_copy):
    edit_line(tiny_copy / "accounts.csv", 1, lambda line: line.replace("timezone", "company"))
    located(tiny_copy, "accounts.csv", 1, "company", "appears twice in the header (cells 1 and 5)")


def test_empty_column_name_is_refused(tiny_copy):
    rows = read_rows(tiny_copy / "accounts.csv")
    write_rows(tiny_copy / "accounts.csv", [r + [""] for r in rows])
    located(tiny_copy, "accounts.csv", 1, None, "header cell 6 has no column name")


@pytest.mark.parametrize("content, words", [
    ("", "file is empty"),
    ("\n\n\n", "file is empty"),
    ("   \n", "required column is missing"),
])
def test_empty_files(tiny_copy, content, words):
    (tiny_copy / "probes.csv").write_text(content, encoding="utf-8")
    problems = validate_study(tiny_copy)
    assert any(Path(p.file).name == "probes.csv" and words in p.message for p in problems), problems
    with pytest.raises(StudyValidationError):
        load_study(tiny_copy)


def test_header_only_file(tiny_copy):
    header = (tiny_copy / "accounts.csv").read_text().splitlines()[0]
    (tiny_copy / "accounts.csv").write_text(header + "\n", encoding="utf-8")
    located(tiny_copy, "accounts.csv", None, None, "lists no accounts")


def test_blank_lines(tiny_copy):
    probes = tiny_copy / "probes.csv"
    text = probes.read_text()
    probes.write_text(text + "\n\n", encoding="utf-8")
    assert validate_study(tiny_copy) == []  # blank lines at the end are harmless
    edit_line(probes, 4, lambda line: "\n" + line)
    located(tiny_copy, "probes.csv", 4, None, "empty line")


def test_encodings_of_tables(tiny_copy):
    probes = tiny_copy / "probes.csv"
    data = probes.read_bytes()
    probes.write_bytes(b"\xef\xbb\xbf" + data)
    assert validate_study(tiny_copy) == []  # a UTF-8 byte-order mark is fine
    assert "probe_id" in load_study(tiny_copy).probes.columns
    bad = data.replace(b"We open", "W\xe9 open".encode("latin-1"))
    probes.write_bytes(bad)
    [problem] = located(tiny_copy, "probes.csv", 2, None, "not UTF-8 text: byte 0xe9", LINE)
    position = bad.index(b"\xe9") + 1
    assert f"at byte {position} of the file" in problem.message
    for encoding in ("utf-16", "utf-16-le", "utf-16-be"):
        probes.write_bytes(data.decode().encode(encoding))
        located(tiny_copy, "probes.csv", None, None, "UTF-16")


def test_problems_per_file_are_bounded(tiny_copy):
    rows = read_rows(tiny_copy / "probes.csv")
    write_rows(tiny_copy / "probes.csv", [rows[0]] + [r + [""] for r in rows[1:]] * 20)
    problems = [p for p in validate_study(tiny_copy) if Path(p.file).name == "probes.csv"]
    assert len(problems) <= 21 and "more rows like these" in problems[-1].message


# --------------------------------------------------------------------------------------------
# The command line and arbitrary bytes


def test_cli_prints_located_problems_without_traceback(tiny_copy):
    append_yml(tiny_copy, ALIAS_BOMB)
    set_cell(tiny_copy / "probes.csv", 3, "sent_at", "9999-12-31T23:59:59+00:00")
    edit_line(tiny_copy / "accounts.csv", 3, lambda line: line + ",")
    result = subprocess.run([sys.executable, "-m", "helpers", "validate", str(tiny_copy)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "study.yml, line" in result.stderr and "accounts.csv, row 3: has 6 cells" in result.stderr
    assert "probes.csv, row 3, column 'sent_at'" in result.stderr


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(
    st.binary(max_size=400),
    # CSV-ish text around the real header, so that the reader gets past the first row
    st.text(alphabet=st.sampled_from(list(',"\n\r ;aZ09:-+T\x00\u00e9')), max_size=300).map(
        lambda t: ("probe_id,company,account,question_type,sent_at,observed_until,first_reply_at\n" + t).encode()),
))
def test_arbitrary_bytes_in_probes_never_raise_anything_else(tiny_copy, data):
    (tiny_copy / "probes.csv").write_bytes(data)
    problems = validate_study(tiny_copy)
    assert isinstance(problems, list)
    try:
        load_study(tiny_copy)
    except StudyValidationError:
        pass
