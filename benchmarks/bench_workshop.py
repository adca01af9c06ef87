"""Time every workshop lesson as a learner runs it (``make bench``): solved and learner copy, side by side.

Each run starts a fresh kernel in the notebook's folder, as JupyterLab does, so the times include
the kernel start and the imports (the part a learner waits for on "Run All"). The target is under
30 s per lesson on the 2-core reference machine; this prints the times and the ratio to it.

Usage: ``python benchmarks/bench_workshop.py [--lang en]``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 30.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=["en", "ja"], default="en")
    args = parser.parse_args()

    from helpers import paths
    from helpers.workshop import copies, run

    example = paths.PROJECT_ROOT / "tests" / "fixtures" / "class-fieldwork-example"
    print(f"Workshop lessons ({args.lang}), one fresh kernel each; target under {TARGET_SECONDS:.0f} s")
    print(f"{'lesson':32} {'solved':>8} {'learner':>8} {'of target':>10}")
    slowest = 0.0
    for path in copies.lessons():
        times = []
        for role, notebook in (("solved", path.with_suffix(".ipynb")),
                               ("learner", copies.LEARNERS_DIR / args.lang / f"{path.stem}.ipynb")):
            with tempfile.TemporaryDirectory(prefix="bench-workshop-") as tmp:
                parameters = {"lang": args.lang}
                if path.stem.startswith("W5"):  # the class log lives in a scratch folder, never data/fieldwork/
                    folder = Path(tmp) / "fieldwork"
                    if role == "solved":
                        shutil.copytree(example, folder)
                    parameters.update(fieldwork_dir=str(folder), practice_dir=str(Path(tmp) / "practice"))
                t0 = time.perf_counter()
                run.execute(notebook, parameters)
                times.append(time.perf_counter() - t0)
        slowest = max(slowest, *times)
        print(f"{path.stem:32} {times[0]:7.1f}s {times[1]:7.1f}s {max(times) / TARGET_SECONDS:9.2f}x")
    print(f"slowest lesson: {slowest:.1f} s ({'within' if slowest < TARGET_SECONDS else 'OVER'} the target)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
