"""Render a report :class:`~evalsuite.report.document.Document` as GitHub Markdown.

``report.md`` is text with tables; figures are PNG files saved in the report folder
(``plots/<name>.png``) and linked with relative paths, so GitHub shows them inline.
"""

from __future__ import annotations

from .document import Callout, Code, Document, Figure, Heading, Paragraph, Table

_CALLOUT_PREFIX = {"verdict": "✅ ", "neutral": "➖ ", "warning": "⚠️ **Warning:** "}


def _cell(text) -> str:
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def table_markdown(table: Table) -> str:
    """A GitHub pipe table (numeric columns right-aligned)."""
    numeric = list(table.numeric) + [False] * (len(table.headers) - len(table.numeric))
    lines = []
    if table.caption:
        lines += [f"*{table.caption}*", ""]
    lines.append("| " + " | ".join(_cell(h) for h in table.headers) + " |")
    lines.append("|" + "|".join("---:" if n else ":---" for n in numeric) + "|")
    muted = list(table.muted) + [False] * (len(table.rows) - len(table.muted))
    for row, grey in zip(table.rows, muted):
        cells = [_cell(c) for c in row]
        if grey:  # Markdown has no grey: italics, and the row says why in its own words
            cells = [f"*{c}*" if c.strip() else c for c in cells]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def render_markdown(doc: Document, *, image_dir: str = "plots") -> str:
    """Markdown text of ``doc``; figures link to ``image_dir/<figure name>``."""
    parts = [f"# {doc.title}"]
    for block in doc.blocks:
        if isinstance(block, Heading):
            parts.append("#" * min(6, block.level) + " " + block.text)
        elif isinstance(block, Paragraph):
            parts.append(block.text)
        elif isinstance(block, Callout):
            parts.append("> " + _CALLOUT_PREFIX.get(block.kind, "") + block.text)
        elif isinstance(block, Table):
            parts.append(table_markdown(block))
        elif isinstance(block, Figure):
            parts.append(f"![{block.caption}]({image_dir}/{block.name})\n\n*{block.caption}*")
        elif isinstance(block, Code):
            fence = "```" + block.language + "\n" + block.text.rstrip("\n") + "\n```"
            if block.summary:
                fence = f"<details><summary>{block.summary}</summary>\n\n{fence}\n\n</details>"
            parts.append(fence)
        else:  # pragma: no cover - the block types are closed
            raise TypeError(f"unknown block {type(block).__name__}")
    return "\n\n".join(parts) + "\n"
