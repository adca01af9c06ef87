"""Text from data stays text: a study whose every text field carries an attack builds a site where none runs.

Study data can come from scraped tweets. The tiny study is copied with payloads in every text
field of the format (company, account, question type, probe id, reply text and the study.yml
texts), the whole site is built once in English and Japanese, and every page is opened in
headless Chromium: no payload may run or leave an element (script, event handler, javascript:
link) in the page, each must read as the literal text it is, and every page must carry the
Content-Security-Policy that forbids script, without the policy blocking anything the page needs.
"""

from __future__ import annotations

import csv
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from helpers.data.accounts import MAX_NAME_LENGTH
from helpers.report import pipeline
from helpers.text.catalogue import LANGS, t_plain
from tests.conftest import TINY_STUDY
from tests.report import browser as site_check

SKIP = site_check.skip_reason()
pytestmark = pytest.mark.skipif(SKIP is not None, reason=f"browser test: {SKIP}")

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
JS_URL = "javascript:window.__pwned=1"
MD_LINK = "[click](javascript:window.__pwned=1)"
MD_IMAGE = '![x](x" onerror="window.__pwned=1)'
TEMPLATE = "{{ 7*7 }}"
RTL = "\u202eשלום مرحبا"  # a right-to-left override, then Hebrew and Arabic

# The tiny study's names, each replaced by one carrying payloads (unique, pairs kept consistent).
COMPANIES = {
    "Company X": f"Acme {SCRIPT} {IMG}",
    "Company Y": f"Beta {MD_LINK} {MD_IMAGE}",
    "Company Z": JS_URL,
}
# A fourth company, copied from Company Y's rows: as long as a name may be, right to left.
LONG = f"Long {TEMPLATE} {RTL} "
LONG = LONG + "L" * (MAX_NAME_LENGTH - 2 - len(LONG))
ACCOUNTS = {
    "company_x": f"acme{SCRIPT}",
    "company_x_care": f"acme_care{IMG}",
    "company_y": f"beta{MD_LINK}",
    "company_z": f"zed{MD_IMAGE}",
}
LONG_ACCOUNT = f"long_{TEMPLATE}{RTL}"
QUESTION_TYPES = {"store_opening_hours": f"hours {SCRIPT}", "returns": f"returns {MD_LINK} {TEMPLATE}"}
REPLY = f"Thanks for asking! {SCRIPT} {IMG} {MD_LINK} {MD_IMAGE} {TEMPLATE} {RTL} We open at nine."

STUDY_TEXT = {
    "title": f"Payload {SCRIPT} study {MD_LINK}",
    "description": f"About {IMG} {MD_IMAGE} {TEMPLATE}",
    "description_ja": f"説明 {SCRIPT} {MD_LINK} {TEMPLATE}",
    "source": JS_URL,
    "limits": [f"Limit {IMG}", f"- {MD_LINK}", f"# {RTL}"],
    "limits_ja": [f"限界 {SCRIPT}", f"1. {MD_IMAGE}"],
    "answer_rate_scope": f"within threads {SCRIPT} {TEMPLATE}",
}


def payload_study(target: Path) -> Path:
    """The tiny study with a payload in every text field, still valid: `target`."""
    shutil.copytree(TINY_STUDY, target)
    meta = yaml.safe_load((target / "study.yml").read_text(encoding="utf-8"))
    meta.update(STUDY_TEXT, synthetic=False)  # real data: the pages then quote the source too
    (target / "study.yml").write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")

    def rewrite(name: str, change) -> None:
        with (target / name).open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            fields, rows = reader.fieldnames, list(reader)
        rows = change(rows)
        with (target / name).open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)

    def accounts(rows):
        extra = [{**r, "company": LONG, "account": LONG_ACCOUNT} for r in rows if r["company"] == "Company Y"]
        for r in rows:
            r["company"], r["account"] = COMPANIES[r["company"]], ACCOUNTS[r["account"]]
        return rows + extra

    def probes(rows):
        extra = [{**r, "company": LONG, "account": LONG_ACCOUNT, "probe_id": f"L{r['probe_id']}{RTL}"}
                 for r in rows if r["company"] == "Company Y"]
        for r in rows:
            r["company"], r["account"] = COMPANIES[r["company"]], ACCOUNTS[r["account"]]
            r["probe_id"] = f"{r['probe_id']}{SCRIPT if r['probe_id'] in ('P1', 'P7') else IMG}"
        for r in rows + extra:
            r["question_type"] = QUESTION_TYPES[r["question_type"]]
            if r["first_reply_at"]:  # the same reply twice from one account: a template the page quotes
                r["first_reply_text"] = REPLY
        return rows + extra

    rewrite("accounts.csv", accounts)
    rewrite("probes.csv", probes)
    return target


def test_the_payload_study_is_valid(tmp_path):
    from helpers.data.study import load_study

    study = load_study(payload_study(tmp_path / "payload-study"))
    assert set(study.probes["company"]) == {*COMPANIES.values(), LONG}
    assert len(LONG) == MAX_NAME_LENGTH - 2
    assert study.title == STUDY_TEXT["title"] and study.rate_scope == STUDY_TEXT["answer_rate_scope"]


@dataclass(frozen=True)
class Site:
    """The built payload site: its reports folder and every page in it, by language."""

    root: Path
    pages: dict[str, list[Path]]


def _unisolated(text: str) -> str:
    """`text` without the bidirectional isolates the escaping puts around a value with its own direction marks."""
    return text.replace("\u2068", "").replace("\u2069", "")


def _lang_of(page: Path) -> str:
    parts = page.name.split(".")
    return parts[-2] if len(parts) > 2 and parts[-2] in LANGS else LANGS[0]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    root = tmp_path_factory.mktemp("untrusted")
    t0 = time.perf_counter()
    pipeline.build_report(payload_study(root / "payload-study"), reports_dir=root / "reports",
                          build_dir=root / "build", lang=",".join(LANGS), log=lambda line: None)
    print(f"payload site built in {time.perf_counter() - t0:.0f} s")
    pages = sorted((root / "reports").rglob("*.html"))
    return Site(root / "reports", {lang: [p for p in pages if _lang_of(p) == lang] for lang in LANGS})


# What a page holds that data could have put there: scripts, event handlers, script URLs, foreign images.
_FACTS_JS = """() => ({
  pwned: typeof window.__pwned !== 'undefined',
  title: document.title,
  text: document.body ? document.body.innerText : '',
  nav: [...document.querySelectorAll('nav.report-nav a')].map(a => a.textContent),
  alts: [...document.images].map(i => i.alt),
  csp: [...document.querySelectorAll('meta[http-equiv="Content-Security-Policy" i]')].map(m => m.content),
  scripts: [...document.querySelectorAll('script')].map(s => s.outerHTML.slice(0, 120)),
  handlers: [...document.querySelectorAll('*')].flatMap(el => [...el.attributes]
      .filter(a => a.name.toLowerCase().startsWith('on')).map(a => `<${el.tagName.toLowerCase()} ${a.name}>`)),
  script_urls: [...document.querySelectorAll('[href], [src], [action], [formaction], [data]')]
      .flatMap(el => ['href', 'src', 'action', 'formaction', 'data'].map(n => el.getAttribute(n) || ''))
      .filter(u => /^(javascript|vbscript):|^data:text/i.test(u.replace(/[\\x00-\\x20]/g, ''))),
  foreign_images: [...document.querySelectorAll('img, image, iframe, object, embed')]
      .filter(el => !(el.getAttribute('src') || '').startsWith('data:image/')).map(el => el.outerHTML.slice(0, 120)),
})"""


def _visit(context, page_file: Path) -> tuple[dict, list[str]]:
    """Open one page; its facts and the dialogs and console errors it caused."""
    events: list[str] = []
    page = context.new_page()
    page.on("dialog", lambda d: (events.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("console", lambda m: events.append(f"console {m.type}: {m.text[:200]}") if m.type == "error" else None)
    page.on("pageerror", lambda e: events.append(f"script error: {str(e)[:200]}"))
    try:
        page.goto(page_file.as_uri(), wait_until="load", timeout=site_check.LOAD_TIMEOUT_MS)
        page.wait_for_timeout(50)  # let an onerror handler of an image that failed fire
        return page.evaluate(_FACTS_JS), events
    finally:
        page.close()


def _contexts(browser):
    """A context that ignores the pages' CSP (so escaping alone is tested) and one that keeps it."""
    block = lambda route: route.abort("blockedbyclient")  # noqa: E731 - nothing leaves file://
    out = {}
    for name, bypass in (("escaping", True), ("csp", False)):
        ctx = browser.new_context(bypass_csp=bypass)
        ctx.route("http*://**", block)
        out[name] = ctx
    return out


@pytest.mark.slow
def test_built_site_has_every_page(site):
    for lang in LANGS:
        names = {p.relative_to(site.root).as_posix() for p in site.pages[lang]}
        suffix = "" if lang == LANGS[0] else f".{lang}"
        assert f"index{suffix}.html" in names and f"payload-study/summary{suffix}.html" in names
        assert sum(n.startswith("payload-study/scorecards/") for n in names) == len(COMPANIES) + 1, sorted(names)
        assert len(names) >= len(pipeline.suite_notebooks()) + 2 + len(COMPANIES) + 1, sorted(names)


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_no_payload_runs_on_any_page_and_each_reads_as_text(site, browser, lang):
    contexts = _contexts(browser)
    problems: list[str] = []
    texts: dict[str, str] = {}
    navs: dict[str, list[str]] = {}
    alts: dict[str, list[str]] = {}
    try:
        for page_file in site.pages[lang]:
            name = page_file.relative_to(site.root).as_posix()
            facts, events = _visit(contexts["escaping"], page_file)
            texts[name] = facts["title"] + "\n" + facts["text"]
            navs[name], alts[name] = facts["nav"], facts["alts"]
            problems += [f"{name}: {e}" for e in events]
            if facts["pwned"]:
                problems.append(f"{name}: a payload ran (window.__pwned is set)")
            for kind in ("scripts", "handlers", "script_urls", "foreign_images"):
                problems += [f"{name}: {kind}: {x}" for x in facts[kind]]
            # The page's own policy: present once, forbidding script, and blocking nothing the page uses.
            facts, events = _visit(contexts["csp"], page_file)
            if len(facts["csp"]) != 1 or "script-src 'none'" not in facts["csp"][0]:
                problems.append(f"{name}: Content-Security-Policy meta tag missing or allows script: {facts['csp']}")
            problems += [f"{name} (with its CSP): {e}" for e in events]
    finally:
        for ctx in contexts.values():
            ctx.close()
    # Escaped once, not twice: no page shows a character reference (no payload holds one).
    for name, text in texts.items():
        if found := re.findall(r".{0,40}&(?:#\d+|#x[0-9a-fA-F]+|[a-z]+);.{0,20}", text):
            problems.append(f"{name}: shows escaped text, e.g. {found[:2]}")
    for name, texts_of_images in alts.items():
        problems += [f"{name}: figure text escaped twice: {a[:80]!r}" for a in texts_of_images if re.search(r"&#?\w+;", a)]
    assert not problems, "\n".join(problems)

    suffix = "" if lang == LANGS[0] else f".{lang}"

    def shown(page: str, *values: str) -> None:
        text = " ".join(texts[f"payload-study/{page}{suffix}.html" if page != "index" else f"index{suffix}.html"].split())
        missing = [v for v in values if " ".join(v.split()) not in text]
        assert not missing, f"{page} ({lang}) does not show {missing!r} as text"

    companies = [*COMPANIES.values(), LONG]
    description = STUDY_TEXT["description_ja" if lang == "ja" else "description"]
    limits = STUDY_TEXT["limits_ja" if lang == "ja" else "limits"]
    shown("index", STUDY_TEXT["title"], description, STUDY_TEXT["source"], STUDY_TEXT["answer_rate_scope"],
          *limits, *companies)
    shown("summary", STUDY_TEXT["title"], description, *limits, *companies)
    for notebook in pipeline.suite_notebooks():  # each analysis page opens with the banner
        shown(notebook.stem, STUDY_TEXT["title"], STUDY_TEXT["source"], STUDY_TEXT["answer_rate_scope"], *limits)
    shown("02-response-rates", *companies)
    # English tables write vocabulary with spaces for underscores (`tables.vocabulary`); that is all they change.
    kinds = [q if lang == "ja" else q.replace("_", " ") for q in QUESTION_TYPES.values()]
    shown("01-data-overview", *companies, *ACCOUNTS.values(), LONG_ACCOUNT, *kinds, f"P6{IMG}")  # a late reply's note
    shown("06-reply-quality", *ACCOUNTS.values(), LONG_ACCOUNT, REPLY)  # per account, and the template's example

    cards = {n: text for n, text in texts.items() if n.startswith("payload-study/scorecards/")}
    for company in companies:
        title = t_plain("scorecard_title", lang, company=company)
        titled = [n for n, text in cards.items() if _unisolated(text.split("\n")[0]) == title]  # its <title>
        assert len(titled) == 1, f"{company!r} is the title of {titled}, not of one scorecard"
        shown(titled[0].removeprefix("payload-study/").removesuffix(f"{suffix}.html"), company,
              STUDY_TEXT["title"], STUDY_TEXT["source"], STUDY_TEXT["answer_rate_scope"])
    acme = next(n for n, text in cards.items()
                if _unisolated(text.split("\n")[0]) == t_plain("scorecard_title", lang, company=COMPANIES["Company X"]))
    shown(acme.removeprefix("payload-study/").removesuffix(f"{suffix}.html"), ACCOUNTS["company_x"],
          ACCOUNTS["company_x_care"])
    assert any(COMPANIES["Company X"] in alt for alt in alts[acme]), alts[acme]  # its figures' text alternative
    # The navigation (folded away, so not in the visible text) names every scorecard by its company, on every page.
    for page, nav in navs.items():
        if page.startswith("payload-study/"):
            assert all(any(company in link for link in nav) for company in companies), (page, nav)


@pytest.mark.slow
def test_the_policy_stops_a_script_that_got_into_a_page(tmp_path, browser):
    """Should escaping ever miss, the pages' policy still forbids inline script and event handlers."""
    from helpers.report import style

    page = tmp_path / "page.html"
    page.write_text(style.apply(f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
                                f"<p>{SCRIPT}{IMG}<a href='{JS_URL}' id='a'>a</a></p></body></html>"), encoding="utf-8")
    ctx = browser.new_context()
    try:
        tab = ctx.new_page()
        tab.goto(page.as_uri(), wait_until="load")
        tab.click("#a")
        tab.wait_for_timeout(100)
        assert tab.evaluate("typeof window.__pwned") == "undefined"
    finally:
        ctx.close()
