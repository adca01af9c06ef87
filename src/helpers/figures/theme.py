"""The one figure theme (colour-blind-safe palette, style file, Japanese font) and the provenance label."""

from __future__ import annotations

import logging

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from helpers import paths
from helpers.text.catalogue import provenance_label

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
# One company against its peers: the company in a strong colour, the peers in light grey.
HIGHLIGHT, MUTED, LIGHT = PALETTE[3], "#9a9a9a", "#d0d0d0"
# Threshold lines ("30 min", "1 h") and their labels, the same on every time axis.
THRESHOLD_LINE = {"color": "#888888", "linestyle": ":", "linewidth": 1}
NOTE = {"fontsize": 8, "color": "#555555"}
# Small multiples (one panel per company): smaller bold titles, so neighbouring titles never meet.
PANEL_TITLE = {"fontsize": 10, "fontweight": "bold", "loc": "left"}


def set_theme(lang: str = "en") -> None:
    """Apply the suite's figure theme (seaborn whitegrid + the repo style file).

    With ``lang="ja"`` figures use a Japanese font (IPAexGothic from matplotlib-fontja, which
    also covers Latin text), so Japanese labels never show as missing-glyph boxes. English
    figures keep DejaVu Sans and fall back to IPAexGothic glyph by glyph: company names in
    Japanese are data, and an English page shows them as they are.
    """
    import matplotlib_fontja  # importing it registers IPAexGothic (and makes it the family)

    # IPAexGothic has no bold face: matplotlib uses the regular one and says so on every bold
    # title; the fallback is what we want, the message is noise in the report's log.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)

    sns.set_theme(style="whitegrid", palette=PALETTE)
    plt.style.use(paths.STYLE_FILE)
    if lang == "ja":
        matplotlib_fontja.japanize()
    else:
        plt.rcParams["font.family"] = ["DejaVu Sans", "IPAexGothic"]
    pd.set_option("display.precision", 3)


def label(fig, study, lang: str = "en") -> None:
    """Stamp a figure with its provenance, so a copied figure still says what data it shows."""
    fig.text(0.99, 1.0, provenance_label(study, lang), ha="right", va="bottom", fontsize=8,
             color="#b35900" if study.synthetic else "#555555")
