"""Wave comparison: matching, like-for-like alignment, the changes' statistics, and the bundled pair's truth."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from helpers import paths
from helpers.analysis.waves import compare_waves, default_mapping
from helpers.compare import waves as changes
from helpers.data import waves
from helpers.data.study import load_study
from helpers.synthetic.waves import CHANGES_FILE, RERUN_STUDY, wave_pair

BASELINE = paths.DEFAULT_STUDY


@pytest.fixture(scope="module")
def pair():
    return load_study(BASELINE), load_study(RERUN_STUDY)


@pytest.fixture(scope="module")
def bundled(pair):
    b, c = pair
    return compare_waves(b, c, default_mapping(c.path), n_boot=199)


def test_bundled_pair_matches_by_name_and_mapping(bundled):
    truth = pd.read_csv(RERUN_STUDY / CHANGES_FILE)
    m = bundled.matching
    assert m.baseline_only == truth.loc[truth["change"] == "gone", "company"].tolist()
    assert m.current_only == truth.loc[truth["change"] == "new", "company"].tolist()
    assert set(m.both) == set(truth.loc[~truth["change"].isin(["gone", "new"]), "company"])
    assert m.renamed_handles == [("Retailer C", "retailer_c", "retailer_c_uk")]
    assert m.accounts_changed == {}  # the rename is matched, so no company looks asked on other handles


def test_without_the_mapping_the_renamed_handle_shows_as_other_handles(pair):
    b, c = pair
    cmp = compare_waves(b, c, None, n_boot=0)
    assert cmp.matching.accounts_changed == {"Retailer C": (["retailer_c"], ["retailer_c_uk"])}
    assert any(d["code"] == "accounts" for d in cmp.alignment.differences)


def test_no_unchanged_company_is_told_from_chance_and_what_is_found_is_real(bundled):
    truth = pd.read_csv(RERUN_STUDY / CHANGES_FILE).set_index("company")["change"]
    found = bundled.companies[bundled.companies["told_from_chance"]]
    assert len(found) > 0  # the bundled pair has something to find
    for _, row in found.iterrows():
        assert truth[row["company"]] in ("better", "worse"), row["company"]
        assert row["direction"] == truth[row["company"]], row["company"]


def test_bundled_design_difference_is_stated(bundled):
    codes = {d["code"]: d for d in bundled.alignment.differences}
    assert codes["design"]["baseline"] == 2 and codes["design"]["current"] == 6
    assert "window" not in codes  # a few minutes apart on a week: alike
    assert bundled.alignment.thresholds == [30, 60, 1440] and bundled.alignment.answer_rates


def test_per_company_rates_are_the_counts_of_the_aligned_probes(bundled, pair):
    b, c = pair
    rows = bundled.companies[bundled.companies["metric"] == "response_rate"].set_index("company")
    for company in bundled.matching.both:
        pb, pc = b.probes[b.probes["company"] == company], c.probes[c.probes["company"] == company]
        assert rows.at[company, "baseline"] == pytest.approx(pb["answered"].mean())
        assert rows.at[company, "current"] == pytest.approx(pc["answered"].mean())
        assert rows.at[company, "n_baseline"] == len(pb) and rows.at[company, "n_current"] == len(pc)
        assert rows.at[company, "ci_low"] <= rows.at[company, "estimate"] <= rows.at[company, "ci_high"]


def test_p_adjusted_is_holm_within_each_measure(bundled):
    from statsmodels.stats.multitest import multipletests

    for metric, part in bundled.companies.groupby("metric"):
        ok = part["p_value"].notna()
        if ok.sum():
            expected = multipletests(part.loc[ok, "p_value"], method="holm")[1]
            assert np.allclose(part.loc[ok, "p_adjusted"], expected), metric


def test_a_wave_against_itself_shows_no_change(pair):
    b, _ = pair
    twin = dataclasses.replace(b, path=b.path.parent / "twin")  # the same data under another name
    cmp = compare_waves(b, twin, None, n_boot=99)
    assert (cmp.companies["estimate"].dropna().abs() < 1e-12).all()
    assert not cmp.companies["told_from_chance"].any() and not cmp.overall["told_from_chance"].any()
    rate = cmp.overall.set_index("metric").loc["response_rate"]
    assert rate["estimate"] == 0 and rate["reason"] == "no_variation"


def test_one_study_as_its_own_baseline_is_refused(pair):
    b, _ = pair
    with pytest.raises(waves.WaveInputError, match="its own baseline"):
        compare_waves(b, b)


def test_shorter_window_cuts_both_waves(pair):
    b, c = pair
    shorter = c.probes.copy()
    shorter["observed_until"] = shorter["sent_at"] + pd.Timedelta(minutes=600)
    cut = dataclasses.replace(c, probes=shorter)
    alignment = waves.differences(b, cut, waves.match(b.accounts, c.accounts))
    assert alignment.window_minutes == pytest.approx(600)
    assert alignment.thresholds == [30, 60]  # 24 hours is beyond the shared window
    assert {"window", "beyond_window"} <= {d["code"] for d in alignment.differences}
    aligned = waves.aligned(b.probes, alignment)
    late = b.probes["answered"] & (b.probes["minutes"] > 600)
    assert late.any() and not aligned.loc[late, "answered"].any()
    assert aligned["minutes"].max() <= 600


def test_other_platform_or_questions_compare_nothing_and_say_why(pair):
    b, c = pair
    other = dataclasses.replace(c, meta={**c.meta, "platform": "facebook"})
    cmp = compare_waves(b, other, default_mapping(c.path), n_boot=0)
    assert not cmp.alignment.comparable and cmp.companies.empty
    from helpers.text import waves as words

    assert "platforms" in words.lead(cmp, "en") and "facebook" in words.lead(cmp, "en")
    probes = c.probes.assign(question_type="delivery")
    cmp = compare_waves(b, dataclasses.replace(c, probes=probes), default_mapping(c.path), n_boot=0)
    assert not cmp.alignment.comparable and "No question type in common" in words.lead(cmp, "en")


@pytest.mark.parametrize("content, where", [
    ("old,new\nRetailer C,retailer_c\n", "row 1"),
    ("baseline_company,baseline_account,company,account\nRetailer C,,Retailer C,retailer_c_uk\n",
     "row 2, column 'baseline_account'"),
    ("baseline_company,baseline_account,company,account\nRetailer C,retailer_c,Retailer C,retailer_c_uk\n"
     "Retailer C,retailer_c,Retailer C,x\n", "row 3, column 'baseline_account'"),
    ("baseline_company,baseline_account,company,account\nRetailer C,nobody,Retailer C,retailer_c_uk\n",
     "row 2, column 'baseline_account'"),
    ("baseline_company,baseline_account,company,account\nRetailer C,retailer_c,Retailer C,ghost\n",
     "row 2, column 'account'"),
])
def test_a_bad_mapping_file_names_its_row_and_column(pair, tmp_path, content, where):
    b, c = pair
    file = tmp_path / "renamed_handles.csv"
    file.write_text(content, encoding="utf-8")
    with pytest.raises(waves.WaveInputError) as err:
        compare_waves(b, c, file, n_boot=0)
    assert f"renamed_handles.csv, {where}" in str(err.value)


def test_names_from_data_are_escaped_in_the_sentences(pair):
    from helpers.text import waves as words

    b, c = pair
    hostile = "<img src=x onerror=alert(1)>"
    rename = {"Retailer T": hostile}
    b2 = dataclasses.replace(b, accounts=b.accounts.replace(rename), probes=b.probes.replace(rename))
    cmp = compare_waves(b2, c, default_mapping(c.path), n_boot=0)
    notes = words.matching_notes(cmp, "en")
    assert "<img" not in notes and "&lt;img" in notes


def test_simulated_pairs_find_real_changes_and_few_false_ones():
    rng = np.random.default_rng(3)
    flagged_null, tested_null, found, real = 0, 0, 0, 0
    for _ in range(20):
        b, c, truth = wave_pair(rng, n_companies=30, probes_per_company=(40, 40), changed=6, company_sd=0.5)
        table = changes.company_changes(b, c, sorted(truth["company"]), [], False, n_boot=0)
        rate = table[table["metric"] == "response_rate"].set_index("company").join(truth.set_index("company"))
        null = rate[~rate["changed"]]
        flagged_null += int((null["p_value"] < 0.05).sum())
        tested_null += len(null)
        found += int(rate.loc[rate["changed"], "told_from_chance"].sum())
        real += int(rate["changed"].sum())
    assert flagged_null / tested_null <= 0.05 + 3 * np.sqrt(0.05 * 0.95 / tested_null)
    assert found / real >= 0.75  # a change of 3 on the log-odds scale, 40 questions a wave, after Holm


def test_small_wave_log_rank_p_is_exact_over_every_relabelling():
    import itertools

    from helpers.compare.survival_tests import log_rank_two_groups

    rng = np.random.default_rng(0)
    b = pd.DataFrame({"minutes": [5.0, 50.0, 8000.0, 8000.0], "answered": [True, True, False, False]})
    c = pd.DataFrame({"minutes": [1.0, 2.0, 3.0, 4.0, 6.0, 9.0], "answered": [True] * 6})
    p, how = changes._log_rank_p(b, c, rng, n_tests=1, alpha=0.05)
    assert "exact" in how
    minutes, answered = np.r_[b["minutes"], c["minutes"]], np.r_[b["answered"], c["answered"]]
    observed = log_rank_two_groups(minutes, answered, np.r_[[True] * 4, [False] * 6][None])[0]
    every = [log_rank_two_groups(minutes, answered, np.isin(np.arange(10), chosen)[None])[0]
             for chosen in itertools.combinations(range(10), 4)]
    assert p == pytest.approx(np.mean(np.array(every) >= observed * (1 - 1e-9)))
    assert 1 / len(every) <= p < 0.05
