"""User strings (names, file names, paths) as text in every output.

Two things can go wrong when a name is printed:

- a control character reaches the terminal raw: an ANSI or OSC-8 sequence (ESC ...)
  clears the screen, recolours it or plants a link, a newline splits a one-line
  message. :func:`visible` shows every control character as a visible escape
  (``\\x1b``, ``\\n``), the same in the terminal, in error lines and in both reports;
- rich reads a plain string as markup and emoji codes: a name like ``[red]x`` would be
  coloured and shortened, ``:fire:`` drawn as an emoji, and ``[/bad]`` would crash the
  printing. Every user string that goes into a rich table or message is wrapped by
  :func:`rich_text`, which rich shows exactly as it is (control characters visible).
"""

from __future__ import annotations

import re

from rich.text import Text

# C0 controls (newline and tab included), DEL, C1 controls, the line and paragraph
# separators and the bidirectional overrides and isolates (which reorder what follows)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_MARK_CHARS = re.compile(r"[\\*`]")
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escape(match: re.Match) -> str:
    c = match.group(0)
    return _NAMED.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")


def visible(text) -> str:
    """``str(text)`` with every control character shown as a visible escape.

    ESC becomes ``\\x1b``, a newline ``\\n``, a tab ``\\t``, NUL ``\\x00``, a C1 control
    ``\\x9b``, a bidirectional override ``\\u202e``; everything else (backslashes
    included) is kept, so a name without control characters is unchanged.

    Parameters
    ----------
    text : object
        A name, path or message holding them.
    """
    return _CONTROL.sub(_escape, str(text))


def literal(text) -> str:
    """``text`` for a place inside text with marks of its own (``**bold**``, ```code```): its
    ``\\``, ``*`` and ``` ` ``` escaped with a backslash, so that they stay text.

    Used for names inside the report's marked sentences (see
    :class:`evalsuite.report.document.Marked`).
    """
    return _MARK_CHARS.sub(r"\\\g<0>", str(text))


def rich_text(value, style: str = "") -> Text:
    """:func:`visible` ``(value)`` as a rich :class:`~rich.text.Text`: printed literally (no markup,
    no emoji, no control character).

    Parameters
    ----------
    value : object
        A name, path or message holding them.
    style : str
        A rich style for the whole text (``"bold"``, ``"red"`` ...).
    """
    return Text(visible(value), style=style)


__all__ = ["literal", "rich_text", "visible"]
