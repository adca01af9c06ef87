"""Run a lesson top to bottom, as a learner would in JupyterLab, and read what its checks said."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import nbformat

from helpers.workshop.feedback import METADATA_KEY


def statuses(nb) -> dict[str, str]:
    """Each check's last verdict in an executed notebook: {check id: "passed" | "not yet"}."""
    found = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get(METADATA_KEY)
            if meta and meta.get("id") != "summary":
                found[meta["id"]] = meta["status"]
    return found


def execute(path: Path, parameters: dict | None = None, timeout: int = 300):
    """Execute the notebook at `path` in its own folder (JupyterLab's working directory).

    Returns ``(executed notebook, statuses)``; raises papermill's error naming the failing cell.
    """
    import papermill

    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="socialcare-lesson-") as tmp:
        out = Path(tmp) / path.name
        papermill.execute_notebook(os.fspath(path), os.fspath(out), parameters=parameters or {},
                                   cwd=os.fspath(path.parent), kernel_name="python3",
                                   progress_bar=False, log_output=False, execution_timeout=timeout)
        nb = nbformat.read(out, as_version=4)
    return nb, statuses(nb)
