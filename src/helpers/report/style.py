"""The one stylesheet of every report page (screen and print), and `apply`, which puts it in a page.

nbconvert's lab template is made for a desktop notebook: no viewport tag (phones draw it 980 px
wide and shrink it), fixed paddings, tables as wide as their columns. These rules come after
its own, so they win. `PAGE_CSS` and `PRINT_CSS` are exported for pages made elsewhere (the index).

`apply` also gives every page its Content-Security-Policy (`CSP`): the pages need no script (the
menus are ``<details>``, the figures ``data:`` images, the styles inline), so none may run, not
even one that text from data smuggled in past the escaping (`helpers.text.markup`).
"""

from __future__ import annotations

import re

PAGE_CSS = """
.jp-Notebook{max-width:72rem;margin:0 auto;overflow-wrap:break-word}
img,svg,video,canvas{max-width:100%;height:auto}
p,li,dd,dt,h1,h2,h3,h4,summary,figcaption{overflow-wrap:anywhere}
pre,code{white-space:pre-wrap;overflow-wrap:anywhere}
.table-scroll{overflow-x:auto;max-width:100%;margin:.5rem 0}
.table-scroll>table{margin:0}
.table-scroll:focus-visible{outline:2px solid #0b57a4;outline-offset:2px}
.jp-RenderedHTMLCommon{padding-right:0}
.jp-OutputArea-output,.jp-RenderedHTMLCommon{max-width:100%;overflow-x:visible}
.report-nav{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK JP",sans-serif;
font-size:.95rem;line-height:1.4;color:#1a1a1a;background:#f4f6f8;border:1px solid #d8dde3;border-radius:.4rem;
padding:.5rem .75rem;margin:0 0 1.25rem}
.report-nav ul{list-style:none;margin:0;padding:0}
.report-nav .report-nav-top{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;align-items:baseline}
.report-nav .report-nav-lists{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;margin-top:.35rem}
.report-nav details{min-width:0;max-width:100%}
.report-nav summary{cursor:pointer;color:#0b57a4}
.report-nav details ul{margin:.3rem 0 .3rem 1rem;max-height:60vh;overflow-y:auto}
.report-nav details li{margin:.15rem 0}
.report-nav a{color:#0b57a4}
.report-nav a[aria-current]{color:#1a1a1a;font-weight:600;text-decoration:none}
.report-nav .report-nav-study{font-weight:600}
@media (max-width:40rem){
:root{--jp-notebook-padding:.5rem}
.jp-Cell{padding-left:0;padding-right:0}
.jp-RenderedHTMLCommon h1{font-size:1.6rem}
}
"""

PRINT_CSS = """
@media print{
.report-nav{display:none!important}
*{color:#000!important;background:transparent!important;box-shadow:none!important;text-shadow:none!important}
html,body{background:#fff!important}
body{font-size:11pt}
.jp-Notebook{max-width:none}
a{text-decoration:underline}
a[href^="http"]::after{content:" (" attr(href) ")";font-size:90%;overflow-wrap:anywhere}
.table-scroll{overflow:visible!important}
table{font-size:9pt;max-width:100%}
td,th{white-space:normal!important;overflow-wrap:anywhere}
thead{display:table-header-group}
tr,img,svg,figure,.jp-OutputArea-child,.jp-RenderedImage{break-inside:avoid;page-break-inside:avoid}
h1,h2,h3,h4{break-after:avoid;page-break-after:avoid}
p,li{orphans:3;widows:3}
@page{margin:15mm}
}
"""

# What a report page may load: inline styles and data: images and fonts, nothing else; no script,
# no plugin, no form. Links still work (navigation is not governed by the policy). No base-uri
# rule: PDF printing puts a <base> before this tag (`helpers.report.pdf`) so that links point to
# where the report is published, and an injected one is what the escaping prevents.
CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; script-src 'none'; "
       "object-src 'none'; form-action 'none'")
CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
STYLE_ID = "report-style"
_VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'
_TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL | re.IGNORECASE)
_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)


def wrap_tables(body: str) -> str:
    """Put every table in a box of its own that scrolls sideways, so the page never does."""
    # tabindex: a keyboard reader can reach and scroll the box.
    return _TABLE.sub(lambda m: f'<div class="table-scroll" tabindex="0">{m.group(0)}</div>', body)


def apply(page: str, tables: bool = True) -> str:
    """`page` with its Content-Security-Policy, the viewport tag, the stylesheet and (`tables`) scrolling table boxes.

    Applying it twice changes nothing. Pages that box their own tables (the summary) pass ``tables=False``.
    """
    if f'id="{STYLE_ID}"' in page:
        return page
    head = "" if re.search(r'<meta\s+name="viewport"', page) else _VIEWPORT
    head += f'<style id="{STYLE_ID}">{PAGE_CSS}{PRINT_CSS}</style>'
    if tables:
        page = wrap_tables(page)
    # The policy goes first in <head>, so that it governs everything the page holds.
    m = _HEAD.search(page)
    page = page[:m.end()] + CSP_META + page[m.end():] if m else CSP_META + page
    if "</head>" in page:
        return page.replace("</head>", head + "</head>", 1)
    return head + page
