"""``.npz`` vector files: ``vocab`` (unicode array), ``matrix`` (float32), optional ``counts``,
plus the embedding's name and JSON metadata. Read with ``allow_pickle=False``."""

from __future__ import annotations

import json
import math
import os
import zipfile
import zlib

import numpy as np

from evalsuite.core.errors import InputError
from evalsuite.data.compressed import open_regular

FORMAT_VERSION = 1


def read_npz(path, *, limit=None):
    """Read an ``.npz`` file; returns ``(vocab, matrix, counts, name, meta)``."""
    path = os.fspath(path)
    with open_regular(path) as fh:
        return _read_archive(path, fh, limit)


def _read_archive(path, fh, limit):
    try:
        archive = np.load(fh, allow_pickle=False)
    except (ValueError, OSError, zipfile.BadZipFile, EOFError) as exc:
        raise InputError(path, f"not a readable .npz archive ({exc})") from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise InputError(path, "holds a single array, not an .npz archive with 'vocab' and 'matrix'")
    with archive:
        missing = [k for k in ("vocab", "matrix") if k not in archive.files]
        if missing:
            raise InputError(path, f"missing array(s) {missing}; found {sorted(archive.files)}")
        check_members(path, archive.zip)
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
    if matrix.shape[1] < 1:
        raise InputError(path, f"'matrix' has shape {matrix.shape}: vectors of dimension 0 hold nothing "
                         "to score; a vector needs at least one value")
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
    except (ValueError, OSError, zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise InputError(path, f"array '{key}' is corrupt ({exc})") from None


# kinds each array may have: checked from its .npy header, before any array is read
_KINDS = {"vocab": "U", "matrix": "fiu", "counts": "iu", "name": "U", "meta_json": "U",
          "format_version": "iu"}
_HEADER_READERS = {(1, 0): np.lib.format.read_array_header_1_0,
                   (2, 0): np.lib.format.read_array_header_2_0}
# Deflated float32 matrices shrink ~1.1 times, integer counts ~5, and a unicode vocabulary,
# padded to its longest word in UTF-32, ~25 times at 68-character words and ~200 at 1000; a
# bomb of zeros expands ~1030 times (deflate's limit). A member may claim 256 times its deflated
# bytes, plus 1 MiB for small arrays.
NPZ_RATIO = 256
_NPZ_SLACK = 1 << 20


def check_members(path, zf: zipfile.ZipFile) -> None:
    """Check every ``.npy`` member's header (shape, dtype) against the bytes it can hold.

    A member's data are at most its stored bytes, or :data:`NPZ_RATIO` times its deflated
    bytes (a deflate bomb expands ~1030 times); numpy allocates the whole array before
    reading it, so a shape claiming more than that is refused here, before anything is
    decompressed. Object arrays (pickle) and unexpected kinds are refused too.
    """
    for info in zf.infolist():
        key = info.filename[:-4] if info.filename.endswith(".npy") else info.filename
        if info.compress_type == zipfile.ZIP_STORED:
            room = info.compress_size
        elif info.compress_type == zipfile.ZIP_DEFLATED:
            room = info.compress_size * NPZ_RATIO + _NPZ_SLACK
        else:
            raise InputError(path, f"array '{key}' uses zip compression method "
                             f"{info.compress_type}; .npz members are stored or deflated")
        try:
            with zf.open(info) as fh:
                reader = _HEADER_READERS.get(np.lib.format.read_magic(fh))
                if reader is None:
                    raise InputError(path, f"array '{key}' has an unsupported .npy version")
                shape, _, dtype = reader(fh)
                data_room = min(room, info.file_size) - fh.tell()
        except (ValueError, OSError, zipfile.BadZipFile, EOFError, zlib.error) as exc:
            raise InputError(path, f"array '{key}' has no readable .npy header ({exc})") from None
        _check_claim(path, key, shape, dtype, data_room)


def _check_claim(path, key, shape, dtype, room) -> None:
    if dtype.hasobject:
        raise InputError(path, f"array '{key}' holds Python objects, which cannot be read without pickle; "
                         "store words as a unicode array")
    if key in _KINDS and dtype.kind not in _KINDS[key]:
        raise InputError(path, f"array '{key}' has dtype {dtype}, expected one of kind(s) "
                         f"{', '.join(_KINDS[key])}")
    need = math.prod(shape) * dtype.itemsize
    if need > room:
        raise InputError(path, f"array '{key}' claims shape {tuple(shape)} of {dtype} "
                         f"({need} bytes) but its archive member holds at most {max(room, 0)} "
                         f"bytes of data (at most {NPZ_RATIO} times its compressed bytes)")


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
