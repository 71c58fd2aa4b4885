"""Render a report :class:`~evalsuite.report.document.Document` as one self-contained HTML page.

Images are embedded as base64 ``data:`` URIs and the style sheet is inline, so the
file opens anywhere, offline, with no external resource.
"""

from __future__ import annotations

import base64
import html
import re

from evalsuite.core.markup import visible

from .document import (
    Callout, Code, Details, Document, Figure, Heading, Paragraph, RankedTable, Table, plain, spans, walk,
)
from .plot_style import PIXEL_RATIO

# The content column is 1100 - 2 × 16 = 1068 px wide, wider than any figure (plot_style.MAX_WIDTH).
# A wide table scrolls inside its own box (.scroll), so the page never scrolls sideways.
CSS = """
body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;max-width:1100px;
margin:2em auto;padding:0 1em;color:#222;line-height:1.45;overflow-wrap:break-word}
h1{border-bottom:2px solid #ddd;padding-bottom:.3em}
h2{border-bottom:1px solid #eee;padding-bottom:.2em;margin-top:1.6em}
h1+h2{margin-top:.8em}
nav.toc{font-size:.9em;margin:.5em 0 1em}
nav.toc ol{list-style:none;padding:0;margin:.2em 0;display:flex;flex-wrap:wrap;gap:.2em 1.2em}
.scroll{overflow-x:auto;max-width:100%;margin:.6em 0 1.2em}
.scroll>table{margin:0}
table{border-collapse:collapse;margin:.6em 0 1.2em;font-size:.9em}
th,td{border:1px solid #ccc;padding:.25em .6em}
th{background:#f3f3f3;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}
tr:nth-child(even) td{background:#fafafa}
caption{caption-side:top;text-align:left;font-style:italic;padding-bottom:.3em}
figure{margin:1em 0}
figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{font-style:italic;font-size:.9em;color:#555}
.callout{padding:.45em .9em;border-left:5px solid;margin:.5em 0;border-radius:3px}
.callout.verdict{border-color:#2e7d32;background:#edf7ee}
.callout.neutral{border-color:#757575;background:#f4f4f4}
.callout.warning{border-color:#c62828;background:#fdecea}
tr.muted td{color:#999}
table.ranked{font-size:.82em}
table.ranked th,table.ranked td{padding:.2em .4em}
table.ranked thead th{vertical-align:bottom}
table.ranked td.cell{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.ranked td.best{font-weight:bold}
table.ranked td.muted{color:#999;background:#fff;font-style:italic}
table.ranked th.row{background:#fff;white-space:nowrap}
span.mark{color:#b35806;font-weight:bold}
details.more{margin:.4em 0 1em;border:1px solid #e4e4e4;border-radius:4px;padding:.3em .8em}
details.more>summary{cursor:pointer;color:#0b5394}
details.more[open]>summary{margin-bottom:.4em}
pre{background:#f6f8fa;padding:.8em;overflow:auto;font-size:.85em}
code{background:#f6f8fa;padding:0 .2em}
@media (max-width:600px){body{margin:1em auto;padding:0 .6em}h1{font-size:1.5em}}
@media print{body{max-width:none;margin:0;padding:0;font-size:10pt;color:#000}
nav.toc{display:none}h2,h3{break-after:avoid}details.more{border:0;padding:0}figure,tr,.callout{break-inside:avoid}
.scroll{overflow:visible}figure img{border:0}
tr:nth-child(even) td,th,pre,code,.callout{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""

# On paper nothing can be expanded: print every section on demand opened.
PRINT_SCRIPT = ('<script>addEventListener("beforeprint",function(){'
                'document.querySelectorAll("details").forEach(function(d){d.open=true})})</script>')

_CALLOUT_PREFIX = {"warning": "<strong>Warning:</strong> "}


_TAGS = {"bold": ("<strong>", "</strong>"), "code": ("<code>", "</code>"), "": ("", "")}


def _inline(text) -> str:
    """Escape document ``text`` (control characters shown as visible escapes); the ``**bold**``
    and ```code``` marks of a :class:`Marked` text become tags."""
    return "".join(_TAGS[style][0] + html.escape(visible(value)) + _TAGS[style][1] for style, value in spans(text))


def data_uri(png: bytes) -> str:
    """``data:image/png;base64,...`` URI of PNG bytes."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels of PNG bytes ((0, 0) when they are not a PNG)."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        return 0, 0
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _img(png: bytes, alt: str) -> str:
    """The ``<img>`` of a figure, sized at ``1 / PIXEL_RATIO`` of its pixels (see plot_style)."""
    w, h = png_size(png)
    size = f' width="{w // PIXEL_RATIO}" height="{h // PIXEL_RATIO}"' if w and h else ""
    return f'<img src="{data_uri(png)}"{size} alt="{html.escape(visible(alt), quote=True)}">'


def _slugs(doc: Document) -> list[str]:
    """A unique anchor for every heading, in order."""
    seen, out = {}, []
    for block in walk(doc.blocks):
        if isinstance(block, Heading):
            slug = re.sub(r"[^a-z0-9]+", "-", block.text.lower()).strip("-") or "section"
            seen[slug] = seen.get(slug, 0) + 1
            out.append(slug if seen[slug] == 1 else f"{slug}-{seen[slug]}")
    return out


def _toc(doc: Document, slugs: list[str]) -> str:
    """Links to the top-level sections (``<h2>``)."""
    headings = [b for b in walk(doc.blocks) if isinstance(b, Heading)]
    items = [f'<li><a href="#{slug}">{_inline(h.text)}</a></li>'
             for h, slug in zip(headings, slugs) if h.level <= 2]
    if len(items) < 2:
        return ""
    return '<nav class="toc" aria-label="Contents"><strong>Contents</strong><ol>' + "".join(items) + "</ol></nav>"


def _table(t: Table) -> str:
    numeric = list(t.numeric) + [False] * (len(t.headers) - len(t.numeric))
    rows = ['<div class="scroll"><table>']
    if t.caption:
        rows.append(f"<caption>{_inline(t.caption)}</caption>")
    rows.append("<thead><tr>" + "".join(f"<th>{_inline(h)}</th>" for h in t.headers) + "</tr></thead>")
    rows.append("<tbody>")
    muted = list(t.muted) + [False] * (len(t.rows) - len(t.muted))
    for row, grey in zip(t.rows, muted):
        cells = "".join(
            f'<td class="num">{_inline(c)}</td>' if numeric[i] else f"<td>{_inline(c)}</td>"
            for i, c in enumerate(row)
        )
        rows.append(f'<tr class="muted">{cells}</tr>' if grey else f"<tr>{cells}</tr>")
    rows.append("</tbody></table></div>")
    return "\n".join(rows)


# Rank shades: a sequential blue scale (legible for every colour vision), darkest for the best.
_SHADE_LOW, _SHADE_HIGH = (0xF4, 0xF8, 0xFC), (0x92, 0xC5, 0xDE)


def _shade(x: float) -> str:
    rgb = (round(lo + (hi - lo) * x) for lo, hi in zip(_SHADE_LOW, _SHADE_HIGH))
    return "#" + "".join(f"{v:02x}" for v in rgb)


def _ranked(t: RankedTable) -> str:
    check = f' data-check="{html.escape(t.check, quote=True)}"' if t.check else ""
    rows = [f'<div class="scroll"><table class="ranked"{check}>']
    if t.caption:
        rows.append(f"<caption>{_inline(t.caption)}</caption>")
    rows.append("<thead><tr>" + "".join(f"<th>{_inline(h)}</th>" for h in t.headers) + "</tr></thead><tbody>")
    for label, cells in zip(t.labels, t.cells):
        out = [f'<th class="row" scope="row">{_inline(label)}</th>']
        for c in cells:
            classes = ["cell"] + (["muted"] if c.muted else []) + (["best"] if c.shade == 1 and not c.muted else [])
            style = f' style="background:{_shade(c.shade)}"' if c.shade is not None and not c.muted else ""
            title = f' title="{html.escape(visible(c.title), quote=True)}"' if c.title else ""
            mark = ' <span class="mark" aria-label="significantly below the best">▼</span>' if c.marked else ""
            out.append(f'<td class="{" ".join(classes)}"{style}{title}>{_inline(c.text)}{mark}</td>')
        rows.append("<tr>" + "".join(out) + "</tr>")
    rows.append("</tbody></table></div>")
    return "\n".join(rows)


def _heading(block: Heading, slug_of) -> str:
    level = min(6, max(2, block.level))
    return f'<h{level} id="{next(slug_of)}">{_inline(block.text)}</h{level}>'


def _paragraph(block: Paragraph, slug_of) -> str:
    link = f' <a href="{html.escape(block.link[1], quote=True)}">{_inline(block.link[0])}</a>' if block.link else ""
    return f"<p>{_inline(block.text)}{link}</p>"


def _callout(block: Callout, slug_of) -> str:
    check = f' data-check="{html.escape(block.check, quote=True)}"' if block.check else ""
    return (f'<div class="callout {html.escape(block.kind)}"{check}>'
            f"{_CALLOUT_PREFIX.get(block.kind, '')}{_inline(block.text)}</div>")


def _details(summary: str, inner: str) -> str:
    return f'<details class="more"><summary>{_inline(summary)}</summary>\n{inner}\n</details>'


def _code(block: Code, slug_of) -> str:
    pre = f"<pre><code>{html.escape(block.text)}</code></pre>"
    return _details(block.summary, pre) if block.summary else pre


_RENDER = {
    Heading: _heading,
    Paragraph: _paragraph,
    Callout: _callout,
    Table: lambda block, slug_of: _table(block),
    RankedTable: lambda block, slug_of: _ranked(block),
    Details: lambda block, slug_of: _details(block.summary, "\n".join(_blocks(block.blocks, slug_of))),
    Figure: lambda block, slug_of: (f"<figure>{_img(block.png, block.caption)}"
                                    f"<figcaption>{_inline(block.caption)}</figcaption></figure>"),
    Code: _code,
}


def _blocks(blocks, slug_of) -> list[str]:
    """HTML of each block; headings take the next anchor of ``slug_of`` (document order)."""
    return [_RENDER[type(block)](block, slug_of) for block in blocks]


def render_html(doc: Document) -> str:
    """The whole page as a string."""
    slugs = _slugs(doc)
    slug_of = iter(slugs)
    lead = _blocks(doc.blocks[:doc.lead], slug_of)
    body = [f"<h1>{_inline(doc.title)}</h1>", *lead, _toc(doc, slugs), *_blocks(doc.blocks[doc.lead:], slug_of)]
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{html.escape(visible(plain(doc.title)))}</title>\n"
        "<link rel=\"icon\" href=\"data:,\">\n"
        f"<style>{CSS}</style>\n{PRINT_SCRIPT}\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


_MEDIA = re.compile(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}")
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")


def scoped_css(scope: str) -> str:
    """The page's style sheet with every selector inside ``scope`` (a CSS selector), the
    ``@media`` rules (narrow screens, print) left out: for a fragment inside another page."""
    return "".join(",".join(f"{scope} {s.strip()}" for s in selectors.split(",")) + "{" + body + "}"
                   for selectors, body in _RULE.findall(_MEDIA.sub("", CSS)))


FRAGMENT_CLASS = "evalsuite-report"


def render_fragment(blocks) -> str:
    """``blocks`` of a report as an HTML fragment for another page (a notebook's output cell):
    the report's own rendering in a ``<div>``, styled by the page's style sheet scoped to it;
    no page title and no table of contents."""
    doc = Document(title="", blocks=tuple(blocks))
    body = _blocks(doc.blocks, iter(_slugs(doc)))
    return (f'<div class="{FRAGMENT_CLASS}"><style>{scoped_css("." + FRAGMENT_CLASS)}</style>\n'
            + "\n".join(body) + "\n</div>")
