"""Find evaluation datasets by bundled name, registered name or file path."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from evalsuite.data.datasets import bundled
from evalsuite.data.datasets.base import AnalogyDataset, SimilarityDataset
from evalsuite.data.datasets.classification import ClassificationDataset, load_bundled_classification
from evalsuite.data.datasets.parsers import parse_analogy, parse_similarity, sniff_kind
from evalsuite.core.errors import EvalsuiteError, UnknownNameError
from evalsuite.core.registry import suggest

KINDS = ("similarity", "analogy")
_user: dict[str, tuple[str, Path]] = {}

_PARSERS = {"similarity": parse_similarity, "analogy": parse_analogy}


def register_dataset(name: str, path, kind: str | None = None) -> None:
    """Register a user file under ``name`` (same formats as the bundled data).

    Raises ``ValueError`` if ``name`` is already taken.
    """
    if name in _user or name in bundled.manifest():
        raise ValueError(f"dataset '{name}' is already registered")
    path = Path(path)
    kind = _check_kind(kind) if kind else sniff_kind(path)
    _user[name] = (kind, path)


def unregister_dataset(name: str) -> None:
    """Remove a user dataset registered with :func:`register_dataset`."""
    _user.pop(name, None)


def _check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise EvalsuiteError(f"unknown dataset kind '{kind}'{suggest(kind, KINDS)}; expected one of {', '.join(KINDS)}")
    return kind


def load_dataset(name_or_path, kind: str | None = None) -> SimilarityDataset | AnalogyDataset | ClassificationDataset:
    """Load a bundled dataset by name, a registered one, or any file by path.

    Bundled files are verified against the manifest's sha256 and row count.

    Parameters
    ----------
    name_or_path : str or path
        ``"ws353"``, ``"google"``, ``"mr"`` ... or a path to a similarity/analogy file.
    kind : {"similarity", "analogy"}, optional
        Format of a user file; guessed from its content when omitted.
    """
    key = str(name_or_path)
    entries = bundled.manifest()
    if key in entries:
        return _load_bundled(key)
    if key in _user:
        user_kind, path = _user[key]
        return _PARSERS[user_kind](path, name=key)
    path = Path(key)
    if path.exists():  # a folder, a named pipe or a device is refused by the reader, by name
        kind = _check_kind(kind) if kind else sniff_kind(path)
        return _PARSERS[kind](path, name=key)
    known = sorted(entries) + sorted(_user)
    raise UnknownNameError(
        f"unknown dataset '{key}'{suggest(key, known)}: not a bundled or registered name and no such file; "
        f"known: {', '.join(known)}"
    )


@lru_cache(maxsize=None)
def _load_bundled(name: str):
    entry = bundled.manifest()[name]
    if entry["kind"] == "classification":
        return load_bundled_classification(name)
    path, _ = bundled.verified_path(name)
    meta = {k: entry[k] for k in ("source", "licence", "citation", "description") if k in entry}
    if entry["kind"] == "analogy" and entry.get("family"):
        dataset = parse_analogy(path, name=name, meta=meta, family=lambda _section: entry["family"])
    else:
        dataset = _PARSERS[entry["kind"]](path, name=name, meta=meta)
    bundled.check_rows(name, len(dataset))
    return dataset


def list_datasets(kind: str | None = None) -> list[dict]:
    """One dict per bundled and registered dataset: name, kind, rows, licence, source, citation.

    ``kind`` keeps only ``"similarity"``, ``"analogy"`` or ``"classification"`` datasets.
    """
    out = []
    for name, entry in sorted(bundled.manifest().items()):
        if kind is None or entry["kind"] == kind:
            out.append({k: entry.get(k, "") for k in ("name", "kind", "rows", "licence", "source", "citation", "description", "sha256")})
    for name, (user_kind, path) in sorted(_user.items()):
        if kind is None or user_kind == kind:
            out.append({"name": name, "kind": user_kind, "rows": None, "licence": "user file", "source": str(path),
                        "citation": "", "description": "", "sha256": ""})
    return out
