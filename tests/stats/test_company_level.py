"""The company-level view of the 2014 study."""

from __future__ import annotations

from helpers.stats import company_level


def test_company_view_and_headline(tiny):
    view = company_level.company_view(tiny.probes).set_index("company")
    probes = tiny.probes
    for company, d in probes.groupby("company"):
        assert view.at[company, "answered"] == d["answered"].any()
        if d["answered"].any():
            assert view.at[company, "fastest_minutes"] == d.loc[d["answered"], "minutes"].min()
    head = company_level.headline(probes, [30, 60])
    assert head["unit"] == "company" and head["companies"] == probes["company"].nunique()
    assert head["responded"]["count"] == int(view["answered"].sum())
    assert head["within_30min"]["count"] == int((view["fastest_minutes"] <= 30).sum())
    assert head["within_30min"]["ci_low"] <= head["within_30min"]["share"] <= head["within_30min"]["ci_high"]
