"""Notebook sources: each notebook's MyST markdown (what a reviewer reads) and its .ipynb hold the same cells.

The ``.md`` beside each notebook is the source of truth; the ``.ipynb`` is kept for papermill,
nbval, JupyterLab and Binder, paired by jupytext, and committed without outputs.
"""

from __future__ import annotations

import jupytext
import nbformat
import pytest

from helpers import paths

FORMATS = "ipynb,md:myst"
# Rebuilds every .ipynb from its .md, keeping cell ids (`make notebooks`).
REGENERATE = "make notebooks"
WORKSHOP = paths.NOTEBOOKS_DIR / "workshop"  # the solved lessons; their learner copies are checked in tests/workshop
NOTEBOOKS = sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb")) + sorted(WORKSHOP.glob("W*.ipynb"))


def cells(notebook) -> list[tuple[str, str, dict]]:
    """What a notebook says: each cell's type, source and metadata (tags)."""
    return [(c.cell_type, c.source, dict(c.metadata)) for c in notebook.cells]


def test_every_notebook_has_a_markdown_source_and_every_source_a_notebook():
    sources = {p.stem for p in paths.NOTEBOOKS_DIR.glob("*.md")} | {p.stem for p in WORKSHOP.glob("W*.md")}
    assert NOTEBOOKS and {p.stem for p in NOTEBOOKS} == sources


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_notebook_holds_the_cells_of_its_markdown_source(path):
    source = jupytext.read(path.with_suffix(".md"), fmt="md:myst")
    notebook = nbformat.read(path, as_version=4)
    # Paired both ways, so JupyterLab with jupytext saves each edit to both files.
    assert notebook.metadata.get("jupytext", {}).get("formats") == FORMATS, path.name
    assert source.metadata.get("jupytext", {}).get("formats") == FORMATS, path.with_suffix(".md").name
    expected, found = cells(source), cells(notebook)
    for number, (want, have) in enumerate(zip(expected, found), start=1):
        assert have == want, f"{path.name}, cell {number} differs from its .md: run {REGENERATE}"
    assert len(found) == len(expected), f"{path.name} has {len(found)} cells, its .md {len(expected)}: run {REGENERATE}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_notebooks_carry_no_outputs(path):
    for number, cell in enumerate(nbformat.read(path, as_version=4).cells, start=1):
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}, cell {number}"
