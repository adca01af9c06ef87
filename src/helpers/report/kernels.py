"""One pool of warm kernels for a whole report: every notebook and every scorecard runs in it.

Starting a kernel and importing pandas, matplotlib, seaborn and statsmodels costs seconds; a
notebook on the bundled study runs in one or two. So the pool keeps `jobs` worker processes
(one per core), each with one kernel that outlives its notebooks:

* A task is parameterised as papermill does (its injected-parameters cell included), then a
  first hidden cell runs `helpers.report.kernel_state.reset` (``%reset -f`` and more), so each notebook
  starts clean but with its imports loaded. That cell is taken out of the executed copy.
* A worker renders its notebook's page itself, so the parent only hands out tasks.
* A failing cell fails its notebook only, named with its cell. A kernel that dies or times out
  fails its notebook, and the worker starts a new kernel for the next one.
* A notebook still running after `PROGRESS_EVERY` seconds is reported, with the cell it is at and
  the section that cell belongs to, every `PROGRESS_EVERY` seconds.

Workers are started with spawn (the parent may hold threads and kernels) and die with the
parent (`helpers.report.processes`); their kernels exit when their worker is gone.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import nbformat

from helpers import paths
from helpers.report import processes
from helpers.report.render import HIDDEN_TAG, LANG_TAG, PAPERMILL_TAGS

# Seconds between "still running" lines for a long notebook.
PROGRESS_EVERY = 15.0
# Longest time one cell may run before its kernel is stopped and its notebook failed.
CELL_TIMEOUT = 3600
MPLBACKEND = "module://matplotlib_inline.backend_inline"
RESET_CELL = "from helpers.report import kernel_state\nkernel_state.reset()"
WARM_UP = "from helpers.report import kernel_state\nkernel_state.warm_up()"  # it clears the namespace too


@dataclass(frozen=True)
class NotebookFailure:
    """Where an executed notebook stopped."""

    notebook: str
    executed_copy: Path
    cell: int | None  # 1-based, counting the notebook's own cells (not papermill's injected one)
    cell_source: str
    error: str

    def __str__(self) -> str:
        where = f"cell {self.cell}" if self.cell is not None else "before any cell ran"
        first_line = self.cell_source.strip().splitlines()[0] if self.cell_source.strip() else ""
        text = f"{self.notebook}: failed at {where}"
        if first_line:
            text += f" ({first_line[:80]!r})"
        return f"{text}\n    {self.error}\n    executed copy: {self.executed_copy}"


def failure_in(nb: nbformat.NotebookNode, label: str, executed: Path, fallback: str) -> NotebookFailure:
    """The failure an executed notebook records: its first cell with an error output, else `fallback`."""
    number = 0
    for cell in nb.cells:
        if PAPERMILL_TAGS & set(cell.get("metadata", {}).get("tags", [])):
            continue
        number += 1
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return NotebookFailure(label, executed, number, cell.source, f"{out.get('ename')}: {out.get('evalue')}")
    return NotebookFailure(label, executed, None, "", fallback)


@dataclass(frozen=True)
class Task:
    """One notebook to run in the pool: where its executed copy and its page go."""

    label: str  # its name in the log and in a failure: "05-compare-companies (ja)"
    notebook: str  # the source .ipynb
    executed: str  # the executed copy
    parameters: dict  # offered; the notebook takes those its parameters cell declares
    page: str | None = None  # the HTML page rendered when it succeeds
    lang: str = "en"
    title: str = ""


@dataclass(frozen=True)
class Done:
    """How a task ended."""

    task: Task
    seconds: float
    failure: NotebookFailure | None = None


class KernelPool:
    """`jobs` worker processes with one warm kernel each; use as a context manager.

    `log` receives the progress lines of long notebooks (from a thread of this process).
    """

    def __init__(self, jobs: int, log_dir: Path, log: Callable[[str], None] = print,
                 progress_every: float = PROGRESS_EVERY):
        self.jobs = max(1, jobs)
        self.log = log
        log_dir.mkdir(parents=True, exist_ok=True)
        context = multiprocessing.get_context("spawn")
        self._messages = context.Queue()
        self._executor = ProcessPoolExecutor(max_workers=self.jobs, mp_context=context, initializer=_start_worker,
                                             initargs=(self._messages, str(log_dir), progress_every))
        self._stop = threading.Event()
        self._kernels: set[int] = set()
        self._reader = threading.Thread(target=self._relay, daemon=True)
        self._reader.start()

    def _relay(self) -> None:
        while not self._stop.is_set():
            try:
                message = self._messages.get(timeout=0.2)
            except queue.Empty:
                continue
            except (EOFError, OSError):
                return
            if isinstance(message, int):  # a worker started a kernel: its pid
                self._kernels.add(message)
            else:
                self.log(message)

    def run(self, tasks: Sequence[Task]) -> Iterator[Done]:
        """Run `tasks` (in this order, as workers come free); each result as it finishes."""
        futures = [self._executor.submit(_run_task, task) for task in tasks]
        for future in as_completed(futures):
            yield future.result()

    def close(self, stopped: bool = False) -> None:
        """Shut the workers down; `stopped` (the run failed or was interrupted): end their kernels too.

        A kernel whose worker was killed is no longer below this process, and would go on
        writing results until it notices; it is ended here by its pid.
        """
        self._executor.shutdown(wait=True, cancel_futures=True)
        self._stop.set()
        self._reader.join()
        self._messages.close()
        if stopped:
            _end(self._kernels)

    def __enter__(self) -> KernelPool:
        return self

    def __exit__(self, exc_type, *exc) -> None:
        self.close(stopped=exc_type is not None)


def _end(pids: set[int], grace: float = 5.0) -> None:
    """Terminate the processes `pids` that still run, then kill those left after `grace` s."""
    import psutil

    procs = []
    for pid in pids:
        try:
            proc = psutil.Process(pid)
            proc.terminate()
            procs.append(proc)
        except psutil.Error:
            continue
    _, alive = psutil.wait_procs(procs, timeout=grace)
    for proc in alive:
        try:
            proc.kill()
        except psutil.Error:
            pass


# --------------------------------------------------------------------------------------------
# In a worker process


class _Worker:
    """A worker's kernel (started on its first task) and what its progress thread reads."""

    def __init__(self, messages, log_dir: str, progress_every: float):
        self.messages = messages
        self.progress_every = progress_every
        self.log_dir = Path(log_dir)
        self.client = None
        self.kernel_log = None
        self.lock = threading.Lock()
        self.running: tuple[str, float, list[str]] | None = None  # label, start, section of each cell
        self.cell = 0
        threading.Thread(target=self._report_progress, daemon=True).start()

    def _report_progress(self) -> None:
        last = time.monotonic()
        while True:
            time.sleep(min(1.0, self.progress_every / 2))
            with self.lock:
                running, cell = self.running, self.cell
            now = time.monotonic()
            if running is None:
                last = now
                continue
            label, started, sections = running
            if now - max(last, started) >= self.progress_every:
                last = now
                section = sections[cell] if 0 <= cell < len(sections) else ""
                at = f"cell {max(cell, 1)} of {len(sections) - 1}" + (f", {section}" if section else "")
                self.messages.put(f"  ... {label}: still running after {now - started:.0f} s ({at})")

    def client_for(self, nb: nbformat.NotebookNode):
        self.start_kernel()
        self.client.nb = nb
        return self.client

    def start_kernel(self) -> None:
        """Start a kernel (if none runs) and load the notebooks' imports in it."""
        from nbclient import NotebookClient

        if self.client is None:
            self.kernel_log = self.kernel_log or (self.log_dir / f"kernel-{os.getpid()}.log").open("a", encoding="utf-8")
            self.client = NotebookClient(nbformat.v4.new_notebook(), timeout=CELL_TIMEOUT, kernel_name="python3",
                                         resources={"metadata": {"path": str(paths.PROJECT_ROOT)}},
                                         on_cell_start=self._on_cell_start)
            self.client.km = self.client.create_kernel_manager()
            self.client.start_new_kernel(stdout=self.kernel_log, stderr=self.kernel_log)
            self.messages.put(self.client.km.provisioner.pid)  # the parent ends it if the run stops
            self.client.start_new_kernel_client()
            # Not a notebook cell: a failure here shows again in the first notebook that needs the import.
            self.client.nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(WARM_UP)])
            try:
                self.client.execute(cleanup_kc=False)
            except Exception as exc:
                self.kernel_log.write(f"warm-up failed: {exc}\n")

    def _on_cell_start(self, cell, cell_index: int) -> None:
        with self.lock:
            self.cell = cell_index

    def drop_kernel(self) -> None:
        """Shut the kernel down (if it still runs); the next task starts a new one."""
        if self.client is not None and self.client.km is not None:
            try:
                self.client._cleanup_kernel()
            except Exception:  # a kernel that is already gone has nothing to clean up
                pass
        self.client = None

    def close(self) -> None:
        self.drop_kernel()
        if self.kernel_log is not None:
            self.kernel_log.close()


_worker: _Worker | None = None


def _start_worker(messages, log_dir: str, progress_every: float) -> None:
    from multiprocessing.util import Finalize

    global _worker
    processes.die_with_parent()
    os.environ["MPLBACKEND"] = MPLBACKEND
    # The worker's kernels read the study once, not once per notebook (a copy each time; a changed file is re-read).
    from helpers.data.study import CACHE_ENV

    os.environ[CACHE_ENV] = "1"
    _worker = _Worker(messages, log_dir, progress_every)
    Finalize(None, _worker.close, exitpriority=10)  # when the pool shuts the worker down: the kernel too
    try:
        _worker.start_kernel()  # while the parent is still setting up
    except Exception:  # the first task tries again, and fails with the reason
        _worker.drop_kernel()


def sections(nb: nbformat.NotebookNode, lang: str) -> list[str]:
    """For each cell, the heading of the section it is in (in `lang`), for progress lines."""
    other = {f"{LANG_TAG}{tag}" for tag in ("en", "ja") if tag != lang}
    current, out = "", []
    for cell in nb.cells:
        if cell.cell_type == "markdown" and not other & set(cell.get("metadata", {}).get("tags", [])):
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    current = line.lstrip("#").strip()
                    break
        out.append(current)
    return out


def _prepared(task: Task) -> nbformat.NotebookNode:
    """The notebook as papermill would run it, with the reset cell first."""
    import papermill
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    declared = set(papermill.inspect_notebook(task.notebook))
    nb = load_notebook_node(task.notebook)
    nb = parameterize_notebook(nb, {k: v for k, v in task.parameters.items() if k in declared})
    reset = nbformat.v4.new_code_cell(RESET_CELL)
    reset.metadata["tags"] = [HIDDEN_TAG]
    nb.cells.insert(0, reset)
    return nb


def _run_task(task: Task) -> Done:
    from nbclient.exceptions import CellExecutionError

    from helpers.report.render import render_html

    assert _worker is not None, "a task runs only in a pool worker"
    start = time.perf_counter()
    executed = Path(task.executed)
    nb = _prepared(task)
    error = None
    with _worker.lock:
        _worker.running, _worker.cell = (task.label, time.monotonic(), sections(nb, task.lang)), 0
    try:
        _worker.client_for(nb).execute(cleanup_kc=False)
    except CellExecutionError as exc:
        error = str(exc).strip().splitlines()[-1] if str(exc).strip() else "a cell failed"
    except Exception as exc:  # the kernel died or a cell timed out: this notebook fails, the next gets a new kernel
        error = f"{type(exc).__name__}: {exc}"
        _worker.drop_kernel()
    finally:
        with _worker.lock:
            _worker.running = None
    if nb.cells and nb.cells[0].source == RESET_CELL:
        reset = nb.cells.pop(0)
        if error and any(o.get("output_type") == "error" for o in reset.get("outputs", [])):
            error = "the kernel could not be reset between notebooks: " + error
    executed.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, executed)
    failure = failure_in(nb, task.label, executed, error) if error else None
    if failure is None and task.page:
        Path(task.page).parent.mkdir(parents=True, exist_ok=True)
        render_html(nb, Path(task.page), task.lang, title=task.title)
    return Done(task, time.perf_counter() - start, failure)
