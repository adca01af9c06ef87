"""Figures: they draw the numbers they are given, in the reader's language, and say what data they show."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import numpy as np
import pytest
import yaml
from matplotlib.collections import PathCollection
from matplotlib.text import Text

from helpers import paths
from helpers.analysis import league, plan, reply_quality
from helpers.data.hours import CLOCK_RULES
from helpers.data.study import load_study
from helpers.figures import plots, theme
from helpers.stats import company_level, proportions
from helpers.stats.survival import km_curve
from helpers.text import tables
from helpers.text.catalogue import term
from helpers.text.sentences import say
from tests.conftest import TINY_STUDY

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
LANGS = ("en", "ja")


@pytest.fixture(scope="module")
def replica():
    study = load_study(paths.DEFAULT_STUDY)
    published = yaml.safe_load((paths.PUBLISHED_DIR / "econsultancy-2014.yml").read_text(encoding="utf-8"))
    return study, reply_quality.probe_quality(study.probes, study.accounts), published


@pytest.fixture(autouse=True)
def themed():
    """Figures drawn off screen in the suite's theme (as `session.start` sets it), undone after each test."""
    plt.switch_backend("Agg")
    with plt.rc_context():
        theme.set_theme()
        yield
    plt.close("all")


def title(ax) -> str:
    """An axes' title, wherever the theme places it."""
    return "".join(ax.get_title(loc) for loc in ("left", "center", "right"))


def texts(fig) -> list[str]:
    """Every piece of text drawn on a figure (titles, axes, ticks, legends, labels)."""
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def draw_every_figure(study, q, published, lang):
    """Each analysis figure of the notebooks, drawn from the study: name -> figure."""
    probes, thresholds = study.probes, study.thresholds_minutes
    rates = proportions.answer_rates(probes)
    quality = reply_quality.quality_rates(q)
    headline = company_level.headline(probes, thresholds)
    return {
        "probes_sent": plots.probes_sent(probes, study, lang=lang)[0],
        "rate_intervals": plots.rate_intervals(rates.query("level == 'department'"), say("t_rate_department", lang),
                                               study, lang=lang)[0],
        "km_plot": plots.km_plot(probes, "department", say("t_km_department", lang), study, thresholds=thresholds,
                                 lang=lang)[0],
        "km_grid": plots.km_grid(probes, study, thresholds=thresholds, lang=lang)[0],
        "rank_intervals": plots.rank_intervals(league.league_table(probes, n_boot=50)[0], study, lang=lang)[0],
        "paired_rates": plots.paired_rates(probes, "customer_service", "main", study, lang=lang)[0],
        "power_curves": plots.power_curves(plan.power_curve(0.5, [0.2]), study, lang=lang)[0],
        "reply_kind_bars": plots.reply_kind_bars(q, "department", say("t_kinds_department", lang), study,
                                                 lang=lang)[0],
        "share_intervals": plots.share_intervals(quality.query("measure == 'template_share'"), say("t_templates", lang),
                                                 study, say("ax_templates", lang, level="95%"), lang=lang)[0],
        "clock_curves": plots.clock_curves(q, study, thresholds=thresholds, lang=lang)[0],
        "published_vs_reproduced": plots.published_vs_reproduced(headline, published, thresholds, study,
                                                                 lang=lang)[0],
    }


@pytest.mark.parametrize("lang", LANGS)
def test_every_figure_says_what_data_it_shows_in_the_readers_language(replica, lang):
    study, q, published = replica
    data_words = set(study.probes["company"]) | set(study.probes["account"]) | {study.id}
    for name, fig in draw_every_figure(study, q, published, lang).items():
        drawn = texts(fig)
        assert any(study.id in t.get_text() for t in fig.texts), name  # the provenance label
        words = [t for t in drawn if t not in data_words and re.search(r"[A-Za-z]{3,}", t)]
        if lang == "ja":  # no English phrase once company names and the study's own words are set aside
            stripped = [re.sub("|".join(map(re.escape, sorted(data_words, key=len, reverse=True))), "", t)
                        for t in drawn]
            assert not [t for t in stripped if re.search(r"[A-Za-z]{3,} [A-Za-z]{3,}", t)], name
            assert any(JAPANESE.search(t) for t in drawn), name
        else:
            assert words and not any(JAPANESE.search(t) for t in drawn), name


@pytest.mark.parametrize("lang", LANGS)
def test_probes_sent_puts_each_probe_on_its_companys_row(replica, lang):
    study, _, _ = replica
    probes = study.probes
    fig, ax = plots.probes_sent(probes, study, lang=lang)
    dots = [c for c in ax.collections if isinstance(c, PathCollection)]
    kinds = sorted(probes["question_type"].unique())
    assert [len(d.get_offsets()) for d in dots] == [int((probes["question_type"] == k).sum()) for k in kinds]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [term(k, lang) for k in kinds]
    assert {t.get_text() for t in ax.get_yticklabels()} == set(probes["company"])
    assert title(ax) == say("fig_sent_title", lang) and ax.get_xlabel() == say("fig_sent_x", lang)


@pytest.mark.parametrize("lang", LANGS)
def test_km_grid_has_one_panel_per_company_with_its_own_curve(replica, lang):
    study, _, _ = replica
    probes = study.probes
    companies = sorted(probes["company"].unique())
    fig, axes = plots.km_grid(probes, study, thresholds=[30, 60], lang=lang)
    panels = [ax for ax in axes.flat if ax.get_visible()]
    assert [title(ax) for ax in panels] == companies
    assert len(axes.flat) - len(panels) < axes.shape[1]  # only the last row has empty places
    for ax, company in zip(panels, companies, strict=True):
        curve = km_curve(probes[probes["company"] == company])
        step = ax.get_lines()[0]
        assert np.allclose(step.get_xdata(), curve["minutes"] / 60)
        assert np.allclose(step.get_ydata(), curve["share_answered"])
        assert len(ax.get_lines()) == 1 + 2  # the curve and one dotted line per threshold
        assert ax.get_xlim()[1] == 24  # the first day
    assert {say("km_company_x", lang), say("km_company_y", lang)} <= set(texts(fig))


def test_km_grid_wraps_after_the_column_count():
    study = load_study(TINY_STUDY)
    _, axes = plots.km_grid(study.probes, study, columns=2)
    assert axes.shape == (2, 2) and [ax.get_visible() for ax in axes.flat] == [True, True, True, False]


@pytest.mark.parametrize("lang", LANGS)
def test_clock_curves_draw_one_curve_per_clock_and_business_time_is_never_slower(replica, lang):
    study, q, _ = replica
    fig, ax = plots.clock_curves(q, study, lang=lang)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [f"{term(c, lang)} (n={len(q)})" for c in sorted(CLOCK_RULES)]
    curves = dict(zip(sorted(CLOCK_RULES), ax.get_lines(), strict=True))
    # Business minutes never exceed calendar minutes, so by any time at least as many are answered.
    grid = np.linspace(0, 2 * 1440, 200) / 60
    share = {c: np.interp(grid, line.get_xdata(), line.get_ydata()) for c, line in curves.items()}
    assert (share["business"] >= share["calendar"] - 1e-12).all()
    assert title(ax) == say("t_clocks", lang)


@pytest.mark.parametrize("lang", LANGS)
def test_published_vs_reproduced_draws_both_figures_on_each_row(replica, lang):
    study, _, published = replica
    thresholds = study.thresholds_minutes
    headline = company_level.headline(study.probes, thresholds)
    fig, ax = plots.published_vs_reproduced(headline, published, thresholds, study, level=0.9, lang=lang)
    rows = tables.headline_rows(thresholds, lang)
    assert [t.get_text() for t in ax.get_yticklabels()] == [name for _, name in rows]
    ours = ax.containers[0].lines[0].get_xdata()
    assert np.allclose(ours, [headline[key]["share"] for key, _ in rows])
    theirs = next(c for c in ax.collections if isinstance(c, PathCollection)).get_offsets()[:, 0]
    expected = [published[key] / published["companies"] if key in published else np.nan for key, _ in rows]
    assert np.allclose(theirs, expected, equal_nan=True)
    assert say("legend_ours", lang, level="90%") in [t.get_text() for t in ax.get_legend().get_texts()]
