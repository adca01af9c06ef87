"""Figures: they draw the numbers they are given, in the reader's language, and say what data they show."""

from __future__ import annotations

import itertools
import re
from types import SimpleNamespace

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import yaml
from matplotlib import colors as matplotlib_colors
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from helpers import paths
from helpers.analysis import league, plan, reply_quality, scorecard
from helpers.data.hours import CLOCK_RULES
from helpers.data.study import load_study
from helpers.figures import plots, theme
from helpers.stats import company_level, proportions
from helpers.stats.survival import km_curve
from helpers.text import tables
from helpers.text.catalogue import t
from helpers.text.sentences import say
from helpers.text.tables import vocabulary
from tests.conftest import TINY_STUDY

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
LANGS = ("en", "ja")


@pytest.fixture(scope="module")
def replica():
    study = load_study(paths.DEFAULT_STUDY)
    published = yaml.safe_load((paths.PUBLISHED_DIR / "econsultancy-2014.yml").read_text(encoding="utf-8"))
    return study, reply_quality.probe_quality(study.probes, study.accounts), published


@pytest.fixture(autouse=True)
def themed(request):
    """Figures drawn off screen in the suite's theme for the test's language (as `session.start` sets it),
    undone after each test."""
    plt.switch_backend("Agg")
    callspec = getattr(request.node, "callspec", None)
    with plt.rc_context():
        theme.set_theme(callspec.params.get("lang", "en") if callspec else "en")
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
    rates = proportions.response_rates(probes)
    quality = reply_quality.quality_rates(q)
    headline = company_level.headline(probes, thresholds)
    table = league.league_table(probes, n_boot=50)[0]
    card = scorecard.build(probes, "Retailer A", table, thresholds, lang=lang, quality=q)
    return {
        "probes_sent": plots.probes_sent(probes, study, lang=lang)[0],
        "rate_intervals": plots.rate_intervals(rates.query("level == 'department'"), say("t_rate_department", lang),
                                               study, lang=lang)[0],
        "km_plot": plots.km_plot(probes, "department", say("t_km_department", lang), study, thresholds=thresholds,
                                 lang=lang)[0],
        "km_grid": plots.km_grid(probes, study, thresholds=thresholds, lang=lang)[0],
        "rank_intervals": plots.rank_intervals(table, study, lang=lang)[0],
        "league_chart": plots.league_chart(table, study, lang=lang),
        "paired_rates": plots.paired_rates(probes, "customer_service", "main", study, lang=lang)[0],
        "power_curves": plots.power_curves(plan.power_curve(0.5, [0.2]), study, lang=lang)[0],
        "reply_kind_bars": plots.reply_kind_bars(q, "department", say("t_kinds_department", lang), study,
                                                 lang=lang)[0],
        "share_intervals": plots.share_intervals(quality.query("measure == 'template_share'"), say("t_templates", lang),
                                                 study, say("ax_templates", lang, level="95%"), lang=lang)[0],
        "clock_curves": plots.clock_curves(q, study, thresholds=thresholds, lang=lang)[0],
        "published_vs_reproduced": plots.published_vs_reproduced(headline, published, thresholds, study,
                                                                 lang=lang)[0],
        "scorecard_rates": plots.scorecard_rates(card, study)[0],
        "scorecard_speed": plots.scorecard_speed(probes, card, study, thresholds)[0],
        "scorecard_accounts": plots.scorecard_accounts(card, study)[0],
        "scorecard_rank": plots.scorecard_rank(table, card, study)[0],
        "scorecard_kinds": plots.scorecard_kinds(card, study)[0],
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
    _, ax = plots.probes_sent(probes, study, lang=lang)
    dots = [c for c in ax.collections if isinstance(c, PathCollection)]
    kinds = sorted(probes["question_type"].unique())
    assert [len(d.get_offsets()) for d in dots] == [int((probes["question_type"] == k).sum()) for k in kinds]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [vocabulary(k, lang) for k in kinds]
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
        n = len(curve)  # a curve at 100% runs on to the axis end, where no one is left to wait
        assert np.allclose(step.get_xdata()[:n], curve["minutes"] / 60)
        assert np.allclose(step.get_ydata()[:n], curve["share_answered"])
        assert len(step.get_xdata()) == n + (curve["share_answered"].iloc[-1] == 1)
        assert len(ax.get_lines()) == 1 + 2  # the curve and one dotted line per threshold
        assert ax.get_xlim()[1] == plots.time_axis(study).max_minutes / 60
    assert {t("ax_time_hours", lang), t("ax_share_km", lang)} <= set(texts(fig))


def test_km_grid_wraps_after_the_column_count():
    study = load_study(TINY_STUDY)
    _, axes = plots.km_grid(study.probes, study, columns=2)
    assert axes.shape == (2, 2) and [ax.get_visible() for ax in axes.flat] == [True, True, True, False]


@pytest.mark.parametrize("lang", LANGS)
def test_clock_curves_draw_one_curve_per_clock_and_business_time_is_never_slower(replica, lang):
    study, q, _ = replica
    _, ax = plots.clock_curves(q, study, lang=lang)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [f"{vocabulary(c, lang)} (n={len(q)})" for c in sorted(CLOCK_RULES)]
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
    _, ax = plots.published_vs_reproduced(headline, published, thresholds, study, level=0.9, lang=lang)
    rows = tables.headline_rows(thresholds, lang)
    assert [t.get_text() for t in ax.get_yticklabels()] == [name for _, name in rows]
    ours = ax.containers[0].lines[0].get_xdata()
    assert np.allclose(ours, [headline[key]["share"] for key, _ in rows])
    theirs = next(c for c in ax.collections if isinstance(c, PathCollection)).get_offsets()[:, 0]
    keys = [tables.PUBLISHED_KEYS.get(key, key) for key, _ in rows]  # the published file keeps "answered"
    expected = [published[key] / published["companies"] if key in published else np.nan for key in keys]
    assert np.allclose(theirs, expected, equal_nan=True)
    assert say("legend_ours", lang, level="90%") in [t.get_text() for t in ax.get_legend().get_texts()]


# --------------------------------------------------------------------------------------------
# Charts that read: what marketers reported, each as a property of the drawn figure


def boxes_overlap(a: Bbox, b: Bbox, tolerance: float = 1.0) -> bool:
    """Do two boxes (display pixels) share more than `tolerance` pixels either way?"""
    return min(a.x1, b.x1) - max(a.x0, b.x0) > tolerance and min(a.y1, b.y1) - max(a.y0, b.y0) > tolerance


def data_axes(fig):
    """The axes that hold data (not empty grid places)."""
    return [ax for ax in fig.axes if ax.get_visible()]


def test_a_curve_flat_at_zero_or_one_hundred_percent_stays_in_sight(replica):
    study, _, _ = replica
    flat = study.probes.groupby("company")["answered"].agg(["any", "all"])
    assert flat["any"].eq(False).any() and flat["all"].any()  # the study has both kinds (Retailer S: none answered)
    _, axes = plots.km_grid(study.probes, study)
    for ax in axes.flat:
        if ax.get_visible():
            low, high = ax.get_ylim()
            y = ax.get_lines()[0].get_ydata()
            assert low < y.min() and y.max() < high  # strictly inside: never on the spine
            assert next(tick for tick in ax.get_yticks() if low <= tick <= high) == 0  # no tick below 0%


def test_a_chart_of_too_few_questions_is_a_sentence_saying_so(replica):
    study, q, _ = replica
    few = q.head(plots.MIN_CHART_QUESTIONS - 1)
    for lang in LANGS:
        sentence = plots.too_little_data(few, lang)
        assert sentence and str(len(few)) in sentence and str(plots.MIN_CHART_QUESTIONS) in sentence
        assert plots.too_little_data(len(few), lang) == sentence
        assert plots.too_little_data(q, lang) is None
        for fig, ax in (plots.clock_curves(few, study, lang=lang),
                        plots.km_plot(few, "department", "title", study, lang=lang)):
            assert not ax.get_lines() and not ax.axison  # no empty axes
            assert sentence in texts(fig) and any(study.id in x.get_text() for x in fig.texts)


def legend_figures(study, q, published, lang="en"):
    probes, thresholds = study.probes, study.thresholds_minutes
    table = league.league_table(probes, n_boot=50)[0]
    card = scorecard.build(probes, "Retailer A", table, thresholds, lang=lang, quality=q)
    return {
        "km_plot": plots.km_plot(probes, "department", "t", study, thresholds=thresholds, lang=lang)[0],
        "paired_rates": plots.paired_rates(probes, "customer_service", "main", study, lang=lang)[0],
        "power_curves": plots.power_curves(plan.power_curve(0.5, [0.1, 0.2, 0.3]), study, lang=lang)[0],
        "published_vs_reproduced": plots.published_vs_reproduced(
            company_level.headline(probes, thresholds), published, thresholds, study, lang=lang)[0],
        "clock_curves": plots.clock_curves(q, study, thresholds=thresholds, lang=lang)[0],
        "probes_sent": plots.probes_sent(probes, study, lang=lang)[0],
        "reply_kind_bars": plots.reply_kind_bars(q, "department", "t", study, lang=lang)[0],
        "scorecard_rates": plots.scorecard_rates(card, study)[0],
        "scorecard_speed": plots.scorecard_speed(probes, card, study, thresholds)[0],
    }


def test_legends_sit_outside_the_data(replica):
    study, q, published = replica
    for name, fig in legend_figures(study, q, published).items():
        fig.canvas.draw()
        legends = [ax.get_legend() for ax in fig.axes if ax.get_legend()]
        assert legends, name
        for legend in legends:
            box = legend.get_window_extent()
            assert not any(boxes_overlap(box, ax.bbox) for ax in data_axes(fig)), name


@pytest.mark.parametrize("n", [1, 2, 3, 9, 10, 11, 17, 20, 58, 74, 99, 100, 101, 137, 250, 1000])
def test_rank_ticks_are_whole_ranks_from_one_to_the_last(n):
    ticks = plots.rank_ticks(n)
    assert all(isinstance(x, int) for x in ticks) and ticks[0] == 1 and ticks[-1] <= n
    assert ticks == sorted(set(ticks)) and len(ticks) <= 12
    gaps = np.diff(ticks)
    assert n - ticks[-1] < max(gaps, default=1)  # the last rank is near a tick


def visible_ticks(axis, lim) -> list[float]:
    low, high = sorted(lim)
    return [x for x in axis.get_ticklocs() if low <= x <= high]


def test_rank_axes_carry_whole_numbers_only(replica):
    study, q, _ = replica
    table = league.league_table(study.probes, n_boot=50)[0]
    n = int(table["ranked"].sum())
    card = scorecard.build(study.probes, "Retailer A", table, study.thresholds_minutes, quality=q)
    for _, ax in (plots.rank_intervals(table, study), plots.scorecard_rank(table, card, study)):
        ticks = visible_ticks(ax.xaxis, ax.get_xlim())
        assert ticks and all(float(x).is_integer() and 1 <= x <= n for x in ticks)
        assert 1 in ticks
        assert [x.get_text() for x in ax.get_xticklabels() if x.get_text()] == [f"{x:.0f}" for x in ticks]


def long_named(probes: pd.DataFrame) -> pd.DataFrame:
    """The same probes, their companies renamed to long names (as real data has)."""
    names = {c: f"{c} Customer Care Department of a Long Name {i}" for i, c in enumerate(sorted(probes["company"]))}
    return probes.assign(company=probes["company"].map(names))


def assert_titles_fit(fig, axes, names):
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    panels = [ax for ax in axes.flat if ax.get_visible()]
    boxes = [ax.title.get_window_extent(renderer) for ax in panels]
    for i, a in enumerate(boxes):
        assert not any(boxes_overlap(a, b, tolerance=0) for b in boxes[i + 1:])
    for ax, box, name in zip(panels, boxes, names, strict=True):
        shown = title(ax)
        assert shown == name or (shown.endswith("…") and name.startswith(shown[:-1].rstrip()))
        assert box.x1 <= ax.bbox.x1 + 0.1 * ax.bbox.width  # within its own panel's column


@pytest.mark.parametrize("lang", LANGS)
def test_km_grid_titles_never_collide_however_long_the_names(replica, lang):
    study, _, _ = replica
    probes = long_named(study.probes)
    fig, axes = plots.km_grid(probes, study, thresholds=study.thresholds_minutes, lang=lang)
    assert_titles_fit(fig, axes, sorted(probes["company"].unique()))


@pytest.mark.slow
def test_km_grid_titles_never_collide_on_real_twcs_data(twcs_head_study):
    study = twcs_head_study
    names = sorted(study.probes["company"].unique())[:plots.MAX_COMPANY_PANELS]  # as many as get panels
    probes = study.probes[study.probes["company"].isin(names)]
    fig, axes = plots.km_grid(probes, study, thresholds=study.thresholds_minutes)
    assert_titles_fit(fig, axes, names)


def many_companies(n: int, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A response-rate table and a league table of `n` made-up companies (a tenth too small to rank)."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 40, n)
    sizes[: n // 10] = 1
    responded = rng.binomial(sizes, rng.uniform(0.2, 1.0, n))
    names = [f"Company {i:03d}" for i in range(n)]
    low, high = proportions.wilson_interval(responded, sizes)
    rates = pd.DataFrame({"company": names, "n_probes": sizes, "n_responded": responded,
                          "response_rate": responded / sizes, "ci_low": low, "ci_high": high})
    ranked = sizes >= 2
    order = pd.Series(-(responded / sizes)).where(ranked).rank(method="min")
    table = rates.rename(columns={"ci_low": "response_rate_ci_low", "ci_high": "response_rate_ci_high"}).assign(
        ranked=ranked, rank=order.astype("Int64"), rank_ci_low=(order - 3).clip(lower=1).astype("Int64"),
        rank_ci_high=(order + 3).clip(upper=ranked.sum()).astype("Int64"))
    return rates, table


def peer_card(rates: pd.DataFrame, table: pd.DataFrame, company: str, lang: str = "en"):
    r = rates.set_index("company").loc[company]
    row = table.set_index("company").loc[company]
    return SimpleNamespace(
        company=company, lang=lang, peer_rates=rates,
        response_rate={"k": int(r["n_responded"]), "n": int(r["n_probes"]), "share": r["response_rate"],
                       "ci_low": r["ci_low"], "ci_high": r["ci_high"]},
        rank={"ranked": True, "rank": int(row["rank"]), "rank_ci_low": int(row["rank_ci_low"]),
              "rank_ci_high": int(row["rank_ci_high"])})


@pytest.mark.parametrize("lang", LANGS)
def test_scorecard_strips_read_at_a_hundred_companies_and_more(tiny, lang):
    drawn = {}
    for n in (20, 150):
        rates, table = many_companies(n)
        company = table.loc[table["ranked"], "company"].iloc[n // 4]
        card = peer_card(rates, table, company, lang)
        for name, (fig, _) in (("rates", plots.scorecard_rates(card, tiny)),
                               ("rank", plots.scorecard_rank(table, card, tiny))):
            words = texts(fig)
            assert not any(other in w for w in words for other in rates["company"] if other != company)
            assert sum(company in w for w in words) >= 1  # the company is labelled
            drawn.setdefault(name, []).append(len(words))
    # Peers add no text: a strip of 150 companies carries as many words as one of 20 (ticks aside).
    for name, counts in drawn.items():
        assert abs(counts[0] - counts[1]) <= 3, name


def test_threshold_labels_read_in_the_readers_language():
    assert [plots.threshold_label(m) for m in (30, 60, 90, 1440, 2880)] == ["30 min", "1 h", "1.5 h", "24 h", "48 h"]
    assert [plots.threshold_label(m, "ja") for m in (30, 60, 1440)] == ["30分", "1時間", "24時間"]


@pytest.mark.parametrize("lang", LANGS)
def test_every_threshold_line_is_labelled_above_the_data(replica, lang):
    study, _, _ = replica
    thresholds = (30, 60, 240, 1440)
    fig, ax = plots.km_plot(study.probes, "department", "t", study, thresholds=thresholds, lang=lang)
    lines = [line.get_xdata()[0] * 60 for line in ax.get_lines() if line.get_linestyle() == ":"]
    assert sorted(lines) == list(thresholds)
    top = ax.child_axes  # the labels are the ticks of a top axis
    assert len(top) == 1
    shown = " ".join(x.get_text() for x in top[0].get_xticklabels())
    assert all(plots.threshold_label(m, lang) in shown for m in thresholds)
    fig.canvas.draw()
    for text in top[0].get_xticklabels():  # outside the data, under the title
        box = text.get_window_extent()
        assert box.y0 >= ax.bbox.y1 - 1 and box.y1 <= ax.title.get_window_extent().y0 + 1


@pytest.mark.parametrize("study_dir", [paths.DEFAULT_STUDY, TINY_STUDY], ids=["replica", "tiny"])
def test_every_time_chart_of_a_study_has_the_one_time_axis(study_dir):
    study = load_study(study_dir)
    probes, thresholds = study.probes, study.thresholds_minutes
    axis = plots.time_axis(study)
    window = ((probes["observed_until"] - probes["sent_at"]).dt.total_seconds() / 60).max()
    assert axis.max_minutes >= min(2 * max(thresholds), window)  # the whole span it promises
    steps = np.diff(axis.ticks_hours)
    assert axis.ticks_hours[0] == 0 and axis.ticks_hours[-1] * 60 == axis.max_minutes and np.allclose(steps, steps[0])
    assert len(axis.ticks_hours) <= plots.MAX_TIME_TICKS
    q = reply_quality.probe_quality(probes, study.accounts)
    card = scorecard.build(probes, min(probes["company"]), None, thresholds, quality=q)
    axes = [plots.km_plot(probes, "department", "t", study, thresholds=thresholds)[1],
            *[ax for ax in plots.km_grid(probes, study, thresholds=thresholds)[1].flat if ax.get_visible()],
            plots.clock_curves(q, study, thresholds=thresholds)[1],
            plots.scorecard_speed(probes, card, study, thresholds)[1]]
    for ax in axes:
        assert ax.get_xlim() == (0, axis.max_minutes / 60)
        assert list(visible_ticks(ax.xaxis, ax.get_xlim())) == list(axis.ticks_hours)


def league_rows(ax) -> dict[str, tuple[float, float]]:
    """Each drawn interval of a league chart by its row's tick label: (low, high)."""
    segments = [seg for c in ax.collections if isinstance(c, LineCollection) for seg in c.get_segments()]
    by_y = {round(float(seg[0][1]), 6): (float(seg[0][0]), float(seg[1][0])) for seg in segments}
    return {label.get_text(): by_y[round(float(y), 6)] for y, label in zip(ax.get_yticks(), ax.get_yticklabels(),
                                                                           strict=True)}


@pytest.mark.parametrize("lang", LANGS)
def test_league_chart_draws_each_company_in_rank_order_with_the_leagues_interval(replica, lang):
    study, _, _ = replica
    table = league.league_table(study.probes, n_boot=50, min_questions=3)[0]
    assert (~table["ranked"]).any()  # some companies too small to rank at this minimum
    fig = plots.league_chart(table, study, lang=lang)
    ax = fig.axes[0]
    rows = league_rows(ax)
    ranked, unranked = table[table["ranked"]], table[~table["ranked"]]
    expected = [t("league_tick", lang, rank=int(r.rank), company=r.company, k=r.n_responded, n=r.n_probes)
                for r in ranked.sort_values("rank", kind="stable").itertuples()]
    expected += [t("league_tick_unranked", lang, company=r.company, k=r.n_responded, n=r.n_probes)
                 for r in unranked.sort_values("company").itertuples()]
    assert list(rows) == expected  # top to bottom: rank order, then the unranked by name
    assert ax.yaxis_inverted()
    for (low, high), r in zip(rows.values(), [*ranked.sort_values("rank", kind="stable").itertuples(),
                                             *unranked.sort_values("company").itertuples()], strict=True):
        assert np.isclose(low, r.response_rate_ci_low) and np.isclose(high, r.response_rate_ci_high)
    assert t("league_unranked", lang, n=len(unranked)) in texts(fig)
    assert any(study.id in x.get_text() for x in fig.texts)


def test_league_chart_reads_at_a_hundred_companies_and_more(tiny):
    heights = {}
    for n in (20, 150):
        _, table = many_companies(n)
        fig = plots.league_chart(table, tiny)
        ax = fig.axes[0]
        fig.canvas.draw()
        boxes = sorted((x.get_window_extent() for x in ax.get_yticklabels()), key=lambda b: b.y0)
        assert len(boxes) == n
        assert not any(boxes_overlap(a, b, tolerance=0) for a, b in itertools.pairwise(boxes))  # names readable
        assert min(b.height for b in boxes) >= 8 * fig.dpi / 72  # names in text of 8 points or more
        heights[n] = fig.get_figheight()
    assert heights[150] > 5 * heights[20] / 2  # the chart grows with the companies


def test_rate_intervals_draw_the_response_rates(replica):
    study, _, _ = replica
    rates = proportions.response_rates(study.probes).query("level == 'department'")
    ax = plots.rate_intervals(rates, "t", study)[1]
    drawn = np.asarray(ax.containers[0].lines[0].get_xdata(), dtype=float)
    assert np.allclose(sorted(drawn), sorted(rates["response_rate"]))


def test_english_figures_draw_japanese_company_names_without_missing_glyphs():
    import warnings

    import matplotlib.pyplot as plt

    from helpers.figures import theme

    theme.set_theme("en")
    fig, ax = plt.subplots()
    ax.set_title("架空ストアA answered 3 of 4")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" is a UserWarning
        fig.canvas.draw()
    plt.close(fig)


@pytest.mark.parametrize("lang", LANGS)
def test_beyond_the_panel_limit_one_chart_holds_every_companys_curve(lang, tmp_path):
    """Too many companies for panels: one line per company (its own KM curve) and the overall curve."""
    from helpers.synthetic.studies import write_simulated

    study = load_study(write_simulated(tmp_path / "many", plots.MAX_COMPANY_PANELS + 5, seed=3))
    probes = study.probes
    fig, ax = plots.km_grid(probes, study, thresholds=[30, 60], lang=lang)
    assert not isinstance(ax, np.ndarray) and len(fig.axes) <= 2  # one chart (and its threshold labels)
    (lines,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    companies = sorted(probes["company"].unique())
    assert len(lines.get_segments()) == len(companies)
    first = lines.get_segments()[0]
    curve = km_curve(probes[probes["company"] == companies[0]])
    assert set(np.round(curve["share_answered"], 9)) <= set(np.round(first[:, 1], 9))
    overall = km_curve(probes)
    assert np.allclose(ax.get_lines()[0].get_ydata()[:len(overall)], overall["share_answered"])
    assert title(ax) == say("fig_km_spread_title", lang, companies=len(companies))
    legend = ax.get_legend()
    assert [x.get_text() for x in legend.get_texts()] == [
        say("fig_km_spread_company", lang), say("fig_km_spread_all", lang, n=len(probes))]
    grey = legend.legend_handles[0]
    assert grey.get_linewidth() >= 1 and (grey.get_alpha() is None or grey.get_alpha() == 1)  # seen in the legend


@pytest.mark.parametrize("lang", LANGS)
def test_beyond_the_row_limit_questions_sent_are_counted_per_day(lang, tmp_path):
    from helpers.synthetic.studies import write_simulated

    study = load_study(write_simulated(tmp_path / "many", plots.MAX_COMPANY_ROWS + 5, seed=3))
    probes = study.probes
    fig, ax = plots.probes_sent(probes, study, lang=lang)
    heights = sum(p.get_height() for p in ax.patches)
    assert heights == len(probes)  # every question in one bar
    assert fig.get_figheight() < 5  # not a row per company
    assert title(ax) == say("fig_sent_title_many", lang, companies=probes["company"].nunique())


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_wave_chart_reads_at_a_hundred_companies_and_colours_only_what_is_told_from_chance(tiny, lang):
    from helpers.compare.waves import company_changes
    from helpers.synthetic.waves import wave_pair

    b, c, truth = wave_pair(np.random.default_rng(5), n_companies=100, probes_per_company=(40, 40), changed=20,
                            company_sd=0.5)
    table = company_changes(b, c, truth["company"].tolist(), [], False, n_boot=0)
    fig, ax = plots.wave_changes(table, tiny, "response_rate", lang)
    fig.canvas.draw()
    boxes = sorted((x.get_window_extent() for x in ax.get_yticklabels()), key=lambda b: b.y0)
    assert len(boxes) == 100
    assert not any(boxes_overlap(a, b, tolerance=0) for a, b in itertools.pairwise(boxes))
    assert min(b.height for b in boxes) >= 8 * fig.dpi / 72
    rows = table[table["metric"] == "response_rate"]
    lines = next(coll for coll in ax.collections if isinstance(coll, LineCollection))
    muted = np.array(matplotlib_colors.to_rgba(theme.MUTED))
    coloured = int(sum(not np.allclose(colour, muted) for colour in lines.get_colors()))
    assert coloured == int(rows["told_from_chance"].sum()) > 0
    plt.close(fig)
