"""``.npz`` vector files: ``vocab`` (unicode array), ``matrix`` (float32), optional ``counts``,
plus the embedding's name and JSON metadata. Read with ``allow_pickle=False``."""

from __future__ import annotations

import json
import os
import zipfile

import numpy as np

from evalsuite.core.errors import InputError

FORMAT_VERSION = 1


def read_npz(path, *, limit=None):
    """Read an ``.npz`` file; returns ``(vocab, matrix, counts, name, meta)``."""
    path = os.fspath(path)
    try:
        archive = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except (ValueError, OSError, zipfile.BadZipFile, EOFError) as exc:
        raise InputError(path, f"not a readable .npz archive ({exc})") from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise InputError(path, "holds a single array, not an .npz archive with 'vocab' and 'matrix'")
    with archive:
        missing = [k for k in ("vocab", "matrix") if k not in archive.files]
        if missing:
            raise InputError(path, f"missing array(s) {missing}; found {sorted(archive.files)}")
        vocab = _get(path, archive, "vocab")
        matrix = _get(path, archive, "matrix")
        counts = _get(path, archive, "counts") if "counts" in archive.files else None
        name = str(_get(path, archive, "name")) if "name" in archive.files else None
        meta = {}
        if "meta_json" in archive.files:
            try:
                meta = json.loads(str(_get(path, archive, "meta_json")))
            except json.JSONDecodeError as exc:
                raise InputError(path, f"'meta_json' is not valid JSON ({exc})") from None
    if vocab.ndim != 1 or vocab.dtype.kind != "U":
        raise InputError(path, f"'vocab' must be a 1-D unicode array, got {vocab.dtype} {vocab.shape}")
    if matrix.ndim != 2 or matrix.dtype.kind not in "fiu":
        raise InputError(path, f"'matrix' must be a 2-D numeric array, got {matrix.dtype} {matrix.shape}")
    if matrix.shape[0] != vocab.shape[0]:
        raise InputError(path, f"{vocab.shape[0]} words but {matrix.shape[0]} matrix rows")
    if counts is not None and (counts.shape != vocab.shape or counts.dtype.kind not in "iu"):
        raise InputError(path, f"'counts' must be integers of shape {vocab.shape}, got "
                         f"{counts.dtype} {counts.shape}")
    if limit is not None:
        k = max(int(limit), 0)
        vocab, matrix = vocab[:k], matrix[:k]
        counts = None if counts is None else counts[:k]
    matrix = np.ascontiguousarray(matrix, dtype=np.float32)
    finite = np.isfinite(matrix).all(axis=1)
    if not finite.all():
        row = int(np.flatnonzero(~finite)[0])
        raise InputError(path, f"row {row} ({vocab[row]!r}) of 'matrix' holds NaN or infinite values")
    words = vocab.tolist()
    if "" in words:
        raise InputError(path, f"row {words.index('')} of 'vocab' is an empty word")
    return words, matrix, counts, name, meta


def _get(path, archive, key):
    try:
        return archive[key]
    except ValueError as exc:  # object arrays need pickle, which we refuse
        raise InputError(path, f"array '{key}' cannot be read without pickle ({exc}); store words "
                         "as a unicode array") from None
    except (OSError, zipfile.BadZipFile, EOFError) as exc:
        raise InputError(path, f"array '{key}' is corrupt ({exc})") from None


def write_npz(emb, fh) -> None:
    """Write ``emb`` to the binary file object ``fh`` (uncompressed ``np.savez``)."""
    arrays = {
        "vocab": np.array(emb.vocab, dtype=str) if len(emb) else np.array([], dtype="<U1"),
        "matrix": np.asarray(emb.matrix, dtype=np.float32),
        "name": np.array(emb.name),
        "meta_json": np.array(json.dumps(dict(emb.meta), default=str)),
        "format_version": np.array(FORMAT_VERSION),
    }
    if emb.counts is not None:
        arrays["counts"] = np.asarray(emb.counts, dtype=np.int64)
    np.savez(fh, **arrays)
