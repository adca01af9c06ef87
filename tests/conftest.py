"""Shared fixtures: the tiny hand-made study and a way to break copies of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
TINY_STUDY = FIXTURES / "tiny-study"


@pytest.fixture(scope="session")
def tiny():
    """The tiny study, loaded once (read-only)."""
    from helpers.data.study import load_study

    return load_study(TINY_STUDY)


@pytest.fixture
def tiny_copy(tmp_path: Path) -> Path:
    """A writable copy of the tiny study, for tests that break it."""
    target = tmp_path / "tiny-study"
    shutil.copytree(TINY_STUDY, target)
    return target


@pytest.fixture(scope="session")
def twcs_head_study(tmp_path_factory):
    """The real TWCS head (``../shared/data/twcs/twcs_head5000.csv``) imported once; skipped when absent."""
    from helpers import paths
    from helpers.data.study import load_study
    from helpers.importers.twcs import import_twcs

    source = paths.SHARED_TWCS_DIR / "twcs_head5000.csv"
    if not source.is_file():
        pytest.skip(f"{source} is not present (the real TWCS extracts live in ../shared, never in the repository)")
    target = tmp_path_factory.mktemp("twcs") / "twcs-head"
    import_twcs(source, target)
    return load_study(target)
