"""W5, the class's own fieldwork: a one-file log, checked row by row in the learner's words, turned into a study.

Each learner logs one question in ``fieldwork.csv`` (template in data/templates/class-fieldwork/).
`check_log` names every problem by the log's own row and column; `to_study` writes the study the
suite reads (``<fieldwork>/study/``, replaced only if W5 wrote it) and validates it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import yaml

from helpers import paths
from helpers.data.problems import InvalidInput, Problem
from helpers.data.study import Study, load_study, read_table
from helpers.data.vocabulary import DEPARTMENTS
from helpers.data.writer import write_study
from helpers.stats import survival
from helpers.stats.proportions import wilson_interval
from helpers.text.catalogue import t, t_plain
from helpers.text.markup import Markup, md_list, md_text
from helpers.workshop.feedback import Checker, Verdict

TEMPLATE = paths.DATA_DIR / "templates" / "class-fieldwork"
LOG = "fieldwork.csv"
STUDY = "study"
REQUIRED = ("learner", "company", "account", "department", "question_type", "sent_at", "first_reply_at",
            "observed_until")
OPTIONAL = ("first_reply_text", "notes")
MARK = "class_fieldwork"  # study.yml key and writer mark: W5 replaces only a study it wrote
# The practice log of exercise 1: SYNTHETIC rows with fictional shops, three of them wrong on purpose.
PRACTICE = [
    ("P1", "Shop One", "shopone_help", "customer_service", "opening_hours", "2026-12-02T14:05+09:00",
     "2026-12-02T14:21+09:00", "2026-12-02T16:30+09:00"),
    ("P2", "Shop Two", "shoptwo", "main", "returns", "2026-12-02 14:06", "", "2026-12-02T16:30+09:00"),
    ("P3", "Shop Three", "shopthree", "support", "returns", "2026-12-02T14:07+09:00", "", "2026-12-02T16:30+09:00"),
    ("P4", "Shop Four", "shopfour_care", "customer_service", "delivery", "2026-12-02T14:08+09:00",
     "2026-12-02T13:50+09:00", "2026-12-02T16:30+09:00"),
]


def prepare(fieldwork_dir) -> Path:
    """The class's folder with its log: the template copied in only when there is no log yet."""
    folder = paths.resolve(fieldwork_dir)
    if not (folder / LOG).exists():
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(TEMPLATE / LOG, folder / LOG)
    return folder


def make_practice(practice_dir) -> Path:
    """The practice log of exercise 1 (written once; a learner's fixes are kept on a rerun)."""
    folder = paths.resolve(practice_dir)
    if not (folder / LOG).exists():
        folder.mkdir(parents=True, exist_ok=True)
        rows = [dict(zip(REQUIRED, row), first_reply_text="", notes="SYNTHETIC practice row") for row in PRACTICE]
        pd.DataFrame(rows, columns=[*REQUIRED, *OPTIONAL]).to_csv(folder / LOG, index=False)
    return folder


def read_log(folder) -> pd.DataFrame:
    """The log as text, one row per question (row r of the file is index r - 2)."""
    problems: list[Problem] = []
    log = read_table(paths.resolve(folder) / LOG, REQUIRED, OPTIONAL, problems)
    if problems:
        raise InvalidInput(problems)
    return log


def save_log(log: pd.DataFrame, folder) -> None:
    log.to_csv(paths.resolve(folder) / LOG, index=False)


def _time(value: str):
    """(timestamp or None, catalogue key of the problem or "")."""
    if not value:
        return None, "w5_missing"
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        return None, "w5_not_time"
    if stamp.tzinfo is None:
        return None, "w5_no_offset"
    return stamp, ""


def check_log(log: pd.DataFrame, lang: str = "en") -> list[Markup]:
    """Every problem of the log, as "fieldwork.csv, row R, column C: ..." in the learner's words."""
    found = []

    def note(row: int, column: str, key: str, **values) -> None:
        found.append(t("w5_where", lang, file=LOG, row=row, column=column) + Markup(" ") + t(key, lang, **values))

    owner: dict[str, str] = {}
    for i, entry in enumerate(log.to_dict("records")):
        row = i + 2  # the header is row 1, as a spreadsheet counts
        for column in ("company", "account", "question_type"):
            if not entry[column]:
                note(row, column, "w5_empty")
        if entry["department"] not in DEPARTMENTS:
            note(row, "department", "w5_department", value=entry["department"], allowed=", ".join(DEPARTMENTS))
        stamps = {}
        for column in ("sent_at", "observed_until", "first_reply_at"):
            if column == "first_reply_at" and not entry[column]:
                continue
            stamps[column], key = _time(entry[column])
            if key:
                note(row, column, key, value=entry[column])
        sent = stamps.get("sent_at")
        if sent is not None and stamps.get("first_reply_at") is not None and stamps["first_reply_at"] < sent:
            note(row, "first_reply_at", "w5_reply_before")
        if sent is not None and stamps.get("observed_until") is not None and stamps["observed_until"] <= sent:
            note(row, "observed_until", "w5_window_before")
        account, company = entry["account"], entry["company"]
        if account and owner.setdefault(account, company) != company:
            note(row, "account", "w5_account_elsewhere", account=account, company=owner[account])
    return found


def _study_yml(folder: Path, n: int) -> str:
    meta = {"title": f"Class fieldwork: {folder.name}", "synthetic": False,
            "description": f"{n} questions sent by the learners of a workshop class, one each, and logged in "
                           f"{LOG}; a class exercise, not a sample of companies.",
            "source": f"Class fieldwork logged in {folder / LOG}", MARK: True}
    return yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)


def to_study(fieldwork_dir, lang: str = "en") -> tuple[Study | None, list[str]]:
    """The log as a study in ``<fieldwork>/study/``: (study, []) or (None, the problems in the learner's words)."""
    folder = paths.resolve(fieldwork_dir)
    try:
        log = read_log(folder)
    except InvalidInput as exc:
        return None, [str(p) for p in exc.problems]
    if log.empty:
        return None, []
    problems = check_log(log, lang)
    if problems:
        return None, problems
    accounts = log.drop_duplicates("account")[["company", "account", "department"]]
    probes = pd.DataFrame({"probe_id": [f"Q{i + 1:03d}" for i in range(len(log))], "company": log["company"],
                           "account": log["account"], "question_type": log["question_type"],
                           "sent_at": log["sent_at"], "observed_until": log["observed_until"],
                           "first_reply_at": log["first_reply_at"], "first_reply_text": log["first_reply_text"]})
    target = folder / STUDY
    try:
        write_study(target, _study_yml(folder, len(log)), accounts, probes, replace=MARK)
        return load_study(target), []
    except FileExistsError as exc:
        return None, [str(exc)]
    except InvalidInput as exc:  # a rule of the study format the log checks do not know: say it by the log's row
        return None, [t("w5_where", lang, file=LOG, row=p.row, column=p.column or "") + Markup(" ") + md_text(p.message)
                      if p.file.endswith("probes.csv") and p.row else str(p) for p in exc.problems]


def validate(check: Checker, fieldwork_dir, check_id: str = "w5-valid") -> Verdict:
    """Passes when the log holds at least one question and every row is right."""
    study, problems = to_study(fieldwork_dir, check.lang)
    if problems:
        return check.verdict(check_id, False, "w5_problems", n=len(problems), problems=md_list(problems))
    if study is None:
        return check.verdict(check_id, False, "w5_empty_log", file=str(paths.resolve(fieldwork_dir) / LOG))
    return check.verdict(check_id, True, "w5_valid", n=len(study.probes),
                         companies=study.probes["company"].nunique())


def headline(study: Study | None, alpha: float = 0.05, lang: str = "en") -> pd.DataFrame:
    """The class's response rate and share answered within 30 minutes, each with its interval."""
    columns = [t_plain(k, lang) for k in ("w5_col_figure", "w5_col_value", "w5_col_low", "w5_col_high")]
    if study is None:
        return pd.DataFrame(columns=columns)
    p = study.probes
    k, n = int(p["answered"].sum()), len(p)
    low, high = wilson_interval(k, n, alpha)
    row = survival.km_summary(p["minutes"], p["answered"], [30], alpha)
    rows = [(t_plain("w5_row_rate", lang, k=k, n=n), k / n, low, high),
            (t_plain("w5_row_within", lang), row["within_30min"], row["within_30min_ci_low"], row["within_30min_ci_high"])]
    return pd.DataFrame(rows, columns=columns).round(3).set_index(columns[0])


def class_rate(check: Checker, value, study: Study | None) -> Verdict:
    if study is None:
        return check.verdict("w5-rate", False, "w5_no_study")
    p = study.probes
    return check.number("w5-rate", value, float(p["answered"].mean()),
                        mistakes=[(1.0, "w1_dropped_unanswered"), (100 * float(p["answered"].mean()), "w1_percent")],
                        hint="w1_rate_hint", right="w5_rate_right", n=len(p))


def report_command(fieldwork_dir) -> str:
    """The command that runs the whole suite on the class's study."""
    study = paths.resolve(fieldwork_dir) / STUDY
    where = study.relative_to(paths.PROJECT_ROOT) if study.is_relative_to(paths.PROJECT_ROOT) else study
    return f'make report STUDY="{where}"'


def run_report(fieldwork_dir, lang: str = "en") -> int:
    """Run the suite on the class's study (minutes); returns the command's exit code."""
    import subprocess
    import sys

    study = paths.resolve(fieldwork_dir) / STUDY
    return subprocess.run([sys.executable, "-m", "helpers", "report", str(study), "--lang", lang],
                          cwd=paths.PROJECT_ROOT).returncode


__all__ = ["prepare", "make_practice", "read_log", "save_log", "check_log", "to_study", "validate", "headline",
           "class_rate", "report_command", "run_report"]
