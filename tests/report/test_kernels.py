"""The warm kernel pool: a notebook in a reused kernel behaves as in a fresh one, and fails alone."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from helpers.data.study import load_study
from helpers.report import kernels, pipeline
from tests.conftest import TINY_STUDY

pytestmark = pytest.mark.slow


def notebook(folder, name: str, *sources: str, params: str = 'lang = "en"'):
    """A notebook file with a parameters cell and one code cell per source."""
    cell = new_code_cell(params)
    cell.metadata["tags"] = ["parameters"]
    nb = new_notebook(cells=[new_markdown_cell("# A section"), cell, *(new_code_cell(s) for s in sources)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def task(path, tmp_path, **parameters) -> kernels.Task:
    return kernels.Task(label=path.stem, notebook=str(path), executed=str(tmp_path / "out" / path.name),
                        parameters=parameters, page=str(tmp_path / "pages" / f"{path.stem}.html"))


def outputs(tmp_path, name: str) -> list[str]:
    nb = nbformat.read(tmp_path / "out" / f"{name}.ipynb", as_version=4)
    return ["".join(o.get("text", "") for o in cell.get("outputs", [])) for cell in nb.cells if cell.cell_type == "code"]


def test_each_notebook_starts_clean_in_a_reused_kernel(tmp_path):
    """Names, working folder, matplotlib settings, pandas options and warning filters do not leak."""
    dirty = notebook(tmp_path, "dirty", "\n".join([
        "import os, warnings, matplotlib as mpl, pandas as pd",
        "leaked = 1", "os.chdir('/')", "mpl.rcParams['lines.linewidth'] = 9.5",
        "pd.set_option('display.max_colwidth', 7)", "warnings.simplefilter('error')",
        "print(os.getpid())"]))
    clean = notebook(tmp_path, "clean", "\n".join([
        "import os, warnings, matplotlib as mpl, pandas as pd",
        "print(os.getpid(), 'leaked' in globals(), os.getcwd(), mpl.rcParams['lines.linewidth'],",
        "      pd.get_option('display.max_colwidth'), warnings.filters[0][0] == 'error', lang)"]))
    with kernels.KernelPool(1, tmp_path / "logs", log=lambda _: None) as pool:
        done = list(pool.run([task(dirty, tmp_path), task(clean, tmp_path, lang="ja")]))
    assert [d.failure for d in done] == [None, None]
    pid_dirty = outputs(tmp_path, "dirty")[-1].split()[0]
    pid, leaked, cwd, width, colwidth, error_filter, lang = outputs(tmp_path, "clean")[-1].split()
    assert pid == pid_dirty  # the same kernel ran both
    assert (leaked, cwd, error_filter, lang) == ("False", str(pipeline.paths.PROJECT_ROOT), "False", "ja")
    assert float(width) != 9.5 and colwidth != "7"
    # The executed copy is papermill's: injected parameters, no reset cell; the page was rendered.
    cells = nbformat.read(tmp_path / "out" / "clean.ipynb", as_version=4).cells
    assert kernels.RESET_CELL not in [c.source for c in cells]
    assert "injected-parameters" in cells[2].metadata.get("tags", [])
    assert (tmp_path / "pages" / "clean.html").is_file()


def test_a_failing_cell_or_a_dead_kernel_fails_that_notebook_only(tmp_path):
    fails = notebook(tmp_path, "fails", "x = 1", "raise ValueError('boom on purpose')")
    dies = notebook(tmp_path, "dies", "import os\nos._exit(1)")
    fine = notebook(tmp_path, "fine", "import os\nprint(os.getpid())")
    with kernels.KernelPool(1, tmp_path / "logs", log=lambda _: None) as pool:
        done = {d.task.label: d for d in pool.run([task(p, tmp_path) for p in (fine, fails, dies, fine)])}
    failure = done["fails"].failure
    assert failure.cell == 4 and "boom on purpose" in failure.error  # markdown, parameters, x = 1, raise
    assert "x = 1" not in failure.cell_source and "raise" in failure.cell_source
    assert done["dies"].failure is not None and done["dies"].failure.cell is None
    assert done["fine"].failure is None  # the last one ran, in a new kernel
    assert not (tmp_path / "pages" / "fails.html").exists()


def test_a_long_notebook_reports_its_section(tmp_path):
    slow = notebook(tmp_path, "slow", "import time\ntime.sleep(kernels_wait)", params="kernels_wait = 0")
    lines: list[str] = []
    with kernels.KernelPool(1, tmp_path / "logs", log=lines.append, progress_every=1.0) as pool:
        done = list(pool.run([task(slow, tmp_path, kernels_wait=4)]))
    assert done[0].failure is None
    assert any("slow: still running after" in line and "A section" in line for line in lines), lines


def test_results_from_warm_kernels_equal_those_from_fresh_papermill_processes(tmp_path):
    """Every results file of every notebook, byte for byte: sharing kernels changes nothing."""
    study = load_study(TINY_STUDY)
    notebooks = pipeline.suite_notebooks()
    fresh, warm = tmp_path / "fresh", tmp_path / "warm"
    (tmp_path / "papermill").mkdir()
    for nb in notebooks:
        assert pipeline.execute_notebook(nb, tmp_path / "papermill" / nb.name,
                                         pipeline.notebook_parameters(study, fresh, "en")) is None
    tasks = [kernels.Task(nb.stem, str(nb), str(tmp_path / "pool" / nb.name), pipeline.notebook_parameters(study, warm))
             for nb in notebooks]
    with kernels.KernelPool(1, tmp_path / "logs", log=lambda _: None) as pool:  # one kernel runs them all
        assert [d.failure for d in pool.run(tasks)] == [None] * len(tasks)
    files = sorted(p.relative_to(fresh).as_posix() for p in fresh.rglob("*") if p.is_file())
    assert files and files == sorted(p.relative_to(warm).as_posix() for p in warm.rglob("*") if p.is_file())
    assert pipeline.results_differences(fresh, warm) == []

    def figures(path) -> int:  # image outputs: the inline backend must show each cell's figures in every kernel
        nb = nbformat.read(path, as_version=4)
        return sum("image/png" in out.get("data", {}) for cell in nb.cells for out in cell.get("outputs", []))

    shown = {nb.stem: (figures(tmp_path / "papermill" / nb.name), figures(tmp_path / "pool" / nb.name)) for nb in notebooks}
    assert all(fresh_count == pooled and pooled > 0 for fresh_count, pooled in shown.values()), shown
