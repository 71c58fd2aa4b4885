"""Cache of trained matrices, keyed by (corpus fingerprint, trainer, resolved params, version, seed).

Each entry is two files in the cache folder::

    <key>.npz    vocab, matrix, counts (np.savez, loaded with allow_pickle=False)
    <key>.json   name, meta (training history ...), key fields, sha256 of the .npz

Both are written atomically, the JSON last, so an entry without its JSON is
incomplete and ignored. A checksum mismatch or an unreadable file makes
:meth:`EmbeddingCache.get` warn and return ``None`` so that the caller retrains.
"""

from __future__ import annotations

import hashlib
import io
import json
import warnings
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from evalsuite.core import atomic
from evalsuite.core.embeddings import Embeddings
from evalsuite.core.errors import EvalsuiteError
from evalsuite.core.provenance import stable_hash

CACHE_FORMAT = 1


class CacheWarning(UserWarning):
    """A cache entry was unusable and will be rebuilt."""


def cache_key(corpus_fingerprint: str, trainer: str, params: Mapping[str, Any], seed: int,
              trainer_version: int = 1) -> str:
    """Stable hex key of one training job.

    ``trainer_version`` is the trainer's :attr:`~evalsuite.train.base.Trainer.version`:
    a new version of a trainer's algorithm gets new keys, so matrices trained by
    the old code are retrained. Version 1 is left out of the hashed fields, which
    keeps the keys of entries written before trainers had versions.
    """
    fields = {
        "format": CACHE_FORMAT,
        "corpus": corpus_fingerprint,
        "trainer": trainer,
        "params": dict(params),
        "seed": int(seed),
    }
    if int(trainer_version) != 1:
        fields["trainer_version"] = int(trainer_version)
    return stable_hash(fields)


def trainer_cache_key(corpus_fingerprint: str, trainer, seed: int) -> str:
    """The key of training ``trainer`` (a :class:`~evalsuite.train.base.ResolvedTrainer`).

    Built from its resolved parameters (defaults filled in, as the trainer will use
    them: what ``get_params()`` gives) and its version, so that a changed default or
    algorithm does not reuse matrices trained under the old one.
    """
    return cache_key(corpus_fingerprint, trainer.cls.name, trainer.params, seed, trainer.cls.version)


def entry_info(corpus_fingerprint: str | None, trainer: str | None, params: Mapping[str, Any] | None,
               seed: int | None) -> dict:
    """What a cache entry records about the job that trained it (the inputs of its key)."""
    return {"trainer": trainer, "params": dict(params or {}), "seed": seed, "corpus_fingerprint": corpus_fingerprint}


class EmbeddingCache:
    """A folder of trained embeddings.

    Parameters
    ----------
    root : path
        Cache folder (created on first write).
    enabled : bool
        When False, :meth:`get` always misses (``--no-cache``) but :meth:`put`
        still stores the new matrix for later runs.
    """

    def __init__(self, root, *, enabled: bool = True):
        self.root = Path(root)
        self.enabled = enabled

    def _paths(self, key: str) -> tuple[Path, Path]:
        return self.root / f"{key}.npz", self.root / f"{key}.json"

    def __contains__(self, key: str) -> bool:
        return all(p.exists() for p in self._paths(key))

    def get(self, key: str) -> Embeddings | None:
        """The cached embeddings for ``key``, or None (missing, disabled or corrupt)."""
        if not self.enabled:
            return None
        npz, meta_path = self._paths(key)
        if not meta_path.exists():
            return None
        try:
            info = json.loads(meta_path.read_text(encoding="utf-8"))
            data = npz.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            if digest != info["sha256"]:
                raise ValueError(f"checksum mismatch (expected {info['sha256'][:12]}..., got {digest[:12]}...)")
            with np.load(io.BytesIO(data), allow_pickle=False) as z:
                vocab = tuple(z["vocab"].tolist())
                matrix = z["matrix"]
                counts = z["counts"] if "counts" in z.files else None
            bad = ~np.isfinite(matrix).all(axis=1) if matrix.ndim == 2 else None
            if bad is not None and bad.any():  # a trainer never stores these: damage behind the checksum
                raise ValueError(f"{int(bad.sum())} of its {len(bad)} rows hold NaN or infinite values")
            emb = Embeddings(vocab, matrix, counts, name=info.get("name", key), meta=info.get("meta", {}))
        except FileNotFoundError:
            warnings.warn(f"cache entry {key} is incomplete (missing {npz.name}); retraining", CacheWarning, stacklevel=2)
            return None
        except Exception as exc:  # any damage means: rebuild
            warnings.warn(f"cache entry {key} in {self.root} is corrupt ({exc}); retraining", CacheWarning, stacklevel=2)
            return None
        return emb

    def put(self, key: str, emb: Embeddings, *, info: Mapping[str, Any] | None = None) -> Path:
        """Store ``emb`` under ``key`` atomically; returns the .npz path.

        Where the cache folder has no room, nothing is stored: a :class:`CacheWarning` says so
        and None is returned (a cache only saves time).
        """
        npz, meta_path = self._paths(key)
        buf = io.BytesIO()
        arrays = {"vocab": np.asarray(emb.vocab, dtype=str), "matrix": np.asarray(emb.matrix)}
        if emb.counts is not None:
            arrays["counts"] = np.asarray(emb.counts)
        np.savez(buf, **arrays)
        data = buf.getvalue()
        record = {
            "key": key,
            "format": CACHE_FORMAT,
            "name": emb.name,
            "sha256": hashlib.sha256(data).hexdigest(),
            "meta": json.loads(json.dumps(dict(emb.meta), default=_jsonable)),
            **(dict(info) if info else {}),
        }
        try:
            atomic.write_bytes(npz, data)
            atomic.write_json(meta_path, record)
        except EvalsuiteError as exc:  # a full disk: the matrix is still used, only not kept
            self.remove(key)
            warnings.warn(f"cache entry {key} not stored: {exc}", CacheWarning, stacklevel=2)
            return None
        return npz

    def remove(self, key: str) -> None:
        for p in self._paths(key):
            p.unlink(missing_ok=True)


def _jsonable(obj):
    if hasattr(obj, "tolist"):
        return obj.tolist()
    if hasattr(obj, "__dict__"):
        return vars(obj)
    return str(obj)
