"""User strings (names, file names, paths) in rich terminal output.

rich reads a plain string as markup and emoji codes: a name like ``[red]x`` would be
coloured and shortened, ``:fire:`` drawn as an emoji, and ``[/bad]`` would crash the
printing. Every user string that goes into a rich table or message is wrapped by
:func:`rich_text`, which rich shows exactly as it is.
"""

from __future__ import annotations

from rich.text import Text


def rich_text(value, style: str = "") -> Text:
    """``str(value)`` as a rich :class:`~rich.text.Text`: printed literally (no markup, no emoji).

    Parameters
    ----------
    value : object
        A name, path or message holding them.
    style : str
        A rich style for the whole text (``"bold"``, ``"red"`` ...).
    """
    return Text(str(value), style=style)


__all__ = ["rich_text"]
