"""Results CSVs never make a spreadsheet run data as a formula, and read back to the values written."""

from __future__ import annotations

import csv

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.data.study import load_study
from helpers.report.session import FORMULA_START, Session, read_results_csv

PAYLOADS = ['=HYPERLINK("http://evil.example","click")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)",
            "\t=1+1", "'=already quoted", "'", "plain", "", "-0.25", "+3", "1e5", "=", "-"]


def written_cells(path) -> list[tuple[str, str]]:
    """(column, raw cell) of every data cell of a CSV, as a spreadsheet receives them."""
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return [(rows[0][i], cell) for row in rows[1:] for i, cell in enumerate(row)]


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_formula_leading_text_is_defused_and_numbers_are_left_alone(tmp_path, tiny):
    table = pd.DataFrame({"company": PAYLOADS, "rate": [-0.5] * len(PAYLOADS), "n": range(len(PAYLOADS))})
    session = Session(tiny, [30], tmp_path)
    path = session.write_csv(table, "t.csv")
    for column, cell in written_cells(path):
        if cell[:1] in FORMULA_START:
            assert column == "rate" or is_number(cell), (column, cell)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert raw.loc[0, "company"] == "'" + PAYLOADS[0]
    assert raw.loc[PAYLOADS.index("-0.25"), "company"] == "-0.25"  # a number stays a number
    assert raw.loc[PAYLOADS.index("'=already quoted"), "company"] == "''=already quoted"
    assert (raw["rate"] == "-0.5").all()  # numeric columns untouched


def test_reading_back_gives_the_values_that_were_written(tmp_path, tiny):
    table = pd.DataFrame({"company": PAYLOADS, "x": range(len(PAYLOADS))})
    path = Session(tiny, [30], tmp_path).write_csv(table, "t.csv")
    back = read_results_csv(path, dtype=str, keep_default_na=False)
    assert back["company"].tolist() == PAYLOADS


def _write(table, folder):
    from helpers.report.session import _to_csv

    path = folder / "t.csv"
    _to_csv(table, path)
    return path


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("=+-@'\t\r a1.,\"\n")), max_size=6), min_size=1, max_size=8))
def test_any_text_round_trips_and_never_leads_with_a_formula_character(tmp_path_factory, values):
    folder = tmp_path_factory.mktemp("csv")
    # A second column: pandas reads a one-column row that is blank as no row at all.
    path = _write(pd.DataFrame({"text": values, "n": range(len(values))}), folder)
    cells = written_cells(path)
    assert len(cells) == 2 * len(values)  # one row per value: a line break inside text never splits a row
    for _, cell in cells:
        assert cell[:1] not in FORMULA_START or is_number(cell)
    back = read_results_csv(path, dtype=str, keep_default_na=False)
    # Line breaks come back as LF (a bare CR would end the row for most readers); all else as written.
    assert back["text"].tolist() == [v.replace("\r\n", "\n").replace("\r", "\n") for v in values]


def test_shared_tables_rebuilt_from_parts_are_marked_once(tmp_path, tiny):
    session = Session(tiny, [30], tmp_path)
    session.write_part(pd.DataFrame({"comparison": ["=A"], "v": [1.0]}), "c.csv", "a")
    session.write_part(pd.DataFrame({"comparison": ["@B"], "v": [2.0]}), "c.csv", "b")
    raw = pd.read_csv(tmp_path / "c.csv", dtype=str)
    assert raw["comparison"].tolist() == ["'=A", "'@B"]  # not "''=A": parts are read back first


def test_a_study_whose_names_start_with_formula_characters_loads(tiny_copy):
    # The study data itself is the user's and stays as it is; only what the suite writes is marked.
    for name in ("accounts.csv", "probes.csv"):
        path = tiny_copy / name
        path.write_text(path.read_text(encoding="utf-8").replace("Company X", "=Company X"), encoding="utf-8")
    study = load_study(tiny_copy)
    assert "=Company X" in set(study.probes["company"])
