"""The report pipeline behind ``python -m helpers report`` and ``make report``.

1. Validate the study (and, for ``--pdf``, find Chromium); otherwise no report at all.
2. Execute every numbered notebook, parameterised as papermill does, into
   ``build/report/<study-id>/``, once per language (they draw words into their figures), in one
   pool of warm kernels (`helpers.report.kernels`, one per core), printing a line as each finishes
   and a progress line for a long one.
3. Render each executed notebook to HTML without code as soon as it finishes, then (in the same
   pool) a scorecard per company and language, the summary page, and a header on every page; notebooks write
   their results files; all go to a staging folder beside ``reports/<study-id>/``. Pages are
   named per language by `helpers.report.links`; the first language's results are published.
4. Only when everything succeeded (PDFs too, when asked for), swap the staging folder in and
   rewrite each language's index. A failed run leaves the previous good report in place.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import nbformat
import yaml

from helpers import paths
from helpers.data.study import Study, load_study
from helpers.report import links, navigation, outputs, processes, style
from helpers.report import pdf as printing
from helpers.report.kernels import KernelPool, NotebookFailure, Task, failure_in
from helpers.report.session import combine_all_parts
from helpers.report.site import notebook_title
from helpers.text.catalogue import LANGS

NOTEBOOK_GLOB = "[0-9][0-9]-*.ipynb"
# Run once per company after the others (it reads their league table and reply kinds).
SCORECARD_NOTEBOOK = "10-company-scorecard.ipynb"
# Run only when the report has an earlier wave to compare with (``--baseline``).
WAVES_NOTEBOOK = "07-compare-waves.ipynb"
SCORECARDS_DIR = "scorecards"
STUDY_INFO = "study.json"
PDF_DIR = "pdf"


class ReportFailed(Exception):
    """One or more notebooks failed; the previous report was left in place."""

    def __init__(self, failures: Sequence[NotebookFailure]):
        self.failures = list(failures)
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = [f"{len(self.failures)} notebook(s) failed; the previous report was left in place:"]
        lines += [f"  - {f}" for f in self.failures]
        return "\n".join(lines)


def suite_notebooks(notebooks_dir: str | os.PathLike = paths.NOTEBOOKS_DIR, waves: bool = False) -> list[Path]:
    """The numbered notebooks of the suite run once per study, in order (not the scorecard; the wave
    comparison only with `waves`)."""
    skip = {SCORECARD_NOTEBOOK} | (set() if waves else {WAVES_NOTEBOOK})
    return sorted(p for p in paths.resolve(notebooks_dir).glob(NOTEBOOK_GLOB) if p.name not in skip)


def declared_parameters(notebook: Path) -> set[str]:
    """Names assigned in the notebook's cell tagged ``parameters``."""
    import papermill

    return set(papermill.inspect_notebook(str(notebook)))


def notebook_parameters(study: Study, results: Path, lang: str = "en", baseline: Path | None = None,
                        mapping: Path | None = None) -> dict:
    """Parameters every notebook of a report run gets (each takes those it declares)."""
    return {
        "study_dir": str(study.path),
        "output_dir": str(results),
        "thresholds_minutes": list(study.thresholds_minutes),
        "lang": lang,
        **({"baseline_dir": str(baseline), "mapping_path": str(mapping or "")} if baseline else {}),
    }


def _failure(notebook: Path, executed: Path, stderr: str) -> NotebookFailure:
    tail = stderr.strip().splitlines()[-1] if stderr.strip() else "papermill failed"
    try:
        nb = nbformat.read(executed, as_version=4)
    except (OSError, ValueError):
        return NotebookFailure(notebook.stem, executed, None, "", tail)
    return failure_in(nb, notebook.stem, executed, tail)


def execute_notebook(notebook: Path, executed: Path, parameters: dict) -> NotebookFailure | None:
    """Run one notebook through papermill in its own process (a fresh kernel), from the project root.

    The report runs its notebooks in a `KernelPool` instead; this is the plain way, for tests and
    for the benchmark's baseline.
    """
    declared = declared_parameters(notebook)
    chosen = {k: v for k, v in parameters.items() if k in declared}
    cmd = [sys.executable, "-m", "papermill", str(notebook), str(executed),
           "-y", yaml.safe_dump(chosen), "--cwd", str(paths.PROJECT_ROOT),
           "--no-progress-bar", "--no-log-output"]
    env = {**os.environ, "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    # The child dies with this process, and none starts once the run is being stopped.
    proc = processes.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    if proc.returncode != 0:
        return _failure(notebook, executed, proc.stderr)
    return None


@dataclass(frozen=True)
class ScorecardPage:
    """One rendered scorecard in one language (or why it failed)."""

    company: str
    lang: str
    page: str  # its stem, relative to the study's report folder: 'scorecards/<slug>'
    seconds: float
    failure: NotebookFailure | None = None

    @property
    def file(self) -> str:
        """The page's file, relative to the study's report folder."""
        return links.page(self.page, self.lang)


def scorecard_tasks(tasks: Sequence[tuple[str, str]], params: dict[str, dict], pages_dir: Path, build_dir: Path,
                    names: dict[str, str]) -> list[Task]:
    """A pool task per (company, language): the scorecard notebook with that company's parameters."""
    from helpers.text.catalogue import t_plain

    return [Task(label=f"{SCORECARD_NOTEBOOK[:-6]} ({company}, {lang})",
                 notebook=str(paths.NOTEBOOKS_DIR / SCORECARD_NOTEBOOK),
                 executed=str(build_dir / links.named(names[company], lang, ".ipynb")),
                 parameters={**params[lang], "company": company},
                 page=str(pages_dir / links.page(names[company], lang)), lang=lang,
                 title=t_plain("scorecard_title", lang, company=company))
            for company, lang in tasks]


def run_scorecards(tasks: Sequence[tuple[str, str]], params: dict[str, dict], pages_dir: Path, build_dir: Path,
                   jobs: int | None = None, names: dict[str, str] | None = None,
                   pool: KernelPool | None = None) -> list[ScorecardPage]:
    """A scorecard page per (company, language), in `pool` (or a pool of `jobs` kernels of its own).

    `names` gives each company's file name (`scorecard_names` of the tasks' companies by default).
    """
    from helpers.analysis.scorecard import scorecard_names

    tasks = list(tasks)
    if not tasks:
        return []
    pages_dir.mkdir(parents=True, exist_ok=True)
    build_dir.mkdir(parents=True, exist_ok=True)
    names = names or scorecard_names(c for c, _ in tasks)
    if pool is None:
        jobs = max(1, min(jobs or os.cpu_count() or 1, len(tasks)))
        with KernelPool(jobs, build_dir) as own:
            return run_scorecards(tasks, params, pages_dir, build_dir, names=names, pool=own)
    pages = []
    for done in pool.run(scorecard_tasks(tasks, params, pages_dir, build_dir, names)):
        company, lang = done.task.parameters["company"], done.task.lang
        pages.append(ScorecardPage(company, lang, f"{SCORECARDS_DIR}/{names[company]}", done.seconds, done.failure))
    order = {lang: i for i, lang in enumerate(params)}
    return sorted(pages, key=lambda p: (order[p.lang], p.company))


def render_scorecards(study: Study, results: Path, pages_dir: Path, build_dir: Path, lang: str = "en",
                      jobs: int | None = None, companies: Sequence[str] | None = None) -> list[ScorecardPage]:
    """Every company's scorecard page in one language (reading and writing `results`)."""
    from helpers.analysis.scorecard import scorecard_names

    names = scorecard_names(study.probes["company"].unique())  # unique among all the study's companies
    companies = list(companies) if companies is not None else sorted(names)
    return run_scorecards([(c, lang) for c in companies], {lang: notebook_parameters(study, results, lang)},
                          pages_dir, build_dir, jobs, names)


def parse_langs(value: str | Sequence[str]) -> list[str]:
    """The languages to build, in order, from ``"en,ja"`` or ``["en", "ja"]`` (repeats dropped)."""
    items = value.split(",") if isinstance(value, str) else list(value)
    langs = list(dict.fromkeys(item.strip() for item in items if item.strip()))
    unknown = [lang for lang in langs if lang not in LANGS]
    if unknown or not langs:
        raise ValueError(f"unknown language(s) {', '.join(unknown) or repr(value)}; "
                         f"expected one or more of {', '.join(LANGS)}, comma-separated")
    return langs


def build_report(study_dir: str | os.PathLike, reports_dir: str | os.PathLike = paths.REPORTS_DIR,
                 build_dir: str | os.PathLike = paths.REPORT_BUILD_DIR,
                 notebooks: Sequence[Path] | None = None, jobs: int | None = None,
                 log: Callable[[str], None] = print, lang: str | Sequence[str] = "en", scorecards: bool = True,
                 pdf: bool = False, baseline: str | os.PathLike | None = None,
                 mapping: str | os.PathLike | None = None) -> Path:
    """Run the suite on a study in each language of `lang` and publish ``reports/<study-id>/``; return that folder.

    `baseline` is the study's earlier wave (page 07 compares them), `mapping` its renamed handles
    (default: the study's ``renamed_handles.csv``, when it has one).

    Raises `StudyValidationError` for an invalid study or baseline, `WaveInputError` for waves that
    cannot be compared (a bad mapping file) and `pdf.ChromiumMissing` for `pdf` without Chromium
    (nothing is written), `ReportFailed` when a notebook fails and
    `pdf.PdfFailed` when a page does not print (the previous report stays in place).
    """
    langs = parse_langs(lang)
    study = load_study(study_dir)
    waves = _check_waves(study, baseline, mapping) if baseline is not None else None
    # The kernels read the study themselves; this process names the companies and counts the
    # probes, so a million of them do not sit in its memory for the whole run.
    study = dataclasses.replace(study, probes=study.probes[["company"]].copy())
    chromium = printing.find_chromium() if pdf else None  # before any work: the run could not finish
    notebooks = list(notebooks) if notebooks is not None else suite_notebooks(waves=waves is not None)
    reports_root, build_root = paths.resolve(reports_dir), paths.resolve(build_dir)
    # Before anything is written: never into the study, never over files the suite did not write.
    outputs.check_study_id(study.id, [links.page("index", lg) for lg in LANGS])
    outputs.check_folders(study.path, {"--out": reports_root, "--build": build_root})
    outputs.check_ours(reports_root, "--out")
    outputs.check_ours(build_root, "--build")
    outputs.check_writable(reports_root, "--out")
    outputs.check_writable(build_root, "--build")
    with outputs.locked(reports_root, study.id), outputs.locked(build_root, study.id):
        # Staging folders and temporary files of runs that were killed (their process is gone).
        outputs.remove_debris(reports_root)
        outputs.remove_debris(build_root)
        final = _build_locked(study, langs, notebooks, reports_root, build_root, jobs, log, scorecards, chromium,
                              waves)
    indexes = write_index(reports_root)
    log(f"  index: {', '.join(str(i) for i in indexes)}")
    return final


def _check_waves(study: Study, baseline: str | os.PathLike, mapping: str | os.PathLike | None) -> tuple[Study, Path | None]:
    """The baseline study and mapping file, checked before any work (`WaveInputError`, `StudyValidationError`)."""
    from helpers.analysis.waves import check_waves, default_mapping

    earlier = load_study(baseline)
    file = paths.resolve(mapping) if mapping else default_mapping(study.path)
    check_waves(earlier, study, file)  # refuses what cannot be compared, naming file, row and column
    return dataclasses.replace(earlier, probes=earlier.probes.iloc[:0]), file


def _build_locked(study: Study, langs: list[str], notebooks: list[Path], reports_root: Path, build_root: Path,
                  jobs: int | None, log: Callable[[str], None], scorecards: bool, chromium: str | None,
                  waves: tuple[Study, Path | None] | None = None) -> Path:
    """`build_report` once its folders are checked and the study's lock is held."""
    from helpers.analysis.scorecard import scorecard_names

    build = build_root / study.id
    final = reports_root / study.id
    staging = reports_root / f".{study.id}.partial-{os.getpid()}"
    # One results folder is published (the first language's); the others stay in build/ to compare.
    results = {lg: staging / "results" if i == 0 else build / f"results.{lg}" for i, lg in enumerate(langs)}

    # Listed before anything is written (staging too): a killed run leaves nothing unlisted behind.
    outputs.record(build_root, [study.id])
    outputs.record(reports_root, [study.id])
    shutil.rmtree(build, ignore_errors=True)
    build.mkdir(parents=True)
    for folder in results.values():
        folder.mkdir(parents=True)
    baseline, mapping = (waves[0].path, waves[1]) if waves else (None, None)
    params = {lg: notebook_parameters(study, results[lg], lg, baseline, mapping) for lg in langs}
    tasks = [(nb, lg) for lg in langs for nb in notebooks]
    jobs = jobs or max(1, min(len(tasks), os.cpu_count() or 1))
    log(f"Study {study.id}: {len(study.accounts)} accounts, {len(study.probes)} probes"
        f"{' (SYNTHETIC)' if study.synthetic else ''}; running {len(notebooks)} notebooks in "
        f"{', '.join(langs)}, {jobs} at a time in warm kernels")

    start = time.perf_counter()
    timings: dict[str, float] = {}
    try:
        # One pool for the notebooks and then the scorecards: a kernel's imports are loaded once.
        with KernelPool(jobs, build, log) as pool:
            suite = _suite_tasks(tasks, params, build, staging, study.title, _previous_seconds(final))
            failures = _run_notebooks(pool, suite, timings, log)
            if failures:
                raise ReportFailed(sorted(failures, key=lambda f: f.notebook))
            for folder in results.values():
                combine_all_parts(folder)  # tables several notebooks write to, e.g. comparisons.csv

            pages: list[ScorecardPage] = []
            names = scorecard_names(study.probes["company"].unique())
            if scorecards:  # after the others: a scorecard reads their league table and reply kinds
                t0 = time.perf_counter()
                pages = run_scorecards([(c, lg) for lg in langs for c in names], params,
                                       staging / SCORECARDS_DIR, build / SCORECARDS_DIR, names=names, pool=pool)
                timings["scorecards"] = time.perf_counter() - t0
                failed = [p.failure for p in pages if p.failure]
                log(f"  scorecards: {len(pages) - len(failed)} of {len(pages)} pages rendered "
                    f"({timings['scorecards']:.1f} s)")
                if failed:
                    raise ReportFailed(failed)
        for other in langs[1:]:
            if differ := results_differences(results[langs[0]], results[other]):
                log(f"  note: {len(differ)} results file(s) differ between {langs[0]} and {other} "
                    f"({', '.join(differ[:4])}{', ...' if len(differ) > 4 else ''}); results/ holds {langs[0]}'s, "
                    f"{other}'s are in {results[other]}")

        info = {
            "id": study.id, "title": study.title, "description": study.meta.get("description", ""),
            "description_ja": study.meta.get("description_ja", ""),
            "synthetic": study.synthetic, "source": study.source,
            "answer_rate_scope": study.rate_scope, "limits": study.limits, "limits_ja": study.limits_in("ja"), "langs": langs,
            "notebooks": [nb.stem for nb in notebooks],
            "baseline": waves[0].id if waves else "",
            "scorecards": [{"company": p.company, "page": p.page} for p in pages if p.lang == langs[0]],
            # Companies whose plain file name another company's would have taken: each got a hash.
            "scorecard_collisions": _collisions(names),
            "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "seconds": {k: round(v, 2) for k, v in sorted(timings.items())},
        }
        (staging / STUDY_INFO).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
        stems = _write_site_pages(staging, info)
        if chromium:
            t0 = time.perf_counter()
            printed = [stem for stem in stems if stem == navigation.SUMMARY or stem.startswith(f"{SCORECARDS_DIR}/")]
            # Each PDF's links point where its page is published (final), not to the staging copy.
            printing.print_pdfs(chromium, [
                (staging / links.page(stem, lg), staging / PDF_DIR / links.named(stem, lg, ".pdf"),
                 (final / links.page(stem, lg)).as_uri()) for lg in langs for stem in printed], workers=jobs)
            log(f"  PDFs: {len(printed) * len(langs)} printed ({time.perf_counter() - t0:.1f} s)")
        _publish(staging, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    log(f"Report ready in {time.perf_counter() - start:.1f} s: {final}")
    return final


def _collisions(names: dict[str, str]) -> list[list[str]]:
    """Groups of companies whose plain scorecard names were one and the same (so each took a hash)."""
    from helpers.analysis.scorecard import slug

    groups: dict[str, list[str]] = {}
    for company in names:
        groups.setdefault(slug(company), []).append(company)
    return [sorted(g) for g in groups.values() if len(g) > 1]


def _suite_tasks(tasks, params, build, staging, title, previous: dict[str, float]) -> list[Task]:
    """A pool task per (notebook, language), the longest of the last run first (so none is left to run alone)."""
    def named(stem: str, lang: str) -> str:  # a notebook's name in the log and in failures
        return stem if len(params) == 1 else f"{stem} ({lang})"

    out = [Task(label=named(nb.stem, lang), notebook=str(nb), executed=str(build / links.named(nb.stem, lang, ".ipynb")),
                parameters=params[lang], page=str(staging / links.page(nb.stem, lang)), lang=lang,
                title=f"{notebook_title(nb.stem, lang)} · {title}")
           for nb, lang in tasks]
    key = {id(task): -previous.get(links.named(Path(task.notebook).stem, task.lang, ""), 0.0) for task in out}
    return sorted(out, key=lambda task: key[id(task)])  # stable: the suite's order among equals


def _run_notebooks(pool: KernelPool, tasks: list[Task], timings: dict[str, float],
                   log: Callable[[str], None]) -> list[NotebookFailure]:
    """Execute and render each task in the pool, logging each as it finishes; the failures."""
    failures: list[NotebookFailure] = []
    for done, result in enumerate(pool.run(tasks), start=1):
        task = result.task
        timings[links.named(Path(task.notebook).stem, task.lang, "")] = result.seconds
        log(f"  [{done}/{len(tasks)}] {task.label}: {'FAILED' if result.failure else 'ok'} ({result.seconds:.1f} s)")
        if result.failure:
            failures.append(result.failure)
    return failures


def _previous_seconds(final: Path) -> dict[str, float]:
    """Each page's seconds in the last published run of this study (none: an empty dict)."""
    info = _study_info(final / STUDY_INFO)
    seconds = info.get("seconds") if info else None
    return {k: v for k, v in seconds.items() if isinstance(v, int | float)} if isinstance(seconds, dict) else {}


def results_differences(first: Path, other: Path) -> list[str]:
    """Results files (paths inside the folders) that are not byte for byte the same in both folders."""
    def files(root: Path) -> set[str]:
        return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}

    a, b = files(first), files(other)
    return sorted(name for name in a | b
                  if name not in a or name not in b or (first / name).read_bytes() != (other / name).read_bytes())


def _write_site_pages(folder: Path, info: dict) -> list[str]:
    """Write the summary page per language, then put the header in every page; the page stems."""
    from helpers.report import site

    langs = info["langs"]
    for lang in langs:
        page = site.summary_html(study_entry(folder, info, lang), lang)
        (folder / links.page(navigation.SUMMARY, lang)).write_text(style.apply(page, tables=False), encoding="utf-8")
    study = navigation.StudyPages(
        info["id"], info["title"], langs, info["notebooks"],
        [(c["company"], c["page"]) for c in info["scorecards"]],
        [f for f in site.RESULT_FILES if (folder / "results" / f).exists()])
    stems = [*info["notebooks"], navigation.SUMMARY, *(c["page"] for c in info["scorecards"])]
    for lang in langs:
        for stem in stems:
            file = folder / links.page(stem, lang)
            file.write_text(navigation.inject(file.read_text(encoding="utf-8"), navigation.header(study, stem, lang)),
                            encoding="utf-8")
    return stems


def _publish(staging: Path, final: Path) -> None:
    """Replace `final` by `staging` with two renames, so readers never see half a report.

    Ctrl-C and SIGTERM wait until both renames are done, and a failed second rename puts the
    previous report back: at no point is there no report.
    """
    import signal

    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    blocked = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    try:
        if final.exists():
            final.rename(old)
        try:
            staging.rename(final)
        except BaseException:
            if old.exists() and not final.exists():
                old.rename(final)
            raise
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, blocked)  # a signal that came meanwhile is handled now
    shutil.rmtree(old, ignore_errors=True)


def study_entry(folder: Path, info: dict, lang: str) -> dict:
    """What the site's pages read of a study in `lang`: its study.json and its results."""
    from helpers.report.site import RESULT_FILES, study_numbers

    results = folder / "results"
    headline, league = results / "headline.json", results / "league_table.csv"
    return {
        **info,
        "headline": json.loads(headline.read_text(encoding="utf-8")) if headline.exists() else None,
        "results": [f for f in RESULT_FILES if (results / f).exists()],
        "league": _read_league(league) if league.exists() else None,
        "numbers": study_numbers(results),
        "scorecards": [{**c, "file": links.page(c["page"], lang)} for c in info.get("scorecards", [])],
    }


def write_index(reports_root: Path) -> list[Path]:
    """Rewrite ``reports/index.html`` and each other language's index; the files written.

    An index links only the studies whose last run built its language; one with none left is
    removed (the English one always stays). A study.json without ``langs`` predates pages named
    per language and is left out until it is rebuilt.
    """
    # Two runs ending at once: one index after the other (the lock of index.html, never a study's name).
    with outputs.locked(reports_root, links.page("index", links.DEFAULT_LANG), wait=True):
        return _write_indexes(reports_root)


def _write_indexes(reports_root: Path) -> list[Path]:
    from helpers.report.site import index_html

    found = []
    for name in sorted(outputs.written(reports_root)):  # only folders this suite wrote
        info = _study_info(reports_root / name / STUDY_INFO)
        if info is not None and info.get("id") == name and info.get("langs"):
            found.append((reports_root / name, info))
    written = []
    for lang in LANGS:
        studies = [study_entry(folder, info, lang) for folder, info in found if lang in info["langs"]]
        studies.sort(key=lambda s: s.get("generated_at", ""), reverse=True)  # the newest report first
        target = reports_root / links.page("index", lang)
        if not studies and lang != links.DEFAULT_LANG:
            target.unlink(missing_ok=True)
            outputs.forget(reports_root, [target.name])
            continue
        outputs.record(reports_root, [target.name])
        tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
        tmp.write_text(style.apply(index_html(studies, lang), tables=False), encoding="utf-8")
        os.replace(tmp, target)  # a reader never opens half an index
        written.append(target)
    return written


def _study_info(file: Path) -> dict | None:
    """A published study.json, or None when it is missing or not one (never an error: the index goes on)."""
    try:
        info = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(info, dict) or not isinstance(info.get("langs"), list):
        return None
    return info


def _read_league(file: Path) -> list[dict]:
    from helpers.report.session import read_results_csv

    return read_results_csv(file, dtype=str, keep_default_na=False).to_dict("records")
