"""Planning: sample sizes deliver the power promised; schedules are balanced and validate."""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import fisher_exact

from helpers.analysis import plan
from helpers.data import hours
from helpers.data.study import load_study, validate_study
from tests.conftest import TINY_STUDY


def test_bigger_differences_need_fewer_probes():
    sizes = [plan.probes_needed(0.5, 0.5 + d) for d in (0.1, 0.2, 0.3)]
    assert sizes == sorted(sizes, reverse=True) and sizes[-1] >= 2


def test_more_power_or_stricter_alpha_needs_more_probes():
    base = plan.probes_needed(0.4, 0.6)
    assert plan.probes_needed(0.4, 0.6, power=0.9) > base
    assert plan.probes_needed(0.4, 0.6, alpha=0.01) > base


def test_equal_shares_are_refused():
    with pytest.raises(ValueError):
        plan.probes_needed(0.5, 0.5)


def test_power_table_stays_within_unit_interval():
    table = plan.power_table([0.1, 0.5, 0.9], [-0.2, 0.2])
    assert ((table["compared_share"] > 0) & (table["compared_share"] < 1)).all()
    assert len(table) == 4


def test_planned_size_delivers_about_the_promised_power():
    # Simulate studies of the planned size with the planned difference; a two-sided test at
    # alpha should reject in about 80% of them (Fisher's exact test is a little conservative).
    n = plan.probes_needed(0.4, 0.7)
    rng = np.random.default_rng(4)
    hits = 0
    for _ in range(300):
        a, b = rng.binomial(n, 0.4), rng.binomial(n, 0.7)
        hits += fisher_exact([[a, n - a], [b, n - b]]).pvalue < 0.05
    assert 0.68 <= hits / 300 <= 0.9, hits / 300


# --------------------------------------------------------------------------------------------
# Fieldwork schedule


QUESTIONS = ["store_opening_hours", "returns"]


def accounts_with_hours():
    acc = load_study(TINY_STUDY).accounts.copy()
    acc["stated_hours"] = ["Mon-Fri 08:00-20:00; Sat 09:00-17:00", "24/7", "", "weekdays 10:00-18:00"]
    acc["timezone"] = ["Europe/London", "Europe/London", "America/New_York", "Asia/Tokyo"]
    return acc


def test_schedule_is_balanced_and_keeps_to_the_hours():
    acc = accounts_with_hours()
    sched = plan.probe_schedule(acc, QUESTIONS, 8, "2027-03-08", seed=5)  # spans no DST change
    assert (sched.groupby("account").size() == 8).all()
    sending = hours.parse_hours("daily 08:00-22:00")
    by_account = acc.set_index("account")
    for _, p in sched.iterrows():
        a = by_account.loc[p["account"]]
        local = pd.Timestamp(p["sent_at"]).tz_convert(a["timezone"]).to_pydatetime()
        stated = a["stated_hours"] or "Mon-Fri 09:00-17:00"
        assert hours.parse_hours(stated).is_open(local) == p["planned_in_stated_hours"], p.to_dict()
        assert sending.is_open(local)
        assert p["hours_basis"] == ("stated" if a["stated_hours"] else "assumed")
    cells = sched[sched["account"] != "company_x_care"].groupby(
        ["account", "question_type", "planned_in_stated_hours"]).size()
    assert (cells == 2).all()  # 8 probes = 2 x (2 question types x inside/outside)
    assert sched.loc[sched["account"] == "company_x_care", "planned_in_stated_hours"].all()  # open 24/7
    days = pd.to_datetime(sched["sent_at"].str[:10]).dt.day_of_week.value_counts()
    assert days.max() - days.min() <= 2
    assert sched["probe_id"].is_unique


def test_schedule_is_reproducible_and_seeded():
    acc = accounts_with_hours()
    a = plan.probe_schedule(acc, QUESTIONS, 4, "2027-03-08", seed=1)
    pd.testing.assert_frame_equal(a, plan.probe_schedule(acc, QUESTIONS, 4, "2027-03-08", seed=1))
    assert not a.equals(plan.probe_schedule(acc, QUESTIONS, 4, "2027-03-08", seed=2))


def test_start_must_be_a_monday():
    with pytest.raises(ValueError, match="Monday"):
        plan.probe_schedule(accounts_with_hours(), QUESTIONS, 4, "2027-03-10")


def test_fieldwork_plan_validates_before_and_after_filling_in(tmp_path):
    study = load_study(TINY_STUDY)
    sched = plan.probe_schedule(accounts_with_hours(), QUESTIONS, 4, "2027-03-22", seed=3)  # DST week in London
    folder = plan.write_fieldwork_plan(tmp_path / "plan", study, sched, seed=3)
    assert validate_study(folder) == []
    filled = pd.read_csv(folder / "probes.csv", dtype=str, keep_default_na=False)
    sent = pd.to_datetime(filled["sent_at"], utc=True)
    filled.loc[::2, "first_reply_at"] = (sent[::2] + pd.Timedelta(minutes=42)).map(lambda t: t.isoformat())
    filled.to_csv(folder / "probes.csv", index=False)
    assert validate_study(folder) == []
    assert load_study(folder).probes["answered"].sum() == len(filled[::2])


def test_design_effect_scales_the_clustered_size():
    t = plan.sample_size_table("response_rate", [0.5], [0.2], probes_per_company=4, icc=0.2)
    assert t["design_effect"].iloc[0] == pytest.approx(1.6)
    assert t["probes_per_group_clustered"].iloc[0] == int(np.ceil(t["probes_per_group"].iloc[0] * 1.6))
    assert t["companies_per_group"].iloc[0] == int(np.ceil(t["probes_per_group_clustered"].iloc[0] / 4))


def test_power_curve_rises_with_probes_and_crosses_the_planned_size():
    c = plan.power_curve(0.5, [0.2], max_probes=300)
    assert c["power"].is_monotonic_increasing
    n = plan.probes_needed(0.5, 0.7)
    assert c.loc[c["probes_per_group"] < n, "power"].max() < 0.8 <= c.loc[c["probes_per_group"] >= n, "power"].min()


def test_sample_sizes_cover_both_metrics_and_every_baseline_and_difference():
    sizes = plan.sample_sizes([0.5, 0.7], [0.25], [0.1, 0.2], 60, probes_per_company=4, icc=0.2)
    assert sizes.groupby("metric").size().to_dict() == {"response_rate": 4, "share_within_60min": 2}
    expected = plan.sample_size_table("share_within_60min", [0.25], [0.1, 0.2], probes_per_company=4, icc=0.2)
    pd.testing.assert_frame_equal(sizes[sizes["metric"] == "share_within_60min"].reset_index(drop=True), expected)
