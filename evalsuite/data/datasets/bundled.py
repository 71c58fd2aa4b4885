"""The bundled datasets and the one rule that checks them: MANIFEST.json's sha256 and rows.

``datasets/MANIFEST.json`` lists every bundled dataset: the similarity and analogy files
in the top-level ``datasets/`` folder, and the classification data read from an installed
package (an entry with ``"package"``: its ``file`` is then inside that package). Every
load goes through :func:`verified_path` (the file's sha256 against the manifest, before
it is parsed) and :func:`check_rows` (the parsed row count against the manifest).
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from importlib import resources
from pathlib import Path

from evalsuite.core.errors import EvalsuiteError
from evalsuite.data.corpus.fingerprint import file_sha256

ENV_VAR = "EVALSUITE_DATASETS"
KINDS = ("similarity", "analogy", "classification")


def data_root() -> Path:
    """Folder holding ``MANIFEST.json``: ``$EVALSUITE_DATASETS`` or the repository's ``datasets/``."""
    candidates = []
    if os.environ.get(ENV_VAR):
        candidates.append(Path(os.environ[ENV_VAR]))
    candidates.append(Path(__file__).resolve().parents[3] / "datasets")
    for folder in candidates:
        if (folder / "MANIFEST.json").is_file():
            return folder
    looked = ", ".join(str(c) for c in candidates)
    raise EvalsuiteError(
        f"bundled datasets not found (looked in {looked}); install evalsuite from its source tree "
        f"with 'pip install -e .' or set {ENV_VAR} to the datasets folder"
    )


@lru_cache(maxsize=4)
def _manifest(root: Path) -> dict[str, dict]:
    path = root / "MANIFEST.json"
    try:
        entries = json.loads(path.read_text("utf-8"))["datasets"]
    except (ValueError, KeyError) as exc:
        raise EvalsuiteError(f"{path}: not a valid dataset manifest ({exc})") from None
    required = {"name", "kind", "file", "rows", "sha256", "source", "licence", "citation"}
    for i, entry in enumerate(entries):
        missing = required - set(entry)
        if missing:
            raise EvalsuiteError(f"{path}: entry {i} lacks {', '.join(sorted(missing))}")
        if entry["kind"] not in KINDS:
            raise EvalsuiteError(f"{path}: entry {i} has kind {entry['kind']!r}; expected one of {', '.join(KINDS)}")
        if entry["kind"] == "classification" and "subset" not in entry:
            raise EvalsuiteError(f"{path}: entry {i} lacks subset (the value of the CSV's source column)")
    return {e["name"]: e for e in entries}


def manifest() -> dict[str, dict]:
    """Name -> manifest entry for every bundled dataset."""
    return _manifest(data_root())


def entry_path(entry: dict) -> Path:
    """Where a manifest entry's file is: under :func:`data_root`, or inside its ``package``."""
    package = entry.get("package")
    if not package:
        return data_root() / entry["file"]
    try:
        root = resources.files(package)
    except ModuleNotFoundError:
        raise EvalsuiteError(f"dataset '{entry['name']}' needs the package {package!r}, which is not installed") from None
    return Path(str(root / entry["file"]))


def verified_path(name: str) -> tuple[Path, str]:
    """The file of bundled dataset ``name`` and its sha256, checked against the manifest.

    Raises
    ------
    EvalsuiteError
        When the file is missing or its sha256 differs from the manifest's.
    """
    entry = manifest()[name]
    path = entry_path(entry)
    if not path.is_file():
        raise EvalsuiteError(f"{path}: file of bundled dataset '{name}' not found")
    sha256 = file_sha256(path, use_cache=False)  # a verification reads the bytes every time
    if sha256 != entry["sha256"]:
        raise EvalsuiteError(
            f"{path}: sha256 {sha256[:12]}… does not match the manifest ({entry['sha256'][:12]}…); "
            "the file was modified or corrupted"
        )
    return path, sha256


def check_rows(name: str, rows: int) -> None:
    """Raise when the rows parsed for bundled dataset ``name`` disagree with the manifest."""
    entry = manifest()[name]
    if rows != entry["rows"]:
        raise EvalsuiteError(f"{entry_path(entry)}: {rows} rows for '{name}' but the manifest records {entry['rows']}")
