"""Inside a pooled kernel: put back what a notebook may have changed, before the next one runs.

`helpers.report.kernels` runs `reset` before each notebook: the user namespace as ``%reset -f``
clears it, then the working folder, open figures, matplotlib settings, warning filters and pandas
display options, so
that every notebook starts as it would in a fresh kernel, only with its imports already loaded.
"""

from __future__ import annotations

import os
import warnings

from helpers import paths

# As the kernel was before its first notebook: taken on the first reset, restored on the others.
_fresh: dict | None = None

# matplotlib settings that belong to the kernel, not to a notebook: never restored.
KERNEL_OWNED = {"backend", "interactive"}

# What the notebooks import: loaded once per kernel, while the report is still setting up.
WARM_MODULES = ("matplotlib.pyplot", "seaborn", "statsmodels.api", "nbformat", "helpers.report.session",
                "helpers.figures.plots", "helpers.text.sentences", "helpers.text.tables", "helpers.compare",
                "helpers.analysis.league", "helpers.analysis.scorecard", "helpers.analysis.reply_quality",
                "helpers.analysis.plan", "matplotlib_fontja")


def warm_up() -> None:
    """Import what the notebooks will, then note the kernel's fresh state (`reset` restores it)."""
    import importlib

    for name in WARM_MODULES:
        importlib.import_module(name)
    reset()


def reset() -> None:
    """Return the kernel to its state before the first notebook ran (imports aside)."""
    global _fresh
    import gc

    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:  # what %reset -f does, without its full garbage collection (0.4 s per notebook)
        collect = gc.collect
        gc.collect = lambda *args, **kwargs: 0
        try:
            shell.reset(new_session=False)
        finally:
            gc.collect = collect
    import matplotlib
    import matplotlib.pyplot as plt
    import pandas as pd

    os.chdir(paths.PROJECT_ROOT)  # papermill's --cwd: every path is resolved from the project root
    plt.close("all")
    # pyplot's post-cell hook redraws every open figure, and the inline backend's own hook then
    # draws them again to show and close them: the first drawing, a fifth of a scorecard, is lost.
    plt.uninstall_repl_displayhook()
    if _fresh is None:
        _fresh = {"rc": dict(matplotlib.rcParams), "warnings": list(warnings.filters)}
        return
    # Unvalidated, as rc_context restores (the values were valid). The backend and interactive mode
    # stay as the kernel set them: the inline backend shows a cell's figures only in interactive mode.
    dict.update(matplotlib.rcParams, {k: v for k, v in _fresh["rc"].items() if k not in KERNEL_OWNED})
    warnings.filters[:] = _fresh["warnings"]
    warnings._filters_mutated()  # what filterwarnings calls: cached decisions are dropped
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pd.reset_option("^display\\.")
