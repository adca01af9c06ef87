"""Placing a study among the published ones: like beside like, every difference named."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import paths
from helpers.analysis import placement
from helpers.data.published import load_published
from helpers.data.study import load_study
from helpers.stats.proportions import wilson_interval


@pytest.fixture(scope="module")
def replica():
    study = load_study(paths.DEFAULT_STUDY)
    ours = placement.our_figures(study.probes, study.thresholds_minutes)
    return study, ours, placement.place(load_published(), ours)


def test_the_replica_sits_exactly_on_the_figures_it_reproduces(replica):
    _, _, placed = replica
    rows = placed[placed["study_id"] == "econsultancy-2014"]
    assert len(rows) == 3
    assert (rows["ours_unit"] == "company").all() and np.allclose(rows["ours_value"], rows["value"])
    assert all("unit" not in w and "design" not in w for w in rows["warnings"])
    assert all("not_verified" in w for w in rows["warnings"])  # the aggregates' own caveat travels with them


def test_a_published_share_of_a_whole_study_gets_a_derived_wilson_interval(replica):
    _, _, placed = replica
    row = placed[(placed["study_id"] == "econsultancy-2014") & (placed["measure"] == "response_rate")].iloc[0]
    assert (row["low"], row["high"]) == pytest.approx(wilson_interval(17, 20))
    # none for a time, a single company, or a share of answered messages (their number is unknown)
    none = placed[(placed["measure"] == "mean_minutes") | (placed["group"] != "all") | (placed["among"] == "answered")]
    assert none["low"].isna().all() and none["high"].isna().all()


def test_every_difference_is_named(replica):
    _, ours, placed = replica
    by = {(r.study_id, r.edition, r.group, r.measure, r.threshold_minutes if r.threshold_minutes == r.threshold_minutes
           else None, r.unit): r.warnings for r in placed.itertuples()}
    assert "mean_vs_median" in by[("eptica-uk-retail", "2014", "all", "mean_minutes", None, "message")]
    assert "answer_vs_response" in by[("eptica-uk-retail", "2014", "all", "answer_rate", None, "message")]
    assert "design" in by[("conversocial-2012", "Apr 2012", "all", "response_rate", None, "message")]
    assert "among" in by[("simplymeasured-handles", "Jun 2013", "all", "share_within", 60.0, "message")]
    assert "unit" in by[("simplymeasured-handles", "Mar 2013", "all", "response_rate", None, "account")]
    assert by[("softwareadvice-2012", "2012-13", "all", "response_rate", None, "message")][0] == "not_verified"
    # a threshold the study does not use (8 hours): no number beside it, and the reason
    row = placed[(placed["measure"] == "share_within") & (placed["threshold_minutes"] == 480)].iloc[0]
    assert np.isnan(row["ours_value"]) and row["warnings"][-1] == "no_like_figure"
    assert set(c for w in placed["warnings"] for c in w) <= set(placement.WARNINGS)


def test_the_study_figures_are_its_own_with_censoring_kept(replica):
    study, ours, _ = replica
    per_probe = ours[(ours["measure"] == "response_rate") & (ours["unit"] == "message")].iloc[0]
    assert per_probe["n"] == len(study.probes) and per_probe["value"] == study.probes["answered"].mean()
    assert per_probe["ci_low"] < per_probe["value"] < per_probe["ci_high"]
    within_day = ours[(ours["measure"] == "share_within") & (ours["threshold_minutes"] == 1440)]
    assert (within_day["value"] <= ours.set_index(["measure", "unit"]).loc["response_rate", "value"].to_numpy()
            + 1e-12).all()


def test_placed_rows_are_in_year_order_and_rows_without_a_year_come_last(replica):
    _, _, placed = replica
    years = placed["year"].astype("Float64")
    known = years.dropna().to_numpy()
    assert (np.diff(known) >= 0).all() and years.isna().to_numpy()[len(known):].all()


def test_an_observational_study_is_warned_about_probe_studies_instead():
    record = load_published()
    ours = pd.DataFrame([{"measure": "response_rate", "threshold_minutes": np.nan, "unit": "message", "value": 0.5,
                          "ci_low": 0.4, "ci_high": 0.6, "n": 100}])
    placed = placement.place(record, ours, design="observational")
    probe = placed[placed["design"] == "probe"]
    assert all("design" in w for w in probe["warnings"])
