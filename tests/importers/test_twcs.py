"""import-twcs: parsing traps, the probe rules, honest limits, errors, and real TWCS data."""

from __future__ import annotations

import html
import re
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from helpers import paths
from helpers.__main__ import main
from helpers.data.study import load_study
from helpers.importers import twcs
from helpers.synthetic import twcs as synthetic_twcs

TWCS_DIR = paths.SHARED_TWCS_DIR
HEADER = ",tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"


def tw(day: int, hh: int, mm: int, ss: int = 0) -> str:
    return datetime(2017, 10, day, hh, mm, ss, tzinfo=timezone.utc).strftime("%a %b %d %H:%M:%S +0000 %Y")


def write(tmp_path: Path, rows: list[str], name: str = "tweets.csv", header: str = HEADER, eol: str = "\n") -> Path:
    file = tmp_path / name
    file.write_bytes((header.replace("\n", eol) + "".join(r + eol for r in rows)).encode("utf-8"))
    return file


def imported(tmp_path: Path, rows: list[str], **kw) -> tuple[pd.DataFrame, dict, Path]:
    out = tmp_path / "study"
    twcs.import_twcs(write(tmp_path, rows), out, **kw)
    probes = pd.read_csv(out / "probes.csv", dtype=str, keep_default_na=False)
    return probes, yaml.safe_load((out / "study.yml").read_text(encoding="utf-8")), out


# A small thread set exercising each rule (ids deliberately out of time order).
THREADS = [
    # 1: customer 900 asks AcmeHelp; two brand replies, the earlier one (id 3) counts; then a follow-up.
    f'0,1,900,True,{tw(2, 9, 0)},"@AcmeHelp hi, my order?","3,2",',
    f"1,2,AcmeHelp,False,{tw(2, 9, 30)},@900 second reply,4,1.0",
    f"2,3,AcmeHelp,False,{tw(2, 9, 10)},@900 first reply,,1.0",
    f"3,4,900,True,{tw(2, 10, 0)},@AcmeHelp thanks but still broken,5,2.0",
    f"4,5,AcmeHelp,False,{tw(2, 10, 45)},@900 sorted,,4.0",
    # 2: customer 901 answers a brand tweet (brand = author of the tweet it answers); no reply.
    f"5,6,OtherCo,False,{tw(3, 8, 0)},@901 we are open 9-5,7,",
    f"6,7,901,True,{tw(3, 8, 5)},@othercare and weekends?,,6.0",
    # 3: customer 902 mentions a friend first, then a known handle in another case; unanswered, complete.
    f"7,8,902,True,{tw(4, 12, 0)},@friend @acmehelp anyone there?,,",
    # 4: customer 903's reply lies beyond the file (response id 99 missing): cut, not unanswered.
    f"8,9,903,True,{tw(4, 13, 0)},@AcmeHelp hello?,99,",
    # 5: customer 904 answers a tweet missing from the file: the thread starts outside it.
    f"9,10,904,True,{tw(4, 14, 0)},@AcmeHelp as I said,11,98.0",
    f"10,11,AcmeHelp,False,{tw(4, 14, 20)},@904 sorry,,10.0",
    # 6: customer 900 contacts AcmeHelp again later: not a new probe.
    f"11,12,900,True,{tw(5, 9, 0)},@AcmeHelp me again,13,",
    f"12,13,AcmeHelp,False,{tw(5, 9, 1)},@900 hi again,,12.0",
    # 7: a customer tweet addressed to no known brand.
    f"13,14,905,True,{tw(5, 10, 0)},just saying hi,,",
]


def test_rules_on_a_small_thread_set(tmp_path):
    probes, meta, out = imported(tmp_path, THREADS)
    by_id = probes.set_index("probe_id")
    assert sorted(by_id.index) == ["T1", "T7", "T8"]
    # rule 1: earliest brand reply, follow-up and its reply
    p = by_id.loc["T1"]
    assert (p["account"], p["first_reply_at"]) == ("AcmeHelp", "2017-10-02T09:10:00+00:00")
    assert p["first_reply_tweet_id"] == "3"
    assert (p["follow_up_sent_at"], p["follow_up_reply_at"]) == ("2017-10-02T10:00:00+00:00", "2017-10-02T10:45:00+00:00")
    # rule 2: the author of the tweet it answers; unanswered and censored at the last tweet
    p = by_id.loc["T7"]
    assert (p["account"], p["first_reply_at"], p["observed_until"]) == ("OtherCo", "", "2017-10-05T10:00:00+00:00")
    # rule 3: first mention of a known handle, matched ignoring case
    assert by_id.loc["T8", "account"] == "AcmeHelp" and by_id.loc["T8", "first_reply_at"] == ""
    # cut threads are excluded and listed, never counted as unanswered
    excluded = pd.read_csv(out / twcs.EXCLUDED_FILE, dtype=str)
    assert dict(zip(excluded["tweet_id"], excluded["reason"], strict=True)) == {
        "9": "thread_cut", "10": "thread_starts_outside_file"}
    # each customer's first contact only
    assert "T12" not in by_id.index
    rows = meta["import"]["rows"]
    assert rows["total"] == len(THREADS) == sum(v for k, v in rows.items() if k != "total")
    assert rows["customer_tweet_no_brand"] == 1 and rows["probe_excluded"] == 2
    assert meta["answer_rate_scope"] == twcs.SCOPE and meta["synthetic"] is False
    assert meta["limits"] and "within exported threads" in meta["description"]
    study = load_study(out)  # the result is a valid study
    assert set(study.accounts["account"]) == {"AcmeHelp", "OtherCo"}
    assert set(study.accounts["department"]) == {"other"}  # unmapped handles


def test_parsing_traps(tmp_path):
    rows = [
        f'0,1,900,True,{tw(2, 9, 0)},@AcmeHelp line one\r\rstill the same tweet,"3,2",',
        f'1,2,AcmeHelp,False,{tw(2, 9, 30)},"@900 quoted, with a comma\nand a line break",,1.0',
        f"2,3,AcmeHelp,False,{tw(2, 9, 10)},@900 ok,,1.0",
    ]
    for eol in ("\n", "\r\n"):
        file = write(tmp_path, rows, name=f"t{len(eol)}.csv", eol=eol)
        tweets = twcs.read_tweets(file)
        assert len(tweets) == 3 and list(tweets.tweet_id) == [1, 2, 3]
        assert tweets.text[0].as_py() == "@AcmeHelp line one\r\rstill the same tweet"
        assert list(tweets.parent_id) == [-1, 1, 1]
        assert sorted(tweets.response_id.tolist()) == [2, 3] and set(tweets.response_row.tolist()) == {0}
        expected = datetime(2017, 10, 2, 9, 0, tzinfo=timezone.utc).timestamp()
        assert tweets.time[0] == expected
        assert list(tweets.line) == [2, 3, 5]  # the quoted line break pushes row 3 down a line
    # without the index column, and with ISO times and other offsets
    file = write(tmp_path, ["1,900,True,2017-10-02T11:00:00+02:00,@AcmeHelp hi,,",
                            "2,AcmeHelp,False,Mon Oct 02 04:30:00 -0500 2017,@900 hi,,1"],
                 name="plain.csv", header=HEADER[1:])
    tweets = twcs.read_tweets(file)
    assert list(tweets.time - tweets.time[0]) == [0, 30 * 60]  # 09:00 and 09:30 UTC


def test_twitter_times_match_strptime():
    rng = np.random.default_rng(1)
    seconds = rng.integers(0, 2_000_000_000, size=2000)
    text = [datetime.fromtimestamp(int(s), timezone.utc).strftime("%a %b %d %H:%M:%S +0000 %Y") for s in seconds]
    import pyarrow as pa

    parsed, ok = twcs.parse_times(pa.array(text + ["Tue Oct 32 22:10:47 +0000 2017", "Tue Foo 31 22:10:47 +0000 2017"]))
    assert ok[:-2].all() and not ok[-2:].any()
    assert (parsed[:-2] == seconds).all()


def test_malformed_rows_are_named_by_line_and_never_dropped_silently(tmp_path):
    rows = [
        f'0,1,900,True,{tw(2, 9, 0)},"two\nlines",2,',
        f"1,2,AcmeHelp,False,{tw(2, 9, 30)},@900 hi,,1.0",
        "2,3,900,True",  # too few fields: line 5
        f"3,x4,900,True,{tw(2, 9, 0)},bad id,,",  # line 6
        f"4,5,900,maybe,{tw(2, 9, 0)},bad flag,,",  # line 7
        "5,6,900,True,yesterday,bad time,,",  # line 8
        f"6,2,900,True,{tw(2, 9, 0)},duplicate id,,",  # line 9
        f"7,8,901,True,{tw(2, 9, 0)},@AcmeHelp fine,,",
    ]
    file = write(tmp_path, rows)
    with pytest.raises(twcs.ImportFailed) as err:
        twcs.import_twcs(file, tmp_path / "out")
    found = {(p.row, p.column) for p in err.value.problems}
    assert found == {(5, None), (6, "tweet_id"), (7, "inbound"), (8, "created_at"), (9, "tweet_id")}
    assert {p.unit for p in err.value.problems} == {"line"}  # raw-file lines, the quoted break counted
    assert "already appears on line 4" in str(err.value)
    assert not (tmp_path / "out").exists()
    result = twcs.import_twcs(file, tmp_path / "out", skip_malformed=True)
    listed = pd.read_csv(tmp_path / "out" / twcs.MALFORMED_FILE)
    assert sorted(listed["line"]) == [5, 6, 7, 8, 9]
    rows_ = result.imported.rows
    assert rows_["malformed"] == 5 and rows_["total"] == len(rows)
    assert not list(tmp_path.glob(".out.*"))  # no staging folder left behind


def test_mapping_names_companies_and_is_checked(tmp_path):
    mapping = tmp_path / "map.csv"
    mapping.write_text("account,company,department\nacmehelp,Acme,customer_service\nOtherCo,Other,main\n")
    _, _, out = imported(tmp_path, THREADS, accounts=mapping)
    accounts = pd.read_csv(out / "accounts.csv")
    assert dict(zip(accounts["account"], accounts["company"], strict=True)) == {"AcmeHelp": "Acme", "OtherCo": "Other"}
    bad = tmp_path / "bad.csv"
    bad.write_text("account,company,department\nAcme,Acme,helpdesk\nacme,Acme,main\n")
    with pytest.raises(twcs.ImportFailed) as err:
        twcs.read_accounts(bad)
    assert {(p.row, p.column) for p in err.value.problems} == {(2, "department"), (3, "account")}
    # The rules and wording of accounts.csv: handles are matched ignoring case, so "acme" repeats "Acme".
    assert "bad.csv, row 3, column 'account': account 'acme' is listed again (row 2)" in str(err.value)


def test_mapping_and_accounts_csv_share_one_set_of_rules(tmp_path, tiny_copy):
    """The same broken entries give the same problems in a mapping and in a study's accounts.csv."""
    from helpers.data.study import validate_study

    entries = "Acme,acme,helpdesk\nOther,acme,main\n,x,main\n"
    mapping = tmp_path / "map.csv"
    mapping.write_text("company,account,department\n" + entries)
    with pytest.raises(twcs.ImportFailed) as err:
        twcs.read_accounts(mapping)
    (tiny_copy / "accounts.csv").write_text("company,account,department,stated_hours,timezone\n"
                                            + entries.replace("\n", ",,\n"))
    in_study = [p for p in validate_study(tiny_copy) if p.file.endswith("accounts.csv")]
    assert [(p.row, p.column, p.message) for p in err.value.problems] == [
        (p.row, p.column, p.message) for p in in_study]
    assert {p.column for p in in_study} == {"department", "account", "company"}


def test_a_reply_chain_that_loops_is_named_not_imported(tmp_path):
    # Two tweets answering each other: pointer doubling settles on them, so the loop must still be seen.
    rows = [f"0,1,900,True,{tw(2, 9, 0)},@AcmeHelp a,2,2", f"1,2,AcmeHelp,False,{tw(2, 9, 1)},@900 b,1,1",
            f"2,3,901,True,{tw(2, 9, 2)},@AcmeHelp fine,,"]
    with pytest.raises(twcs.ImportFailed) as err:
        twcs.import_twcs(write(tmp_path, rows), tmp_path / "out")
    assert {(p.row, p.column) for p in err.value.problems} == {(2, "in_response_to_tweet_id"),
                                                               (3, "in_response_to_tweet_id")}
    assert "loops back on itself" in str(err.value) and not (tmp_path / "out").exists()


def test_a_file_with_no_probe_is_a_clear_error(tmp_path, capsys):
    only_brands = write(tmp_path, [f"0,1,AcmeHelp,False,{tw(2, 9, 0)},hello all,,"], name="brands.csv")
    assert main(["import-twcs", str(only_brands), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "brands.csv, column 'inbound': no readable row is a customer's tweet" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()
    nobody = write(tmp_path, [f"0,1,AcmeHelp,False,{tw(2, 9, 0)},hello all,,",
                              f"1,2,900,True,{tw(2, 9, 5)},hello nobody,,"], name="nobody.csv")
    assert main(["import-twcs", str(nobody), "--out", str(tmp_path / "out")]) == 1
    assert "nobody.csv, line 3, column 'text': no customer tweet is addressed to a brand" in capsys.readouterr().err


def test_default_mapping_is_valid_and_covers_known_handles():
    mapping = twcs.read_accounts()
    assert mapping.loc[mapping["account"] == "AppleSupport", ["company", "department"]].values.tolist() == [
        ["Apple", "customer_service"]]
    assert len(mapping) >= 100


def test_cli_exit_codes_and_no_partial_output(tmp_path, capsys):
    good = write(tmp_path, THREADS, name="good.csv")
    out = tmp_path / "study"
    assert main(["import-twcs", str(good), "--out", str(out)]) == 0
    assert main(["import-twcs", str(good), "--out", str(out)]) == 5  # exists: the output is refused
    assert "already exists" in capsys.readouterr().err
    assert main(["import-twcs", str(good), "--out", str(out), "--overwrite"]) == 0
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me")
    assert main(["import-twcs", str(good), "--out", str(other), "--overwrite"]) == 5
    assert (other / "notes.txt").read_text() == "keep me"
    broken = write(tmp_path, ["1,2,3"], name="broken.csv")
    assert main(["import-twcs", str(broken), "--out", str(tmp_path / "x")]) == 1
    err = capsys.readouterr().err
    assert "broken.csv, line 2" in err and not (tmp_path / "x").exists()
    latin = tmp_path / "latin.csv"
    latin.write_bytes(HEADER.encode() + f"0,1,900,True,{tw(2, 9, 0)},caf\xe9,,\n".encode("latin-1"))
    assert main(["import-twcs", str(latin), "--out", str(tmp_path / "z")]) == 1
    assert "latin.csv, line 2, column 'text': is not UTF-8 text" in capsys.readouterr().err
    missing_col = write(tmp_path, ["1,2"], name="cols.csv", header="tweet_id,author_id\n")
    assert main(["import-twcs", str(missing_col), "--out", str(tmp_path / "y")]) == 1
    assert "column 'inbound'" in capsys.readouterr().err


def test_synthetic_file_imports_to_the_threads_it_was_made_from(tmp_path):
    file = tmp_path / "syn.csv"
    truth = synthetic_twcs.write_twcs(file, 30_000, seed=7)
    result = twcs.import_twcs(file, tmp_path / "syn", synthetic=True)
    probes = result.imported.probes.to_pandas()
    assert result.imported.rows["total"] == 30_000
    # Each customer's earliest complete thread with a brand is a probe, answered as generated.
    threads = pd.DataFrame({"first": truth.thread_first, "brand": np.asarray(synthetic_twcs.brand_handles())[truth.thread_brand],
                            "customer": truth.thread_customer.astype(str), "reply": truth.thread_reply})
    sent = probes.set_index("tweet_id")
    firsts = threads[threads["first"].isin(sent.index)]
    assert len(firsts) > 0.9 * len(probes)
    got = sent.loc[firsts["first"]]
    assert (got["account"].to_numpy() == firsts["brand"].to_numpy()).all()
    delay = (pd.to_datetime(got["first_reply_at"]) - pd.to_datetime(got["sent_at"])).dt.total_seconds()
    expected = firsts["reply"].where(firsts["reply"] >= 0).to_numpy()
    assert np.allclose(delay.to_numpy(dtype=float), expected, equal_nan=True)
    meta = yaml.safe_load((tmp_path / "syn" / "study.yml").read_text())
    assert meta["synthetic"] is True and "SYNTHETIC" in meta["description"]
    assert not any(h in {"AppleSupport", "AmazonHelp"} for h in synthetic_twcs.brand_handles())


# --------------------------------------------------------------------------------------------
# Real data: twcs_head5000.csv against an independent computation written here.


def _independent(file: Path, known: set[str]) -> dict:
    """The import rules, computed row by row with plain Python."""
    df = pd.read_csv(file, lineterminator="\n", dtype=str, keep_default_na=False)
    when = {}
    tweets = {}
    for r in df.itertuples(index=False):
        tid = int(r.tweet_id)
        parent = int(float(r.in_response_to_tweet_id)) if r.in_response_to_tweet_id else None
        kids = [int(float(x)) for x in r.response_tweet_id.split(",") if x.strip()]
        t = datetime.strptime(r.created_at, "%a %b %d %H:%M:%S %z %Y")
        tweets[tid] = dict(author=r.author_id, brand=r.inbound == "False", parent=parent, kids=kids, t=t, text=r.text)
        when[tid] = t

    def root(tid):
        seen = tid
        while tweets[seen]["parent"] in tweets:
            seen = tweets[seen]["parent"]
        return seen

    roots = {tid: root(tid) for tid in tweets}
    cut = {roots[tid] for tid, tw_ in tweets.items()
           if (tw_["parent"] is not None and tw_["parent"] not in tweets) or any(k not in tweets for k in tw_["kids"])}
    starts_outside = {r for r in set(roots.values()) if tweets[r]["parent"] is not None}
    lower = {h.lower(): h for h in known}
    brand_of = {}
    children = {}
    for tid, tw_ in tweets.items():
        if tw_["parent"] in tweets:
            children.setdefault(tw_["parent"], []).append(tid)
    for tid, tw_ in tweets.items():
        if tw_["brand"]:
            continue
        brand_replies = sorted((tweets[k]["t"], k) for k in children.get(tid, []) if tweets[k]["brand"])
        if brand_replies:
            brand_of[tid] = tweets[brand_replies[0][1]]["author"]
        elif tw_["parent"] in tweets and tweets[tw_["parent"]]["brand"]:
            brand_of[tid] = tweets[tw_["parent"]]["author"]
        else:
            for h in re.findall(r"@(\w{1,50})", tw_["text"]):
                if h.lower() in lower:
                    brand_of[tid] = lower[h.lower()]
                    break
    first = {}
    for tid, b in brand_of.items():
        key = (tweets[tid]["author"], b)
        if key not in first or (tweets[tid]["t"], tid) < (tweets[first[key]]["t"], first[key]):
            first[key] = tid
    probes, excluded = {}, {}
    for (customer, b), tid in first.items():
        sent = tweets[tid]["t"]
        replies = sorted((tweets[k]["t"], k) for k in tweets
                         if roots[k] == roots[tid] and tweets[k]["brand"] and tweets[k]["author"] == b
                         and tweets[k]["t"] >= sent)
        reply = replies[0] if replies else None
        if roots[tid] in starts_outside:
            excluded[tid] = "thread_starts_outside_file"
        elif reply is None and roots[tid] in cut:
            excluded[tid] = "thread_cut"
        else:
            probes[tid] = (b, None if reply is None else (reply[0] - sent).total_seconds())
    return dict(threads=len(set(roots.values())), probes=probes, excluded=excluded)


@pytest.mark.skipif(not (TWCS_DIR / "twcs_head5000.csv").exists(), reason="../shared/data/twcs is not present")
def test_real_twcs_head_matches_an_independent_computation(tmp_path):
    file = TWCS_DIR / "twcs_head5000.csv"
    result = twcs.import_twcs(file, tmp_path / "head")
    probes = pd.read_csv(tmp_path / "head" / "probes.csv", dtype={"first_reply_at": str}, keep_default_na=False)
    study = load_study(tmp_path / "head")
    known = set(pd.read_csv(file, lineterminator="\n", dtype=str).query("inbound == 'False'")["author_id"])
    known |= set(twcs.read_accounts()["account"])
    ref = _independent(file, known)
    assert result.imported.summary["threads"] == ref["threads"]
    assert set(probes["tweet_id"]) == set(ref["probes"])
    got = probes.set_index("tweet_id")
    seconds = (pd.to_datetime(got["first_reply_at"].replace("", None), utc=True)
               - pd.to_datetime(got["sent_at"], utc=True)).dt.total_seconds()
    for tid, (brand, delay) in ref["probes"].items():
        assert got.loc[tid, "account"] == brand
        assert (np.isnan(seconds[tid]) and delay is None) or seconds[tid] == delay
    excluded = pd.read_csv(tmp_path / "head" / twcs.EXCLUDED_FILE)
    assert dict(zip(excluded["tweet_id"], excluded["reason"], strict=True)) == ref["excluded"]
    assert result.imported.rows["total"] == 5000
    assert result.imported.unmapped == []  # the default mapping covers every brand in the head
    assert study.probes["answered"].sum() == result.imported.summary["answered"]
    # The published reply pairs agree where a probe's first reply answers it directly.
    pairs = pd.read_csv(TWCS_DIR / "twcs_reply_pairs_100k_slice.csv")
    direct = got[got["first_reply_tweet_id"].astype(str) != ""].reset_index()
    merged = direct.merge(pairs, left_on="tweet_id", right_on="customer_tweet_id")
    merged = merged[merged["reply_tweet_id"] == merged["first_reply_tweet_id"].astype(float)]
    assert len(merged) > 100
    assert (seconds[merged["tweet_id"]].to_numpy() == merged["response_time_seconds"].to_numpy()).all()


def test_simulate_cli_writes_a_file_that_imports(tmp_path, capsys):
    file = tmp_path / "s.csv"
    assert main(["simulate", "twcs", "--tweets", "400", "--out", str(file)]) == 0
    assert main(["simulate", "twcs", "--tweets", "400"]) == 2  # needs --out
    raw = file.read_bytes()
    assert raw.startswith(synthetic_twcs.HEADER.encode()) and raw.count(b"\n") >= 401
    assert main(["import-twcs", str(file), "--out", str(tmp_path / "s"), "--synthetic"]) == 0
    assert yaml.safe_load((tmp_path / "s" / "study.yml").read_text())["synthetic"] is True


def test_limits_reach_every_notebook_banner_and_figure_label(tmp_path):
    from helpers.report.session import banner
    from helpers.text.catalogue import provenance_label

    _, _, out = imported(tmp_path, THREADS)
    study = load_study(out)
    text = html.unescape(banner(study))  # the banner is Markdown, data in it escaped
    assert "within exported threads" in text and "Limits of these data" in text
    assert all(limit in text for limit in study.limits)
    assert all("within exported threads" in provenance_label(study, lang) for lang in ("en", "ja"))


@pytest.mark.slow
def test_the_whole_suite_runs_on_an_imported_study(tmp_path):
    """`make report STUDY=<imported>`: every notebook runs, and the index states the limits."""
    from helpers.report import pipeline

    file = tmp_path / "s.csv"
    synthetic_twcs.write_twcs(file, 1500, seed=3, brands=8)
    twcs.import_twcs(file, tmp_path / "twcs-small", synthetic=True)
    final = pipeline.build_report(tmp_path / "twcs-small", reports_dir=tmp_path / "reports",
                                build_dir=tmp_path / "build", log=lambda _: None)
    index = (tmp_path / "reports" / "index.html").read_text(encoding="utf-8")
    assert "Limits of these data" in index and "within exported threads" in index
    assert "SYNTHETIC DATA" in index
    pages = sorted(p.stem for p in final.glob("[0-9][0-9]-*.html"))
    assert pages == [nb.stem for nb in pipeline.suite_notebooks()]
    companies = pd.read_csv(tmp_path / "twcs-small" / "accounts.csv")["company"].nunique()
    assert len(list((final / "scorecards").glob("*.html"))) == companies
    rates = pd.read_csv(final / "results" / "response_rates.csv")
    overall = rates.query("level == 'overall'").iloc[0]
    probes = pd.read_csv(tmp_path / "twcs-small" / "probes.csv", keep_default_na=False)
    assert overall["n_probes"] == len(probes)
    assert overall["n_responded"] == (probes["first_reply_at"] != "").sum()


def test_imported_limits_come_in_both_languages_one_for_one():
    from helpers.importers.twcs import writing

    assert len(writing.LIMITS) == len(writing.LIMITS_JA)
    assert all(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", text) for text in writing.LIMITS_JA)
