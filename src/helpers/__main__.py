"""Command line: ``python -m helpers {validate,report,simulate} ...``.

Exit codes: 0 success; 1 the study is not valid (every problem is printed, nothing written);
2 the command line is wrong; 3 a notebook failed (the previous report is left in place).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import paths

EXIT_INVALID, EXIT_USAGE, EXIT_NOTEBOOK = 1, 2, 3


def _validate(args) -> int:
    from .study import load_study, StudyValidationError

    try:
        study = load_study(args.study_dir)
    except StudyValidationError as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    kind = "synthetic" if study.synthetic else "real"
    print(f"OK: {study.path} is a valid {kind} study "
          f"({len(study.accounts)} accounts, {len(study.probes)} probes, "
          f"{int(study.probes['reply_after_window'].sum())} replies after their window).")
    return 0


def _report(args) -> int:
    from .report import ReportFailed, build_report
    from .study import StudyValidationError

    try:
        build_report(args.study_dir, reports_dir=args.out, build_dir=args.build, jobs=args.jobs)
    except StudyValidationError as exc:
        print(exc, file=sys.stderr)
        print("No report was written.", file=sys.stderr)
        return EXIT_INVALID
    except ReportFailed as exc:
        print(exc, file=sys.stderr)
        return EXIT_NOTEBOOK
    return 0


def _simulate(args) -> int:
    from . import simulate

    write, seed, default = {
        "replica": (simulate.write_replica, simulate.REPLICA_SEED, paths.DEFAULT_STUDY),
        "japanese": (simulate.write_japanese, simulate.JAPANESE_SEED, paths.JAPANESE_STUDY),
    }[args.kind]
    out = write(args.out or default, seed=seed if args.seed is None else args.seed)
    print(f"Wrote the synthetic {args.kind} study to {out}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m helpers", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check a study folder and print every problem")
    p.add_argument("study_dir", help="the study folder (data/studies/<study-id>)")
    p.set_defaults(func=_validate)

    p = sub.add_parser("report", help="run the notebooks on a study and render the report site")
    p.add_argument("study_dir", help="the study folder (data/studies/<study-id>)")
    p.add_argument("--out", default=str(paths.REPORTS_DIR), help="reports folder (default: reports/)")
    p.add_argument("--build", default=str(paths.BUILD_DIR), help="executed notebooks (default: build/)")
    p.add_argument("--jobs", type=int, default=None, help="notebooks run at once (default: cores)")
    p.set_defaults(func=_report)

    p = sub.add_parser("simulate", help="generate a synthetic study")
    p.add_argument("kind", choices=["replica", "japanese"],
                   help="replica: the bundled 2014 replica study; japanese: the small Japanese study")
    p.add_argument("--out", default=None, help="study folder to write (default: the bundled one)")
    p.add_argument("--seed", type=int, default=None, help="random seed (default: the bundled one)")
    p.set_defaults(func=_simulate)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # Paths typed on the command line are relative to where the user is, not the project root.
    for name in ("study_dir", "out", "build"):
        if getattr(args, name, None) is not None:
            setattr(args, name, str(Path(getattr(args, name)).expanduser().resolve()))
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
