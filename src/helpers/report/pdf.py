"""Pages printed to PDF by headless Chromium (the pages' print stylesheet decides the layout)."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from html import escape
from pathlib import Path

from helpers.report import processes

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_SECONDS = 180


class ChromiumMissing(RuntimeError):
    """--pdf was asked for and no headless Chromium is installed."""

    def __init__(self) -> None:
        super().__init__(
            "--pdf needs headless Chromium, and none was found on PATH (looked for "
            f"{', '.join(CHROMIUM_NAMES)}). Install it (Debian/Ubuntu: apt-get install chromium) "
            "or run without --pdf: the HTML report does not need it. No report was written.")


class PdfFailed(RuntimeError):
    """Chromium did not print one or more pages; the previous report was left in place."""

    def __init__(self, failures: Sequence[tuple[Path, str]]):
        self.failures = list(failures)
        lines = [f"{len(self.failures)} PDF(s) could not be printed; the previous report was left in place:"]
        lines += [f"  - {page.name}: {error}" for page, error in self.failures]
        super().__init__("\n".join(lines))


def find_chromium() -> str:
    """Path of the Chromium to print with; `ChromiumMissing` when there is none."""
    for name in CHROMIUM_NAMES:
        if found := shutil.which(name):
            return found
    raise ChromiumMissing()


def print_pdf(chromium: str, page: Path, target: Path, base_url: str | None = None) -> str | None:
    """Print `page` to `target`; None when done, else what went wrong.

    A PDF's links are absolute: with `base_url` (where the page will be published) they point
    there, not to the staging folder the page is printed from.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    # Its own profile: two Chromiums sharing one refuse to run side by side.
    with tempfile.TemporaryDirectory(prefix="report-pdf-") as profile:
        source = page.resolve()
        if base_url:
            source = Path(profile) / "page.html"
            html = page.read_text(encoding="utf-8")
            # First in <head>, before the page's Content-Security-Policy (`style.CSP`), which then cannot
            # refuse it; the URL is the publisher's, escaped for the attribute.
            html = re.sub(r"<head\b[^>]*>", lambda m: f'{m.group(0)}<base href="{escape(base_url)}">', html, count=1)
            source.write_text(html, encoding="utf-8")
        cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
               f"--user-data-dir={profile}", f"--print-to-pdf={target}", source.as_uri()]
        try:
            # Through `processes.run`: Chromium ends with the report, even when it is killed.
            proc = processes.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            return f"Chromium did not finish within {TIMEOUT_SECONDS} s"
        except OSError as exc:  # not a writing problem: the browser itself would not start
            return f"Chromium could not start: {exc.strerror or exc}"
    if target.is_file() and target.read_bytes()[:4] == b"%PDF":
        return None
    lines = [line for line in proc.stderr.splitlines() if "ERROR" in line] or proc.stderr.strip().splitlines()
    return f"Chromium exited {proc.returncode}: {lines[-1] if lines else 'no PDF written'}"


def print_pdfs(chromium: str, jobs: Sequence[tuple[Path, Path, str | None]], workers: int = 2) -> None:
    """Print each (page, target, base_url), `workers` at a time; `PdfFailed` names every page that failed."""
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:  # each print is its own process
        errors = list(pool.map(lambda job: print_pdf(chromium, *job), jobs))
    failures = [(job[0], error) for job, error in zip(jobs, errors, strict=True) if error]
    if failures:
        raise PdfFailed(failures)


def page_count(pdf: Path) -> int:
    """Pages of a PDF Chromium wrote (its page objects are plain text)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf.read_bytes()))
