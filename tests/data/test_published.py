"""The published record: every figure with its unit and source, checked row by row."""

from __future__ import annotations

import csv

import pytest
import yaml

from helpers import paths
from helpers.data.published import RECORD_FILE, PublishedRecordError, load_published, published_problems

NOTES = paths.SHARED_DIR / "research" / "published_studies.md"


def test_the_bundled_record_is_valid_and_every_figure_has_unit_and_source():
    record = load_published()
    assert len(record) >= 50 and record["study_id"].nunique() >= 20
    assert record["source"].str.match(r"https?://").all()
    assert record["unit"].isin(["company", "account", "message"]).all()
    shares = record["measure"].isin(["response_rate", "answer_rate", "share_within"])
    assert record.loc[shares, "value"].between(0, 1).all() and (record.loc[~shares, "value"] > 0).all()


def test_the_record_agrees_with_the_aggregates_the_replica_reproduces():
    published = yaml.safe_load((paths.PUBLISHED_DIR / "econsultancy-2014.yml").read_text(encoding="utf-8"))
    rows = load_published().query("study_id == 'econsultancy-2014'").set_index(["measure", "threshold_minutes"],
                                                                                 drop=False)
    n = published["companies"]
    assert rows["companies"].eq(n).all() and rows["unit"].eq(published["unit"]).all()
    assert rows.loc[("response_rate", float("nan")), "value"].item() == pytest.approx(published["answered"] / n)
    shares = rows[rows["measure"] == "share_within"].set_index("threshold_minutes")["value"]
    assert shares[30] == pytest.approx(published["within_30min"] / n)
    assert shares[60] == pytest.approx(published["within_60min"] / n)


def test_every_source_is_one_the_research_notes_cite():
    if not NOTES.is_file():
        pytest.skip(f"{NOTES} is not present (the research notes live in ../shared)")
    notes = NOTES.read_text(encoding="utf-8")
    # Host and path: the notes reach one slide deck through a proxy address that holds the plain one.
    missing = sorted(url for url in set(load_published()["source"]) if url.split("://", 1)[1] not in notes)
    assert not missing


def _write(tmp_path, edit):
    rows = list(csv.reader(RECORD_FILE.open(encoding="utf-8", newline="")))
    header, data = rows[0], [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    edit(data)
    target = tmp_path / "published-record.csv"
    with target.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(data)
    return target


@pytest.mark.parametrize("column, value, words", [
    ("source", "", "needs its source"),
    ("source", "econsultancy.com", "is not a URL"),
    ("unit", "", "needs its unit"),
    ("unit", "tweets", "is not a unit"),
    ("value", "85", "between 0 and 1"),
    ("measure", "speed", "is not a measure"),
    ("threshold_minutes", "", "needs its threshold"),
    ("year", "14", "is not a year"),
    ("design", "survey", "is not allowed"),
])
def test_a_bad_cell_is_named_with_its_file_row_and_column(tmp_path, column, value, words):
    target = _write(tmp_path, lambda data: data[2].update({column: value}))  # the third figure: row 4
    problems = published_problems(target)
    assert [(p.row, p.column) for p in problems] == [(4, column)] and words in problems[0].message
    with pytest.raises(PublishedRecordError) as error:
        load_published(target)
    assert str(target) in str(error.value) and "row 4" in str(error.value)


def test_a_figure_given_twice_is_a_problem(tmp_path):
    target = _write(tmp_path, lambda data: data.append(dict(data[0])))
    (problem,) = published_problems(target)
    assert problem.column == "measure" and "given again (row 2)" in problem.message
