"""One call at the top of every lesson: the figure theme, the study, and the lesson's checker."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pandas as pd

from helpers.data.study import Study, load_study
from helpers.figures import theme
from helpers.workshop.feedback import Checker


@dataclass
class Lesson:
    study: Study
    probes: pd.DataFrame
    check: Checker
    lang: str


def start(study_dir: str | os.PathLike, lang: str = "en") -> Lesson:
    """Set the figure theme, load the study (located errors if it is not valid), make the checker."""
    theme.set_theme(lang)
    study = load_study(study_dir)
    return Lesson(study, study.probes, Checker(lang), lang)
