"""The pool is handed the notebooks that took longest last time first, so none is left to run alone at the end."""

from __future__ import annotations

import json
from pathlib import Path

from helpers.report import pipeline


def test_the_longest_notebooks_of_the_last_run_go_first(tmp_path):
    final = tmp_path / "study"
    final.mkdir()
    (final / pipeline.STUDY_INFO).write_text(json.dumps({"langs": ["en"], "seconds": {
        "01-data-overview": 2.0, "05-compare-companies": 30.0, "03-response-times": 9.0, "scorecards": 50}}))
    notebooks = [Path(f"/nb/{stem}.ipynb") for stem in
                 ("00-plan-a-study", "01-data-overview", "03-response-times", "05-compare-companies")]
    tasks = pipeline._suite_tasks([(nb, "en") for nb in notebooks], {"en": {}}, tmp_path, tmp_path, "T",
                                  pipeline._previous_seconds(final))
    assert [Path(t.notebook).stem for t in tasks] == [
        "05-compare-companies", "03-response-times", "01-data-overview", "00-plan-a-study"]


def test_without_a_last_run_the_suites_order_stays(tmp_path):
    notebooks = [Path(f"/nb/{stem}.ipynb") for stem in ("00-a", "01-b", "02-c")]
    tasks = pipeline._suite_tasks([(nb, lang) for lang in ("en", "ja") for nb in notebooks], {"en": {}, "ja": {}},
                                  tmp_path, tmp_path, "T", pipeline._previous_seconds(tmp_path / "missing"))
    assert [(Path(t.notebook).stem, t.lang) for t in tasks] == [
        (nb.stem, lang) for lang in ("en", "ja") for nb in notebooks]
    assert [t.label for t in tasks][:2] == ["00-a (en)", "01-b (en)"]
