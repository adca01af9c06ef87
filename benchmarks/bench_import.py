"""Benchmark ``import-twcs`` on a 3-million-tweet TWCS-shaped file (``make bench``).

Generates the file once with `helpers.synthetic.twcs` (cached in ``build/bench/``), then runs,
each in a fresh process so peak memory is its own:

- ``import-twcs``: the real importer (pyarrow reading, vectorised numpy threads, study files);
- ``pandas baseline``: ``benchmarks/twcs_pandas_baseline.py``, the straightforward pandas way.

Prints wall time, rows per second and peak resident memory for each, and checks that both
found the same probes with the same first-reply times. Usage:
``python benchmarks/bench_import.py [--tweets N]``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _measure(kind: str, csv_file: str, out: str) -> None:
    """Run one engine in this process and print its wall time and peak memory as JSON."""
    start = time.perf_counter()
    if kind == "import-twcs":
        from helpers.importers.twcs import import_twcs

        import_twcs(csv_file, out, overwrite=True, synthetic=True)
    else:
        from twcs_pandas_baseline import probes

        probes(csv_file).sort_values("tweet_id").to_csv(out, index=False)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb}))


def _run(kind: str, csv_file: Path, out: Path) -> dict:
    done = subprocess.run([sys.executable, __file__, "--one", kind, str(csv_file), str(out)],
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tweets", type=int, default=3_000_000)
    parser.add_argument("--one", nargs=3, metavar=("KIND", "CSV", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        _measure(*args.one)
        return 0

    import pandas as pd

    from helpers import paths
    from helpers.synthetic.twcs import TWCS_SEED

    folder = paths.BUILD_DIR / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    csv_file = folder / f"twcs-synthetic-{args.tweets}-{TWCS_SEED}.csv"
    if not csv_file.exists():
        print(f"Generating {args.tweets:,} synthetic TWCS-format tweets in {csv_file} (once) ...", flush=True)
        subprocess.run([sys.executable, "-m", "helpers", "simulate", "twcs", "--tweets", str(args.tweets),
                        "--out", str(csv_file)], check=True)
    size_mb = csv_file.stat().st_size / 2**20
    print(f"Input: {csv_file.name}, {args.tweets:,} rows, {size_mb:.0f} MiB (synthetic, fictional brands)")

    study = folder / "twcs-synthetic-study"
    baseline_csv = folder / "twcs-baseline-probes.csv"
    results = {"import-twcs": _run("import-twcs", csv_file, study),
               "pandas baseline": _run("pandas", csv_file, baseline_csv)}
    print(f"\n{'engine':<18}{'seconds':>9}{'rows/s':>13}{'peak MiB':>10}")
    for name, r in results.items():
        print(f"{name:<18}{r['seconds']:>9.1f}{args.tweets / r['seconds']:>13,.0f}{r['peak_mb']:>10,.0f}")
    fast, slow = results["import-twcs"], results["pandas baseline"]
    print(f"import-twcs is {slow['seconds'] / fast['seconds']:.1f}x faster and uses "
          f"{fast['peak_mb'] / slow['peak_mb']:.0%} of the baseline's peak memory.")
    print("Targets (issue 5): under 15 s and under 3 GiB on 2 cores:",
          "met" if fast["seconds"] < 15 and fast["peak_mb"] < 3 * 1024 else "NOT met")

    def read(file, **kw):
        t = pd.read_csv(file, dtype=str, keep_default_na=False, **kw)
        return t.assign(tweet_id=t["tweet_id"].astype("int64")).sort_values("tweet_id").reset_index(drop=True)

    mine = read(study / "probes.csv", usecols=["tweet_id", "account", "first_reply_at"])[["tweet_id", "account", "first_reply_at"]]
    theirs = read(baseline_csv)[["tweet_id", "account", "first_reply_at"]]
    same = mine.equals(theirs)
    print(f"Both found the same {len(mine):,} probes with the same first replies: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
