"""Benchmark the per-company scorecards on a simulated 100-company study (``make bench``).

Two ways to render every company's scorecard page (notebook ``10-company-scorecard``):

- **report pipeline** (`helpers.report.pipeline.render_scorecards`): one kernel per core, each serving a
  batch of companies, so imports and kernel start-up are paid once per core;
- **sequential papermill**: one ``papermill`` run (fresh kernel) plus HTML rendering per company,
  one after the other, as a plain loop would do. By default it runs a sample of companies and
  scales the mean time per company up to all of them (``--sequential 0`` runs them all).

Usage: ``python benchmarks/bench_scorecards.py [--companies 100] [--sequential 10] [--lang en]``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=100)
    parser.add_argument("--sequential", type=int, default=10,
                        help="companies to run one papermill each (0 = all; the rest is extrapolated)")
    parser.add_argument("--lang", choices=["en", "ja"], default="en")
    args = parser.parse_args()

    from helpers import paths
    from helpers.analysis import league
    from helpers.analysis.scorecard import slug
    from helpers.data.study import load_study
    from helpers.report import pipeline, render
    from helpers.synthetic import studies

    root = paths.BUILD_DIR / "bench" / f"scorecards-{args.companies}"
    study_dir = studies.write_simulated(root / "study", args.companies)
    study = load_study(study_dir)
    results = root / "results"
    results.mkdir(parents=True, exist_ok=True)
    table, _ = league.league_table(study.probes)  # what notebook 05 writes before the scorecards run
    table.to_csv(results / "league_table.csv", index=False)
    cores = os.cpu_count() or 1
    print(f"Study: {args.companies} synthetic companies, {len(study.probes)} probes; {cores} cores")

    t0 = time.perf_counter()
    pages = pipeline.render_scorecards(study, results, root / "pages", root / "executed", lang=args.lang)
    parallel = time.perf_counter() - t0
    failed = [p for p in pages if p.failure]
    print(f"report pipeline:      {parallel:6.1f} s for {len(pages)} scorecards "
          f"({parallel / len(pages):.2f} s each; {len(failed)} failed)")

    companies = sorted(study.probes["company"].unique())
    sample = companies if args.sequential <= 0 else companies[: args.sequential]
    seq_dir = root / "sequential"
    seq_dir.mkdir(exist_ok=True)
    t0 = time.perf_counter()
    for company in sample:
        executed = seq_dir / f"{slug(company)}.ipynb"
        subprocess.run([sys.executable, "-m", "papermill", str(paths.NOTEBOOKS_DIR / pipeline.SCORECARD_NOTEBOOK),
                        str(executed), "-p", "study_dir", str(study_dir), "-p", "output_dir", str(results),
                        "-p", "company", company, "-p", "lang", args.lang, "--cwd", str(paths.PROJECT_ROOT),
                        "--no-progress-bar", "--no-log-output"], check=True, capture_output=True)
        render.render_html(executed, seq_dir / f"{slug(company)}.html", args.lang)
    sequential = time.perf_counter() - t0
    each = sequential / len(sample)
    total = each * len(companies)
    how = "measured" if len(sample) == len(companies) else f"{len(sample)} measured, scaled to {len(companies)}"
    print(f"sequential papermill: {total:6.1f} s for {len(companies)} scorecards ({each:.2f} s each; {how})")
    print(f"The pipeline is {total / parallel:.1f}x faster. Target (issue 6): 100 scorecards under 120 s "
          f"on 2 cores: {'met' if parallel < 120 and args.companies >= 100 else 'not met'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
