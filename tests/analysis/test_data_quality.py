"""Data-quality notes: codes and values for pages, the same English details in data_quality.csv as ever."""

from __future__ import annotations

from helpers import paths
from helpers.analysis import data_quality
from helpers.data.study import load_study
from tests.conftest import TINY_STUDY


def test_every_note_has_a_code_and_the_values_its_words_need():
    probes = load_study(paths.DEFAULT_STUDY).probes
    notes = data_quality.quality_notes(probes, [30, 60, 1440, 20000])
    assert list(notes.columns) == data_quality.NOTE_COLUMNS
    late = notes[notes["issue"] == "reply_after_window"]
    assert (late["replied_at"] > late["closed_at"]).all()
    short = notes[notes["issue"] == "window_shorter_than_threshold"]
    assert len(short) == int((~probes["answered"]).sum())  # every window of the replica is shorter than 20000 min
    assert all(tuple(t for t in (30, 60, 1440, 20000) if m < t) == u
               for m, u in zip(short["observed_minutes"], short["unknown_thresholds"], strict=True))


def test_data_quality_csv_keeps_its_columns_and_english_details():
    probes = load_study(TINY_STUDY).probes
    issues = data_quality.quality_issues(probes, [30, 60])
    notes = data_quality.quality_notes(probes, [30, 60])
    assert list(issues.columns) == ["probe_id", "company", "account", "issue", "detail"]
    assert list(issues["probe_id"]) == list(notes["probe_id"]) and list(issues["issue"]) == list(notes["issue"])
    late = issues[issues["issue"] == "reply_after_window"].iloc[0]
    note = notes[notes["issue"] == "reply_after_window"].iloc[0]
    assert late["detail"] == (f"replied {note['replied_at'].isoformat()}, after the window closed "
                              f"{note['closed_at'].isoformat()}; counted as not answered")
    empty = data_quality.quality_issues(probes.iloc[:0], [30])
    assert list(empty.columns) == list(issues.columns) and empty.empty
