"""Every path in the suite, resolved in one place.

papermill runs a kernel in the caller's working directory and nbval in the notebook's folder,
so notebooks never use relative paths directly: they pass them through `resolve`, which reads
them relative to the project root.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The project root (the folder holding pyproject.toml). ``SOCIAL_CARE_ROOT`` overrides it.
PROJECT_ROOT = Path(os.environ.get("SOCIAL_CARE_ROOT", Path(__file__).resolve().parents[2]))

NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
DATA_DIR = PROJECT_ROOT / "data"
STUDIES_DIR = DATA_DIR / "studies"
PUBLISHED_DIR = DATA_DIR / "published"
BUILD_DIR = PROJECT_ROOT / "build"
# The report's executed notebooks: a folder of its own, since notebooks opened in JupyterLab write to
# build/lab and benchmarks to build/bench, and a report replaces only what it wrote.
REPORT_BUILD_DIR = BUILD_DIR / "report"
REPORTS_DIR = PROJECT_ROOT / "reports"
DEFAULT_STUDY = STUDIES_DIR / "uk-retail-2014-replica"
JAPANESE_STUDY = STUDIES_DIR / "jp-retail-synthetic"
MAPPINGS_DIR = DATA_DIR / "mappings"
LABELS_DIR = DATA_DIR / "labels"
TWCS_REPLY_LABELS = LABELS_DIR / "twcs-reply-kinds.csv"
TWCS_ACCOUNTS = MAPPINGS_DIR / "twcs-accounts.csv"
PACKAGE_DIR = Path(__file__).resolve().parent
STYLE_FILE = PACKAGE_DIR / "figures" / "styles" / "socialcare.mplstyle"
WORDS_DIR = PACKAGE_DIR / "text" / "words"  # the catalogue of reader-facing words
#: Material shared beside the project (``../shared``): real TWCS extracts, research notes. Never committed;
#: tests that read it skip when it is absent. ``SOCIAL_CARE_SHARED`` overrides it.
SHARED_DIR = Path(os.environ.get("SOCIAL_CARE_SHARED", PROJECT_ROOT.parent / "shared"))
SHARED_TWCS_DIR = SHARED_DIR / "data" / "twcs"


def resolve(path: str | os.PathLike) -> Path:
    """Return `path` as an absolute path; relative paths are read from the project root."""
    p = Path(path).expanduser()
    return p if p.is_absolute() else (PROJECT_ROOT / p).resolve()

