"""The one way text from data enters what a reader sees: escaped for Markdown or for HTML.

Study data can come from scraped tweets, so every value from data (a company name, a handle, a
reply, the study's title) is untrusted: it must read as the text it is and never become markup.
nbconvert's Markdown renderer (mistune) passes raw HTML through, so a value is escaped *before* it
enters Markdown:

- `md_text`: a value inside Markdown text. HTML's special characters and Markdown's syntax become
  character references (``&lt;``, ``&#91;``): they render as themselves and start nothing (no tag,
  link, image, emphasis, code, table cell, math or template). A marker that would open a list,
  heading or quote at the start of a line is escaped too, and line breaks become spaces, so a value
  cannot start a block of its own.
- `md_code`: a value inside a Markdown code span (the renderer escapes code itself).
- `html_text`: a value inside HTML text or a quoted attribute.
- `url`: a link target from data: percent-encoded, and never a ``javascript:`` (or any other
  scheme but http, https and mailto) URL.

Text that is already safe, because this package wrote it from catalogue words and numbers, is a
`Markup`; the escaping functions pass it through, so escaped pieces can be put together without
being escaped twice. The catalogue's `t` returns `Markup` and escapes every value it fills in.

A value holding explicit bidirectional controls (U+202E, ...) is isolated (U+2068 ... U+2069), so it
cannot reorder the sentence around it.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote, urlsplit


class Markup(str):
    """Markdown that is safe to show: catalogue words with escaped values, or numbers this package formatted.

    A plain ``str`` is data until escaped. ``sep.join(items)`` with a Markup `sep` (a catalogue
    separator) escapes the plain items and stays Markup, and so does Markup ``+`` Markup; ``+`` with
    a plain ``str`` and f-strings give a plain ``str`` again, so wrap a composition of safe pieces in
    `Markup` explicitly.
    """

    __slots__ = ()

    def __add__(self, other):
        joined = str.__add__(self, other)
        return Markup(joined) if isinstance(other, Markup) else joined

    def join(self, iterable) -> Markup:
        return Markup(str.join(self, (md_text(item) for item in iterable)))


class Html(str):
    """An HTML fragment written by this package (``<code>make report</code>``), put into `t_html` as it is."""

    __slots__ = ()


# Characters that are markup somewhere in Markdown (nbconvert's mistune with its plugins: tables,
# strikethrough, task lists, definition lists, URLs, math) or in HTML. Each becomes a character
# reference, which renders as the character and starts nothing.
_HTML_SPECIAL = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
_MD_SPECIAL = {c: f"&#{ord(c)};" for c in "\\`*_{}[]()#!|~$"}
_ESCAPES = str.maketrans({**_MD_SPECIAL, **_HTML_SPECIAL})
# Line breaks (with the blanks around them) become one space: a value never starts a line of its own.
_LINE_BREAKS = re.compile(r"[ \t]*[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+[ \t]*")
# Other control characters are never text a reader should see.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f]")
# At the start of a line these open a list, a setext heading, a thematic break or a definition.
_LEADING_MARKER = re.compile(r"^([ \t]*)(?:([-+=:])(?=[\s\-+=:]|$)|(\d{1,9})\.(?=\s|$))")
_LEADING_BLANKS = re.compile(r"^[ \t]+")
# "https://" in text becomes a link (mistune's url plugin): break the pattern, not the text.
_SCHEME_SLASHES = re.compile(r":(?=//)")
# Explicit bidirectional formatting: embeddings, overrides, isolates.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
_FSI, _PDI = "\u2068", "\u2069"


def _isolated(text: str) -> str:
    """`text` in a bidirectional isolate when it carries its own direction controls (else as it is)."""
    return f"{_FSI}{text}{_PDI}" if _BIDI.search(text) else text


def md_text(value) -> Markup:
    """`value` as literal text inside Markdown (a `Markup` value is already safe and passes through)."""
    if isinstance(value, Markup):
        return value
    text = _CONTROLS.sub("", _LINE_BREAKS.sub(" ", str(value)))
    text = _SCHEME_SLASHES.sub("&#58;", text.translate(_ESCAPES))

    def marker(m: re.Match) -> str:
        blanks = "".join(f"&#{ord(c)};" for c in m.group(1))
        if m.group(2):
            return f"{blanks}&#{ord(m.group(2))};"
        return f"{blanks}{m.group(3)}&#46;"

    text = _LEADING_MARKER.sub(marker, text, count=1)
    text = _LEADING_BLANKS.sub(lambda m: "".join(f"&#{ord(c)};" for c in m.group(0)), text)
    return Markup(_isolated(text))


def md_code(value) -> Markup:
    """`value` inside a Markdown code span: the renderer escapes code, only a backtick could end the span."""
    if isinstance(value, Markup):
        return value
    text = _CONTROLS.sub("", _LINE_BREAKS.sub(" ", str(value)))
    return Markup(_isolated(text.replace("`", "'")))


def html_text(value) -> str:
    """`value` as literal text in HTML, in an element or a quoted attribute."""
    return html.escape(_isolated(_CONTROLS.sub("", str(value))), quote=True)


SAFE_SCHEMES = ("http", "https", "mailto")
# Browsers drop these anywhere in a URL ("java\tscript:"), so the scheme is read without them.
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f]")


def url(value) -> str:
    """A link target from data, percent-encoded: a relative path, or an http(s) or mailto URL.

    Anything else (``javascript:``, ``data:``, ``vbscript:`` ...) becomes ``#``, a link to nowhere.
    The result still needs `html_text` in an HTML attribute (for ``&``).
    """
    text = str(value).strip()
    # Markdown and HTML decode entities before the browser reads the scheme: 'javascript&#58;x' is one.
    scheme = urlsplit(_URL_IGNORED.sub("", html.unescape(html.unescape(text)))).scheme.lower()
    if scheme:
        if scheme not in SAFE_SCHEMES:
            return "#"
        return quote(text, safe="/?#=%:@+,;~.-_!$")
    # A relative path keeps no ':' unencoded, which a browser could read as a scheme; no '&' either,
    # which could start an entity.
    return quote(text, safe="/?#=%@+,;~.-_!$")


def md_list(lines) -> Markup:
    """A Markdown list of the non-empty lines (each escaped unless it is `Markup`)."""
    return Markup("\n".join(f"- {md_text(line)}" for line in lines if line))


def md_join(parts, sep: str = "\n\n") -> Markup:
    """Markdown pieces one after another (each escaped unless it is `Markup`), `sep` between them."""
    return Markup(sep.join(md_text(p) for p in parts if p))


def plain(value) -> str:
    """The text a reader sees of `value`: a `Markup`'s character references read back (for a page title).

    Bidirectional isolates `md_text` added stay: they keep a value's direction to itself in a title too.
    """
    return html.unescape(value) if isinstance(value, Markup) else str(value)
