"""Two waves of a study side by side: which companies and handles match, and what makes them unlike.

Companies are matched by their name in ``accounts.csv`` (the key both waves' files carry); a
handle renamed between the waves is listed in a mapping file, ``renamed_handles.csv`` in the
later wave's folder by default, with columns `MAPPING_COLUMNS` (a row per renamed handle; a
company renamed too gets its old and new name there). `match` lists the companies in both waves
and those in one only. `differences` reads both studies' files and says, as codes
(`DIFFERENCES`), where the waves are not like for like; `aligned` cuts both waves to what they
share (question types, tones, the shorter window), so every comparison is like for like.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.data.problems import InvalidInput, Problem, shown

MAPPING_FILE = "renamed_handles.csv"
MAPPING_COLUMNS = ("baseline_company", "baseline_account", "company", "account")
MAX_MAPPING_BYTES = 10_000_000
WINDOW_TOLERANCE_MINUTES = 60  # windows this close (or within 1%) are stated alike

# Ways two waves differ, each with what it does to the comparison:
#   platform        the platforms differ: nothing is compared
#   questions       the question types differ: only the shared ones are compared (none shared: nothing)
#   tones           the tones differ: only the shared ones are compared
#   window          the windows differ: both are cut to the shorter (a later reply counts as none)
#   thresholds      thresholds in one wave only: those are not compared
#   beyond_window   a threshold longer than the shared window: not compared
#   reply_kinds     one wave has no reply texts: answer rates are not compared
#   design          the questions per handle differ: company-level "answered any" figures are not
#                   comparable; this comparison is per question, so it is not affected
#   accounts        a company was asked on other handles: its rate mixes handles otherwise
DIFFERENCES = ("platform", "questions", "tones", "window", "thresholds", "beyond_window", "reply_kinds", "design",
               "accounts")


class WaveInputError(InvalidInput):
    """The waves cannot be compared as given (a bad mapping file, one study twice); nothing was written."""

    footer = "Nothing was written. The mapping file's format is in data/README.md."

    def heading(self) -> str:
        return f"Cannot compare the waves: {super().heading()[:-1]}:"


def read_mapping(file: str | os.PathLike) -> pd.DataFrame:
    """The renamed handles of `file` (`MAPPING_COLUMNS`); `WaveInputError` naming row and column."""
    path = Path(file)
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise WaveInputError([Problem(str(path), message=f"cannot be read: {exc.strerror or exc}")]) from None
    if len(data) > MAX_MAPPING_BYTES:
        raise WaveInputError([Problem(name, message=f"is {len(data):,} bytes; at most {MAX_MAPPING_BYTES:,}")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise WaveInputError([Problem(name, message=f"is not UTF-8 text (byte {exc.start})")]) from None
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or [c.strip() for c in rows[0]] != list(MAPPING_COLUMNS):
        got = ", ".join(shown(c, 30) for c in rows[0]) if rows else "nothing"
        raise WaveInputError([Problem(name, 1, message=f"the header must be {','.join(MAPPING_COLUMNS)}; got {got}")])
    problems, records, seen = [], [], {}
    for i, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(MAPPING_COLUMNS):
            problems.append(Problem(name, i, message=f"has {len(row)} cells; the header has {len(MAPPING_COLUMNS)}"))
            continue
        cells = dict(zip(MAPPING_COLUMNS, (c.strip() for c in row), strict=True))
        for column, value in cells.items():
            if not value:
                problems.append(Problem(name, i, column, "must not be empty"))
        key = (cells["baseline_company"], cells["baseline_account"])
        if all(cells.values()) and key in seen:
            problems.append(Problem(name, i, "baseline_account",
                                    f"{shown(key[1])} of {shown(key[0])} is mapped already on row {seen[key]}"))
        seen.setdefault(key, i)
        records.append({**cells, "row": i})
    if problems:
        raise WaveInputError(problems)
    return pd.DataFrame(records, columns=[*MAPPING_COLUMNS, "row"])


def check_mapping(mapping: pd.DataFrame, baseline: pd.DataFrame, current: pd.DataFrame, file: str) -> None:
    """`WaveInputError` for a mapping row naming a handle that is not in its wave's accounts."""
    problems = []
    have = {"baseline": set(zip(baseline["company"], baseline["account"], strict=True)),
            "current": set(zip(current["company"], current["account"], strict=True))}
    for r in mapping.itertuples(index=False):
        if (r.baseline_company, r.baseline_account) not in have["baseline"]:
            problems.append(Problem(file, r.row, "baseline_account", f"{shown(r.baseline_account)} of "
                                    f"{shown(r.baseline_company)} is not a handle of the baseline's accounts.csv"))
        if (r.company, r.account) not in have["current"]:
            problems.append(Problem(file, r.row, "account", f"{shown(r.account)} of {shown(r.company)} is not a "
                                    "handle of this study's accounts.csv"))
    if problems:
        raise WaveInputError(problems)


@dataclass(frozen=True)
class Matching:
    """Which companies are in both waves, and which in one only (names as in each wave)."""

    both: list[str]  # the current wave's names
    baseline_only: list[str]
    current_only: list[str]
    renamed_companies: dict[str, str] = field(default_factory=dict)  # baseline name -> current name
    renamed_handles: list[tuple[str, str, str]] = field(default_factory=list)  # (company, old handle, new handle)
    accounts_changed: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)  # company -> (gone, new)


def match(baseline_accounts: pd.DataFrame, current_accounts: pd.DataFrame,
          mapping: pd.DataFrame | None = None) -> Matching:
    """Match the companies of two waves by name, after the mapping's renames."""
    mapping = mapping if mapping is not None else pd.DataFrame(columns=list(MAPPING_COLUMNS))
    companies = {r.baseline_company: r.company for r in mapping.itertuples(index=False)
                 if r.baseline_company != r.company}
    handles = {(r.baseline_company, r.baseline_account): r.account for r in mapping.itertuples(index=False)}
    before = {}
    for company, account in zip(baseline_accounts["company"], baseline_accounts["account"], strict=True):
        before.setdefault(companies.get(company, company), set()).add(handles.get((company, account), account))
    after = {}
    for company, account in zip(current_accounts["company"], current_accounts["account"], strict=True):
        after.setdefault(company, set()).add(account)
    both = sorted(set(before) & set(after))
    changed = {c: (sorted(before[c] - after[c]), sorted(after[c] - before[c])) for c in both if before[c] != after[c]}
    inverse = {v: k for k, v in companies.items()}
    return Matching(both=both, baseline_only=sorted(inverse.get(c, c) for c in set(before) - set(after)),
                    current_only=sorted(set(after) - set(before)), renamed_companies=companies,
                    renamed_handles=[(r.company, r.baseline_account, r.account) for r in mapping.itertuples(index=False)
                                     if r.baseline_account != r.account],
                    accounts_changed=changed)


@dataclass(frozen=True)
class Alignment:
    """What both waves share, and every way they differ (`DIFFERENCES` codes with their details)."""

    comparable: bool  # False: nothing can be compared (other platform, no question type in common)
    question_types: list[str]
    tones: list[str]
    window_minutes: float  # the shared window: the shorter wave's shortest
    thresholds: list[int]  # thresholds both waves use, within the shared window
    answer_rates: bool  # both waves have reply texts
    differences: list[dict]  # {"code": ..., and what it is about}


def _window(probes: pd.DataFrame) -> float:
    return float(((probes["observed_until"] - probes["sent_at"]).dt.total_seconds() / 60).min())


def _per_handle(probes: pd.DataFrame) -> float:
    return float(probes.groupby("account").size().median())


def _has_texts(probes: pd.DataFrame) -> bool:
    text = probes.get("first_reply_text")
    return text is not None and bool((probes["answered"] & text.fillna("").astype(str).str.strip().ne("")).any())


def differences(baseline, current, matching: Matching) -> Alignment:
    """How two loaded studies (`helpers.data.study.Study`) differ, and what they share."""
    out = []
    plat = [str(s.meta.get("platform") or "").strip().lower() for s in (baseline, current)]
    comparable = True
    if plat[0] and plat[1] and plat[0] != plat[1]:
        out.append({"code": "platform", "baseline": plat[0], "current": plat[1]})
        comparable = False
    lists = {}
    for column, code in (("question_type", "questions"), ("tone", "tones")):
        a, b = (set(s.probes[column].dropna().astype(str)) for s in (baseline, current))
        lists[column] = sorted(a & b)
        if a != b:
            out.append({"code": code, "baseline_only": sorted(a - b), "current_only": sorted(b - a),
                        "shared": sorted(a & b)})
            comparable = comparable and bool(a & b)
    windows = [_window(s.probes) for s in (baseline, current)]
    window = min(windows)
    # Minutes apart on a week are noise of the send times; still, both are cut to the shorter.
    if abs(windows[0] - windows[1]) > max(WINDOW_TOLERANCE_MINUTES, 0.01 * max(windows)):
        out.append({"code": "window", "baseline": windows[0], "current": windows[1], "shared": window})
    ta, tb = set(baseline.thresholds_minutes), set(current.thresholds_minutes)
    if ta != tb:
        out.append({"code": "thresholds", "baseline_only": sorted(ta - tb), "current_only": sorted(tb - ta)})
    beyond = sorted(t for t in ta & tb if t > window)
    if beyond:
        out.append({"code": "beyond_window", "thresholds": beyond, "shared": window})
    texts = [_has_texts(s.probes) for s in (baseline, current)]
    if texts[0] != texts[1]:
        out.append({"code": "reply_kinds", "baseline": texts[0], "current": texts[1]})
    per = [_per_handle(s.probes) for s in (baseline, current)]
    if per[0] != per[1]:
        out.append({"code": "design", "baseline": per[0], "current": per[1]})
    if matching.accounts_changed:
        out.append({"code": "accounts", "companies": sorted(matching.accounts_changed)})
    return Alignment(comparable=comparable, question_types=lists["question_type"], tones=lists["tone"],
                     window_minutes=window, thresholds=sorted(t for t in ta & tb if t <= window),
                     answer_rates=all(texts), differences=out)


def aligned(probes: pd.DataFrame, alignment: Alignment, companies: dict[str, str] | None = None) -> pd.DataFrame:
    """The probes both waves can be compared on, each watched for the shared window only.

    A reply after the shared window counts as none (censored at the window's end), as it would
    have in the wave with the shorter one. `companies` renames companies (baseline to current).
    """
    keep = probes["question_type"].astype(str).isin(alignment.question_types) & probes["tone"].astype(str).isin(
        alignment.tones)
    p = probes.loc[keep].copy()
    if companies:
        p["company"] = p["company"].replace(companies)
    late = p["answered"] & (p["minutes"] > alignment.window_minutes)
    p["answered"] = p["answered"] & ~late
    p["minutes"] = np.minimum(p["minutes"], alignment.window_minutes)
    if "reply_kind" in p:
        p.loc[late, "reply_kind"] = "no_reply"
    return p
