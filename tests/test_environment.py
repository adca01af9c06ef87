"""environment.yml (conda, Binder) and pyproject.toml (pip venv) declare the same packages."""

import re
import tomllib

import yaml

from helpers import paths

ROOT = paths.PROJECT_ROOT


def _normalise(spec: str) -> tuple[str, str]:
    name, version = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", spec).groups()
    return re.sub(r"[-_.]+", "-", name).lower(), version.replace(" ", "")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_specs = project["dependencies"] + [s for extra in project["optional-dependencies"].values() for s in extra]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    conda_specs = [d for d in conda if _normalise(d)[0] not in {"python", "pip"}]
    # Packages conda-forge lacks come from pip inside the environment (all but the project itself).
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    conda_specs += [d.split("#")[0].strip() for d in pip_section]
    assert sorted(map(_normalise, conda_specs)) == sorted(map(_normalise, pip_specs))


def test_binder_installs_the_package_after_the_environment_and_python_is_pinned():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    # repo2docker builds environment.yml before the repository is copied in: `-e .` there fails.
    assert not any(d.startswith("-e") for d in pip_section)
    post_build = ROOT / "postBuild"
    assert "pip install --no-deps -e ." in post_build.read_text() and post_build.stat().st_mode & 0o111
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python"))
    assert requires.removeprefix(">=") in python


def test_constraints_pin_every_declared_package():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {_normalise(s)[0] for s in project["dependencies"] + project["optional-dependencies"]["test"]}
    pinned = {_normalise(line.split("==")[0])[0] for line in (ROOT / "constraints.txt").read_text().splitlines()
              if "==" in line}
    assert declared <= pinned


def test_the_browser_test_uses_the_system_chromium_and_downloads_none():
    test = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["test"]
    assert "playwright" in {_normalise(s)[0] for s in test}
    # `playwright install` fetches a browser build of its own; CI installs Debian's chromium instead.
    for script in (ROOT / ".ci" / "run", ROOT / "Makefile"):
        assert "playwright install" not in script.read_text(encoding="utf-8"), script
    assert "chromium" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
