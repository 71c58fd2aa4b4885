"""The datasets shipped in the top-level ``datasets/`` folder, checked against MANIFEST.json."""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

from evalsuite.core.errors import EvalsuiteError

ENV_VAR = "EVALSUITE_DATASETS"


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
    return {e["name"]: e for e in entries}


def manifest() -> dict[str, dict]:
    """Name -> manifest entry for every bundled dataset."""
    return _manifest(data_root())


def verify(entry: dict, sha256: str, rows: int) -> None:
    """Raise when a loaded file's checksum or row count disagrees with the manifest."""
    path = data_root() / entry["file"]
    if sha256 != entry["sha256"]:
        raise EvalsuiteError(
            f"{path}: sha256 {sha256[:12]}… does not match the manifest ({entry['sha256'][:12]}…); "
            "the file was modified or corrupted"
        )
    if rows != entry["rows"]:
        raise EvalsuiteError(f"{path}: {rows} rows but the manifest records {entry['rows']}")
