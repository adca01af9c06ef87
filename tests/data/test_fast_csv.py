"""The fast CSV path reads exactly what the strict reader reads, or declines."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

import helpers.data.study as study_module
from helpers import paths
from helpers.data.fast_csv import strict_table
from helpers.data.study import MAX_CELL_LENGTH, load_study
from tests.conftest import TINY_STUDY


def strict_rows(text: str) -> list[list[str]] | None:
    """What the strict reader accepts as it is: its rows, trailing blank lines dropped; None when it
    raises or would report a row (an empty line, another width)."""
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error:
        return None
    while rows and not rows[-1]:
        rows.pop()
    if not rows or any(not row or len(row) != len(rows[0]) for row in rows):
        return None
    return rows


def fast_rows(text: str) -> list[list[str]] | None:
    got = strict_table(text.encode("utf-8"), MAX_CELL_LENGTH)
    if got is None:
        return None
    header, columns = got
    return [header, *map(list, zip(*(c.to_pylist() for c in columns), strict=True))]


# Texts built from the characters that matter to CSV: quotes, commas, line ends, and a letter.
csv_like = st.text(alphabet=['"', ",", "\n", "\r", "a", "é"], max_size=40)


@settings(max_examples=3000, deadline=None)
@given(csv_like)
@example('a,b\n"abc"def,1\n')  # text after a closing quote: pyarrow alone reads "abcdef"
@example('a,b\n""d,1\n')
@example('a,b\n1,2\n\n3,4\n')  # an empty line: pyarrow alone reads a row of empty cells
@example('a,b\nab"c,"x""y"\r\n"",""\n\n')
def test_fast_path_reads_what_the_strict_reader_reads_or_declines(text):
    fast = fast_rows(text)
    if fast is not None:
        assert fast == strict_rows(text)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(st.text(alphabet=['"', ",", "\n", "\r", "a", " "], min_size=1, max_size=8),
                         min_size=3, max_size=3), min_size=1, max_size=6),
       st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]), st.sampled_from(["\n", "\r\n"]))
def test_fast_path_takes_every_file_a_csv_writer_writes(rows, quoting, newline):
    # csv.writer leaves a lone "\r" unquoted when the line ends are "\n" (a file it cannot read back)
    assume(quoting == csv.QUOTE_ALL or newline == "\r\n" or not any("\r" in c for row in rows for c in row))
    buffer = io.StringIO(newline="")
    csv.writer(buffer, quoting=quoting, lineterminator=newline).writerows([["x", "y", "z"], *rows])
    text = buffer.getvalue()
    assert fast_rows(text) == strict_rows(text) == [["x", "y", "z"], *rows]


@pytest.mark.parametrize("data", [
    b"a,b\n1,\x002\n",  # NUL
    b"a,b\n1,\xff\n",  # not UTF-8
    b"a,b\n1,2,3\n",  # another width
    b"a,b\n\"1,2\n",  # a quote left open
    "a,b\n1,{}\n".format("x" * (MAX_CELL_LENGTH + 1)).encode(),  # a cell over the strict reader's limit
    b"",
])
def test_fast_path_declines_what_the_strict_reader_must_name(data):
    assert strict_table(data, MAX_CELL_LENGTH) is None


def test_a_byte_order_mark_and_trailing_blank_lines_are_read_as_the_strict_reader_does():
    assert fast_rows("\ufeffa,b\r\n1,2\r\n\r\n\n") == [["a", "b"], ["1", "2"]]


@pytest.mark.parametrize("folder", [TINY_STUDY, paths.DEFAULT_STUDY, paths.JAPANESE_STUDY], ids=lambda p: p.name)
def test_both_paths_load_the_same_study(folder, monkeypatch):
    fast = load_study(folder)
    monkeypatch.setattr(study_module, "strict_table", lambda data, limit: None)  # the strict reader only
    slow = load_study(folder)
    pd.testing.assert_frame_equal(fast.probes, slow.probes)
    pd.testing.assert_frame_equal(fast.accounts, slow.accounts)
