"""The figure theme and the plots notebooks share.

Call `set_theme` once at the top of a notebook; no cell styles a figure by hand.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from . import fmt, paths
from .metrics import km_curve

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]


def set_theme() -> None:
    """Apply the suite's figure theme (seaborn whitegrid + the repo style file)."""
    sns.set_theme(style="whitegrid", palette=PALETTE)
    plt.style.use(paths.STYLE_FILE)
    pd.set_option("display.precision", 3)


def label(fig, study) -> None:
    """Stamp a figure with its provenance, so a copied figure still says what data it shows."""
    fig.text(0.99, 1.0, study.label, ha="right", va="bottom", fontsize=8,
             color="#b35900" if study.synthetic else "#555555")


def rate_intervals(table: pd.DataFrame, title: str, study, ax=None, unit: str = "probes",
                   level: float = 0.95):
    """Horizontal point-and-interval plot of answer rates (one row per group).

    `level` is the confidence level the table's intervals were computed at (1 - alpha).
    """
    t = table.sort_values("answer_rate")
    own_figure = ax is None
    if own_figure:
        fig, ax = plt.subplots(figsize=(8, 0.35 * len(t) + 1.5))
    else:
        fig = ax.figure
    y = np.arange(len(t))
    ax.errorbar(t["answer_rate"], y, xerr=[t["answer_rate"] - t["ci_low"], t["ci_high"] - t["answer_rate"]],
                fmt="o", capsize=3)
    ax.set_yticks(y, [f"{g}  (n={n})" for g, n in zip(t["group"], t["n_probes"], strict=True)])
    ax.set_xlim(-0.02, 1.02)
    ax.xaxis.set_major_formatter(lambda v, _: fmt.pct(v))
    ax.set_xlabel(f"Answer rate with {level:.0%} Wilson interval (unit: {unit})")
    ax.set_title(title)
    if own_figure:  # a caller that passes an axis labels the whole figure once
        label(fig, study)
    return fig, ax


def km_plot(probes: pd.DataFrame, by: str | None, title: str, study, thresholds=(), ax=None,
            max_minutes: float | None = None):
    """Kaplan-Meier curves of the share answered over time (unanswered probes censored)."""
    own_figure = ax is None
    if own_figure:
        fig, ax = plt.subplots()
    else:
        fig = ax.figure
    curves = km_curve(probes, by=by)
    for group, c in curves.groupby("group", sort=True):
        ax.step(c["minutes"] / 60, c["share_answered"], where="post",
                label=f"{group} (n={c['n_probes'].iloc[0]})")
    for t in thresholds:
        ax.axvline(t / 60, color="#999999", linestyle=":", linewidth=1)
    if max_minutes is not None:
        ax.set_xlim(0, max_minutes / 60)
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(lambda v, _: fmt.pct(v))
    ax.set_xlabel("Hours since the question was sent")
    ax.set_ylabel("Share answered (Kaplan-Meier)")
    ax.set_title(title)
    if by is not None:
        ax.legend(loc="lower right", fontsize=9)
    if own_figure:
        label(fig, study)
    return fig, ax
