"""Statistical calibration at scale: coverage and false-positive rates from many simulations.

Usage: python checks/calibration.py [--sims N]   (``make validate``)

The same simulations as ``tests/analysis/test_calibration.py`` (helpers.analysis.calibration), with more of them,
over several designs. Prints one table per check; takes a few minutes at the default size.
"""

from __future__ import annotations

import argparse
import time

from helpers.analysis import calibration


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sims", type=int, default=2000, help="simulations per check (default 2000)")
    args = parser.parse_args()
    n = args.sims
    start = time.perf_counter()

    print(f"Response-rate interval coverage (nominal 95%), {n} simulations each")
    for size, p in [(2, 0.5), (4, 0.75), (20, 0.85), (40, 0.3), (100, 0.5)]:
        c = calibration.response_rate_coverage(n, size, p)
        print(f"  n={size:<4} p={p:<5} Wilson {c['wilson']:.3f}")

    print(f"\nKM median interval coverage (nominal 95%), exponential times, a third censored, {n // 4} simulations")
    for size in (4, 20, 60):
        c = calibration.km_median_coverage(n // 4, size)
        print(f"  n={size:<4} log-log (statsmodels) {c['loglog']:.3f}")

    print(f"\nLeague table: true rank inside the 'could rank' range, 20 companies, {n // 20} simulated studies")
    for questions in ((2, 4), (2, 40), (1, 200)):
        c = calibration.rank_coverage(n // 20, questions=questions)
        print(f"  questions {questions[0]}-{questions[1]}: covered {c['rank_interval']:.3f}, "
              f"a company with the fewest questions ranked first in {c['fewest_questions_ranked_first']:.3f}")

    print(f"\nDepartment tests: rejection rate under no difference (alpha = 0.05), {n // 4} simulated studies")
    designs = {
        "replica-sized, company effects": {},
        "replica-sized, no company effects": {"company_sd": 0.0},
        "40 companies, 4 probes per handle, company effects": {"n_companies": 40, "share_with_service": 0.5,
                                                               "probes_per_account": 4},
    }
    for name, design in designs.items():
        rates = calibration.department_false_positive_rates(n // 4, **design)
        print(f"  {name}:")
        for test, rate in rates.items():
            print(f"    {test:<22} {rate:.3f}")
    print(f"\nWave comparison: simulated wave pairs, 10 of 40 companies changed, alpha = 0.05, {n // 20} pairs each")
    print("  (false positives: unchanged companies with p < 0.05; family-wise: pairs where any unchanged company")
    print("   is told from chance after Holm; power: changed companies told from chance after Holm)")
    pairs = {
        "8 questions a wave (the bundled rerun's size)": {"n_companies": 40, "probes_per_company": (8, 8)},
        "4 then 12 questions (replica, then rerun)": {"n_companies": 40, "probes_per_company": (4, 12)},
        "40 questions a wave": {"n_companies": 40, "probes_per_company": (40, 40), "company_sd": 0.5},
    }
    for name, design in pairs.items():
        rates = calibration.wave_change_rates(n // 20, changed=10, **design)
        print(f"  {name}: overall response-rate test, no change anywhere: {rates.pop('overall_false_positive'):.3f}")
        for test, r in rates.items():
            print(f"    {test:<16} false positives {r['false_positive']:.3f}  family-wise {r['familywise']:.3f}  "
                  f"power {r['power']:.3f}")
    print(f"\n{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
