"""`report --pdf`: a PDF per scorecard and per summary, in each language, through headless Chromium."""

from __future__ import annotations

import shutil

import pytest

from helpers import __main__ as cli
from helpers.report import links, outputs, pdf, pipeline
from tests.conftest import TINY_STUDY

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def test_without_chromium_pdf_says_so_and_writes_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    code = cli.main(["report", str(TINY_STUDY), "--pdf", "--out", str(tmp_path / "reports"),
                     "--build", str(tmp_path / "build")])
    assert code == cli.EXIT_PDF != 0
    err = capsys.readouterr().err
    assert "Chromium" in err and "--pdf" in err and "apt-get install chromium" in err
    assert not (tmp_path / "reports").exists() and not (tmp_path / "build").exists()


def test_a_report_without_pdf_never_looks_for_chromium(tmp_path, monkeypatch):
    def refuse():
        raise AssertionError("looked for Chromium")

    monkeypatch.setattr(pdf, "find_chromium", refuse)
    final = pipeline.build_report(TINY_STUDY, reports_dir=tmp_path / "reports", build_dir=tmp_path / "build",
                                  notebooks=[], scorecards=False, log=lambda _: None)
    assert (final / "summary.html").is_file() and not (final / pipeline.PDF_DIR).exists()


def test_languages_are_checked_on_the_command_line(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["report", str(TINY_STUDY), "--lang", "en,fr"])
    assert exit_.value.code == cli.EXIT_USAGE and "fr" in capsys.readouterr().err
    assert pipeline.parse_langs("ja, en,ja") == ["ja", "en"]


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (Debian: apt-get install chromium)")
def test_pdfs_for_every_scorecard_and_the_summary_in_each_language(tmp_path):
    lines: list[str] = []
    # No analysis notebook: the scorecards rank the companies themselves, and it is quicker.
    final = pipeline.build_report(TINY_STUDY, reports_dir=tmp_path / "reports", build_dir=tmp_path / "build",
                                  notebooks=[], lang="en,ja", pdf=True, log=lines.append)
    cards = sorted(p.name.removesuffix(".html") for p in (final / "scorecards").glob("*.html")
                   if not p.name.endswith(".ja.html"))
    assert cards and any("PDFs:" in line for line in lines)
    expected = {links.named(stem, lang, ".pdf") for lang in ("en", "ja")
                for stem in ["summary", *(f"scorecards/{c}" for c in cards)]}
    found = {p.relative_to(final / pipeline.PDF_DIR).as_posix() for p in (final / pipeline.PDF_DIR).rglob("*.pdf")}
    assert found == expected
    for name in found:
        data = (final / pipeline.PDF_DIR / name).read_bytes()
        assert data.startswith(b"%PDF"), name
        assert 1 <= pdf.page_count(final / pipeline.PDF_DIR / name) <= 12, name
        # Links point where the pages are published, not to the staging folder they were printed from.
        assert b".partial-" not in data, name
    # No staging folder left: only the manifest and the locks.
    assert not [p for p in (tmp_path / "reports").iterdir()
                if p.name.startswith(".") and not p.name.endswith(".lock") and p.name != outputs.MANIFEST]


def test_a_page_that_does_not_print_is_named(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "print_pdf", lambda chromium, page, target, base_url=None: "Chromium exited 1: boom")
    page = tmp_path / "retailer-a.html"
    page.write_text("<html><head></head><body></body></html>", encoding="utf-8")
    with pytest.raises(pdf.PdfFailed, match="retailer-a.html: Chromium exited 1: boom"):
        pdf.print_pdfs("chromium", [(page, tmp_path / "a.pdf", None)])
