"""Render a report :class:`~evalsuite.report.document.Document` as GitHub Markdown.

``report.md`` is text with tables; figures are PNG files saved in the report folder
(``plots/<name>.png``) and linked with relative paths, so GitHub shows them inline.
Names and other user strings are escaped (:func:`markdown_text`): report.md holds no HTML.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote

from evalsuite.core.markup import visible

from .document import Callout, Code, Details, Document, Figure, Heading, Paragraph, RankedTable, Table, spans

_CALLOUT_PREFIX = {"verdict": "✅ ", "neutral": "➖ ", "warning": "⚠️ **Warning:** "}

# Text in the document model is plain text; a Marked text carries two marks of its own:
# ``**bold**`` and ```code``` (a hash, say). Everything else, names and paths included, is
# escaped so that Markdown shows it as text and report.md holds no HTML.
_CODE = re.compile(r"(?<!`)`([^`<>&\\|\r\n]+)`(?!`)")  # a code span that needs no escaping
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# "]" only before "(" or "[" (a link or image; plain brackets, as in CIs, stay as they are),
# "_" only at a word's edge (inside a word it is literal)
_PUNCT = re.compile(r"[\\`*|~]|\](?=[(\[])|(?<![^\W_])_|_(?![^\W_])")
_CLOSING_HASHES = re.compile(r"(^|[ \t])(#+[ \t]*)$")
_BLOCK_START = re.compile(r"^(\s*)([-+=#\[])|^(\s*\d+)([.)])(?=\s|$)")  # "- x", "1. x", "[x]: url"


def markdown_text(text, *, block_start: bool = False) -> str:
    """``text`` escaped for Markdown: shown as written, never as markup or HTML (control
    characters as visible escapes, see :func:`~evalsuite.core.markup.visible`).

    Parameters
    ----------
    text : object
        A user string (name, path) or plain text; ``str(text)`` is used.
    block_start : bool
        The text begins a paragraph, where ``- x`` or ``# x`` would make a list or heading.
    """
    out = visible(text)  # one line, no control character: shown as escapes, as in every output
    out = _PUNCT.sub(lambda m: "\\" + m.group(0), out)
    out = "".join(_ENTITIES.get(c, c) for c in out)
    if block_start:
        out = _BLOCK_START.sub(lambda m: "\\".join(g for g in m.groups() if g is not None), out)
    return out


def _heading(text) -> str:
    """Markdown of a heading's text: a closing run of ``#`` (``x #``) escaped, as it would
    otherwise end the heading and vanish."""
    return _CLOSING_HASHES.sub(r"\1\\\2", _inline(text))


def _inline(text, *, block_start: bool = False) -> str:
    """Markdown of document text: the marks of a :class:`Marked` text kept, the rest escaped,
    control characters shown as visible escapes."""
    parts = []
    for i, (style, value) in enumerate(spans(text)):
        value = visible(value)
        if style == "bold":
            parts.append("**" + markdown_text(value) + "**")
        elif style == "code":
            code = f"`{value}`"
            parts.append(code if _CODE.fullmatch(code) else markdown_text(code, block_start=block_start and i == 0))
        else:
            parts.append(markdown_text(value, block_start=block_start and i == 0))
    return "".join(parts)


def _cell(text) -> str:
    return _inline(text)


def table_markdown(table: Table) -> str:
    """A GitHub pipe table (numeric columns right-aligned)."""
    numeric = list(table.numeric) + [False] * (len(table.headers) - len(table.numeric))
    lines = []
    if table.caption:
        lines += [f"*{_inline(table.caption)}*", ""]
    lines.append("| " + " | ".join(_cell(h) for h in table.headers) + " |")
    lines.append("|" + "|".join("---:" if n else ":---" for n in numeric) + "|")
    muted = list(table.muted) + [False] * (len(table.rows) - len(table.muted))
    for row, grey in zip(table.rows, muted):
        cells = [_cell(c) for c in row]
        if grey:  # Markdown has no grey: italics, and the row says why in its own words
            cells = [f"*{c}*" if c.strip() else c for c in cells]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def ranked_markdown(t: RankedTable) -> str:
    """The scoreboard as a pipe table: the column's best in bold, ▼ where significantly below
    it, a score on too little evidence in italics (Markdown has no cell colour)."""
    lines = [f"*{_inline(t.caption)}*", ""] if t.caption else []
    lines.append("| " + " | ".join(_cell(h) for h in t.headers) + " |")
    lines.append("|:---|" + "|".join("---:" for _ in t.headers[1:]) + "|")
    for label, cells in zip(t.labels, t.cells):
        out = []
        for c in cells:
            text = _cell(c.text)
            if c.muted:
                text = f"*{text}*" if text.strip() else text
            elif c.shade == 1:
                text = f"**{text}**"
            out.append(text + (" ▼" if c.marked else ""))
        lines.append("| " + " | ".join([_cell(label)] + out) + " |")
    return "\n".join(lines)


def _fenced(block: Code) -> str:
    fence = "`" * max(3, 1 + max(map(len, re.findall("`+", block.text)), default=0))
    return fence + block.language + "\n" + block.text.rstrip("\n") + "\n" + fence


def _folded(summary: str, parts: list[str]) -> list[str]:
    """GitHub renders Markdown inside ``<details>`` when blank lines separate it from the tags."""
    return [f"<details><summary>{html.escape(visible(summary))}</summary>", *parts, "</details>"]


def _figure(block: Figure, image_dir: str) -> list[str]:
    caption = _inline(block.caption)
    return [f"![{caption}]({image_dir}/{quote(block.name)})\n\n*{caption}*"]


_RENDER = {
    Heading: lambda b, d: ["#" * min(6, b.level) + " " + _heading(b.text)],
    Paragraph: lambda b, d: [_inline(b.text, block_start=True) + (f" [{_inline(b.link[0])}]({b.link[1]})"
                                                                  if b.link else "")],
    Callout: lambda b, d: ["> " + _CALLOUT_PREFIX.get(b.kind, "") + _inline(b.text, block_start=True)],
    Table: lambda b, d: [table_markdown(b)],
    RankedTable: lambda b, d: [ranked_markdown(b)],
    Details: lambda b, d: _folded(b.summary, _blocks(b.blocks, d)),
    Figure: _figure,
    Code: lambda b, d: _folded(b.summary, [_fenced(b)]) if b.summary else [_fenced(b)],
}


def _blocks(blocks, image_dir: str) -> list[str]:
    """Markdown paragraphs of each block (a folded block gives several)."""
    return [part for block in blocks for part in _RENDER[type(block)](block, image_dir)]


def render_markdown(doc: Document, *, image_dir: str = "plots") -> str:
    """Markdown text of ``doc``; figures link to ``image_dir/<figure name>``."""
    return "\n\n".join([f"# {_heading(doc.title)}"] + _blocks(doc.blocks, image_dir)) + "\n"
