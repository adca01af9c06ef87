"""A study beside its earlier wave: match, align, compare (`compare_waves`), in one call for the notebook.

The steps are `helpers.data.waves` (which companies match, where the waves are not alike, what
both share) and `helpers.compare.waves` (each change with its interval, test and control).
Reply kinds come from `helpers.analysis.reply_kinds`, as on page 06.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import seeds
from helpers.analysis.reply_kinds import classify_all
from helpers.compare import waves as changes
from helpers.data import waves
from helpers.data.problems import Problem
from helpers.data.study import Study


@dataclass(frozen=True)
class WaveComparison:
    """Everything notebook 07 shows: the matching, the alignment and both tables of changes."""

    baseline_id: str
    current_id: str
    matching: waves.Matching
    alignment: waves.Alignment
    companies: pd.DataFrame  # per company and metric (`helpers.compare.waves.COLUMNS`)
    overall: pd.DataFrame  # company "all"
    mapping_file: str  # "" when no mapping was used
    alpha: float

    def table(self) -> pd.DataFrame:
        """Both tables as one (``wave_changes.csv``): the overall rows (company ``all``) first."""
        return pd.concat([self.overall, self.companies], ignore_index=True)

    def longest_within(self) -> str | None:
        """The metric of the longest threshold compared (``within_<T>min``), None when there is none."""
        return f"within_{self.alignment.thresholds[-1]}min" if self.alignment.thresholds else None


def with_reply_kinds(probes: pd.DataFrame) -> pd.DataFrame:
    """`probes` with ``reply_kind``: answer, acknowledgement, redirect, no_text (no text) or no_reply."""
    text = probes["first_reply_text"].fillna("").astype(str) if "first_reply_text" in probes else pd.Series(
        "", index=probes.index)
    has_text = probes["answered"] & text.str.strip().ne("")
    kinds = classify_all(text.where(has_text, ""))["reply_kind"].to_numpy()
    return probes.assign(reply_kind=np.where(has_text, kinds, np.where(probes["answered"], "no_text", "no_reply")))


def default_mapping(study_dir: str | os.PathLike) -> Path | None:
    """The later wave's ``renamed_handles.csv``, when it has one."""
    file = Path(study_dir) / waves.MAPPING_FILE
    return file if file.is_file() else None


def check_waves(baseline: Study, current: Study,
                mapping_file: str | os.PathLike | None = None) -> tuple[waves.Matching, waves.Alignment]:
    """Match and align two waves, or `WaveInputError` (one study twice, a bad mapping file)."""
    if baseline.path.resolve() == current.path.resolve():
        raise waves.WaveInputError([Problem(str(current.path), message="is given as its own baseline; "
                                            "pass the earlier wave's study folder")])
    mapping = None
    if mapping_file:
        mapping = waves.read_mapping(mapping_file)
        waves.check_mapping(mapping, baseline.accounts, current.accounts, Path(mapping_file).name)
    matching = waves.match(baseline.accounts, current.accounts, mapping)
    return matching, waves.differences(baseline, current, matching)


def compare_waves(baseline: Study, current: Study, mapping_file: str | os.PathLike | None = None,
                  alpha: float = 0.05, n_boot: int = 999, seed: int = seeds.ANALYSIS) -> WaveComparison:
    """Compare `current` with its earlier wave `baseline`; `WaveInputError` when they cannot be."""
    matching, alignment = check_waves(baseline, current, mapping_file)
    empty = pd.DataFrame(columns=list(changes.COLUMNS))
    if not alignment.comparable or not matching.both:
        return WaveComparison(baseline.id, current.id, matching, alignment, empty, empty.copy(),
                              str(mapping_file or ""), alpha)
    b = waves.aligned(with_reply_kinds(baseline.probes), alignment, matching.renamed_companies)
    c = waves.aligned(with_reply_kinds(current.probes), alignment)
    args = (matching.both, alignment.thresholds, alignment.answer_rates, alpha, n_boot, seed)
    return WaveComparison(baseline.id, current.id, matching, alignment, changes.company_changes(b, c, *args),
                          changes.overall_changes(b, c, *args), str(mapping_file or ""), alpha)
