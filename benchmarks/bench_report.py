"""The report at every size, side by side in one run (this machine is shared and noisy: read the ratios).

Usage: python benchmarks/bench_report.py [--sizes 100,1000] [--tweets 3000000] [--skip-baseline]

1. The bundled study: `python -m helpers report` (the warm kernel pool) against the plain way, one
   `python -m papermill` process per notebook and per scorecard in sequence (execution only, no
   pages: the baseline is given the easier job).
2. For each of `--sizes` simulated companies: the whole report, and notebook 05 alone in a fresh
   papermill process.
3. A TWCS-format file of `--tweets` tweets (made by ``simulate twcs``, not timed): ``import-twcs``,
   then the whole report on the imported study.

Each step's wall time and the peak memory of its whole process tree (the command, its workers and
kernels: resident memory summed, sampled every 0.2 s). Nothing is written outside a temporary folder.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "data" / "studies" / "uk-retail-2014-replica"
NOTEBOOKS = ROOT / "notebooks"
HELPERS = [sys.executable, "-m", "helpers"]


def measure(cmd: list[str]) -> tuple[float, float]:
    """Run `cmd` from the project root; its wall seconds and the peak resident memory of its tree (GB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak, done = 0, threading.Event()

    def sample() -> None:
        nonlocal peak
        parent = psutil.Process(proc.pid)
        while not done.is_set():
            try:
                tree = [parent, *parent.children(recursive=True)]
                peak = max(peak, sum(_rss(p) for p in tree))
            except psutil.Error:
                pass
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err[-2000:]}")
    return time.perf_counter() - start, peak / 1e9


def _rss(proc: psutil.Process) -> int:
    try:
        return proc.memory_info().rss
    except psutil.Error:
        return 0


def report(study: Path, tmp: Path, name: str) -> tuple[float, float]:
    return measure([*HELPERS, "report", str(study), "--out", str(tmp / f"run-{name}" / "reports"),
                    "--build", str(tmp / f"run-{name}" / "build")])


def papermill(notebook: Path, tmp: Path, study: Path, **extra) -> list[str]:
    """The command that runs one notebook in a fresh kernel, as `make report` did before the pool."""
    params = ["-p", "study_dir", str(study), "-p", "output_dir", str(tmp / "results")]
    for key, value in extra.items():
        params += ["-p", key, str(value)]
    return [sys.executable, "-m", "papermill", str(notebook), str(tmp / f"{notebook.stem}-{len(extra)}.ipynb"),
            *params, "--cwd", str(ROOT), "--no-progress-bar", "--log-level", "ERROR"]


def sequential(study: Path, tmp: Path) -> tuple[float, float]:
    """Every notebook, then every company's scorecard, one papermill process after the other."""
    sys.path.insert(0, str(ROOT / "src"))
    from helpers.data.study import load_study
    from helpers.report.pipeline import suite_notebooks

    companies = sorted(load_study(study).probes["company"].unique())
    notebooks = suite_notebooks(NOTEBOOKS)  # what the report runs without a baseline
    (tmp / "sequential").mkdir()
    start, peak = time.perf_counter(), 0.0
    for nb in notebooks:
        peak = max(peak, measure(papermill(nb, tmp / "sequential", study))[1])
    for company in companies:
        peak = max(peak, measure(papermill(NOTEBOOKS / "10-company-scorecard.ipynb", tmp / "sequential", study,
                                           company=company))[1])
    return time.perf_counter() - start, peak


def line(label: str, seconds: float, gb: float, note: str = "") -> None:
    print(f"  {label:<44} {seconds:7.1f} s   peak {gb:5.2f} GB   {note}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000", help="simulated company counts, comma-separated ('' for none)")
    parser.add_argument("--tweets", type=int, default=3_000_000, help="tweets in the TWCS-format file (0: skip)")
    parser.add_argument("--skip-baseline", action="store_true", help="do not run the sequential papermill loop")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        print(f"Bundled study ({BUNDLED.name}): the report pipeline vs one papermill process per notebook", flush=True)
        pooled = report(BUNDLED, tmp, "bundled")
        line("report pipeline (warm kernel pool)", *pooled)
        if not args.skip_baseline:
            plain = sequential(BUNDLED, tmp)
            line("sequential papermill, notebooks + scorecards", *plain, f"ratio {plain[0] / pooled[0]:.1f}x")

        for size in [int(s) for s in args.sizes.split(",") if s.strip()]:
            study = tmp / f"companies-{size}"
            subprocess.run([*HELPERS, "simulate", "companies", "--companies", str(size), "--out", str(study)],
                           cwd=ROOT, check=True, capture_output=True)
            print(f"\n{size} simulated companies", flush=True)
            line("whole report", *report(study, tmp, f"companies-{size}"))
            (tmp / f"nb05-{size}").mkdir()
            line("notebook 05 alone (fresh papermill process)",
                 *measure(papermill(NOTEBOOKS / "05-compare-companies.ipynb", tmp / f"nb05-{size}", study)))

        if args.tweets:
            raw, study = tmp / "twcs.csv", tmp / "twcs-study"
            subprocess.run([*HELPERS, "simulate", "twcs", "--tweets", str(args.tweets), "--out", str(raw)],
                           cwd=ROOT, check=True, capture_output=True)
            print(f"\nTWCS-format archive of {args.tweets:,} tweets ({raw.stat().st_size / 1e6:.0f} MB)", flush=True)
            imported = measure([*HELPERS, "import-twcs", str(raw), "--out", str(study), "--synthetic"])
            line("import-twcs", *imported)
            built = report(study, tmp, "twcs")
            line("whole report on the imported study", *built)
            line("raw file to rendered site", imported[0] + built[0], max(imported[1], built[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
