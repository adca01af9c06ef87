"""W0, the one-minute check: is this machine ready for the workshop? Each failure says what to do."""

from __future__ import annotations

import importlib
import os
import sys

from helpers import paths
from helpers.workshop.feedback import Checker, Verdict

# What the lessons import; each is in pyproject.toml and environment.yml.
PACKAGES = ("numpy", "pandas", "scipy", "matplotlib", "seaborn", "statsmodels", "matplotlib_fontja", "helpers")
MIN_PYTHON = (3, 11)


def python_version(check: Checker, version=sys.version_info) -> Verdict:
    ok = tuple(version[:2]) >= MIN_PYTHON
    return check.verdict("w0-python", ok, "w0_python_ok" if ok else "w0_python_old",
                          found=f"{version[0]}.{version[1]}", needed=".".join(map(str, MIN_PYTHON)))


def packages(check: Checker, names=PACKAGES) -> Verdict:
    missing = []
    for name in names:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    if missing:
        return check.verdict("w0-packages", False, "w0_packages_missing", missing=", ".join(missing))
    return check.verdict("w0-packages", True, "w0_packages_ok", n=len(names))


def study(check: Checker, study_dir) -> Verdict:
    from helpers.data.problems import InvalidInput
    from helpers.data.study import load_study

    folder = paths.resolve(study_dir)
    if not folder.is_dir():
        return check.verdict("w0-study", False, "w0_study_missing", folder=str(folder))
    try:
        loaded = load_study(folder)
    except InvalidInput as exc:
        first = str(exc).splitlines()[:3]
        return check.verdict("w0-study", False, "w0_study_invalid", folder=str(folder), problem=" ".join(first))
    return check.verdict("w0-study", True, "w0_study_ok", title=loaded.title, n=len(loaded.probes),
                          companies=loaded.probes["company"].nunique())


def figure(check: Checker, study_dir, lang: str = "en") -> Verdict:
    """Draw the response-rate figure of the study: fonts, the theme and the plotting stack at once."""
    import matplotlib.pyplot as plt

    from helpers.data.study import load_study
    from helpers.figures import plots
    from helpers.stats import proportions
    from helpers.text.catalogue import t_plain

    try:
        loaded = load_study(study_dir)
        rates = proportions.response_rates(loaded.probes).query("level == 'department'")
        plots.rate_intervals(rates, t_plain("t_rate_department", lang), loaded, lang=lang)
        plt.show()
    except Exception as exc:  # the point of W0 is to name any failure, not to stop at it
        return check.verdict("w0-figure", False, "w0_figure_failed", error=f"{type(exc).__name__}: {exc}")
    return check.verdict("w0-figure", True, "w0_figure_ok")


def writable(check: Checker, folder=paths.BUILD_DIR) -> Verdict:
    """Can the lessons write their working files (build/)?"""
    target = paths.resolve(folder)
    try:
        target.mkdir(parents=True, exist_ok=True)
        probe = target / f".w0-{os.getpid()}"
        probe.write_text("ok", encoding="utf-8")
        probe.unlink()
    except OSError as exc:
        return check.verdict("w0-writable", False, "w0_not_writable", folder=str(target), error=exc.strerror or str(exc))
    return check.verdict("w0-writable", True, "w0_writable", folder=str(target))
