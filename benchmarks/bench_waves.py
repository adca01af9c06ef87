"""The wave comparison's per-company table at 100 and 1,000 companies (``make bench``).

Side by side in one run: `helpers.compare.waves.company_changes` as it is (bootstrap medians of
all replicates in one sort, exact relabellings built once per company size) and with the
medians fitted one replicate at a time, the straightforward way. Simulated wave pairs of 8
questions per company and wave (`helpers.synthetic.waves.wave_pair`), 999 bootstrap replicates.
Usage: ``python benchmarks/bench_waves.py [--sizes 100,1000]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from helpers.compare import waves  # noqa: E402
from helpers.stats.survival import km_quantile, km_steps  # noqa: E402
from helpers.synthetic.waves import wave_pair  # noqa: E402


def one_at_a_time(minutes: np.ndarray, answered: np.ndarray) -> np.ndarray:
    """KM medians of each row, one fit per replicate (what `km_medians` replaces)."""
    return np.array([km_quantile(*km_steps(m, a), 0.5, end=float(m.max())) for m, a in zip(minutes, answered,
                                                                                        strict=True)])


def timed(b, c, companies) -> tuple[float, object]:
    start = time.perf_counter()
    table = waves.company_changes(b, c, companies, [30, 60, 1440], False, n_boot=999)
    return time.perf_counter() - start, table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000", help="companies per wave pair, comma-separated")
    args = parser.parse_args()
    print("Wave comparison, per-company table (8 questions a company and wave, 999 bootstrap replicates)")
    for n in [int(s) for s in args.sizes.split(",")]:
        b, c, truth = wave_pair(np.random.default_rng(1), n_companies=n, probes_per_company=(8, 8), changed=n // 10)
        b, c = b.assign(reply_kind="no_reply"), c.assign(reply_kind="no_reply")
        companies = truth["company"].tolist()
        fast, table = timed(b, c, companies)
        vectorised = waves.km_medians
        waves.km_medians = one_at_a_time
        try:
            slow, same = timed(b, c, companies)
        finally:
            waves.km_medians = vectorised
        agree = table.drop(columns="method").equals(same.drop(columns="method"))
        print(f"  {n:>5} companies: as it is {fast:6.1f} s, one replicate at a time {slow:6.1f} s "
              f"(ratio {slow / fast:4.1f}x); same table: {agree}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
