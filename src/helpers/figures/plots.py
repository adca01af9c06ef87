"""Every figure of the notebooks and scorecards, its words in the reader's language.

`session.start` sets the one theme (`theme.set_theme`); no figure here or in a cell styles itself.
Each figure is stamped with its provenance (`theme.label`).
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from helpers import seeds
from helpers.analysis.reply_kinds import REPLY_KINDS
from helpers.analysis.reply_quality import NO_REPLY, NO_TEXT
from helpers.data.hours import CLOCK_RULES
from helpers.figures.theme import PALETTE, label
from helpers.stats.survival import km_curve
from helpers.text import formatting as fmt
from helpers.text.catalogue import department, t, term
from helpers.text.sentences import say
from helpers.text.tables import headline_rows


def rate_intervals(table: pd.DataFrame, title: str, study, ax=None, unit: str = "probe",
                   level: float = 0.95, lang: str = "en"):
    """Horizontal point-and-interval plot of answer rates (one row per group).

    `level` is the confidence level the table's intervals were computed at (1 - alpha).
    """
    rows = table.sort_values("answer_rate").rename(columns={"answer_rate": "estimate", "n_probes": "denominator"})
    scope = t("ax_rate_scope", lang, scope=study.rate_scope) if getattr(study, "rate_scope", "") else ""
    xlabel = t("ax_rate_wilson", lang, scope=scope, level=f"{level:.0%}", unit=t(f"unit_{unit}", lang))
    return share_intervals(rows, title, study, xlabel, ax=ax, lang=lang)


def km_plot(probes: pd.DataFrame, by: str | None, title: str, study, thresholds=(), ax=None,
            max_minutes: float | None = None, lang: str = "en"):
    """Kaplan-Meier curves of the share answered over time (unanswered probes censored)."""
    own_figure = ax is None
    if own_figure:
        fig, ax = plt.subplots()
    else:
        fig = ax.figure
    curves = km_curve(probes, by=by)
    for group, c in curves.groupby("group", sort=True):
        ax.step(c["minutes"] / 60, c["share_answered"], where="post",
                label=f"{term(group, lang)} (n={c['n_probes'].iloc[0]})")
    for th in thresholds:
        ax.axvline(th / 60, color="#999999", linestyle=":", linewidth=1)
    if max_minutes is not None:
        ax.set_xlim(0, max_minutes / 60)
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(lambda v, _: fmt.pct(v))
    ax.set_xlabel(t("ax_hours", lang))
    ax.set_ylabel(t("ax_share_km", lang))
    ax.set_title(title)
    if by is not None:
        ax.legend(loc="lower right", fontsize=9)
    if own_figure:
        label(fig, study, lang)
    return fig, ax


def probes_sent(probes: pd.DataFrame, study, lang: str = "en"):
    """When each probe was sent: one row per company, one colour per question type."""
    fig, ax = plt.subplots(figsize=(8, 0.25 * probes["company"].nunique() + 1.5))
    for (q, d), colour in zip(probes.groupby("question_type"), PALETTE):
        ax.scatter(d["sent_at"], d["company"], label=term(q, lang), color=colour, s=25)
    ax.set_xlabel(say("fig_sent_x", lang))
    ax.set_title(say("fig_sent_title", lang))
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    fig.autofmt_xdate()
    label(fig, study, lang)
    return fig, ax


def km_grid(probes: pd.DataFrame, study, thresholds=(), max_minutes: float = 1440, columns: int = 5,
            lang: str = "en"):
    """Kaplan-Meier curves in one small panel per company (alphabetical), on shared axes."""
    companies = sorted(probes["company"].unique())
    cols = min(columns, len(companies))
    rows = math.ceil(len(companies) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(2.4 * cols, 2.0 * rows + 0.6), sharex=True, sharey=True,
                             squeeze=False)
    for ax, company in zip(axes.flat, companies):
        km_plot(probes[probes["company"] == company], None, company, study, thresholds=thresholds, ax=ax,
                max_minutes=max_minutes, lang=lang)
        ax.set_xlabel("")  # one label for the whole grid instead
        ax.set_ylabel("")
    for ax in list(axes.flat)[len(companies):]:
        ax.set_visible(False)
    fig.supxlabel(say("km_company_x", lang))
    fig.supylabel(say("km_company_y", lang))
    label(fig, study, lang)
    return fig, axes


def clock_curves(probes: pd.DataFrame, study, thresholds=(), max_minutes: float = 2 * 1440, lang: str = "en"):
    """Kaplan-Meier curves of the same probes' waits on each clock (``minutes_<clock>`` columns)."""
    # One copy of the probes per clock, so `km_plot` draws one curve per clock.
    long = pd.concat([probes.assign(minutes=probes[f"minutes_{c}"], clock=c) for c in CLOCK_RULES])
    return km_plot(long, "clock", say("t_clocks", lang), study, thresholds=thresholds, max_minutes=max_minutes,
                   lang=lang)


def rank_intervals(league: pd.DataFrame, study, level: float = 0.95, lang: str = "en"):
    """Each company's rank with its bootstrap interval, best at the top."""
    rows = league.iloc[::-1]
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(rows) + 1.5))
    y = np.arange(len(rows))
    # Interval and point drawn apart: with ties a percentile interval can exclude the observed rank.
    ax.hlines(y, rows["rank_ci_low"], rows["rank_ci_high"], color=PALETTE[0], linewidth=1.5)
    ax.plot(rows["rank"], y, "o", color=PALETTE[0])
    ax.set_yticks(y, [t("tick_rate_of", lang, company=c, share=fmt.pct(r), n=n) for c, r, n in
                      zip(rows["company"], rows["answer_rate"], rows["n_probes"], strict=True)])
    ax.set_xlim(0.5, len(rows) + 0.5)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.invert_xaxis()
    ax.set_xlabel(t("ax_rank_level", lang, level=f"{level:.0%}"))
    ax.set_title(t("t_league", lang))
    label(fig, study, lang)
    return fig, ax


def paired_rates(paired: pd.DataFrame, a: str, b: str, study, lang: str = "en"):
    """Answer rate of handle A and handle B in each company that has both, joined by a line."""
    rates = paired.groupby(["company", "department"])["answered"].mean().unstack("department")
    fig, ax = plt.subplots(figsize=(6, 0.35 * len(rates) + 1.5))
    y = np.arange(len(rates))
    for i, (_, r) in enumerate(rates.iterrows()):
        ax.plot([r[b], r[a]], [i, i], color="#999999", linewidth=1, zorder=1)
    ax.scatter(rates[b], y, label=term(b, lang), color=PALETTE[1], zorder=2)
    ax.scatter(rates[a], y, label=term(a, lang), color=PALETTE[0], zorder=2, marker="D")
    ax.set_yticks(y, rates.index)
    ax.set_xlim(-0.05, 1.05)
    ax.xaxis.set_major_formatter(lambda v, _: fmt.pct(v))
    ax.set_xlabel(t("ax_paired", lang))
    ax.set_title(t("t_paired", lang, a=term(a, lang), b=term(b, lang)))
    ax.legend(loc="lower right", fontsize=9)
    label(fig, study, lang)
    return fig, ax


def power_curves(curve: pd.DataFrame, study, power: float = 0.8, alpha: float = 0.05, lang: str = "en"):
    """Power against probes per group, one line per difference worth detecting."""
    fig, ax = plt.subplots()
    for (baseline, d), c in curve.groupby(["baseline", "difference"], sort=True):
        ax.plot(c["probes_per_group"], c["power"], label=t("legend_shares", lang, a=fmt.pct(baseline), b=fmt.pct(baseline + d)))
    ax.axhline(power, color="#999999", linestyle=":", linewidth=1)
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(lambda v, _: fmt.pct(v))
    ax.set_xlabel(t("ax_power_n", lang))
    ax.set_ylabel(t("ax_power", lang, alpha=f"{alpha:g}"))
    ax.set_title(t("t_power", lang))
    ax.legend(title=t("legend_power", lang), fontsize=9)
    label(fig, study, lang)
    return fig, ax


def share_intervals(table: pd.DataFrame, title: str, study, xlabel: str, ax=None, lang: str = "en"):
    """Point-and-interval plot of tidy proportions (``group, estimate, ci_low, ci_high, denominator``)."""
    rows = table.reset_index(drop=True)
    own_figure = ax is None
    if own_figure:
        fig, ax = plt.subplots(figsize=(8, 0.35 * len(rows) + 1.5))
    else:
        fig = ax.figure
    y = np.arange(len(rows))
    ax.errorbar(rows["estimate"], y, xerr=[rows["estimate"] - rows["ci_low"], rows["ci_high"] - rows["estimate"]],
                fmt="o", capsize=3)
    ax.set_yticks(y, [f"{term(g, lang)}  (n={n})" for g, n in zip(rows["group"], rows["denominator"], strict=True)])
    ax.set_ylim(-0.6, len(rows) - 0.4)  # half a row above and below, however many rows
    ax.set_xlim(-0.02, 1.02)
    ax.xaxis.set_major_formatter(lambda v, _: fmt.pct(v))
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    if own_figure:  # a caller that passes an axis labels the whole figure once
        label(fig, study, lang)
    return fig, ax


def published_vs_reproduced(headline: dict, published: dict, thresholds, study, level: float = 0.95,
                            lang: str = "en"):
    """Each company-level figure: this study's share with its interval beside the published share."""
    rows = headline_rows(thresholds, lang)
    keys = [key for key, _ in rows]
    y = np.arange(len(keys))
    ours = np.array([headline[k]["share"] for k in keys])
    low = np.array([headline[k]["ci_low"] for k in keys])
    high = np.array([headline[k]["ci_high"] for k in keys])
    fig, ax = plt.subplots(figsize=(8, 3))
    ax.errorbar(ours, y, xerr=[ours - low, high - ours], fmt="o", capsize=4, color=PALETTE[0],
                label=say("legend_ours", lang, level=f"{level:.0%}"))
    pub = [published[k] / published["companies"] if k in published else np.nan for k in keys]
    ax.scatter(pub, y, marker="D", s=40, zorder=3, color=PALETTE[1], label=say("legend_published", lang))
    ax.set_yticks(y, [name for _, name in rows])
    ax.set_xlim(0, 1.02)
    ax.xaxis.set_major_formatter(lambda v, _: fmt.pct(v))
    ax.set_xlabel(say("ax_share_companies", lang))
    ax.set_title(say("t_reproduced", lang))
    ax.legend(loc="lower left", fontsize=9)
    label(fig, study, lang)
    return fig, ax


# Every first-reply outcome in reading order, each with its one colour in every figure.
KIND_ORDER = (*REPLY_KINDS, NO_TEXT, NO_REPLY)
KIND_COLOURS = dict(zip(KIND_ORDER, [PALETTE[2], PALETTE[1], PALETTE[3], PALETTE[5], "#bbbbbb"], strict=True))


def reply_kind_bars(q: pd.DataFrame, by: str, title: str, study, lang: str = "en"):
    """Stacked bars: the share of probes per reply kind (and no reply), per group."""
    counts = pd.crosstab(q[by], q["reply_kind"]).reindex(columns=[k for k in KIND_ORDER if k in set(q["reply_kind"])])
    shares = counts.div(counts.sum(axis=1), axis=0)
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(shares) + 1.8))
    left = np.zeros(len(shares))
    for kind in shares.columns:
        ax.barh([f"{term(g, lang)} (n={n})" for g, n in zip(shares.index, counts.sum(axis=1), strict=True)],
                shares[kind], left=left, color=KIND_COLOURS[kind], label=t(f"kind_{kind}", lang))
        left += shares[kind].to_numpy()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(lambda v, _: fmt.pct(v))
    ax.set_xlabel(t("ax_share_probes", lang))
    ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=len(shares.columns), fontsize=9, frameon=False)
    label(fig, study, lang)
    return fig, ax


# --------------------------------------------------------------------------------------------
# Scorecards: one company highlighted against its peers, labels in the card's language

HIGHLIGHT, MUTED = PALETTE[3], "#9a9a9a"


def scorecard_rates(card, study, level: float = 0.95):
    """The company's answer rate with its interval, over every peer's rate (one strip)."""
    peers = card.peer_rates[card.peer_rates["company"] != card.company]
    fig, ax = plt.subplots(figsize=(8, 2.0))
    jitter = np.random.default_rng(seeds.FIGURE_JITTER).uniform(-0.25, 0.25, len(peers))
    ax.scatter(peers["answer_rate"], jitter, color=MUTED, s=18, label=t("peers", card.lang), zorder=2)
    r = card.rate
    ax.hlines(0, r["ci_low"], r["ci_high"], color=HIGHLIGHT, linewidth=3, zorder=3)
    ax.plot([r["share"]], [0], "o", color=HIGHLIGHT, markersize=10, zorder=4,
            label=t("you", card.lang, company=card.company))
    ax.set_ylim(-0.6, 0.6)
    ax.set_yticks([])
    ax.set_xlim(-0.02, 1.02)
    ax.xaxis.set_major_formatter(lambda v, _: fmt.pct(v))
    ax.set_xlabel(t("ax_answer_rate", card.lang))
    ax.set_title(t("t_answer", card.lang, company=card.company))
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    label(fig, study, card.lang)
    return fig, ax


def scorecard_speed(probes: pd.DataFrame, card, study, thresholds=(), max_minutes: float = 24 * 60):
    """Kaplan-Meier share answered over the first day: the company against all other companies."""
    groups = np.where(probes["company"] == card.company, t("you", card.lang, company=card.company),
                      t("peers", card.lang))
    curves = km_curve(probes.assign(_group=groups), by="_group")
    fig, ax = plt.subplots(figsize=(8, 3.6))
    you = t("you", card.lang, company=card.company)
    for group, c in curves.groupby("group", sort=False):
        colour = HIGHLIGHT if group == you else MUTED
        ax.step(c["minutes"] / 60, c["share_answered"], where="post", color=colour,
                linewidth=2.5 if colour == HIGHLIGHT else 1.5, label=f"{group} (n={c['n_probes'].iloc[0]})")
    for th in thresholds:
        if th <= max_minutes:
            ax.axvline(th / 60, color="#bbbbbb", linestyle=":", linewidth=1)
    ax.set_xlim(0, max_minutes / 60)
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(lambda v, _: fmt.pct(v))
    ax.set_xlabel(t("ax_hours", card.lang))
    ax.set_ylabel(t("ax_share_answered", card.lang))
    ax.set_title(t("t_speed", card.lang))
    ax.legend(loc="lower right")
    label(fig, study, card.lang)
    return fig, ax


def scorecard_accounts(card, study):
    """Each of the company's accounts: answer rate with its Wilson interval."""
    a = card.accounts
    table = pd.DataFrame({"group": [f"@{x} ({department(d, card.lang)})" for x, d in zip(a["account"], a["department"],
                                                                                          strict=True)],
                          "estimate": a["answer_rate"], "ci_low": a["ci_low"], "ci_high": a["ci_high"],
                          "denominator": a["n_probes"]})
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(table) + 1.4))
    share_intervals(table, t("t_handles", card.lang), study, t("ax_answer_rate", card.lang), ax=ax)
    label(fig, study, card.lang)
    return fig, ax


def scorecard_rank(league: pd.DataFrame, card, study):
    """The company's rank and its interval on the scale of all ranks; peers' ranks as ticks."""
    n = len(league)
    fig, ax = plt.subplots(figsize=(8, 1.8))
    others = league[league["company"] != card.company]
    ax.plot(others["rank"], np.zeros(len(others)), "|", color=MUTED, markersize=14)
    r = card.rank
    ax.hlines(0, r["rank_ci_low"], r["rank_ci_high"], color=HIGHLIGHT, linewidth=6, alpha=0.5)
    ax.plot([r["rank"]], [0], "o", color=HIGHLIGHT, markersize=11)
    ax.set_xlim(n + 0.5, 0.5)  # best (1) on the right
    ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
    ax.set_ylim(-0.5, 0.5)
    ax.set_yticks([])
    ax.set_xlabel(t("ax_rank", card.lang))
    ax.set_title(t("t_rank", card.lang, company=card.company))
    label(fig, study, card.lang)
    return fig, ax


def scorecard_kinds(card, study):
    """One stacked bar: the company's first replies by kind (answer, acknowledgement, redirect...)."""
    kinds = [k for k in KIND_ORDER if k in card.kinds.index]
    total = card.kinds.sum()
    fig, ax = plt.subplots(figsize=(8, 1.9))
    left = 0.0
    for kind in kinds:
        share = card.kinds[kind] / total
        ax.barh([0], [share], left=left, color=KIND_COLOURS[kind],
                label=f"{t('kind_' + kind, card.lang)} ({card.kinds[kind]})")
        left += share
    ax.set_xlim(0, 1)
    ax.set_yticks([])
    ax.xaxis.set_major_formatter(lambda v, _: fmt.pct(v))
    ax.set_title(t("t_quality", card.lang))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.35), ncol=len(kinds), frameon=False)
    label(fig, study, card.lang)
    return fig, ax
