"""Imports point one way only: each package of evalsuite imports from lower-ranked ones.

Every ``import`` statement (module level and inside functions, absolute and relative)
and every ``importlib.import_module("...")`` call with a literal name is read with
``ast``; an edge from a package to a higher-ranked package fails with file, line and
the edge. ``evalsuite/__init__.py`` and ``__main__.py`` are the package face and exempt.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = "evalsuite"
ROOT = Path(__file__).resolve().parents[1] / PACKAGE

RANKS = {
    "core": 0, "native": 1, "data": 2, "train": 3, "evaluate": 4, "store": 5,
    "analysis": 6, "report": 7, "config": 8, "pipeline": 9, "api": 10, "cli": 11,
}
FACE = {"__init__.py", "__main__.py"}



def _module_name(relpath: str) -> tuple[str, bool]:
    """Dotted name of ``data/corpus/readers.py`` and whether it is a package ``__init__``."""
    parts = relpath[:-3].split("/")
    is_package = parts[-1] == "__init__"
    return ".".join([PACKAGE] + (parts[:-1] if is_package else parts)), is_package


def _resolve(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    """Absolute name of the module a ``from ... import`` reads from."""
    if not node.level:
        return node.module or ""
    parts = module.split(".")
    base = parts if is_package else parts[:-1]
    base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
    return ".".join(base + ([node.module] if node.module else []))


def _is_subpackage(name: str) -> bool:
    return (ROOT / name / "__init__.py").is_file() or (ROOT / f"{name}.py").is_file()


def _is_import_module(node) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "import_module" and bool(node.args))


def _literal_head(arg) -> str | None:
    """The module a literal or f-string name starts with (``f"evalsuite.cli.{x}"`` -> evalsuite.cli)."""
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return arg.value
    if isinstance(arg, ast.JoinedStr) and arg.values and isinstance(arg.values[0], ast.Constant):
        return str(arg.values[0].value).rsplit(".", 1)[0] if "." in str(arg.values[0].value) else None
    return None


def imported_modules(source: str, module: str, is_package: bool = False) -> list[tuple[int, str]]:
    """(line, absolute module name) for every import in ``source``.

    Parameters
    ----------
    source : str
        Python source of one module.
    module : str
        Dotted name of that module (``evalsuite.data.corpus.readers``).
    is_package : bool
        Whether the module is a package's ``__init__`` (relative imports then start
        from the module itself).
    """
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(node, module, is_package)
            # ``from evalsuite import core`` names a subpackage, ``from evalsuite import
            # __version__`` the package face
            subs = [a.name for a in node.names if base == PACKAGE and _is_subpackage(a.name)]
            names = [f"{base}.{sub}" for sub in subs] or [base]
            found += [(node.lineno, name) for name in names]
        elif _is_import_module(node):
            name = _literal_head(node.args[0])
            if name:
                found.append((node.lineno, name))
    return sorted(found)


def upward_edges(source: str, relpath: str) -> list[str]:
    """Messages for each import in ``source`` that points to a higher-ranked package.

    Parameters
    ----------
    source : str
        Python source of the module.
    relpath : str
        Its path relative to the package root, with ``/`` (``data/corpus/readers.py``).

    Returns
    -------
    list of str
        ``"<file>:<line>: <pkg> -> <pkg> (import <module>)"``, one per bad edge; an
        import of a package that has no rank is reported too.
    """
    own = relpath.split("/")[0]
    bad = []
    for line, target in imported_modules(source, *_module_name(relpath)):
        tparts = target.split(".")
        if tparts[0] != PACKAGE or len(tparts) < 2:
            continue
        dest = tparts[1]
        where = f"{PACKAGE}/{relpath}:{line}"
        if dest not in RANKS:
            bad.append(f"{where}: {own} -> {dest} (import {target}): '{dest}' has no rank")
        elif RANKS[dest] > RANKS[own]:
            bad.append(f"{where}: {own} ({RANKS[own]}) -> {dest} ({RANKS[dest]}) (import {target})")
    return bad


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if "/" in rel or rel not in FACE:
            yield rel, path


def test_every_package_has_a_rank():
    packages = {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages == set(RANKS)


def test_imports_point_down_the_layers():
    bad = [msg for rel, path in _modules() for msg in upward_edges(path.read_text(), rel)]
    assert not bad, "imports that point up the layers:\n" + "\n".join(bad)


# -- the checker itself, on synthetic source -------------------------------------------

SOURCE = """\
import os
from evalsuite.core.errors import InputError
import evalsuite.pipeline.jobs


def late():
    from ...cli import main
    from .. import native
    from . import text
    importlib.import_module("evalsuite.report.html")
    importlib.import_module(f"evalsuite.store.{name}")
"""


def test_imports_found_at_every_depth_and_relative_ones_resolved():
    found = imported_modules(SOURCE, "evalsuite.data.corpus.readers")
    assert found == [
        (1, "os"),
        (2, "evalsuite.core.errors"),
        (3, "evalsuite.pipeline.jobs"),
        (7, "evalsuite.cli"),
        (8, "evalsuite.data"),
        (9, "evalsuite.data.corpus"),
        (10, "evalsuite.report.html"),
        (11, "evalsuite.store"),
    ]


def test_relative_import_in_a_package_init_starts_at_the_package():
    assert imported_modules("from . import x\nfrom .. import core\n", "evalsuite.data", True) == [
        (1, "evalsuite.data"), (2, "evalsuite.core"),
    ]


def test_names_from_the_package_face_are_not_subpackages():
    assert imported_modules("from evalsuite import __version__, core\n", "evalsuite.cli") == [
        (1, "evalsuite.core"),
    ]
    assert imported_modules("from evalsuite import __version__\n", "evalsuite.cli") == [(1, "evalsuite")]


def test_upward_edges_are_reported_with_file_line_and_edge():
    bad = upward_edges(SOURCE, "data/corpus/readers.py")
    assert bad == [
        "evalsuite/data/corpus/readers.py:3: data (2) -> pipeline (9) (import evalsuite.pipeline.jobs)",
        "evalsuite/data/corpus/readers.py:7: data (2) -> cli (11) (import evalsuite.cli)",
        "evalsuite/data/corpus/readers.py:10: data (2) -> report (7) (import evalsuite.report.html)",
        "evalsuite/data/corpus/readers.py:11: data (2) -> store (5) (import evalsuite.store)",
    ]


def test_same_rank_and_downward_imports_pass():
    assert upward_edges(SOURCE, "cli/main.py") == []


@pytest.mark.parametrize("source", ["import evalsuite.shiny\n", "from evalsuite.shiny import x\n"])
def test_a_package_without_a_rank_is_reported(source):
    assert upward_edges(source, "core/x.py") == [
        "evalsuite/core/x.py:1: core -> shiny (import evalsuite.shiny): 'shiny' has no rank"
    ]
