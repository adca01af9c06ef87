"""Reply-quality tables: every probe kept, every rate checked against an independent count."""

from __future__ import annotations

import pytest

from helpers import paths
from helpers.analysis import reply_quality
from helpers.data.hours import CLOCK_RULES
from helpers.data.study import load_study
from tests.conftest import TINY_STUDY


@pytest.fixture(scope="module")
def japanese():
    study = load_study(paths.JAPANESE_STUDY)
    return study, reply_quality.probe_quality(study.probes, study.accounts)


def test_every_probe_is_kept_and_unanswered_ones_are_censored(japanese):
    study, q = japanese
    assert len(q) == len(study.probes) and q["probe_id"].is_unique
    assert list(q.columns[:4]) == ["probe_id", "reply_kind", "template_cluster", "in_stated_hours"]
    merged = q.merge(study.probes[["probe_id", "answered", "minutes"]], on="probe_id", suffixes=("", "_p"))
    assert (merged["answered"] == merged["answered_p"]).all()
    assert (merged["reply_kind"] == reply_quality.NO_REPLY).eq(~merged["answered"]).all()
    assert merged["minutes_calendar"].to_numpy() == pytest.approx(merged["minutes"].to_numpy())
    for rule in CLOCK_RULES:  # unanswered probes carry a censoring time on every clock
        assert q[f"minutes_{rule}"].notna().all()
    assert (q["minutes_business"] <= q["minutes_next_opening"] + 1e-9).all()
    assert (q["minutes_next_opening"] <= q["minutes_calendar"] + 1e-9).all()


def test_stated_hours_flag_is_empty_only_where_no_hours_are_stated(japanese):
    study, q = japanese
    stated = study.accounts.set_index("account")["stated_hours"].str.strip() != ""
    assert q["in_stated_hours"].isna().to_numpy().tolist() == (~q["account"].map(stated)).tolist()


def test_rates_match_an_independent_count(japanese):
    study, q = japanese
    rates = reply_quality.quality_rates(q).set_index(["measure", "level", "group"])
    raw = study.probes
    n, replied = len(raw), int(raw["answered"].sum())
    assert rates.loc[("response_rate", "overall", "all"), ["numerator", "denominator"]].tolist() == [replied, n]
    answers = int((q["reply_kind"] == "answer").sum())
    assert rates.loc[("answer_rate", "overall", "all"), ["numerator", "denominator"]].tolist() == [answers, n]
    fu = raw["follow_up_sent_at"].notna()
    fu_ok = fu & raw["follow_up_reply_at"].notna() & (raw["follow_up_reply_at"] <= raw["observed_until"])
    assert rates.loc[("follow_up_response_rate", "overall", "all"), ["numerator", "denominator"]].tolist() == [
        int(fu_ok.sum()), int(fu.sum())]
    resolved = raw["resolved_publicly"].dropna()
    assert rates.loc[("public_resolution_share", "overall", "all"), ["numerator", "denominator"]].tolist() == [
        int(resolved.sum()), len(resolved)]
    for tone, d in raw.groupby("tone"):
        row = rates.loc[("response_rate", "tone", tone)]
        assert (row["numerator"], row["denominator"]) == (int(d["answered"].sum()), len(d))
        assert row["ci_low"] <= row["estimate"] <= row["ci_high"]
    assert set(rates["unit"]) == {"probe", "reply", "follow-up", "resolved case"}


def test_account_table_matches_a_groupby(japanese):
    study, q = japanese
    table = reply_quality.account_quality(q, study.accounts)
    assert list(table.columns[:7]) == ["company", "account", "response_rate", "answer_rate", "redirect_share",
                                       "template_share", "follow_up_response_rate"]
    assert len(table) == len(study.accounts)
    expected = study.probes.groupby("account")["answered"].mean()
    got = table.set_index("account")["response_rate"]
    assert got.sort_index().to_numpy() == pytest.approx(expected.sort_index().to_numpy())
    replies = q[q["reply_kind"].isin(["answer", "acknowledgement", "redirect"])]
    redirect = replies.groupby("account")["reply_kind"].apply(lambda k: (k == "redirect").mean())
    assert table.set_index("account").loc[redirect.index, "redirect_share"].to_numpy() == pytest.approx(
        redirect.to_numpy())


def test_times_keep_every_probe_and_put_follow_ups_beside_first_messages(japanese):
    study, q = japanese
    times = reply_quality.quality_times(q, [30, 60])
    overall = times.query("level == 'overall'")
    assert set(overall["clock"]) == set(CLOCK_RULES) and (overall["n_probes"] == len(q)).all()
    message = times.query("level == 'message'").set_index("group")
    assert message.loc["first message", "n_probes"] == len(q)
    assert message.loc["follow-up", "n_probes"] == int(q["follow_up_sent"].sum())


def test_reply_without_text_counts_as_a_response_but_not_in_the_answer_rate():
    study = load_study(TINY_STUDY)
    q = reply_quality.probe_quality(study.probes, study.accounts)
    no_text = q["reply_kind"] == reply_quality.NO_TEXT
    assert no_text.any()
    rates = reply_quality.quality_rates(q).set_index(["measure", "level", "group"])
    assert rates.loc[("response_rate", "overall", "all"), "denominator"] == len(q)
    assert rates.loc[("answer_rate", "overall", "all"), "denominator"] == len(q) - int(no_text.sum())
