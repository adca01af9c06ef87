"""Every lesson runs: solved, each check passes in both languages; learner copies run top to bottom, checks "not yet".

Run as a learner runs them, in the notebook's own folder. How long each takes is measured by
`make bench` (benchmarks/bench_workshop.py), not asserted here.
"""

import shutil

import pytest

from helpers import paths
from helpers.text.catalogue import LANGS
from helpers.workshop import copies, run
from helpers.workshop.feedback import NOT_YET, PASSED

pytestmark = pytest.mark.slow

LESSONS = copies.lessons()
# Lessons without exercises: their checks look at the machine, so they pass in a learner copy too.
NO_EXERCISES = {"W0-check-your-setup"}
FIELDWORK_EXAMPLE = paths.PROJECT_ROOT / "tests" / "fixtures" / "class-fieldwork-example"


def parameters(path, lang, tmp_path, solved: bool) -> dict:
    """The lesson's parameters in a test: W5 gets a class log of its own in tmp_path, never data/fieldwork/."""
    values = {"lang": lang}
    if path.stem.startswith("W5"):
        folder = tmp_path / "fieldwork"
        if solved:
            shutil.copytree(FIELDWORK_EXAMPLE, folder)
        values.update(fieldwork_dir=str(folder), practice_dir=str(tmp_path / "practice"))
    return values


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_the_solved_lesson_runs_with_every_check_passing(path, lang, tmp_path):
    _, statuses = run.execute(path.with_suffix(".ipynb"), parameters(path, lang, tmp_path, solved=True))
    assert statuses, f"{path.name} shows no check"
    failing = {check: status for check, status in statuses.items() if status != PASSED}
    assert not failing, f"{path.name} ({lang}): checks not passing with the solutions in: {failing}"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_the_learner_copy_runs_and_its_checks_say_not_yet(path, lang, tmp_path):
    learner = copies.LEARNERS_DIR / lang / f"{path.stem}.ipynb"
    _, statuses = run.execute(learner, parameters(path, lang, tmp_path, solved=False))
    assert statuses, f"{learner.name} shows no check"
    if path.stem in NO_EXERCISES:
        return
    early = {check for check, status in statuses.items() if status != NOT_YET}
    assert not early, f"{learner.name} ({lang}): checks passing before the learner answered: {sorted(early)}"
