"""Headless Chromium over a built report site: crawl it and list what a reader would trip on.

Playwright drives the system browser (``executable_path``); nothing downloads a browser.
Every problem found is collected (page, width, what), so one run lists them all.
"""

from __future__ import annotations

import csv
import importlib.util
import os
import re
import shutil
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

WIDTHS = (1400, 400)
HEIGHT = 900
LOAD_TIMEOUT_MS = 60_000
# Schemes a page may load without leaving the machine (figures are embedded as data: URLs).
LOCAL_SCHEMES = {"file", "data", "about", "blob"}
# Links a reader follows out of the site; they load nothing when the page opens.
EXTERNAL_SCHEMES = {"http", "https", "mailto", "tel"}

# Python and pandas spellings of missing or infinite values and booleans; ASCII boundaries so that
# a token glued to Japanese text is still found (\b treats kana and kanji as word characters).
_EDGE_L, _EDGE_R = r"(?<![A-Za-z0-9_])", r"(?![A-Za-z0-9_])"
RAW_VALUES = re.compile(_EDGE_L + r"(NaN|nan|-?inf|-?Infinity|True|False)" + _EDGE_R)
_SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")
# Study columns whose values are data a page may quote as they are (names, tweets).
DATA_COLUMNS = {"company", "account"}


def chromium_path() -> str | None:
    """The system Chromium: $CHROMIUM, /usr/bin/chromium, or one on PATH."""
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def skip_reason() -> str | None:
    """Why the browser test cannot run here, or None."""
    if importlib.util.find_spec("playwright") is None:
        return "Playwright for Python is not installed (pip install -c constraints.txt -e '.[test]')"
    if chromium_path() is None:
        return "no Chromium found (/usr/bin/chromium; Debian: apt-get install chromium; or set $CHROMIUM)"
    return None


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong on one page at one width (0: at any width)."""

    page: str
    width: int
    what: str

    def __str__(self) -> str:
        return f"{self.page} @ {f'{self.width}px' if self.width else 'any width'}: {self.what}"


def report(problems: list[Problem], pages: int) -> str:
    """The problems as a readable list: by page, each problem once with the widths it shows at."""
    lines = [f"{len(problems)} problem(s) on {len({p.page for p in problems})} of {pages} page(s) checked."]
    kinds: dict[str, set[str]] = {}
    for p in problems:
        kind = re.split(r" \(|: | e\.g\.", p.what)[0]
        kinds.setdefault(re.sub(r"column name '.*'", "column names", kind), set()).add(p.page)
    lines.append("Pages with each kind of problem:")
    lines += [f"  {len(on):4d}  {kind}" for kind, on in sorted(kinds.items(), key=lambda k: (-len(k[1]), k[0]))]
    lines.append("Every problem, by page:")
    for page in sorted({p.page for p in problems}):
        lines.append(f"  {page}")
        widths: dict[str, list[int]] = {}
        for p in problems:
            if p.page == page:
                widths.setdefault(p.what, []).append(p.width)
        for what, at in widths.items():
            where = "any width" if at == [0] else ", ".join(f"{w}px" for w in sorted(at, reverse=True))
            lines.append(f"    - [{where}] {what}")
    return "\n".join(lines)


def column_names(results_dirs: list[Path]) -> set[str]:
    """The snake_case column names in the header rows of every results CSV file."""
    names = set()
    for results in results_dirs:
        for file in results.rglob("*.csv"):
            with file.open(encoding="utf-8", newline="") as f:
                header = next(csv.reader(f), [])
            names |= {h.strip() for h in header if _SNAKE.match(h.strip())}
    return names


def data_values(study_dir: Path) -> list[str]:
    """Names and tweets in the study's input files: a page may quote them as they are."""
    values = set()
    for file in (study_dir / "accounts.csv", study_dir / "probes.csv"):
        with file.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                values |= {v for k, v in row.items() if v and (k in DATA_COLUMNS or k.endswith("text"))}
    return sorted(values, key=len, reverse=True)  # longest first: a name inside a tweet goes with the tweet


class TextCheck:
    """Raw values and column names in a page's visible text, data values excepted."""

    def __init__(self, columns: set[str], data: list[str]):
        self.columns = re.compile(_EDGE_L + "(" + "|".join(map(re.escape, sorted(columns, key=len, reverse=True)))
                                  + r")(?![A-Za-z0-9_]|\.(?:csv|json))") if columns else None
        # Only data values that hold a suspect token can hide one; the rest need no masking.
        self.data = [v for v in data if self._hits(v)]

    def _hits(self, text: str) -> list[re.Match]:
        hits = list(RAW_VALUES.finditer(text))
        return hits + (list(self.columns.finditer(text)) if self.columns else [])

    def __call__(self, text: str) -> list[str]:
        for value in self.data:
            text = text.replace(value, " ")
        found: dict[str, list[re.Match]] = {}
        for m in self._hits(text):
            found.setdefault(m.group(1), []).append(m)
        out = []
        for token, hits in sorted(found.items()):
            m = hits[0]
            context = " ".join(text[max(0, m.start() - 40): m.end() + 40].split())
            kind = "raw value" if RAW_VALUES.fullmatch(token) else "column name"
            out.append(f"visible text shows {kind} {token!r} ({len(hits)}x), e.g. \u201c{context}\u201d")
        return out


# Outermost elements that stick out of the viewport and are not inside a box that clips or scrolls.
_OVERFLOW_JS = """() => {
  const de = document.documentElement, cw = de.clientWidth, sw = de.scrollWidth;
  if (sw <= cw + 1) return null;
  const clipped = el => { for (let a = el.parentElement; a && a !== de; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return true; } return false; };
  const wide = new Set([...document.body.querySelectorAll('*')].filter(el => {
      const r = el.getBoundingClientRect(); return r.width > 0 && r.right > cw + 1 && !clipped(el); }));
  const classes = el => typeof el.className === 'string' ? el.className.trim().split(/\\s+/).filter(Boolean) : [];
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + classes(el).slice(0, 2).map(c => '.' + c).join('');
  const outer = [...wide].filter(el => !wide.has(el.parentElement)).slice(0, 4).map(el =>
      name(el) + ' (' + Math.round(el.getBoundingClientRect().right) + 'px) "'
      + (el.innerText || '').trim().replace(/\\s+/g, ' ').slice(0, 40) + '"');
  return {sw, cw, outer};
}"""

_PAGE_JS = """() => ({
  lang: document.documentElement.lang,
  text: document.body ? document.body.innerText : '',
  ids: [...document.querySelectorAll('[id], a[name]')].map(e => e.id || e.getAttribute('name')),
  links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href')),
  broken: [...document.images].filter(i => !(i.complete && i.naturalWidth > 0))
      .map(i => (i.getAttribute('src') || '').slice(0, 60)),
})"""


@dataclass
class PageFacts:
    """What one visit found."""

    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)


class SiteCheck:
    """Crawl one language of a report site from its index and check every page of it reached.

    `lang` is the language checked; `plain` is the language of a page whose name carries no
    language code (the default language when both are built side by side, else the site's own).
    Links into the other language are checked for their target but not followed.
    """

    def __init__(self, browser, root: Path, text_check: TextCheck, lang: str, plain: str,
                 widths: tuple[int, ...] = WIDTHS):
        self.browser, self.root, self.text_check = browser, root.resolve(), text_check
        self.lang, self.plain, self.widths = lang, plain, widths
        self.problems: list[Problem] = []
        self.facts: dict[Path, PageFacts] = {}

    def name(self, file: Path) -> str:
        try:
            return file.relative_to(self.root).as_posix()
        except ValueError:
            return str(file)

    def language(self, file: Path) -> str:
        """A page's language by its name: index.ja.html is Japanese, a plain name is `plain`'s."""
        from helpers.text.catalogue import LANGS

        parts = file.name.split(".")
        return parts[-2] if len(parts) > 2 and parts[-2] in LANGS else self.plain

    def run(self, entry: Path) -> list[Problem]:
        """Check every page of `lang` reachable from `entry`; return the problems found."""
        entry = entry.resolve()
        if not entry.is_file():
            return [Problem(self.name(entry), 0, "index page is missing")]
        contexts = {w: self._context(w) for w in self.widths}
        try:
            pages = {w: ctx.new_page() for w, ctx in contexts.items()}
            queue, seen, anchors = deque([entry]), {entry}, []
            while queue:
                file = queue.popleft()
                for width in self.widths:
                    self._visit(pages[width], file, width)
                for href in self.facts[file].links:
                    target = self._link(file, href, anchors)
                    if (target is not None and target.suffix == ".html" and target not in seen
                            and self.language(target) == self.lang):
                        seen.add(target)
                        queue.append(target)
        finally:
            for ctx in contexts.values():
                ctx.close()
        for source, href, target, fragment in anchors:
            ids = self.facts[target].ids if target in self.facts else _ids_in(target)
            if fragment not in ids and unquote(fragment) not in ids:
                self.problems.append(Problem(self.name(source), 0, f"missing anchor: {href!r} (no element with id "
                                                                   f"{unquote(fragment)!r} on {self.name(target)})"))
        return sorted(set(self.problems))

    @property
    def pages(self) -> int:
        return len(self.facts)

    def _context(self, width: int):
        ctx = self.browser.new_context(viewport={"width": width, "height": HEIGHT})
        ctx.route(re.compile(r"^(?!(?:file|data|about|blob):)"), lambda route: route.abort("blockedbyclient"))
        return ctx

    def _visit(self, page, file: Path, width: int) -> None:
        from playwright.sync_api import Error as BrowserError

        name = self.name(file)
        events: list[str] = []
        handlers = {
            # A resource that fails to load is listed once, as a failed request with its address.
            "console": lambda m: (events.append(f"console {m.type}: {m.text[:200]}")
                                  if m.type == "error" and not m.text.startswith("Failed to load resource") else None),
            "pageerror": lambda e: events.append(f"script error: {str(e)[:200]}"),
            "request": lambda r: (events.append(f"request leaves file:// (pages must work offline): {r.url[:120]}")
                                  if urlsplit(r.url).scheme not in LOCAL_SCHEMES else None),
            "requestfailed": lambda r: (events.append(f"request failed ({r.failure}): {r.url[:120]}")
                                        if urlsplit(r.url).scheme in LOCAL_SCHEMES else None),
        }
        for event, handler in handlers.items():
            page.on(event, handler)
        try:
            try:
                page.goto(file.as_uri(), wait_until="load", timeout=LOAD_TIMEOUT_MS)
            except BrowserError as exc:  # a page that does not load is one problem, not the end of the run
                self.problems.append(Problem(name, width, f"did not load: {str(exc).splitlines()[0][:200]}"))
                return
            facts = page.evaluate(_PAGE_JS)
            overflow = page.evaluate(_OVERFLOW_JS)
        finally:
            for event, handler in handlers.items():
                page.remove_listener(event, handler)
        found = list(dict.fromkeys(events))
        if overflow:
            found.append(f"page is wider than the window ({overflow['sw']}px > {overflow['cw']}px); "
                         f"sticking out: {'; '.join(overflow['outer']) or '?'}")
        found += [f"image not loaded: {src!r}" for src in facts["broken"]]
        if facts["lang"] != self.lang:
            found.append(f"declares lang={facts['lang']!r}, expected {self.lang!r}")
        found += self.text_check(facts["text"])
        self.problems += [Problem(name, width, what) for what in found]
        self.facts[file] = PageFacts(set(facts["ids"]), facts["links"])

    def _link(self, source: Path, href: str, anchors: list) -> Path | None:
        """The local file `href` points at (None for external links); broken links become problems."""
        parts = urlsplit(href.strip())
        if parts.scheme in EXTERNAL_SCHEMES or parts.netloc:
            return None
        problem = None
        if parts.scheme == "file" or parts.path.startswith("/"):
            problem = f"absolute link: {href!r} (breaks when the folder moves)"
        elif parts.scheme:
            problem = f"link of an unexpected scheme: {href!r}"
        if problem:
            self.problems.append(Problem(self.name(source), 0, problem))
            return None
        target = (source.parent / unquote(parts.path)).resolve() if parts.path else source
        if not target.is_relative_to(self.root):
            self.problems.append(Problem(self.name(source), 0, f"link leaves the report folder: {href!r}"))
            return None
        if not target.is_file():
            self.problems.append(Problem(self.name(source), 0,
                                         f"broken link: {href!r} ({self.name(target)} does not exist)"))
            return None
        if parts.fragment:
            anchors.append((source, href, target, parts.fragment))
        return target


def _ids_in(file: Path) -> set[str]:
    """Element ids of a page not visited (the other language's), read from its HTML."""
    if file.suffix != ".html":
        return set()
    return set(re.findall(r"\b(?:id|name)=[\"']([^\"']+)[\"']", file.read_text(encoding="utf-8")))
