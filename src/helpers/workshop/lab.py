"""JupyterLab in one language: the other language's cells hidden, for learners and readers.

The notebooks tag each Markdown cell ``lang-en`` or ``lang-ja``. The JupyterLab extension
jupyterlab-celltagsclasses gives each cell the class ``cell-tag-<tag>``, and JupyterLab loads a
``custom/custom.css`` from its config folder when started with ``--LabApp.custom_css=True``. That
folder is Jupyter's own config folder, so `make lab LAB_LANG=ja` uses one under build/ and keeps
reading the user's: their config files (JUPYTER_CONFIG_PATH) and their lab settings (passed as
``--LabApp.user_settings_dir``). This module writes nothing in ~/.jupyter; JupyterLab saves its
workspace there as it always does.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from helpers import paths
from helpers.text.catalogue import LANGS

CONFIG_ROOT = paths.BUILD_DIR / "lab"
WORKSHOP_URL = "notebooks/workshop"  # the folder JupyterLab opens on


BINDER = "https://mybinder.org/v2/gh/{repo}/HEAD?urlpath=lab/tree/" + WORKSHOP_URL
_GITHUB = re.compile(r"^(?:https://github\.com/|git@github\.com:|ssh://git@github\.com/)(?P<repo>[\w.-]+/[\w.-]+?)(?:\.git)?/?$")


def binder_url(remote: str) -> str | None:
    """The Binder link that opens the workshop folder, for a GitHub remote URL (None for any other)."""
    match = _GITHUB.match(remote.strip())
    return BINDER.format(repo=match["repo"]) if match else None


def project_binder_url() -> str | None:
    """`binder_url` of this checkout's `origin` remote, if it has one on GitHub."""
    import subprocess

    try:
        remote = subprocess.run(["git", "-C", str(paths.PROJECT_ROOT), "remote", "get-url", "origin"],
                                capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return binder_url(remote)


def custom_css(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    hidden = ", ".join(f".jp-Cell.cell-tag-lang-{other}" for other in LANGS if other != lang)
    return (f"/* Written by `make lab LAB_LANG={lang}`: cells in other languages are hidden, not removed. */\n"
            f"{hidden} {{ display: none !important; }}\n")


def write_config(lang: str, root: Path | None = None) -> Path:
    """The config folder for a JupyterLab in `lang`, with its custom.css; returns the folder."""
    folder = (root or CONFIG_ROOT) / f"jupyter-config-{lang}"
    (folder / "custom").mkdir(parents=True, exist_ok=True)
    (folder / "custom" / "custom.css").write_text(custom_css(lang), encoding="utf-8")
    return folder


def command(lang: str | None, extra: list[str], is_root: bool) -> tuple[list[str], dict[str, str]]:
    """The `jupyter lab` command line and the environment variables to add, for `make lab`.

    At the project root, so that data/, build/ and reports/ can be browsed too, on the workshop folder.
    Jupyter refuses to run as root without --allow-root (containers, Binder-like machines).
    """
    jupyter = str(Path(sys.executable).with_name("jupyter"))
    argv = [jupyter, "lab", f"--ServerApp.root_dir={paths.PROJECT_ROOT}",
            f"--LabApp.default_url=/lab/tree/{WORKSHOP_URL}",
            # default_url serves only "/"; a bare /lab restores the last workspace or the root without this.
            f"--ContentsManager.preferred_dir={WORKSHOP_URL}"]
    env = {}
    if is_root:
        argv.append("--allow-root")
    if lang:
        from jupyter_core.paths import jupyter_config_dir

        user = Path(jupyter_config_dir())
        search = [str(user), *filter(None, [os.environ.get("JUPYTER_CONFIG_PATH")])]
        env = {"JUPYTER_CONFIG_DIR": str(write_config(lang)), "JUPYTER_CONFIG_PATH": os.pathsep.join(search)}
        argv += ["--LabApp.custom_css=True", f"--LabApp.user_settings_dir={user / 'lab' / 'user-settings'}",
                 f"--LabApp.workspaces_dir={user / 'lab' / 'workspaces'}"]
    return argv + extra, env


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.workshop.lab",
                                     description="start JupyterLab on the workshop folder, optionally in one language")
    parser.add_argument("--lang", choices=LANGS, default=None, help="hide the other language's cells")
    args, extra = parser.parse_known_args(argv)
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if is_root:
        print("make lab: running as root, so adding --allow-root")
    if args.lang:
        print(f"make lab: showing {args.lang} cells only (the others are hidden by build/lab/"
              f"jupyter-config-{args.lang}/custom/custom.css, not removed)")
    line, env = command(args.lang, extra, is_root)
    os.execve(line[0], line, {**os.environ, **env})
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
