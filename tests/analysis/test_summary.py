"""The summary's numbers, read off the results tables the notebooks write."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from helpers.analysis import league, summary
from helpers.stats import proportions, survival


def test_number_takes_only_finite_values():
    assert summary.number("3.5") == 3.5 and summary.number(2) == 2.0
    for missing in ("", "nan", "inf", "<NA>", None, float("nan"), math.inf, pd.NA):
        assert summary.number(missing) is None, missing


def test_overall_figures_are_the_tables_overall_rows(tiny):
    rates = proportions.response_rates(tiny.probes)
    got = summary.response_rate(rates)
    assert got["n"] == len(tiny.probes) and got["k"] == int(tiny.probes["answered"].sum())
    assert got["low"] <= got["rate"] <= got["high"]
    times = survival.response_times(tiny.probes, tiny.thresholds_minutes)
    hour = summary.within(times, 60)
    overall = times[times["level"] == "overall"].iloc[0]
    assert hour["rate"] == pytest.approx(overall["within_60min"]) and hour["n"] == len(tiny.probes)
    assert summary.within(times, 45) is None  # no such threshold in the table
    assert summary.thresholds(times) == sorted(tiny.thresholds_minutes)
    wait = summary.median_wait(times)
    assert wait["minutes"] == pytest.approx(overall["median_minutes"])


def test_a_median_not_reached_and_unbounded_is_none():
    probes = pd.DataFrame({"company": "A", "department": "main", "account": "@a", "level": "overall",
                           "minutes": [5.0, 1440, 1440, 1440], "answered": [True, False, False, False]})
    times = survival.response_times(probes, [60], levels=["overall"])
    wait = summary.median_wait(times)
    assert wait["minutes"] is None and wait["high"] is None
    assert summary.median_wait(None) is None and summary.response_rate(None) is None


def test_level_follows_the_headline_alpha():
    assert summary.numbers(headline={"alpha": 0.1})["level"] == pytest.approx(0.9)
    assert summary.numbers()["level"] == pytest.approx(0.95)


def test_quality_measures_are_read_by_name():
    quality = pd.DataFrame([
        {"measure": "answer_rate", "level": "overall", "group": "all", "estimate": 0.4, "ci_low": 0.3,
         "ci_high": 0.5, "numerator": 20, "denominator": 50, "unit": "probe"},
        {"measure": "answer_rate", "level": "company", "group": "A", "estimate": 0.9, "ci_low": 0.1,
         "ci_high": 1.0, "numerator": 9, "denominator": 10, "unit": "probe"},
        {"measure": "redirect_share", "level": "overall", "group": "all", "estimate": 0.25, "ci_low": 0.1,
         "ci_high": 0.4, "numerator": 8, "denominator": 32, "unit": "reply"}])
    assert summary.quality_rate(quality, "answer_rate") == {"n": 50, "k": 20, "rate": 0.4, "low": 0.3, "high": 0.5}
    assert summary.quality_rate(quality, "redirect_share")["n"] == 32
    assert summary.quality_rate(quality, "acknowledgement_share") is None


def brute_force_apart(low, high) -> int:
    return sum(h1 < l2 or h2 < l1 for (l1, h1), (l2, h2) in itertools.combinations(zip(low, high), 2))


def test_pairs_told_apart_are_those_whose_rank_ranges_do_not_overlap():
    rng = np.random.default_rng(7)
    for n in (0, 1, 2, 5, 30):
        low = rng.integers(1, n + 1, size=n) if n else np.array([], dtype=int)
        high = low + rng.integers(0, 4, size=n)
        pairs, apart = summary.pairs_told_apart(low, high)
        assert pairs == n * (n - 1) // 2
        assert apart == brute_force_apart(low, high)


def test_league_facts_from_the_csv_strings():
    from helpers import paths
    from helpers.data.study import load_study

    study = load_study(paths.STUDIES_DIR / "uk-retail-2014-replica")  # 2 to 4 questions per company
    table, boot = league.league_table(study.probes, n_boot=200, min_questions=3)
    rows = table.astype(str).replace({"<NA>": ""}).to_dict("records")  # as csv.DictReader gives them
    facts = summary.league_facts(rows)
    ranked = table[table["ranked"]]
    assert facts["companies"] == len(table) and facts["ranked"] == len(ranked)
    assert facts["too_few"] == int((~table["ranked"]).sum()) > 0
    assert facts["could_be_first"] == ranked.loc[ranked["rank_ci_low"] == 1, "company"].tolist()
    # The same count as the league module's own rule, computed from the table alone.
    told = league.rank_summary(table, league.separable_pairs(table, boot))
    assert (facts["pairs"], facts["pairs_apart"]) == (told["pairs"], told["pairs_told_apart"])
    assert facts["pairs"] == facts["ranked"] * (facts["ranked"] - 1) // 2 > 0
    assert summary.league_facts([]) is None


def test_league_frame_reads_ranked_words_and_empty_ranks():
    frame = summary.league_frame([{"company": "A", "ranked": "true", "rank": "1", "rank_ci_low": "1",
                                   "rank_ci_high": "2", "median_ci_high": "inf"},
                                  {"company": "B", "ranked": "False", "rank": "", "rank_ci_low": "",
                                   "rank_ci_high": "", "median_ci_high": ""}])
    assert frame["ranked"].tolist() == [True, False]
    assert frame["rank"].iloc[0] == 1 and math.isnan(frame["rank"].iloc[1])
    assert math.isinf(frame["median_ci_high"].iloc[0])
