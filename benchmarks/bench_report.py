"""Wall time of the report pipeline (what `make report` runs), total and per notebook.

Usage: python benchmarks/bench_report.py STUDY_DIR [--repeat N]

Runs `python -m helpers report` into a temporary folder, in parallel (the default) and with one
notebook at a time, and prints the wall time of each run and of each notebook. Per-notebook
times are from the pipeline's own clock (papermill process start to finish, kernel start-up
included).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run_once(study: Path, jobs: int | None) -> tuple[float, dict[str, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "helpers", "report", str(study), "--out", f"{tmp}/reports",
               "--build", f"{tmp}/build"]
        if jobs:
            cmd += ["--jobs", str(jobs)]
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        total = time.perf_counter() - start
        info = json.loads((Path(tmp) / "reports" / study.name / "study.json").read_text())
        return total, info["seconds"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("study", type=Path)
    parser.add_argument("--repeat", type=int, default=3, help="runs per mode (default 3)")
    args = parser.parse_args()
    study = args.study.resolve()
    print(f"Report pipeline on {study.name}, {args.repeat} run(s) per mode")
    for label, jobs in (("parallel (one notebook per core)", None), ("sequential (--jobs 1)", 1)):
        runs = [run_once(study, jobs) for _ in range(args.repeat)]
        totals = [t for t, _ in runs]
        print(f"\n{label}: total wall time median {statistics.median(totals):.1f} s "
              f"(runs: {', '.join(f'{t:.1f}' for t in totals)} s)")
        for nb in runs[0][1]:
            times = [per[nb] for _, per in runs]
            print(f"  {nb:<28} median {statistics.median(times):5.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
