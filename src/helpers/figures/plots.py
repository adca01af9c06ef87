"""Every figure of the notebooks and scorecards, its words in the reader's language.

`session.start` sets the one theme (`theme.set_theme`); no figure here or in a cell styles itself.
Each figure is stamped with its provenance (`theme.label`). Rules every figure keeps:

- every time-to-reply chart of a study has the same time axis (`time_axis`), its thresholds
  drawn and labelled ("30 min", "1 h");
- legends sit outside the data; rank axes have whole-number ticks;
- a chart with too few questions is replaced by a sentence saying so (`too_little_data`);
- charts of one company among its peers show peers as light marks without labels, so they read
  at 100+ companies.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator

from helpers import seeds
from helpers.analysis.reply_kinds import REPLY_KINDS
from helpers.analysis.reply_quality import NO_REPLY, NO_TEXT
from helpers.data.hours import CLOCK_RULES
from helpers.figures import theme
from helpers.figures.theme import HIGHLIGHT, LIGHT, MUTED, PALETTE, label
from helpers.stats.survival import km_curve
from helpers.text import formatting as fmt
from helpers.text.catalogue import department, t_plain  # figure text is plain: never the Markdown `t`
from helpers.text.tables import PUBLISHED_KEYS, headline_rows, vocabulary

# --------------------------------------------------------------------------------------------
# Shared parts: column names, time axis, thresholds, legends, rank ticks, too little data

# Fewer questions than this draw a curve of one or two steps that shows nothing: say so instead.
MIN_CHART_QUESTIONS = 5
# Round steps of a time axis (hours) and the most ticks it may carry.
TIME_STEPS_HOURS = (0.25, 0.5, 1, 2, 3, 6, 12, 24, 48, 72, 168, 336, 720)
MAX_TIME_TICKS = 5  # few enough to read under a small panel (0, 12, 24, 36, 48)


def _column(table: pd.DataFrame, *names: str) -> str:
    """The first of `names` the table has (league tables prefix their interval columns, rate tables do not)."""
    for name in names:
        if name in table.columns:
            return name
    raise KeyError(f"none of the columns {', '.join(names)} in the table (it has {', '.join(map(str, table.columns))})")


def _rates(table: pd.DataFrame, prefix: str = "") -> tuple[str, str, str]:
    """Names of the response rate and its interval columns in a league or rate table."""
    rate = _column(table, "response_rate")
    if prefix:
        return rate, _column(table, f"{rate}_ci_low", "ci_low"), _column(table, f"{rate}_ci_high", "ci_high")
    return rate, _column(table, "ci_low", f"{rate}_ci_low"), _column(table, "ci_high", f"{rate}_ci_high")


def _responded(table: pd.DataFrame) -> str:
    return _column(table, "n_responded")


def _ranked(league: pd.DataFrame) -> pd.Series:
    """Which league rows carry a rank (``ranked``; older tables without it: every row with a rank)."""
    if "ranked" in league.columns:
        flag = league["ranked"]
        if flag.dtype == object:  # read back from CSV as text
            flag = flag.astype(str).str.lower().isin(["true", "1", "yes"])
        return flag.astype(bool) & league["rank"].notna()
    return league["rank"].notna()


@dataclass(frozen=True)
class TimeAxis:
    """The x axis of every time-to-reply chart of one study."""

    max_minutes: float
    ticks_hours: tuple[float, ...]


def time_axis(study) -> TimeAxis:
    """The study's one time axis: twice its longest threshold, never past its longest observation window.

    Twice the longest threshold shows what happens after the last threshold (the day after a
    24-hour threshold); nothing is known after the longest window. Ticks are a round number of
    hours apart, at most `MAX_TIME_TICKS`.
    """
    probes = study.probes
    horizon = 2.0 * max(study.thresholds_minutes)
    window = ((probes["observed_until"] - probes["sent_at"]).dt.total_seconds() / 60).max() if len(probes) else np.nan
    if np.isfinite(window) and window > 0:
        horizon = min(horizon, float(window))
    hours = horizon / 60
    step = next((s for s in TIME_STEPS_HOURS if hours / s <= MAX_TIME_TICKS - 1), TIME_STEPS_HOURS[-1])
    end = step * max(1, math.ceil(hours / step - 1e-9))
    return TimeAxis(end * 60, tuple(float(x) for x in np.arange(0, end + step / 2, step)))


def _apply_time_axis(ax, axis: TimeAxis) -> None:
    ax.set_xlim(0, axis.max_minutes / 60)
    ax.set_xticks(axis.ticks_hours, [f"{h:g}" for h in axis.ticks_hours])


def threshold_label(minutes: float, lang: str = "en") -> str:
    """A threshold in the reader's words: 30 -> '30 min', 60 -> '1 h', 1440 -> '24 h'."""
    if minutes < 60 or minutes % 30:
        return t_plain("duration_minutes", lang, n=f"{minutes:g}")
    return t_plain("duration_hours", lang, n=f"{minutes / 60:g}")


# A threshold label needs about this much room (inches) before the next line; closer thresholds
# share one label ("30 min, 1 h") at the first of them.
_THRESHOLD_LABEL_INCHES = 0.55


def draw_thresholds(ax, thresholds, max_minutes: float, lang: str = "en", labels: bool = True):
    """Dotted lines at the thresholds within the axis, labelled ('30 min', '1 h') above the axes.

    The labels are the ticks of a top axis, outside the data, so no curve is ever hidden; the
    title sits above them. Returns that top axis (None without labels).
    """
    shown = sorted(th for th in thresholds if 0 < th <= max_minutes)
    for th in shown:
        ax.axvline(th / 60, **theme.THRESHOLD_LINE)
    if not labels or not shown:
        return None
    width_inches = ax.get_position().width * ax.figure.get_figwidth()
    groups: list[list[float]] = []
    for th in shown:
        if groups and (th - groups[-1][0]) / max_minutes * width_inches < _THRESHOLD_LABEL_INCHES:
            groups[-1].append(th)
        else:
            groups.append([th])
    top = ax.secondary_xaxis("top")
    top.set_xticks([g[0] / 60 for g in groups], [t_plain("threshold_join", lang).join(threshold_label(th, lang) for th in g) for g in groups])
    top.tick_params(axis="x", length=0, pad=2, labelsize=theme.NOTE["fontsize"], labelcolor=theme.NOTE["color"])
    top.spines["top"].set_visible(False)
    for text, g in zip(top.get_xticklabels(), groups, strict=True):
        text.set_horizontalalignment(_align(g[0] / max_minutes))
    return top


def _legend_outside(ax, **kwargs):
    """The legend to the right of the axes, where it never covers data."""
    return ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), borderaxespad=0, fontsize=9, **kwargs)


def rank_ticks(n: int) -> list[int]:
    """Whole-number rank ticks from 1 to `n`: 1, round steps, and `n` (at most about ten)."""
    if n <= 10:
        return list(range(1, n + 1))
    step = next(s for s in (2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000) if n / s <= 10)
    ticks = [1, *range(step, n + 1, step)]
    if n - ticks[-1] >= step / 2:  # the last rank, unless a round tick sits next to it
        ticks.append(n)
    return ticks


def _rank_axis(axis, n: int) -> None:
    axis.set_major_locator(FixedLocator(rank_ticks(n)))
    axis.set_major_formatter(lambda v, _: f"{v:.0f}")


def too_little_data(data, lang: str = "en", minimum: int = MIN_CHART_QUESTIONS) -> str | None:
    """The sentence to show instead of a chart of too few questions, or None when there are enough.

    `data` is the questions (probes) the chart would draw, or their number.
    """
    n = int(data) if isinstance(data, int | np.integer) else len(data)
    return t_plain("too_little_data", lang, n=n, minimum=minimum) if n < minimum else None


def _note_figure(text: str, study, lang: str):
    """A figure holding only a sentence: what a chart of too little data shows instead of empty axes."""
    fig, ax = plt.subplots(figsize=(8, 0.9))
    ax.set_axis_off()
    ax.text(0, 0.5, text, ha="left", va="center", wrap=True, transform=ax.transAxes)
    label(fig, study, lang)
    return fig, ax


def _align(fraction: float) -> str:
    """Horizontal alignment of a label at `fraction` of the axis width, so it never runs off the axes."""
    return "left" if fraction < 0.25 else "right" if fraction > 0.75 else "center"


def _km_steps(c: pd.DataFrame, max_minutes: float) -> tuple[np.ndarray, np.ndarray]:
    """A KM curve's points (hours, share); a curve at 100% runs on to the axis end (no one is left to wait)."""
    x, y = (c["minutes"] / 60).to_numpy(), c["share_answered"].to_numpy()
    if len(y) and y[-1] >= 1.0 and x[-1] < max_minutes / 60:
        x, y = np.append(x, max_minutes / 60), np.append(y, 1.0)
    return x, y


def _fit_title(ax, text: str, renderer, width_pixels: float, **style) -> None:
    """Set `text` as the axes title, shortened with an ellipsis to the longest start that fits `width_pixels`."""
    title = ax.set_title(text, **style)
    if title.get_window_extent(renderer).width <= width_pixels:
        return
    fits, too_long = 0, len(text)  # bisect on the number of characters kept
    while too_long - fits > 1:
        keep = (fits + too_long) // 2
        title.set_text(text[:keep].rstrip() + "…")
        fits, too_long = (keep, too_long) if title.get_window_extent(renderer).width <= width_pixels else (fits, keep)
    title.set_text(text[:max(fits, 1)].rstrip() + "…")


# --------------------------------------------------------------------------------------------
# Rates, times and ranks


def rate_intervals(table: pd.DataFrame, title: str, study, ax=None, unit: str = "probe",
                   level: float = 0.95, lang: str = "en"):
    """Horizontal point-and-interval plot of response rates (one row per group).

    `level` is the confidence level the table's intervals were computed at (1 - alpha).
    """
    rate, low, high = _rates(table)
    rows = (table.sort_values(rate)
            .rename(columns={rate: "estimate", "n_probes": "denominator", low: "ci_low", high: "ci_high"}))
    scope = t_plain("ax_rate_scope", lang, scope=study.rate_scope) if getattr(study, "rate_scope", "") else ""
    xlabel = t_plain("ax_rate_wilson", lang, scope=scope, level=f"{level:.0%}", unit=t_plain(f"unit_{unit}", lang))
    return share_intervals(rows, title, study, xlabel, ax=ax, lang=lang)


def _share_axis(ax) -> None:
    """0% to 100%, with room below 0 and above 100% so a curve flat at either end stays visible."""
    ax.set_ylim(-0.04, 1.04)
    ax.set_yticks(np.linspace(0, 1, 6))
    ax.yaxis.set_major_formatter(lambda v, _: fmt.pct(v))


def km_plot(probes: pd.DataFrame, by: str | None, title: str, study, thresholds=(), ax=None,
            max_minutes: float | None = None, lang: str = "en", threshold_labels: bool = True):
    """Kaplan-Meier curves of the share answered over time (unanswered probes censored).

    The time axis is the study's (`time_axis`) unless `max_minutes` overrides it. With fewer
    than `MIN_CHART_QUESTIONS` questions a figure of its own holds the `too_little_data` sentence.
    """
    own_figure = ax is None
    if own_figure and too_little_data(probes, lang):
        return _note_figure(too_little_data(probes, lang), study, lang)
    if own_figure:
        fig, ax = plt.subplots()
    else:
        fig = ax.figure
    axis = time_axis(study)
    if max_minutes is not None:
        axis = TimeAxis(max_minutes, tuple(h for h in axis.ticks_hours if h <= max_minutes / 60))
    curves = km_curve(probes, by=by)
    for group, c in curves.groupby("group", sort=True):
        ax.step(*_km_steps(c, axis.max_minutes), where="post", label=f"{vocabulary(group, lang)} (n={c['n_probes'].iloc[0]})")
    _apply_time_axis(ax, axis)
    draw_thresholds(ax, thresholds, axis.max_minutes, lang, labels=threshold_labels)
    _share_axis(ax)
    ax.set_xlabel(t_plain("ax_time_hours", lang))
    ax.set_ylabel(t_plain("ax_share_km", lang))
    ax.set_title(title)
    if by is not None:
        _legend_outside(ax)
    if own_figure:
        label(fig, study, lang)
    return fig, ax


# Beyond this many companies a chart with a row or a panel per company is neither readable nor
# quick to draw; a summary chart of all of them replaces it.
MAX_COMPANY_ROWS = 60
MAX_COMPANY_PANELS = 30


def probes_sent(probes: pd.DataFrame, study, lang: str = "en"):
    """When each probe was sent: one row per company, one colour per question type.

    With more than `MAX_COMPANY_ROWS` companies: the questions sent per day, stacked by question type.
    """
    many = probes["company"].nunique() > MAX_COMPANY_ROWS
    fig, ax = plt.subplots(figsize=(8, 3.2 if many else 0.25 * probes["company"].nunique() + 1.5))
    if many:
        days = probes["sent_at"].dt.tz_convert("UTC").dt.floor("D") if probes["sent_at"].dt.tz is not None \
            else probes["sent_at"].dt.floor("D")
        counts = pd.crosstab(days, probes["question_type"]).sort_index()
        bottom = np.zeros(len(counts))
        for (q, column), colour in zip(counts.items(), PALETTE):
            ax.bar(counts.index, column.to_numpy(), bottom=bottom, width=0.9, color=colour, label=vocabulary(q, lang))
            bottom += column.to_numpy()
        import matplotlib.dates as mdates

        ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=8))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
        ax.set_ylabel(t_plain("fig_sent_per_day", lang))
        ax.set_title(t_plain("fig_sent_title_many", lang, companies=probes["company"].nunique()))
    else:
        for (q, d), colour in zip(probes.groupby("question_type"), PALETTE):
            ax.scatter(d["sent_at"], d["company"], label=vocabulary(q, lang), color=colour, s=25)
        ax.set_title(t_plain("fig_sent_title", lang))
    ax.set_xlabel(t_plain("fig_sent_x", lang))
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    fig.autofmt_xdate()
    label(fig, study, lang)
    return fig, ax


def km_spread(probes: pd.DataFrame, study, thresholds=(), max_minutes: float | None = None, lang: str = "en"):
    """Every company's Kaplan-Meier curve as a thin grey line, and all companies together in colour.

    The summary that replaces `km_grid` beyond `MAX_COMPANY_PANELS` companies: one collection of
    lines, drawn at once, however many companies there are.
    """
    from matplotlib.collections import LineCollection

    fig, ax = plt.subplots(figsize=(8, 4.2))
    axis = time_axis(study)
    if max_minutes is not None:
        axis = TimeAxis(max_minutes, tuple(h for h in axis.ticks_hours if h <= max_minutes / 60))
    lines = []
    for _, c in km_curve(probes, by="company").groupby("group", sort=True):
        x, y = _km_steps(c, axis.max_minutes)
        # As a step line: each point held until the next one.
        lines.append(np.column_stack([np.repeat(x, 2)[1:], np.repeat(y, 2)[:-1]]))
    ax.add_collection(LineCollection(lines, colors=theme.LIGHT, linewidths=0.6, alpha=0.4))
    overall = km_curve(probes)
    (everyone,) = ax.step(*_km_steps(overall, axis.max_minutes), where="post", color=PALETTE[0], linewidth=2.2,
                          label=t_plain("fig_km_spread_all", lang, n=len(probes)))
    # The legend's grey line is drawn solid: one faint 0.6-point line would be hard to see there.
    one_company = Line2D([], [], color=theme.LIGHT, linewidth=1.5, label=t_plain("fig_km_spread_company", lang))
    _apply_time_axis(ax, axis)
    draw_thresholds(ax, thresholds, axis.max_minutes, lang)
    _share_axis(ax)
    ax.set_xlabel(t_plain("ax_time_hours", lang))
    ax.set_ylabel(t_plain("ax_share_km", lang))
    ax.set_title(t_plain("fig_km_spread_title", lang, companies=probes["company"].nunique()))
    _legend_outside(ax, handles=[one_company, everyone])
    label(fig, study, lang)
    return fig, ax


def km_grid(probes: pd.DataFrame, study, thresholds=(), max_minutes: float | None = None, columns: int = 5,
            lang: str = "en"):
    """Kaplan-Meier curves in one small panel per company (alphabetical), on shared axes.

    Titles too long for their panel end in an ellipsis; the thresholds are labelled in the
    first panel (the lines sit at the same place in every panel). Beyond `MAX_COMPANY_PANELS`
    companies, the one chart of `km_spread` instead.
    """
    companies = sorted(probes["company"].unique())
    if len(companies) > MAX_COMPANY_PANELS:
        return km_spread(probes, study, thresholds, max_minutes, lang)
    cols = min(columns, len(companies))
    rows = math.ceil(len(companies) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(2.4 * cols, 2.0 * rows + 0.6), sharex=True, sharey=True,
                             squeeze=False)
    renderer = fig.canvas.get_renderer()
    # Room for a title: the panel's width less a margin (constrained layout only ever widens it).
    width = 0.9 * fig.get_figwidth() * fig.dpi / cols
    for i, (ax, company) in enumerate(zip(axes.flat, companies)):
        km_plot(probes[probes["company"] == company], None, "", study, thresholds=thresholds, ax=ax,
                max_minutes=max_minutes, lang=lang, threshold_labels=i == 0)
        _fit_title(ax, company, renderer, width, **theme.PANEL_TITLE)
        ax.set_xlabel("")  # one label for the whole grid instead
        ax.set_ylabel("")
    for ax in list(axes.flat)[len(companies):]:
        ax.set_visible(False)
    fig.supxlabel(t_plain("ax_time_hours", lang))
    fig.supylabel(t_plain("ax_share_km", lang))
    label(fig, study, lang)
    return fig, axes


def clock_curves(probes: pd.DataFrame, study, thresholds=(), max_minutes: float | None = None, lang: str = "en"):
    """Kaplan-Meier curves of the same probes' waits on each clock (``minutes_<clock>`` columns).

    With too few probes the figure holds the `too_little_data` sentence instead (a caller had
    better show that sentence as text: ``plots.too_little_data(probes, lang)``).
    """
    if too_little_data(probes, lang):
        return _note_figure(too_little_data(probes, lang), study, lang)
    # One copy of the probes per clock, so `km_plot` draws one curve per clock.
    long = pd.concat([probes.assign(minutes=probes[f"minutes_{c}"], clock=c) for c in CLOCK_RULES])
    return km_plot(long, "clock", t_plain("t_clocks", lang), study, thresholds=thresholds, max_minutes=max_minutes,
                   lang=lang)


def rank_intervals(league: pd.DataFrame, study, level: float = 0.95, lang: str = "en"):
    """Each ranked company's rank with its interval, best at the top; unranked ones counted below."""
    ranked = _ranked(league)
    rows = league[ranked].iloc[::-1]
    n = len(rows)
    fig, ax = plt.subplots(figsize=(8, 0.3 * n + 1.6))
    y = np.arange(n)
    ax.hlines(y, rows["rank_ci_low"].astype(float), rows["rank_ci_high"].astype(float), color=PALETTE[0],
              linewidth=1.5)
    ax.plot(rows["rank"].astype(float), y, "o", color=PALETTE[0])
    ax.set_yticks(y, [t_plain("tick_rate_of", lang, company=c, k=k, n=m) for c, k, m in
                      zip(rows["company"], rows[_responded(rows)], rows["n_probes"], strict=True)])
    ax.set_xlim(n + 0.5, 0.5)  # best (1) on the right, as on the scorecards
    _rank_axis(ax.xaxis, n)
    ax.set_ylim(-0.6, n - 0.4)
    xlabel = t_plain("ax_rank_level", lang, level=f"{level:.0%}")
    if (~ranked).any():
        xlabel += "\n" + t_plain("unranked_note", lang, n=int((~ranked).sum()))
    ax.set_xlabel(xlabel)
    ax.set_title(t_plain("t_league", lang))
    label(fig, study, lang)
    return fig, ax


def league_chart(league: pd.DataFrame, study, lang: str = "en", level: float = 0.95):
    """Every company's response rate with its interval, in rank order (rank 1 at the top).

    Reads ``league_table.csv``: the rate and its Wilson interval (``response_rate``,
    ``response_rate_ci_low``/``_high``) and the rank of ranked rows. Companies with too few
    questions to rank follow under their own heading, drawn hollow and grey. The height grows
    with the number of companies, so names stay readable at 100+; the rate axis repeats on top.
    """
    rate, low, high = _rates(league, prefix="x")
    ranked_flag = _ranked(league)
    ranked = league[ranked_flag].sort_values("rank", kind="stable")
    unranked = league[~ranked_flag].sort_values("company", kind="stable")
    # One row per company, top down; unranked ones after a heading row.
    y_ranked = np.arange(len(ranked), dtype=float)
    y_unranked = len(ranked) + 1 + np.arange(len(unranked), dtype=float) if len(unranked) else np.array([])
    rows = len(ranked) + (len(unranked) + 1 if len(unranked) else 0)
    fig, ax = plt.subplots(figsize=(8, 0.26 * rows + 1.9))
    responded = _responded(league)
    ax.hlines(y_ranked, ranked[low], ranked[high], color=PALETTE[0], linewidth=2, zorder=2)
    ax.plot(ranked[rate], y_ranked, "o", color=PALETTE[0], markersize=5, zorder=3)
    labels = [t_plain("league_tick", lang, rank=int(r), company=c, k=int(k), n=int(n)) for r, c, k, n in
              zip(ranked["rank"], ranked["company"], ranked[responded], ranked["n_probes"], strict=True)]
    ticks = list(y_ranked)
    if len(unranked):
        ax.hlines(y_unranked, unranked[low], unranked[high], color=MUTED, linewidth=2, zorder=2)
        ax.plot(unranked[rate], y_unranked, "o", color=MUTED, markerfacecolor="white", markersize=5, zorder=3)
        ax.axhline(len(ranked), color=LIGHT, linewidth=1)
        ax.annotate(t_plain("league_unranked", lang, n=len(unranked)), xy=(0, len(ranked)),
                    xycoords=ax.get_yaxis_transform(), xytext=(4, 0), textcoords="offset points",
                    ha="left", va="center", bbox={"facecolor": "white", "edgecolor": "none"}, **theme.NOTE)
        labels += [t_plain("league_tick_unranked", lang, company=c, k=int(k), n=int(n)) for c, k, n in
                   zip(unranked["company"], unranked[responded], unranked["n_probes"], strict=True)]
        ticks += list(y_unranked)
    ax.set_yticks(ticks, labels)
    ax.set_ylim(rows - 0.4, -0.6)  # rank 1 at the top
    ax.grid(axis="y", visible=False)
    ax.set_xlim(-0.02, 1.02)
    ax.xaxis.set_major_formatter(lambda v, _: fmt.pct(v))
    if rows > 25:  # a tall chart: the rate axis on top too, so it is in sight
        top = ax.secondary_xaxis("top")
        top.xaxis.set_major_formatter(lambda v, _: fmt.pct(v))
    scope = t_plain("ax_rate_scope", lang, scope=study.rate_scope) if getattr(study, "rate_scope", "") else ""
    ax.set_xlabel(t_plain("ax_league_chart", lang, scope=scope, level=f"{level:.0%}"))
    ax.set_title(t_plain("t_league_chart", lang))
    label(fig, study, lang)
    return fig


def paired_rates(paired: pd.DataFrame, a: str, b: str, study, lang: str = "en"):
    """Response rate of handle A and handle B in each company that has both, joined by a line."""
    rates = paired.groupby(["company", "department"])["answered"].mean().unstack("department")
    fig, ax = plt.subplots(figsize=(6, 0.35 * len(rates) + 1.5))
    y = np.arange(len(rates))
    for i, (_, r) in enumerate(rates.iterrows()):
        ax.plot([r[b], r[a]], [i, i], color="#999999", linewidth=1, zorder=1)
    ax.scatter(rates[b], y, label=vocabulary(b, lang), color=PALETTE[1], zorder=2)
    ax.scatter(rates[a], y, label=vocabulary(a, lang), color=PALETTE[0], zorder=2, marker="D")
    ax.set_yticks(y, rates.index)
    ax.set_xlim(-0.05, 1.05)
    ax.xaxis.set_major_formatter(lambda v, _: fmt.pct(v))
    ax.set_xlabel(t_plain("ax_paired", lang))
    ax.set_title(t_plain("t_paired", lang, a=vocabulary(a, lang), b=vocabulary(b, lang)))
    _legend_outside(ax)
    label(fig, study, lang)
    return fig, ax


def power_curves(curve: pd.DataFrame, study, power: float = 0.8, alpha: float = 0.05, lang: str = "en"):
    """Power against probes per group, one line per difference worth detecting."""
    fig, ax = plt.subplots()
    for (baseline, d), c in curve.groupby(["baseline", "difference"], sort=True):
        ax.plot(c["probes_per_group"], c["power"], label=t_plain("legend_shares", lang, a=fmt.pct(baseline), b=fmt.pct(baseline + d)))
    ax.axhline(power, **theme.THRESHOLD_LINE)
    ax.annotate(t_plain("power_line", lang, power=fmt.pct(power)), xy=(0, power), xycoords=ax.get_yaxis_transform(),
                xytext=(2, 2), textcoords="offset points", ha="left", va="bottom", **theme.NOTE)
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(lambda v, _: fmt.pct(v))
    ax.set_xlabel(t_plain("ax_power_n", lang))
    ax.set_ylabel(t_plain("ax_power", lang, alpha=f"{alpha:g}"))
    ax.set_title(t_plain("t_power", lang))
    _legend_outside(ax, title=t_plain("legend_power", lang))
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
    ax.set_yticks(y, [f"{vocabulary(g, lang)}  (n={n})" for g, n in zip(rows["group"], rows["denominator"], strict=True)])
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
                label=t_plain("legend_ours", lang, level=f"{level:.0%}"))
    pub = [published[PUBLISHED_KEYS.get(k, k)] / published["companies"] if PUBLISHED_KEYS.get(k, k) in published
           else np.nan for k in keys]
    ax.scatter(pub, y, marker="D", s=40, zorder=3, color=PALETTE[1], label=t_plain("legend_published", lang))
    ax.set_yticks(y, [name for _, name in rows])
    ax.set_xlim(0, 1.02)
    ax.xaxis.set_major_formatter(lambda v, _: fmt.pct(v))
    ax.set_xlabel(t_plain("ax_share_companies", lang))
    ax.set_title(t_plain("t_reproduced", lang))
    _legend_outside(ax)
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
        ax.barh([f"{vocabulary(g, lang)} (n={n})" for g, n in zip(shares.index, counts.sum(axis=1), strict=True)],
                shares[kind], left=left, color=KIND_COLOURS[kind], label=t_plain(f"kind_{kind}", lang))
        left += shares[kind].to_numpy()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(lambda v, _: fmt.pct(v))
    ax.set_xlabel(t_plain("ax_share_probes", lang))
    ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=len(shares.columns), fontsize=9, frameon=False)
    label(fig, study, lang)
    return fig, ax


# --------------------------------------------------------------------------------------------
# Scorecards: one company highlighted against its peers, labels in the card's language


def scorecard_rates(card, study, level: float = 0.95):
    """The company's response rate with its interval (top row), over how many peers have each rate.

    Peers are a light histogram (5-point bins) without labels, so the chart reads at any
    number of companies; the company is drawn in its own row above it and labelled.
    Returns the figure and the peers' axes (the company's row shares its x axis).
    """
    rates = card.peer_rates
    peers = rates.loc[rates["company"] != card.company, _rates(rates)[0]].dropna()
    fig, (you, ax) = plt.subplots(2, 1, figsize=(8, 3.0), sharex=True, height_ratios=[1, 2.4])
    r = card.response_rate
    you.hlines(0, r["ci_low"], r["ci_high"], color=HIGHLIGHT, linewidth=3)
    you.plot([r["share"]], [0], "o", color=HIGHLIGHT, markersize=10)
    you.annotate(t_plain("you_rate", card.lang, company=card.company, share=fmt.pct(r["share"])), xy=(r["share"], 0),
                 xytext=(0, 8), textcoords="offset points", ha=_align(r["share"]), va="bottom", color=HIGHLIGHT,
                 fontweight="bold")
    you.set_ylim(-0.6, 1.2)
    you.set_yticks([])
    you.grid(axis="y", visible=False)
    you.spines["left"].set_visible(False)
    you.set_title(t_plain("t_answer", card.lang, company=card.company))
    ax.hist(peers, bins=np.linspace(0, 1, 21), color=LIGHT, edgecolor="white",
            label=t_plain("peers_n", card.lang, n=len(peers)))
    ax.yaxis.set_major_locator(plt.MaxNLocator(nbins=4, integer=True))
    ax.set_ylabel(t_plain("ax_peer_count", card.lang))
    ax.set_xlim(-0.02, 1.02)
    ax.xaxis.set_major_formatter(lambda v, _: fmt.pct(v))
    ax.set_xlabel(t_plain("ax_answer_rate", card.lang, level=f"{level:.0%}"))
    _legend_outside(ax)
    label(fig, study, card.lang)
    return fig, ax


def scorecard_speed(probes: pd.DataFrame, card, study, thresholds=(), max_minutes: float | None = None):
    """Kaplan-Meier share answered over the study's time axis: the company against all other companies."""
    groups = np.where(probes["company"] == card.company, t_plain("you", card.lang, company=card.company),
                      t_plain("peers", card.lang))
    curves = km_curve(probes[["minutes", "answered"]].assign(_group=groups), by="_group")
    fig, ax = plt.subplots(figsize=(8, 3.6))
    you = t_plain("you", card.lang, company=card.company)
    axis = time_axis(study)
    if max_minutes is not None:
        axis = TimeAxis(max_minutes, tuple(h for h in axis.ticks_hours if h <= max_minutes / 60))
    for group, c in curves.groupby("group", sort=False):
        colour = HIGHLIGHT if group == you else MUTED
        ax.step(*_km_steps(c, axis.max_minutes), where="post", color=colour,
                linewidth=2.5 if colour == HIGHLIGHT else 1.5, label=f"{group} (n={c['n_probes'].iloc[0]})")
    _apply_time_axis(ax, axis)
    draw_thresholds(ax, thresholds, axis.max_minutes, card.lang)
    _share_axis(ax)
    ax.set_xlabel(t_plain("ax_time_hours", card.lang))
    ax.set_ylabel(t_plain("ax_share_answered", card.lang))
    ax.set_title(t_plain("t_speed", card.lang))
    _legend_outside(ax)
    label(fig, study, card.lang)
    return fig, ax


def scorecard_accounts(card, study, level: float = 0.95):
    """Each of the company's accounts: response rate with its interval."""
    a = card.accounts
    rate, low, high = _rates(a)
    table = pd.DataFrame({"group": [f"@{x} ({department(d, card.lang)})" for x, d in zip(a["account"], a["department"],
                                                                                          strict=True)],
                          "estimate": a[rate], "ci_low": a[low], "ci_high": a[high],
                          "denominator": a["n_probes"]})
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(table) + 1.4))
    share_intervals(table, t_plain("t_handles", card.lang), study, t_plain("ax_answer_rate", card.lang, level=f"{level:.0%}"),
                    ax=ax)
    label(fig, study, card.lang)
    return fig, ax


def scorecard_rank(league: pd.DataFrame, card, study):
    """The company's rank and its interval on the scale of all ranks; peers' ranks as light dots.

    Peers carry no labels (so the strip reads at 100+ companies); the company is labelled.
    Only ranked companies count (``ranked``); ties are spread a little up and down.
    """
    r = card.rank
    if r is None or not r.get("ranked", True) or r.get("rank") is None:
        return _note_figure(t_plain("card_unranked", card.lang, company=card.company), study, card.lang)
    ranked = league[_ranked(league)]
    n = len(ranked)
    fig, ax = plt.subplots(figsize=(8, 1.9))
    others = ranked[ranked["company"] != card.company]
    jitter = np.random.default_rng(seeds.FIGURE_JITTER).uniform(-0.12, 0.12, len(others))
    ax.scatter(others["rank"].astype(float), jitter, color=MUTED, s=10, alpha=0.6, linewidths=0, zorder=2,
               label=t_plain("peers_n", card.lang, n=len(others)))
    ax.hlines(0, r["rank_ci_low"], r["rank_ci_high"], color=HIGHLIGHT, linewidth=6, alpha=0.5, zorder=3)
    ax.plot([r["rank"]], [0], "o", color=HIGHLIGHT, markersize=11, zorder=4)
    ax.annotate(t_plain("you_rank", card.lang, company=card.company, rank=r["rank"], low=r["rank_ci_low"],
                  high=r["rank_ci_high"]), xy=(r["rank"], 0), xytext=(0, 12), textcoords="offset points",
                ha=_align((n + 0.5 - r["rank"]) / n), va="bottom", color=HIGHLIGHT, fontweight="bold", annotation_clip=False)
    ax.set_xlim(n + 0.5, 0.5)  # best (1) on the right
    _rank_axis(ax.xaxis, n)
    ax.set_ylim(-0.5, 0.9)
    ax.set_yticks([])
    ax.set_xlabel(t_plain("ax_rank", card.lang))
    ax.set_title(t_plain("t_rank", card.lang, company=card.company))
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
                label=f"{t_plain('kind_' + kind, card.lang)} ({card.kinds[kind]})")
        left += share
    ax.set_xlim(0, 1)
    ax.set_yticks([])
    ax.xaxis.set_major_formatter(lambda v, _: fmt.pct(v))
    ax.set_title(t_plain("t_quality", card.lang))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.35), ncol=len(kinds), frameon=False)
    label(fig, study, card.lang)
    return fig, ax


# --------------------------------------------------------------------------------------------
# Two waves of a study


def wave_changes(companies: pd.DataFrame, study, metric: str = "response_rate", lang: str = "en"):
    """Each company's figure in the earlier wave (open circle) and this one (dot), joined by a line.

    Companies are sorted by their change; a change told from chance is coloured (better, worse),
    the rest grey. One row per company, so it reads at 100 companies (the figure grows with them).
    """
    part = companies[companies["metric"] == metric].dropna(subset=["baseline", "current"])
    if part.empty:
        return _note_figure(t_plain("wv_chart_nothing", lang), study, lang)
    part = part.assign(_change=part["current"] - part["baseline"]).sort_values(["_change", "company"])
    y = np.arange(len(part))
    colour = np.where(part["direction"] == "better", PALETTE[2], np.where(part["direction"] == "worse", PALETTE[3],
                                                                         MUTED))
    fig, ax = plt.subplots(figsize=(8, min(2.0 + 0.22 * len(part), 30)))
    ax.hlines(y, part["baseline"], part["current"], colors=colour, linewidth=2)
    ax.scatter(part["baseline"], y, s=36, facecolors="white", edgecolors=colour, zorder=3)
    ax.scatter(part["current"], y, s=36, color=colour, zorder=3)
    ax.set_yticks(y, part["company"].tolist(), fontsize=9)
    ax.set_ylim(-0.7, len(part) - 0.3)
    ax.set_xlim(-0.02, 1.02)
    ax.xaxis.set_major_formatter(lambda v, _: fmt.pct(v))
    ax.set_xlabel(t_plain("wv_chart_axis", lang))
    ax.set_title(t_plain("wv_chart_title", lang))
    handles = [Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor="#555555",
                      label=t_plain("wv_chart_before", lang)),
               Line2D([], [], marker="o", linestyle="", color="#555555", label=t_plain("wv_chart_after", lang)),
               Line2D([], [], color=PALETTE[2], linewidth=2, label=t_plain("wv_chart_better", lang)),
               Line2D([], [], color=PALETTE[3], linewidth=2, label=t_plain("wv_chart_worse", lang)),
               Line2D([], [], color=MUTED, linewidth=2, label=t_plain("wv_chart_unclear", lang))]
    _legend_outside(ax, handles=handles)
    label(fig, study, lang)
    return fig, ax


# --------------------------------------------------------------------------------------------
# This study among the published ones

_UNIT_MARKERS = {"company": "D", "account": "s", "message": "o"}


def placement_chart(placed: pd.DataFrame, ours: pd.DataFrame, study, year: int, level: float = 0.95,
                    lang: str = "en"):
    """Published response rates of whole studies by year (marker: unit; bar: a derived range), and this study's."""
    pub = placed[(placed["measure"] == "response_rate") & (placed["group"] == "all")]
    fig, ax = plt.subplots(figsize=(8, 3.6))
    for unit, marker in _UNIT_MARKERS.items():
        part = pub[pub["unit"] == unit]
        if part.empty:
            continue
        unit_word = t_plain(f"pl_unit_{unit}", lang)
        ax.scatter(part["year"].astype(float), part["value"], marker=marker, s=40, color=PALETTE[1], zorder=3,
                   label=t_plain("pl_chart_published", lang, unit=unit_word))
        ranged = part.dropna(subset=["low"])
        if len(ranged):
            first = not any(h.get_label() == t_plain("pl_chart_derived", lang) for h in ax.containers)
            ax.errorbar(ranged["year"].astype(float), ranged["value"],
                        yerr=[ranged["value"] - ranged["low"], ranged["high"] - ranged["value"]],
                        fmt="none", ecolor=PALETTE[1], alpha=0.6, capsize=3,
                        label=t_plain("pl_chart_derived", lang) if first else None)
    mine = ours[ours["measure"] == "response_rate"]
    for offset, (_, r) in zip((-0.12, 0.12), mine.iterrows(), strict=False):
        ax.errorbar([year + offset], [r["value"]], yerr=[[r["value"] - r["ci_low"]], [r["ci_high"] - r["value"]]],
                    fmt=_UNIT_MARKERS[r["unit"]], color=PALETTE[0], capsize=4, markersize=7, zorder=4,
                    label=t_plain("pl_chart_ours", lang, unit=t_plain(f"pl_unit_{r['unit']}", lang),
                                  level=f"{level:.0%}"))
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(lambda v, _: fmt.pct(v))
    ax.xaxis.set_major_locator(FixedLocator(sorted({*pub["year"].astype(int), year})))
    ax.tick_params(axis="x", labelrotation=45)
    ax.set_ylabel(t_plain("pl_chart_axis", lang))
    ax.set_title(t_plain("pl_chart_title", lang))
    _legend_outside(ax)
    label(fig, study, lang)
    return fig, ax
