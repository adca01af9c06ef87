"""Template clustering in one account with many distinct replies: every pair vs MinHash (``make bench``).

Beyond `EXACT_MAX_SETS` distinct replies in one account, `helpers.analysis.reply_kinds` finds
similar replies with MinHash candidates checked exactly instead of comparing every pair. For
generated template families (a base text with up to two words changed) and one-off texts, this
prints, side by side in one run, the time of each way and how often a reply lands in the same
cluster. Usage: ``python benchmarks/bench_templates.py [--families 300,1500]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from helpers.analysis import reply_kinds  # noqa: E402
from helpers.synthetic.replies import template_families  # noqa: E402


def clusters(grams: list[frozenset], exact: bool) -> tuple[list[int], float]:
    limit = reply_kinds.EXACT_MAX_SETS
    reply_kinds.EXACT_MAX_SETS = 10**12 if exact else 0
    try:
        start = time.perf_counter()
        labels = reply_kinds._account_clusters(grams, list(range(len(grams))), reply_kinds.TEMPLATE_SIMILARITY)
        return labels, time.perf_counter() - start
    finally:
        reply_kinds.EXACT_MAX_SETS = limit


def members(labels: list[int]) -> list[tuple]:
    by: dict[int, list[int]] = {}
    for i, c in enumerate(labels):
        by.setdefault(c, []).append(i)
    return [tuple(by[c]) if c else (i,) for i, c in enumerate(labels)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", default="300,1500", help="template families per run, comma-separated")
    args = parser.parse_args()
    print("Template clusters in one account: comparing every pair vs MinHash candidates checked exactly")
    for families in [int(f) for f in args.families.split(",")]:
        texts = template_families(np.random.default_rng(4), families, 5 * families)
        grams = [frozenset(reply_kinds.trigrams(t)) for t in texts]
        exact, t_exact = clusters(grams, exact=True)
        approx, t_approx = clusters(grams, exact=False)
        same = np.mean([a == b for a, b in zip(members(exact), members(approx), strict=True)])
        print(f"  {len(grams):>7,} distinct replies: every pair {t_exact:6.1f} s, MinHash {t_approx:6.1f} s "
              f"(ratio {t_exact / t_approx:4.1f}x); same cluster for {same:.1%} of replies", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
