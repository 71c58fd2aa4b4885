"""Bounds on a config's shape, checked before anything is built from it: nesting, list lengths, names.

A config is a few tables a few levels deep; one nested thousands of levels deep, a task
list of millions of entries or a run name that no file system takes is refused here,
with a message naming the file and the key, instead of failing deep inside the run.
"""

from __future__ import annotations

import unicodedata
from typing import Mapping

from evalsuite.core.errors import ConfigError

#: largest config file read (the default configs are a few KB)
MAX_CONFIG_BYTES = 1 << 20
#: deepest nesting of tables and arrays (the default configs reach 4)
MAX_DEPTH = 32
#: most entries of ``tasks`` (the bundled tasks number about a dozen)
MAX_TASKS = 1000
#: longest run name, in UTF-8 bytes: ``<name>-baseline`` and the report's files must fit a
#: file name (255 bytes on common file systems)
MAX_NAME_BYTES = 128
#: Unicode categories refused in names: controls, format characters, unassigned, private,
#: surrogates, and line and paragraph separators
_REFUSED = ("Cc", "Cf", "Cn", "Co", "Cs", "Zl", "Zp")
_SCALARS = (str, int, float)


def check_depth(source: str, raw) -> None:
    """A :class:`ConfigError` when tables and arrays nest deeper than :data:`MAX_DEPTH` (walked without recursion)."""
    stack = [(raw, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, Mapping) else node if isinstance(node, list) else ()
        for child in children:
            if isinstance(child, _SCALARS):
                continue
            if isinstance(child, (Mapping, list)):
                if depth + 1 > MAX_DEPTH:
                    raise ConfigError(f"{source}: tables and arrays nest more than {MAX_DEPTH} levels deep")
                stack.append((child, depth + 1))


def _shown(name: str) -> str:
    return repr(name if len(name) <= 40 else name[:40] + "...")


def folder_name_problem(name) -> str | None:
    """Why ``name`` cannot name a run (its report folder), or None when it can."""
    if not isinstance(name, str) or not name:
        return f"expected a non-empty string, got {name!r}"
    if any(c in name for c in "/\\") or name.startswith("."):
        return f"not usable as a folder name: {_shown(name)}"
    bad = next((c for c in name if unicodedata.category(c) in _REFUSED), None)
    if bad is not None:
        return (f"not usable as a folder name: {_shown(name)} holds the control character U+{ord(bad):04X}; "
                "use printable characters")
    size = len(name.encode("utf-8", "surrogatepass"))
    if size > MAX_NAME_BYTES:
        return (f"not usable as a folder name: {_shown(name)} is {size} bytes long in UTF-8; "
                f"at most {MAX_NAME_BYTES}")
    return None


__all__ = ["MAX_CONFIG_BYTES", "MAX_DEPTH", "MAX_NAME_BYTES", "MAX_TASKS", "check_depth", "folder_name_problem"]
