"""Text from data stays text: the escaping of `helpers.text.markup` and the catalogue's `t` that uses it.

Each Markdown check renders through nbconvert's own Markdown renderer (the one the report pages use,
which passes raw HTML through): what comes out must be one paragraph holding the value as text.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from helpers.report import render, style
from helpers.text import catalogue, markup
from helpers.text.catalogue import t, t_html, t_plain
from helpers.text.markup import Html, Markup, html_text, md_code, md_text, plain, url

PAYLOADS = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    "javascript:window.__pwned=1",
    "[click](javascript:window.__pwned=1)",
    '![x](x" onerror="window.__pwned=1)',
    "{{ 7*7 }}",
    "\u202eשלום مرحبا",
    "Acme & Sons' \"best\" *deals* _now_ `code` ~~gone~~ $x$ | a | b | \\ # not a heading",
    "https://example.org/phish <https://example.org/> <!-- comment -->",
    "- a list?", "+ or this", "1. or this", "# a heading?", "> a quote?", "=== ", "    indented code",
    ": a definition", "[ ] a task", "<details open>", "x" * 200,
]


def rendered(markdown: str) -> BeautifulSoup:
    return BeautifulSoup(markdown2html_mistune(markdown), "html.parser")


def text_of(soup: BeautifulSoup) -> str:
    return " ".join(soup.get_text().split()).replace("\u2068", "").replace("\u2069", "")


@pytest.mark.parametrize("value", PAYLOADS)
def test_a_value_renders_as_its_own_text_and_nothing_else(value):
    for markdown in (md_text(value), f"Company {md_text(value)} answered.", f"- {md_text(value)}"):
        soup = rendered(markdown)
        tags = {tag.name for tag in soup.find_all(True)}
        assert tags <= {"p", "ul", "li"}, (markdown, soup)
        assert " ".join(value.split()) in text_of(soup)


def test_line_breaks_cannot_start_a_block_of_their_own():
    value = "Acme\n\n# Heading\n- item\r\n<script>x</script>\u2028end"
    escaped = md_text(value)
    assert "\n" not in escaped and "\r" not in escaped and "\u2028" not in escaped
    assert {tag.name for tag in rendered(f"Company {escaped}.").find_all(True)} == {"p"}


def test_markup_passes_through_and_plain_text_reads_back():
    once = md_text("<b>A_B</b>")
    assert md_text(once) is once and md_code(once) is once
    assert plain(once) == "<b>A_B</b>" and plain("as it is &amp;") == "as it is &amp;"
    assert plain(md_text(PAYLOADS[6])) == f"\u2068{PAYLOADS[6]}\u2069"  # the isolate keeps its direction to itself


def test_ordinary_text_and_numbers_are_left_as_they_are():
    for value in ("Retailer A", "85% (64–95%)"[:3], "架空ストアA", "-0.5", "+5", "1.5 h", "12:30", "a-b.c"):
        assert md_text(value) == value


def test_direction_controls_are_isolated_plain_right_to_left_text_is_not():
    assert md_text("\u202eabc") == "\u2068\u202eabc\u2069" and html_text("\u2067x") == "\u2068\u2067x\u2069"
    assert md_text("שלום") == "שלום"


def test_code_spans_keep_text_and_cannot_be_closed():
    value = "a_b <i>`x`</i>"
    soup = rendered(f"in `{md_code(value)}` here")
    assert soup.code is not None and soup.code.get_text() == "a_b <i>'x'</i>" and soup.i is None


def test_html_text_escapes_for_elements_and_attributes():
    assert html_text('<a href="x">\'&') == "&lt;a href=&quot;x&quot;&gt;&#x27;&amp;"
    soup = BeautifulSoup(f'<p title="{html_text(PAYLOADS[1])}">{html_text(PAYLOADS[0])}</p>', "html.parser")
    assert soup.p["title"] == PAYLOADS[1] and soup.p.get_text() == PAYLOADS[0] and soup.script is None


@pytest.mark.parametrize("target", ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)",
                                    "java\nscript:x", "vbscript:x", "data:text/html,<script>x</script>", "file:///etc"])
def test_a_link_target_is_never_a_script(target):
    assert url(target) == "#"


def test_link_targets_are_percent_encoded():
    assert url("scorecards/acme & sons.html") == "scorecards/acme%20%26%20sons.html"
    assert url("a:b/c.html") == "#"  # a browser reads "a:" as a scheme
    assert url("scorecards/a:b.html") == "scorecards/a%3Ab.html"
    assert url("https://example.org/a b?q=1#x") == "https://example.org/a%20b?q=1#x"
    assert url('x" onerror="y') == "x%22%20onerror=%22y"
    assert url("../index.ja.html#study") == "../index.ja.html#study"


# --- the catalogue -----------------------------------------------------------------------------

def test_t_escapes_every_value_and_says_so_by_its_type():
    text = t("scorecard_title", "en", company=PAYLOADS[0])
    assert isinstance(text, Markup) and "<script>" not in text
    assert text_of(rendered(text)) == f"Scorecard: {PAYLOADS[0]}"
    assert rendered(text).script is None


def test_t_keeps_markup_values_and_number_formats():
    inner = t("scorecard_title", "en", company="A_B")
    outer = t("banner_source", "en", source=inner)  # catalogue text inside catalogue text: escaped once
    assert text_of(rendered(outer)) == "Source: Scorecard: A_B"
    assert t("responded_cell", "en", k=3, n=4) == "3 of 4"


def test_t_escapes_for_where_the_value_sits_text_code_or_link_target():
    banner = t("banner_real", "en", title="A_B", id="my_study")  # {id} sits in a code span
    soup = rendered(banner)
    assert soup.code.get_text() == "my_study" and "A_B" in soup.get_text()
    link = t("po_full_times", "en", file="[x](javascript:y)", path="javascript:alert(1)")
    soup = rendered(link)
    assert [a["href"] for a in soup.find_all("a")] == ["#"] and "[x](javascript:y)" in soup.get_text()
    link = t("po_full_times", "en", file="times.csv", path="results/response_times.csv")
    assert rendered(link).a["href"] == "results/response_times.csv"


def test_t_plain_fills_values_as_they_are():
    assert t_plain("scorecard_title", "en", company=PAYLOADS[0]) == f"Scorecard: {PAYLOADS[0]}"
    assert not isinstance(t_plain("scorecard_title", "en", company="x"), Markup)


def test_t_html_escapes_words_and_values_but_not_html_the_package_wrote():
    out = t_html("no_reports", "en", command=Html("<code>make report</code>"))
    assert out == "No reports yet: run <code>make report</code>."
    out = t_html("nav_summary", "en", title=PAYLOADS[1])
    soup = BeautifulSoup(f"<p>{out}</p>", "html.parser")
    assert soup.img is None and soup.get_text() == f"Summary: {PAYLOADS[1]}"


def test_markup_plus_markup_stays_markup_and_plain_text_does_not():
    a, b = md_text("A_B"), md_text("C")
    assert isinstance(a + b, Markup) and not isinstance(a + "x", Markup) and not isinstance("x" + a, Markup)


def test_markup_join_escapes_plain_items():
    joined = t("comma", "en").join(["A_B", md_text("C*D")])
    assert isinstance(joined, Markup) and text_of(rendered(joined)) == "A_B, C*D"


def test_every_entry_fills_with_a_payload_and_renders_without_markup_from_it():
    """Whatever blank a value goes into, in any entry and language, it never becomes markup."""
    import string

    for key, texts in catalogue.TEXT.items():
        for lang, template in texts.items():
            fields = {f for _, f, _, _ in string.Formatter().parse(template) if f}
            values = {f: PAYLOADS[1] for f in fields}
            try:
                filled = t(key, lang, **values)
            except (ValueError, TypeError):  # a numeric format spec: the blank takes a number, never text
                continue
            soup = rendered(filled)
            assert soup.img is None and soup.script is None, (key, lang, filled)
            assert not [a for a in soup.find_all("a") if a.get("href", "").startswith("javascript")], (key, lang)


# --- tables, pages ------------------------------------------------------------------------------

def test_shown_tables_escape_cells_row_labels_and_headers():
    table = pd.DataFrame({PAYLOADS[0]: [PAYLOADS[1]]}, index=pd.Index([PAYLOADS[3]], name="<b>company</b>"))
    html = catalogue.show(table)._repr_html_()
    soup = BeautifulSoup(html, "html.parser")
    assert soup.script is None and soup.img is None and soup.b is None
    assert {PAYLOADS[0], PAYLOADS[1], PAYLOADS[3], "<b>company</b>"} <= {c.get_text() for c in soup.find_all(["td", "th"])}


def test_the_scorecard_accounts_table_is_escaped(tiny):
    from helpers.text import scorecard

    probes = tiny.probes.assign(company=tiny.probes["company"].replace("Company X", PAYLOADS[0]),
                                account=tiny.probes["account"].replace("company_x", PAYLOADS[1]))
    card = scorecard.build(probes, PAYLOADS[0], None, [60], lang="en")
    soup = BeautifulSoup(scorecard.accounts_shown(card).to_html(), "html.parser")
    assert soup.img is None and soup.script is None
    assert f"@{PAYLOADS[1]} (main)" in [td.get_text() for td in soup.find_all("td")]
    text = text_of(rendered(scorecard.header(card, tiny)))
    assert f"Scorecard: {PAYLOADS[0]}" in text
    soup = rendered(scorecard.findings_section(card))
    assert soup.find_all(["img", "script"]) == [] and "&" not in soup.get_text()  # escaped once, not twice
    assert [li.get_text() for li in soup.find_all("li")][0].startswith(PAYLOADS[0])
    for section in ("response", "speed", "handles"):
        text = text_of(rendered(scorecard.section(t("h_response", "en"), scorecard.finding(card, section))))
        assert PAYLOADS[0] in text or PAYLOADS[1] in text, (section, text)


def test_the_banner_escapes_every_study_text(tiny):
    from helpers.report.session import banner

    meta = {**tiny.meta, "title": PAYLOADS[0], "source": PAYLOADS[2], "answer_rate_scope": PAYLOADS[4],
            "limits": [PAYLOADS[1], "- " + PAYLOADS[3]], "synthetic": False}
    study = dataclasses.replace(tiny, meta=meta)
    for lang in catalogue.LANGS:
        soup = rendered(banner(study, lang))
        assert soup.find_all(["img", "script", "a"]) == [], soup
        text = text_of(soup)
        assert all(v in text for v in (PAYLOADS[0], PAYLOADS[2], PAYLOADS[4], PAYLOADS[1], "- " + PAYLOADS[3]))
        assert [li.get_text() for li in soup.find_all("li")] == [PAYLOADS[1], "- " + PAYLOADS[3]]


def test_figure_text_is_plain(tiny):
    """matplotlib draws characters: a company name in a figure reads as it is, not as escaped Markdown."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from helpers.analysis import league
    from helpers.figures import plots

    name = "A_B & <C> [d](e)"
    probes = tiny.probes.assign(company=tiny.probes["company"].replace("Company X", name))
    table = league.league_table(probes, n_boot=20)[0]
    fig = plots.league_chart(table, tiny, lang="en")
    labels = [label.get_text() for ax in fig.axes for label in ax.get_yticklabels()]
    plt.close(fig)
    assert any(name in label for label in labels), labels
    assert not any("&#" in label or "&lt;" in label for label in labels), labels


def test_every_page_gets_one_policy_that_forbids_script_first_in_its_head():
    page = "<!DOCTYPE html><html><head><meta charset='utf-8'><title>x</title></head><body></body></html>"
    out = style.apply(page)
    assert out.count("Content-Security-Policy") == 1 and style.apply(out) == out
    head = out[out.index("<head>") + len("<head>"):]
    assert head.startswith(style.CSP_META)
    for rule in ("default-src 'none'", "script-src 'none'", "img-src data:", "style-src 'unsafe-inline'"):
        assert rule in style.CSP


def test_figure_alternative_text_stays_escaped():
    body = ('<h2>Acme &lt;img src=x onerror=&quot;y&quot;&gt; \\1 \\g&lt;0&gt;</h2>'
            '<img src="data:image/png;base64,AA" alt="No description has been provided for this image">')
    out = render.describe_figures(body, "en", "page")
    soup = BeautifulSoup(out, "html.parser")
    assert len(soup.find_all("img")) == 1
    assert '<img src=x onerror="y"> \\1 \\g<0>' in soup.img["alt"]


def test_markup_module_has_no_dependencies_on_the_rest():
    assert markup.__name__ == "helpers.text.markup"
    source = open(markup.__file__, encoding="utf-8").read()
    assert "from helpers" not in source and "import helpers" not in source
