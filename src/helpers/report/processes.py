"""The processes a report starts (papermill, kernels, workers, browsers) end with it.

* SIGINT and SIGTERM become `Interrupted` in the main thread, so the run unwinds through its
  ``finally`` blocks (staging removed, previous report kept) and prints one line.
* `stop_children` then ends every process below this one: papermill and scorecard workers,
  their kernels (which jupyter_client starts in sessions of their own), Chromium.
* If this process is killed outright (SIGKILL), Linux sends each direct child SIGTERM
  (`die_with_parent`), and every kernel exits when it sees its parent gone (ipykernel's parent
  poller), so nothing outlives the run.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_PR_SET_PDEATHSIG = 1
_libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True) if sys.platform == "linux" else None


class Interrupted(BaseException):
    """The run was stopped by a signal; `signum` says which (a BaseException, as KeyboardInterrupt is)."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(f"interrupted by {signal.Signals(signum).name}")

    @property
    def exit_code(self) -> int:
        return 128 + self.signum  # the shell's convention: 130 for Ctrl-C, 143 for SIGTERM


# Set once the run is stopping: no new process may start, and `run` refuses under the same lock.
_stopping = threading.Event()
_spawning = threading.Lock()


def run(cmd: list[str], timeout: float | None = None, **kwargs) -> subprocess.CompletedProcess:
    """`subprocess.run` for a child that dies with this process and never starts once it is stopping.

    After `timeout` seconds the child is killed and `subprocess.TimeoutExpired` raised.
    """
    with _spawning:
        if _stopping.is_set():
            raise Interrupted(signal.SIGTERM)
        proc = subprocess.Popen(cmd, preexec_fn=die_with_parent, **kwargs)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def die_with_parent() -> None:
    """Ask Linux to send this process SIGTERM when its parent dies (a no-op elsewhere).

    Safe between fork and exec (`subprocess` ``preexec_fn``): one C call, no Python locks.
    """
    if _libc is not None:
        _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def stop_children(grace: float = 5.0) -> int:
    """Terminate every process below this one, killing those still alive after `grace` s; how many.

    It waits without reaping: a child's exit is left for its owner (`subprocess`, a process pool)
    to collect, which would otherwise wait for it forever.
    """
    import psutil

    try:
        children = [c for c in psutil.Process().children(recursive=True) if not _resource_tracker(c)]
    except psutil.Error:
        return 0
    for child in children:
        try:
            child.terminate()
        except psutil.Error:
            pass
    alive = _wait_gone(children, grace)
    for child in alive:
        try:
            child.kill()
        except psutil.Error:
            pass
    _wait_gone(alive, grace)
    return len(children)


def _resource_tracker(proc) -> bool:
    """multiprocessing's resource tracker: it ends by itself with this process, and must outlive the pools."""
    import psutil

    try:
        return "multiprocessing.resource_tracker" in " ".join(proc.cmdline())
    except psutil.Error:
        return False


def _wait_gone(procs: list, timeout: float) -> list:
    """Those of `procs` still running (not ended, not a zombie) after up to `timeout` s."""
    import time

    import psutil

    def running(proc) -> bool:
        try:
            return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
        except psutil.Error:
            return False

    deadline = time.monotonic() + timeout
    alive = [p for p in procs if running(p)]
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        alive = [p for p in alive if running(p)]
    return alive


@contextmanager
def interruptible() -> Iterator[None]:
    """Turn SIGINT and SIGTERM into `Interrupted` while the block runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        # Ignore repeats while unwinding: a second Ctrl-C must not skip the clean-up.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        with _spawning:
            _stopping.set()
        # Before raising: the pools' exits wait for their workers, which wait for these children.
        stop_children()
        raise Interrupted(signum)

    previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)
        _stopping.clear()  # a caller that goes on (a test, a notebook) may start processes again
