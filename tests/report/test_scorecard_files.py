"""Companies whose names map to one file name each still get a scorecard of their own."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from helpers.report import pipeline

pytestmark = pytest.mark.slow

# Three names the old rule mapped to one file, retailer-a.html (the tiny study's X, Y, Z renamed).
NAMES = {"Company X": "Retailer A", "Company Y": "RETAILER A", "Company Z": "retailer-a!"}


def test_similar_names_get_one_scorecard_each_linked_from_the_index(tiny_copy, tmp_path):
    for name in ("accounts.csv", "probes.csv"):
        path = tiny_copy / name
        text = path.read_text(encoding="utf-8")
        for old, new in NAMES.items():
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    final = pipeline.build_report(tiny_copy, reports_dir=tmp_path / "reports", build_dir=tmp_path / "build",
                                  log=lambda line: None)
    info = json.loads((final / pipeline.STUDY_INFO).read_text(encoding="utf-8"))
    pages = {c["company"]: c["page"] for c in info["scorecards"]}
    assert set(pages) == set(NAMES.values()) and len(set(pages.values())) == 3
    # 'retailer-a!' has a hash of its own already (punctuation); the other two would share 'retailer-a'.
    assert info["scorecard_collisions"] == [["RETAILER A", "Retailer A"]]
    for company, stem in pages.items():
        html = (final / f"{stem}.html").read_text(encoding="utf-8")
        assert BeautifulSoup(html, "html.parser").title.get_text().endswith(company)  # its own company's page
        card = json.loads((final / "results" / f"{stem}.json").read_text(encoding="utf-8"))
        assert card["company"] == company
    index = BeautifulSoup((tmp_path / "reports" / "index.html").read_text(encoding="utf-8"), "html.parser")
    linked = {a.get_text(): a["href"] for a in index.select("ul.scorecards a")}
    assert linked == {c: f"{final.name}/{stem}.html" for c, stem in pages.items()}
    assert "each have their own scorecard" in index.get_text()
