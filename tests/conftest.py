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
