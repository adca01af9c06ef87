"""Command line: ``python -m helpers {validate,report,simulate,import-twcs} ...``.

Exit codes (the README lists them too):

* 0 success;
* 1 the study or input is not valid (every problem is printed with its file, row and column;
  nothing written);
* 2 the command line is wrong;
* 3 a notebook failed (the previous report is left in place);
* 4 ``report --pdf`` without headless Chromium (nothing written) or a page that did not print;
* 5 an output folder refused (inside the study, holding files the suite did not write, busy with
  another run) or not writable (read-only, full): nothing of the user's is touched;
* 70 an internal error, a bug in the suite (one line; the details go to a file);
* 130 or 143 stopped by Ctrl-C (SIGINT) or SIGTERM: every process it started is ended.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from helpers import paths

EXIT_INVALID, EXIT_USAGE, EXIT_NOTEBOOK, EXIT_PDF = 1, 2, 3, 4
EXIT_OUTPUT = 5  # an output folder refused, busy or not writable (nothing of the user's touched)
EXIT_INTERNAL = 70  # a bug in the suite (sysexits' EX_SOFTWARE)


def _validate(args) -> int:
    from helpers.data.problems import StudyValidationError
    from helpers.data.study import load_study

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
    from helpers.data.problems import StudyValidationError
    from helpers.data.waves import WaveInputError
    from helpers.report.outputs import Busy, OutputRefused
    from helpers.report.pdf import ChromiumMissing, PdfFailed
    from helpers.report.pipeline import ReportFailed, build_report

    try:
        build_report(args.study_dir, reports_dir=args.out, build_dir=args.build, jobs=args.jobs, lang=args.lang,
                     scorecards=not args.no_scorecards, pdf=args.pdf, baseline=args.baseline, mapping=args.mapping)
    except (StudyValidationError, WaveInputError) as exc:
        print(exc, file=sys.stderr)
        print("No report was written.", file=sys.stderr)
        return EXIT_INVALID
    except ReportFailed as exc:
        print(exc, file=sys.stderr)
        return EXIT_NOTEBOOK
    except (ChromiumMissing, PdfFailed) as exc:
        print(exc, file=sys.stderr)
        return EXIT_PDF
    except (OutputRefused, Busy) as exc:
        print(f"{exc}\nNo report was written.", file=sys.stderr)
        return EXIT_OUTPUT
    except OSError as exc:  # a full disk or a folder that became read-only mid-run
        print(f"cannot write {exc.filename or args.out}: {exc.strerror or exc}; "
              "the previous report was left in place.", file=sys.stderr)
        return EXIT_OUTPUT
    return 0


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {value!r}")
    return number


def _langs(value: str) -> list[str]:
    from helpers.report.pipeline import parse_langs

    try:
        return parse_langs(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _import_twcs(args) -> int:
    from helpers.data.writer import CannotWrite
    from helpers.importers.twcs import (
        EXCLUDED_FILE,
        MALFORMED_FILE,
        SCOPE,
        ImportFailed,
        import_twcs,
    )

    try:
        result = import_twcs(args.csv_file, args.out, args.accounts, skip_malformed=args.skip_malformed,
                             overwrite=args.overwrite, title=args.title, synthetic=args.synthetic)
    except ImportFailed as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    except FileExistsError as exc:  # an output refused: nothing of the user's is touched
        print(f"{exc}\nNothing was written.", file=sys.stderr)
        return EXIT_OUTPUT
    except CannotWrite as exc:  # the output, not the input: nothing was left half-written
        print(f"{exc}. Nothing was written.", file=sys.stderr)
        return EXIT_OUTPUT
    s, rows = result.imported.summary, result.imported.rows
    excluded = sum(s["excluded_probes"].values())
    print(f"Wrote {result.path}: {s['probes']} probes to {s['accounts']} accounts from {rows['total']} rows.")
    print(f"  answered {s['answered']} ({SCOPE}); {excluded} probes in threads cut by the file's edges "
          f"left out (listed in {EXCLUDED_FILE}).")
    if result.malformed:
        print(f"  {rows['malformed']} unreadable rows skipped (listed with line numbers in {MALFORMED_FILE}).")
    if result.imported.unmapped:
        names = ", ".join(result.imported.unmapped[:10]) + (" ..." if len(result.imported.unmapped) > 10 else "")
        print(f"  {len(result.imported.unmapped)} handles are not in the accounts mapping, so each is its own "
              f"company with department 'other': {names}")
    print(f"Next: make report STUDY={args.out_arg}")
    return 0


def _simulate(args) -> int:
    from helpers.data.writer import CannotWrite

    try:
        return _simulate_study(args)
    except FileExistsError as exc:  # nothing is written over without --overwrite, nor over a user's folder
        hint = ("pass --overwrite to replace it" if args.kind == "twcs" else
                "pass --overwrite to replace a study simulate wrote") if not args.overwrite else "choose another --out"
        print(f"{exc}. Nothing was written: {hint}.", file=sys.stderr)
        return EXIT_OUTPUT
    except CannotWrite as exc:
        print(f"{exc}. Nothing was written.", file=sys.stderr)
        return EXIT_OUTPUT


def _simulate_study(args) -> int:
    from helpers.synthetic import studies, waves

    if args.kind == "twcs":
        from helpers.synthetic.twcs import TWCS_SEED, write_twcs

        if not args.out:
            print("simulate twcs needs --out FILE.csv", file=sys.stderr)
            return EXIT_USAGE
        write_twcs(args.out, args.tweets, seed=TWCS_SEED if args.seed is None else args.seed,
                   overwrite=args.overwrite)
        print(f"Wrote {args.tweets} synthetic TWCS-format tweets to {args.out}")
        return 0
    if args.kind == "companies":
        if not args.out:
            print("simulate companies needs --out STUDY_DIR", file=sys.stderr)
            return EXIT_USAGE
        out = studies.write_simulated(args.out, args.companies,
                                       studies.SIMULATED_SEED if args.seed is None else args.seed,
                                       overwrite=args.overwrite)
        print(f"Wrote a synthetic study of {args.companies} companies to {out}")
        return 0
    write, seed, default = {
        "replica": (studies.write_replica, studies.REPLICA_SEED, paths.DEFAULT_STUDY),
        "japanese": (studies.write_japanese, studies.JAPANESE_SEED, paths.JAPANESE_STUDY),
        "rerun": (waves.write_rerun, waves.RERUN_SEED, waves.RERUN_STUDY),
    }[args.kind]
    out = write(args.out or default, seed=seed if args.seed is None else args.seed, overwrite=args.overwrite)
    print(f"Wrote the synthetic {args.kind} study to {out}")
    return 0


def _workshop(args) -> int:
    from helpers.workshop import copies, lab

    langs = args.lang
    reset = set(args.reset or [])
    known = {p.stem for p in copies.lessons()} | {p.stem.split("-")[0] for p in copies.lessons()} | {"all"}
    if reset - known:
        print(f"--reset: no lesson {', '.join(sorted(reset - known))}; lessons: "
              f"{', '.join(p.stem for p in copies.lessons())} (or all)", file=sys.stderr)
        return EXIT_USAGE
    try:
        done = copies.write_copies(langs, reset)
    except copies.LessonError as exc:
        print(f"Cannot make the workshop copies: {exc}", file=sys.stderr)
        return EXIT_INVALID
    root = paths.PROJECT_ROOT
    for item in done:
        where = item.path.relative_to(root) if item.path.is_relative_to(root) else item.path
        if item.action == "kept":
            print(f"kept      {where}: a learner has worked in it (reset it with --reset "
                  f"{item.path.stem.split('-')[0]}; the old copy is kept as a backup)")
        elif item.action == "reset":
            print(f"reset     {where} (the learner's copy is now {item.backup.name})")
        elif item.action == "written":
            print(f"written   {where}")
    unchanged = sum(item.action == "unchanged" for item in done)
    print(f"Learner copies in {copies.LEARNERS_DIR.relative_to(root)}/<lang>/, instructor copies in "
          f"{copies.INSTRUCTOR_DIR.relative_to(root)}/<lang>/ ({unchanged} already up to date).")
    link = lab.project_binder_url()
    print(f"Binder link for learners: {link}" if link else
          "Binder link: this checkout has no GitHub remote named origin; once the project is on GitHub it is "
          + lab.BINDER.format(repo="OWNER/REPO"))
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
    p.add_argument("--build", default=str(paths.REPORT_BUILD_DIR), help="executed notebooks (default: build/report/)")
    p.add_argument("--jobs", type=_positive, default=None, help="notebooks run at once (default: cores)")
    p.add_argument("--lang", type=_langs, default=["en"], metavar="en|ja|en,ja",
                   help="languages to build, comma-separated: every page and scorecard in each, side by side "
                        "(default: en)")
    p.add_argument("--no-scorecards", action="store_true", help="skip the per-company scorecards")
    p.add_argument("--baseline", default=None, metavar="EARLIER_STUDY",
                   help="the study's earlier wave: adds page 07, each company then and now")
    p.add_argument("--mapping", default=None, metavar="FILE",
                   help="with --baseline: handles renamed since then (default: the study's renamed_handles.csv, if any)")
    p.add_argument("--pdf", action="store_true",
                   help="also print each scorecard and the study summary to <out>/<study-id>/pdf/ "
                        "(needs headless Chromium)")
    p.set_defaults(func=_report)

    p = sub.add_parser("simulate", help="generate a synthetic study")
    p.add_argument("kind", choices=["replica", "rerun", "japanese", "twcs", "companies"],
                   help="replica: the bundled 2014 replica study; rerun: its synthetic 2015 second wave; japanese: the small Japanese study; "
                        "twcs: a raw TWCS-format tweets file with fictional brands (for import-twcs); "
                        "companies: a study of --companies fictional companies (for benchmarks)")
    p.add_argument("--out", default=None, help="study folder (or, for twcs, CSV file) to write "
                                               "(default: the bundled study)")
    p.add_argument("--seed", type=int, default=None, help="random seed (default: the bundled one)")
    p.add_argument("--tweets", type=_positive, default=100_000, help="twcs only: number of tweets (default 100000)")
    p.add_argument("--companies", type=_positive, default=100, help="companies only: number of companies (default 100)")
    p.add_argument("--overwrite", action="store_true",
                   help="replace an earlier study simulate wrote in --out (only its files; others stay), "
                        "or for twcs an existing file (default: refuse anything that exists)")
    p.set_defaults(func=_simulate)

    p = sub.add_parser("import-twcs", help="turn a TWCS-format tweets file into a study folder",
                       description="Import archived tweets in the TWCS format (Customer Support on Twitter) "
                                   "as a study; the rules are in data/README.md.")
    p.add_argument("csv_file", help="the tweets file (raw TWCS columns)")
    p.add_argument("--out", required=True, help="study folder to write, e.g. data/studies/twcs-head")
    p.add_argument("--accounts", default=None,
                   help="CSV mapping account,company,department (default: data/mappings/twcs-accounts.csv)")
    p.add_argument("--skip-malformed", action="store_true",
                   help="import the readable rows and list the others in import/malformed_rows.csv "
                        "(default: stop and name every unreadable row)")
    p.add_argument("--overwrite", action="store_true",
                   help="replace an earlier import in --out: only the files it wrote; files you added stay")
    p.add_argument("--title", default=None, help="study title (default: from the file name)")
    p.add_argument("--synthetic", action="store_true", help="the tweets are simulated: label the study synthetic")
    p.set_defaults(func=_import_twcs)

    p = sub.add_parser("workshop", help="write the workshop's learner copies (one per language) and instructor copies",
                       description="Generate notebooks/workshop/learners/<lang>/ (no solutions, no instructor notes) "
                                   "and build/workshop/instructor/<lang>/ from the solved lessons. A learner copy "
                                   "someone has worked in is kept unless --reset names its lesson.")
    p.add_argument("--lang", type=_langs, default=["en", "ja"], metavar="en|ja|en,ja",
                   help="languages of the copies (default: en,ja)")
    p.add_argument("--reset", action="append", metavar="LESSON",
                   help="W1 (or all): move an edited learner copy aside as <name>.backup-<time>.ipynb and "
                        "write a fresh one; repeatable")
    p.set_defaults(func=_workshop)
    return parser


def main(argv: list[str] | None = None) -> int:
    from helpers.report.processes import Interrupted, interruptible

    args = build_parser().parse_args(argv)
    args.out_arg = getattr(args, "out", None)
    # Paths typed on the command line are relative to where the user is, not the project root.
    for name in ("study_dir", "out", "build", "csv_file", "accounts"):
        if getattr(args, name, None) is not None:
            setattr(args, name, str(Path(getattr(args, name)).expanduser().resolve()))
    try:
        with interruptible():
            return args.func(args)
    except Interrupted as exc:
        print(f"Stopped ({exc}): every process it started has ended; nothing half-written was kept.",
              file=sys.stderr)
        return exc.exit_code
    except Exception as exc:  # a bug in the suite, not in the user's input: one line, the details in a file
        return _internal_error(exc)


def _internal_error(exc: Exception) -> int:
    import tempfile
    import traceback

    with tempfile.NamedTemporaryFile("w", prefix="social-care-error-", suffix=".txt", delete=False) as f:
        traceback.print_exception(exc, file=f)
    print(f"Internal error (a bug in the suite, not in your data): {type(exc).__name__}: {exc}\n"
          f"  The details are in {f.name}; please report them.", file=sys.stderr)
    return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
