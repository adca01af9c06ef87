"""The report pipeline behind ``python -m helpers report`` and ``make report``.

1. Validate the study; an invalid study produces no report at all.
2. Execute every numbered notebook with papermill into ``build/<study-id>/``, independent
   notebooks in parallel (one papermill process each: papermill is process-safe, not
   thread-safe), printing a line as each finishes.
3. Render each executed notebook to HTML without code as soon as it finishes; notebooks write
   their results files; both go to a staging folder beside ``reports/<study-id>/``.
4. Only when everything succeeded, swap the staging folder in and rewrite
   ``reports/index.html``. A failed run leaves the previous good report in place.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import nbformat
import yaml

from helpers import paths
from helpers.data.study import Study, load_study
from helpers.report.render import HIDDEN_TAG, PAPERMILL_TAGS, render_html
from helpers.report.session import combine_all_parts
from helpers.report.site import notebook_title

NOTEBOOK_GLOB = "[0-9][0-9]-*.ipynb"
# Run once per company after the others (it reads their league table and reply kinds).
SCORECARD_NOTEBOOK = "10-company-scorecard.ipynb"
SCORECARDS_DIR = "scorecards"
STUDY_INFO = "study.json"


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


class ReportFailed(Exception):
    """One or more notebooks failed; the previous report was left in place."""

    def __init__(self, failures: Sequence[NotebookFailure]):
        self.failures = list(failures)
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = [f"{len(self.failures)} notebook(s) failed; the previous report was left in place:"]
        lines += [f"  - {f}" for f in self.failures]
        return "\n".join(lines)


def suite_notebooks(notebooks_dir: str | os.PathLike = paths.NOTEBOOKS_DIR) -> list[Path]:
    """The numbered notebooks of the suite run once per study, in order (not the scorecard)."""
    return sorted(p for p in paths.resolve(notebooks_dir).glob(NOTEBOOK_GLOB) if p.name != SCORECARD_NOTEBOOK)


def declared_parameters(notebook: Path) -> set[str]:
    """Names assigned in the notebook's cell tagged ``parameters``."""
    import papermill

    return set(papermill.inspect_notebook(str(notebook)))


def notebook_parameters(study: Study, results: Path, lang: str = "en") -> dict:
    """Parameters every notebook of a report run gets (each takes those it declares)."""
    return {
        "study_dir": str(study.path),
        "output_dir": str(results),
        "thresholds_minutes": list(study.thresholds_minutes),
        "lang": lang,
    }


def _failure(notebook: Path, executed: Path, stderr: str) -> NotebookFailure:
    try:
        nb = nbformat.read(executed, as_version=4)
    except (OSError, ValueError):
        tail = stderr.strip().splitlines()[-1] if stderr.strip() else "papermill failed"
        return NotebookFailure(notebook.stem, executed, None, "", tail)
    number = 0
    for cell in nb.cells:
        if PAPERMILL_TAGS & set(cell.get("metadata", {}).get("tags", [])):
            continue
        number += 1
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return NotebookFailure(notebook.stem, executed, number, cell.source,
                                       f"{out.get('ename')}: {out.get('evalue')}")
    tail = stderr.strip().splitlines()[-1] if stderr.strip() else "papermill failed"
    return NotebookFailure(notebook.stem, executed, None, "", tail)


def execute_notebook(notebook: Path, executed: Path, parameters: dict) -> NotebookFailure | None:
    """Run one notebook through papermill in its own process, from the project root."""
    declared = declared_parameters(notebook)
    chosen = {k: v for k, v in parameters.items() if k in declared}
    cmd = [sys.executable, "-m", "papermill", str(notebook), str(executed),
           "-y", yaml.safe_dump(chosen), "--cwd", str(paths.PROJECT_ROOT),
           "--no-progress-bar", "--no-log-output"]
    env = {**os.environ, "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if proc.returncode != 0:
        return _failure(notebook, executed, proc.stderr)
    return None


@dataclass(frozen=True)
class ScorecardPage:
    """One rendered scorecard (or why it failed)."""

    company: str
    file: str  # relative to the study's report folder
    seconds: float
    failure: NotebookFailure | None = None


def _scorecard_batch(companies: list[str], params: dict, pages_dir: str, build_dir: str) -> list[ScorecardPage]:
    """Run the scorecard notebook for each company in one kernel, rendering each page.

    One kernel serves the whole batch: its imports load once, and ``%reset -f`` gives every
    company a clean namespace. The notebook is parameterised as papermill does.
    """
    import copy

    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    from helpers.analysis.scorecard import slug
    from helpers.text.catalogue import t

    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    template = load_notebook_node(str(paths.NOTEBOOKS_DIR / SCORECARD_NOTEBOOK))  # as papermill loads it
    lang = params.get("lang", "en")
    remaining, pages = list(companies), []
    # The kernel's own log (start-up warnings) goes to a file beside the executed copies.
    with (Path(build_dir) / f"kernel-{os.getpid()}.log").open("w", encoding="utf-8") as kernel_log:
        while remaining:  # one kernel per pass; a kernel that dies ends its pass, the next starts afresh
            client = NotebookClient(nbformat.v4.new_notebook(), timeout=600, kernel_name="python3",
                                    resources={"metadata": {"path": str(paths.PROJECT_ROOT)}})
            # setup_kernel starts the kernel and shuts it down on leaving, however the pass ends.
            with client.setup_kernel(stdout=kernel_log, stderr=kernel_log):
                while remaining:
                    company = remaining.pop(0)
                    t0 = time.perf_counter()
                    nb = parameterize_notebook(copy.deepcopy(template), {**params, "company": company})
                    reset = nbformat.v4.new_code_cell("%reset -f")
                    reset.metadata["tags"] = [HIDDEN_TAG]
                    nb.cells.insert(0, reset)
                    name = slug(company)
                    executed = Path(build_dir) / f"{name}.ipynb"
                    client.nb = nb
                    failure, kernel_died = None, False
                    try:
                        client.execute(cleanup_kc=False)
                    except CellExecutionError as exc:
                        failure = NotebookFailure(f"{SCORECARD_NOTEBOOK[:-6]} ({company})", executed, None, "",
                                                  str(exc).strip().splitlines()[-1] if str(exc).strip() else "failed")
                    except Exception as exc:  # the kernel died or timed out: report it, start a new kernel
                        failure = NotebookFailure(f"{SCORECARD_NOTEBOOK[:-6]} ({company})", executed, None, "",
                                                  f"{type(exc).__name__}: {exc}")
                        kernel_died = True
                    nbformat.write(nb, executed)
                    if failure is None:
                        render_html(nb, Path(pages_dir) / f"{name}.html", lang,
                                    title=t("scorecard_title", lang, company=company))
                    pages.append(ScorecardPage(company, f"{SCORECARDS_DIR}/{name}.html",
                                               time.perf_counter() - t0, failure))
                    if kernel_died:
                        break
    return pages


def render_scorecards(study: Study, results: Path, pages_dir: Path, build_dir: Path, lang: str = "en",
                      jobs: int | None = None, companies: Sequence[str] | None = None) -> list[ScorecardPage]:
    """Every company's scorecard page, in `jobs` processes with one kernel each."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    companies = list(companies) if companies is not None else sorted(study.probes["company"].unique())
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(companies)))
    pages_dir.mkdir(parents=True, exist_ok=True)
    build_dir.mkdir(parents=True, exist_ok=True)
    params = notebook_parameters(study, results, lang)
    batches = [companies[i::jobs] for i in range(jobs)]  # round robin: similar sizes
    # spawn, not fork: the parent may hold threads (the notebook pool) and open kernels.
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [pool.submit(_scorecard_batch, b, params, str(pages_dir), str(build_dir)) for b in batches]
        pages = [page for f in futures for page in f.result()]
    return sorted(pages, key=lambda p: p.company)


def build_report(study_dir: str | os.PathLike, reports_dir: str | os.PathLike = paths.REPORTS_DIR,
                 build_dir: str | os.PathLike = paths.BUILD_DIR,
                 notebooks: Sequence[Path] | None = None, jobs: int | None = None,
                 log: Callable[[str], None] = print, lang: str = "en", scorecards: bool = True) -> Path:
    """Run the suite on a study and publish ``reports/<study-id>/``; return that folder.

    Raises `StudyValidationError` for an invalid study (nothing is written) and `ReportFailed`
    when a notebook fails (the previous report stays in place).
    """
    study = load_study(study_dir)
    notebooks = list(notebooks) if notebooks is not None else suite_notebooks()
    reports_root = paths.resolve(reports_dir)
    build = paths.resolve(build_dir) / study.id
    final = reports_root / study.id
    staging = reports_root / f".{study.id}.partial-{os.getpid()}"
    results = staging / "results"

    shutil.rmtree(build, ignore_errors=True)
    build.mkdir(parents=True)
    shutil.rmtree(staging, ignore_errors=True)
    results.mkdir(parents=True)
    params = notebook_parameters(study, results, lang)
    jobs = jobs or min(len(notebooks), os.cpu_count() or 1)
    log(f"Study {study.id}: {len(study.accounts)} accounts, {len(study.probes)} probes"
        f"{' (SYNTHETIC)' if study.synthetic else ''}; running {len(notebooks)} notebooks, {jobs} at a time")

    start = time.perf_counter()
    timings: dict[str, float] = {}
    failures: list[NotebookFailure] = []
    try:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            def run(nb: Path):
                t0 = time.perf_counter()
                failure = execute_notebook(nb, build / nb.name, params)
                if failure is None:  # render while other notebooks still run
                    render_html(build / nb.name, staging / f"{nb.stem}.html", lang,
                                title=f"{notebook_title(nb.stem, lang)} · {study.title}")
                return nb, failure, time.perf_counter() - t0

            futures = [pool.submit(run, nb) for nb in notebooks]
            for done, future in enumerate(as_completed(futures), start=1):
                nb, failure, seconds = future.result()
                timings[nb.stem] = seconds
                status = "FAILED" if failure else "ok"
                log(f"  [{done}/{len(notebooks)}] {nb.stem}: {status} ({seconds:.1f} s)")
                if failure:
                    failures.append(failure)
        if failures:
            raise ReportFailed(sorted(failures, key=lambda f: f.notebook))
        combine_all_parts(results)  # tables several notebooks write to, e.g. comparisons.csv

        pages: list[ScorecardPage] = []
        if scorecards:  # after the others: a scorecard reads their league table and reply kinds
            t0 = time.perf_counter()
            pages = render_scorecards(study, results, staging / SCORECARDS_DIR, build / SCORECARDS_DIR,
                                      lang=lang, jobs=jobs)
            timings["scorecards"] = time.perf_counter() - t0
            failed = [p.failure for p in pages if p.failure]
            log(f"  scorecards: {len(pages) - len(failed)} of {len(pages)} companies rendered "
                f"({timings['scorecards']:.1f} s)")
            if failed:
                raise ReportFailed(failed)

        info = {
            "id": study.id, "title": study.title, "description": study.meta.get("description", ""),
            "synthetic": study.synthetic, "source": study.source,
            "answer_rate_scope": study.rate_scope, "limits": study.limits, "lang": lang,
            "notebooks": [nb.stem for nb in notebooks],
            "scorecards": [{"company": p.company, "file": p.file} for p in pages],
            "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "seconds": {k: round(v, 2) for k, v in sorted(timings.items())},
        }
        (staging / STUDY_INFO).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
        _publish(staging, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    write_index(reports_root, lang)
    log(f"Report ready in {time.perf_counter() - start:.1f} s: {final}  (index: {reports_root / 'index.html'})")
    return final


def _publish(staging: Path, final: Path) -> None:
    """Replace `final` by `staging` with two renames, so readers never see half a report."""
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    if final.exists():
        final.rename(old)
    staging.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def write_index(reports_root: Path, lang: str = "en") -> Path:
    """Rewrite ``reports/index.html`` linking every study report found there."""
    from helpers.report.site import RESULT_FILES, index_html

    studies = []
    for info_file in sorted(reports_root.glob(f"[!.]*/{STUDY_INFO}")):
        info = json.loads(info_file.read_text(encoding="utf-8"))
        headline_file = info_file.parent / "results" / "headline.json"
        info["headline"] = json.loads(headline_file.read_text(encoding="utf-8")) if headline_file.exists() else None
        info["results"] = [f for f in RESULT_FILES if (info_file.parent / "results" / f).exists()]
        league_file = info_file.parent / "results" / "league_table.csv"
        info["league"] = _read_league(league_file) if league_file.exists() else None
        studies.append(info)
    studies.sort(key=lambda s: s.get("generated_at", ""), reverse=True)  # the newest report first
    target = reports_root / "index.html"
    target.write_text(index_html(studies, lang), encoding="utf-8")
    return target


def _read_league(file: Path) -> list[dict]:
    import csv

    with file.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))
