"""A report that is stopped leaves the previous one as it was and no process behind; runs are repeatable.

Each test runs ``python -m helpers report`` on the tiny study in a child process, as a user does,
and stops it while papermill and its kernels are running.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

from helpers import paths
from helpers.report import outputs
from tests.conftest import TINY_STUDY

pytestmark = pytest.mark.slow


def command(root) -> list[str]:
    return [sys.executable, "-m", "helpers", "report", str(TINY_STUDY), "--out", str(root / "reports"),
            "--build", str(root / "build"), "--jobs", "2"]


def run(root) -> subprocess.CompletedProcess:
    return subprocess.run(command(root), capture_output=True, text=True, cwd=paths.PROJECT_ROOT, check=False)


def start(root) -> tuple[subprocess.Popen, list[psutil.Process]]:
    """Start a report and wait until it runs a kernel; the process and every process below it then."""
    proc = subprocess.Popen(command(root), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=paths.PROJECT_ROOT, start_new_session=True)
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            children = psutil.Process(proc.pid).children(recursive=True)
            if any("ipykernel" in _cmdline(c) for c in children):
                return proc, children
            time.sleep(0.2)
    except BaseException:
        proc.kill()  # a report left running would hold the study's lock for the next test
        raise
    proc.kill()
    pytest.fail("the report never started a kernel")


def _cmdline(process: psutil.Process) -> str:
    """A child's command line; empty for one that has just ended (gone, or a zombie not yet reaped)."""
    try:
        return " ".join(process.cmdline())
    except psutil.Error:
        return ""


def still_alive(processes: list[psutil.Process], within: float) -> list[psutil.Process]:
    """Those of `processes` still alive after `within` seconds."""
    _, alive = psutil.wait_procs(processes, timeout=within)
    return [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


def published(root) -> dict[str, bytes]:
    """The published site, byte for byte (locks aside: they hold the last holder's pid)."""
    reports = root / "reports"
    return {p.relative_to(reports).as_posix(): p.read_bytes() for p in sorted(reports.rglob("*"))
            if p.is_file() and not p.name.endswith(".lock")}


def results(root) -> dict[str, bytes]:
    folder = root / "reports" / TINY_STUDY.name / "results"
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    """A folder holding one finished report, and the results it published."""
    root = tmp_path_factory.mktemp("interrupts")
    done = run(root)
    assert done.returncode == 0, done.stderr
    return root, results(root)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_stopped_run_ends_its_processes_and_keeps_the_previous_report(first, signum):
    root, _ = first
    before = published(root)
    proc, children = start(root)
    os.kill(proc.pid, signum)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signum
    # One line (progress goes to stdout), no traceback.
    assert err.splitlines() == [err.strip()] and err.startswith(f"Stopped (interrupted by {signal.Signals(signum).name})")
    assert not still_alive(children, within=10)
    assert published(root) == before  # byte for byte, and no staging folder left
    assert not [p for p in (root / "reports").iterdir() if ".partial-" in p.name]


def test_a_second_run_on_the_same_study_is_refused_while_one_runs(first):
    root, _ = first
    before = published(root)
    proc, children = start(root)
    try:
        second = run(root)
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        proc.communicate(timeout=60)
    assert second.returncode == 5
    assert "another report on 'tiny-study' is running" in second.stderr
    assert not still_alive(children, within=10)
    assert published(root) == before


def test_after_a_kill_nothing_runs_on_and_the_next_run_clears_the_debris_and_repeats_the_results(first):
    root, first_results = first
    proc, children = start(root)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    # Children die with their parent (SIGTERM from the kernel), kernels when they see it gone.
    assert not still_alive(children, within=15)
    debris = [p for p in (root / "reports").iterdir() if ".partial-" in p.name]
    assert debris  # the killed run could not tidy up ...
    again = run(root)
    assert again.returncode == 0, again.stderr
    assert not any(p.exists() for p in debris)  # ... the next one did
    assert sorted(outputs.foreign(root / "reports")) == []
    # Two runs on the same study give the same results, byte for byte.
    assert results(root) == first_results
