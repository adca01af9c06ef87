"""A fast path for reading a study's CSV files: pyarrow, used only where it provably reads what the
strict reader reads.

`helpers.data.study` reads tables with Python's csv module (strict mode) so that every break of
the format becomes a located problem; on a million probes that takes tens of seconds and
gigabytes of Python strings. pyarrow reads the same file in under a second, but it is lenient
where the strict reader is not: ``"abc"def`` becomes ``abcdef`` and an empty line becomes a row of
empty cells. `strict_table` therefore first checks, with numpy over the file's bytes, that every
quote stands where strict CSV allows it, and gives up (returns None) on anything else: a quote
left open, text after a closing quote, a quote inside an unquoted cell, a NUL byte, bytes that
are not UTF-8, a row of another width, an empty row, an over-long cell. The caller then reads the
file the slow way, which names the row and the problem.
"""

from __future__ import annotations

import codecs

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

QUOTE, COMMA, LF, CR = (ord(c) for c in '",\n\r')
MAX_COLUMNS = 1_000  # wider tables take the strict reader (and its messages)


def strict_table(data: bytes, max_cell: int) -> tuple[list[str], list[pa.ChunkedArray]] | None:
    """The header and the columns (text) of CSV bytes, or None where only the strict reader may judge them."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    # Blank lines at the end of the file are harmless to the strict reader too. Only line breaks
    # go: the last cell, when unquoted, cannot hold one, and when quoted ends with its quote.
    data = data.rstrip(b"\r\n")
    if not data or b"\0" in data or not _quotes_are_strict(np.frombuffer(data, dtype=np.uint8)):
        return None
    try:
        table = pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(autogenerate_column_names=True, use_threads=False),
            parse_options=pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(MAX_COLUMNS)},
                null_values=[], strings_can_be_null=False, quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # another width, bytes that are not UTF-8
        return None
    if table.num_columns > MAX_COLUMNS or table.num_rows == 0:
        return None
    columns = [table.column(i) for i in range(table.num_columns)]
    lengths = [pc.utf8_length(col) for col in columns]
    if any((pc.max(n).as_py() or 0) > max_cell for n in lengths):
        return None
    # An empty line is one empty cell to the strict reader (a located problem) but a row of empty
    # cells to pyarrow; so is a row of commas, which the checks below would report: either way
    # the strict reader decides.
    empty = lengths[0]
    for n in lengths[1:]:
        empty = pc.max_element_wise(empty, n)
    if pc.any(pc.equal(empty, 0)).as_py():
        return None
    header = [str(v) for v in table.slice(0, 1).to_pylist()[0].values()]
    return header, [col.slice(1) for col in columns]


def _quotes_are_strict(b: np.ndarray) -> bool:
    """Whether every quote opens a cell, doubles a quote inside one or closes one before a comma,
    a line break or the end, and no quoted cell is left open.

    Quotes come in runs of consecutive quotes. Outside a cell, a run must start a cell (follow a
    comma, a line break or the file's start); an odd run opens a quoted cell, an even one is a
    complete cell (``""`` is empty). Inside, an even run is doubled quotes and an odd run closes
    the cell. So a run toggles the state exactly when its length is odd, and the state before each
    run is the parity of the odd runs before it.
    """
    at = np.flatnonzero(b == QUOTE)
    if at.size == 0:
        return True
    new_run = np.empty(at.size, dtype=bool)
    new_run[0] = True
    np.not_equal(np.diff(at), 1, out=new_run[1:])
    if new_run.all():  # no two quotes side by side (the usual file): quotes alternate open, close
        return at.size % 2 == 0 and _cell_starts(b, at[0::2]) and _cell_ends(b, at[1::2])
    starts = at[new_run]
    ends = np.append(at[np.flatnonzero(new_run)[1:] - 1], at[-1])  # last quote of each run
    odd = (ends - starts) % 2 == 0
    inside = (np.cumsum(odd) - odd) % 2 == 1  # state before each run
    if inside[-1] != odd[-1]:  # the state after the last run is inside: a quote left open
        return False
    closing = inside == odd  # inside and odd, or outside and even
    return _cell_starts(b, starts[~inside]) and _cell_ends(b, ends[closing])


def _cell_starts(b: np.ndarray, at: np.ndarray) -> bool:
    """Whether each position follows a comma, a line break or the start of the file."""
    before = b[at[1:] - 1] if at.size and at[0] == 0 else b[at - 1]
    return bool(((before == COMMA) | (before == LF) | (before == CR)).all())


def _cell_ends(b: np.ndarray, at: np.ndarray) -> bool:
    """Whether each position comes before a comma, a line break or the end of the file."""
    after = b[at[:-1] + 1] if at.size and at[-1] == b.size - 1 else b[at + 1]
    return bool(((after == COMMA) | (after == LF) | (after == CR)).all())
