"""`report --baseline`: page 07 in both languages, linked from the index, and refusals before any work."""

from __future__ import annotations

import pytest

from helpers import paths
from helpers.data.waves import WaveInputError
from helpers.report import links, pipeline
from helpers.synthetic.waves import RERUN_STUDY

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("waves")
    final = pipeline.build_report(RERUN_STUDY, reports_dir=root / "reports", build_dir=root / "build",
                                  log=lambda _: None, lang="en,ja", scorecards=False, baseline=paths.DEFAULT_STUDY)
    return root, final


def test_wave_and_placement_pages_exist_in_both_languages_and_the_index_links_them(built):
    root, final = built
    for lang in ("en", "ja"):
        for stem in ("07-compare-waves", "08-place-among-published"):
            page = final / links.page(stem, lang)
            assert page.is_file(), page
            index = (root / "reports" / links.page("index", lang)).read_text(encoding="utf-8")
            assert f'href="{final.name}/{links.page(stem, lang)}"' in index, (stem, lang)
    ja = (final / links.page("07-compare-waves", "ja")).read_text(encoding="utf-8")
    assert "前回と今回" in ja and "Retailer H" in ja
    assert (final / "results" / "wave_changes.csv").is_file() and (final / "results" / "placement.csv").is_file()


def test_without_a_baseline_there_is_no_wave_page(tmp_path):
    assert "07-compare-waves" not in {p.stem for p in pipeline.suite_notebooks()}
    assert "07-compare-waves" in {p.stem for p in pipeline.suite_notebooks(waves=True)}


def test_a_bad_mapping_is_refused_before_anything_is_written(tmp_path):
    bad = tmp_path / "map.csv"
    bad.write_text("baseline_company,baseline_account,company,account\nRetailer C,nobody,Retailer C,x\n",
                   encoding="utf-8")
    with pytest.raises(WaveInputError, match="map.csv, row 2"):
        pipeline.build_report(RERUN_STUDY, reports_dir=tmp_path / "reports", build_dir=tmp_path / "build",
                              log=lambda _: None, baseline=paths.DEFAULT_STUDY, mapping=bad)
    assert not (tmp_path / "reports").exists() and not (tmp_path / "build").exists()


def test_the_japanese_wave_page_leaves_no_english_sentence(built):
    from tests.report.test_pipeline import english_phrases, visible_text

    _, final = built
    phrases = english_phrases()
    page = visible_text((final / links.page("07-compare-waves", "ja")).read_text(encoding="utf-8"))
    assert not sorted(p for p in phrases if p in page)
