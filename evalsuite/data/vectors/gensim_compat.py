"""Conversion to and from gensim ``KeyedVectors``."""

from __future__ import annotations

import numpy as np

from evalsuite.core.embeddings import Embeddings


def to_keyed_vectors(emb: Embeddings):
    """A gensim ``KeyedVectors`` holding a writable copy of ``emb``'s vectors.

    Counts, when present, are stored as the ``count`` vector attribute (as gensim does
    for trained models), so ``save_word2vec_format`` keeps the frequency order.
    """
    from gensim.models import KeyedVectors

    kv = KeyedVectors(vector_size=emb.dim, count=0, dtype=np.float32)
    kv.index_to_key = list(emb.vocab)
    kv.key_to_index = dict(emb.index)
    kv.vectors = np.array(emb.matrix, dtype=np.float32, copy=True)
    kv.norms = None
    if emb.counts is not None:
        kv.expandos["count"] = np.array(emb.counts, dtype=np.int64)
    return kv


def from_keyed_vectors(kv, *, name: str = "embeddings", meta=None) -> Embeddings:
    """:class:`Embeddings` from a gensim ``KeyedVectors`` (vectors copied).

    The ``count`` attribute becomes ``counts`` when every word has one.
    """
    counts = None
    if "count" in getattr(kv, "expandos", {}):
        raw = np.asarray(kv.expandos["count"])
        if raw.shape == (len(kv.index_to_key),) and raw.dtype.kind in "iu":
            counts = raw.astype(np.int64)
    return Embeddings(
        vocab=tuple(str(k) for k in kv.index_to_key),
        matrix=np.array(kv.vectors, dtype=np.float32, copy=True),
        counts=counts,
        name=name,
        meta=dict(meta or {}),
    )
