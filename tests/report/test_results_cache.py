"""Warm kernels keep the results tables they read, and never hand out a stale or shared one."""

from __future__ import annotations

import os

import pandas as pd

from helpers.data.study import CACHE_ENV
from helpers.report import session
from helpers.report.session import read_results_csv


def test_a_kept_table_is_a_copy_and_a_changed_file_is_read_again(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, "1")
    monkeypatch.setattr(session, "_kept", {})
    path = tmp_path / "league_table.csv"
    pd.DataFrame({"company": ["'=A", "B"], "rank": [1, 2]}).to_csv(path, index=False)
    first = read_results_csv(path)
    assert first["company"].tolist() == ["=A", "B"]  # the spreadsheet mark is taken off
    first.loc[0, "rank"] = 99  # a notebook changing its copy
    assert read_results_csv(path)["rank"].tolist() == [1, 2]
    pd.DataFrame({"company": ["C"], "rank": [1]}).to_csv(path, index=False)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))  # even within one tick
    assert read_results_csv(path)["company"].tolist() == ["C"]


def test_at_most_a_few_tables_are_kept(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, "1")
    monkeypatch.setattr(session, "_kept", {})
    for i in range(session.KEPT_TABLES + 3):
        path = tmp_path / f"t{i}.csv"
        pd.DataFrame({"x": [i]}).to_csv(path, index=False)
        assert read_results_csv(path)["x"].tolist() == [i]
    assert len(session._kept) == session.KEPT_TABLES


def test_without_the_warm_kernel_switch_nothing_is_kept(tmp_path, monkeypatch):
    monkeypatch.delenv(CACHE_ENV, raising=False)
    monkeypatch.setattr(session, "_kept", {})
    path = tmp_path / "t.csv"
    pd.DataFrame({"x": [1]}).to_csv(path, index=False)
    read_results_csv(path)
    assert session._kept == {}
