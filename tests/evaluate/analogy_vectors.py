"""Vectors for the gensim-equality tests: Google question words with planted structure."""

import numpy as np
from gensim.models import KeyedVectors
from gensim.test.utils import datapath

from evalsuite.data.datasets.parsers import parse_analogy
from evalsuite.core.embeddings import Embeddings

GOOGLE = datapath("questions-words.txt")


def structured_vectors(n_filler=800, dim=32, seed=0):
    """KeyedVectors over the Google question words with planted relation offsets.

    The right-hand word of a question pair is placed at its left-hand word plus the
    section's offset plus noise (unless one of them was placed already), so most
    questions are answerable but not all; case variants of some words (before and after the
    original) exercise gensim's first-variant-wins and skip-by-name rules.
    """
    rng = np.random.default_rng(seed)
    ds = parse_analogy(GOOGLE)
    words = list(dict.fromkeys(w for q in ds.questions for w in (q.a, q.b, q.c, q.d)))
    offsets = {s: rng.normal(size=dim) for s in ds.sections}
    vec = {w: rng.normal(size=dim) for w in words}
    placed = set()
    for q in ds.questions:
        for left, right in ((q.a, q.b), (q.c, q.d)):
            if right not in placed and left not in placed:
                vec[right] = vec[left] + offsets[q.section] + rng.normal(size=dim) * 0.3
                placed.add(right)
    vocab = list(words)
    rng.shuffle(vocab)
    for i, w in enumerate(list(vocab[:60])):
        variant = w.lower() if w != w.lower() else w.title()
        if variant != w and variant not in vec:
            vec[variant] = vec[w] + rng.normal(size=dim) * 0.05
            vocab.insert(0 if i % 3 == 0 else len(vocab), variant)
    vocab += [f"filler{i}" for i in range(n_filler)]
    for w in vocab[-n_filler:]:
        vec[w] = rng.normal(size=dim)
    kv = KeyedVectors(dim)
    kv.add_vectors(vocab, np.array([vec[w] for w in vocab], dtype=np.float32))
    return kv


def as_embeddings(kv):
    return Embeddings(kv.index_to_key, kv.vectors, name="kv")
