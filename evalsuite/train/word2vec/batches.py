"""Vectorised Word2Vec example generation: subsampling, dynamic windows, negatives.

Everything here works on flat int32 token-id arrays (a whole corpus back to back)
plus a parallel array of sentence ids, so that no window crosses a sentence
boundary. The functions are pure numpy and release the GIL for most of their work,
which lets two Hogwild worker threads generate and train at the same time.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from evalsuite.core.errors import TrainingError

#: entries in the negative-sampling lookup table (word2vec.c uses 1e8; 1e7 keeps
#: the rounding error of any word's probability below 1e-7 at 40 MB)
NOISE_TABLE_SIZE = 10_000_000


def sentence_ids(offsets: np.ndarray) -> np.ndarray:
    """Sentence index of every token, from sentence start ``offsets`` (length n+1)."""
    offsets = np.asarray(offsets, dtype=np.int64)
    lengths = np.diff(offsets)
    return np.repeat(np.arange(len(lengths), dtype=np.int32), lengths)


#: tokens per segment of the corpus held in memory at once during an epoch
SEGMENT_TOKENS = 1 << 22


def corpus_segments(encoded, max_tokens: int = SEGMENT_TOKENS):
    """Whole sentences of an encoded corpus, about ``max_tokens`` tokens at a time.

    Yields ``(first, tokens, sent)``: the position of the segment's first token in
    the corpus, its token ids (int32, in memory) and a sentence id per token (int32,
    counted from the segment's first sentence). A sentence longer than
    ``max_tokens`` makes a segment of its own, so no window is ever cut.
    """
    offsets = np.asarray(encoded.offsets, dtype=np.int64)
    n_sentences = len(offsets) - 1
    s0 = 0
    while s0 < n_sentences:
        # the last sentence start that keeps the segment within max_tokens (at least one sentence)
        s1 = int(np.searchsorted(offsets, offsets[s0] + max_tokens, side="right")) - 1
        s1 = min(max(s1, s0 + 1), n_sentences)
        first, last = int(offsets[s0]), int(offsets[s1])
        tokens = np.array(encoded.tokens[first:last], dtype=np.int32)
        yield first, tokens, sentence_ids(offsets[s0:s1 + 1] - first)
        s0 = s1


def subsample(tokens: np.ndarray, keep_prob: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Positions of the tokens kept by frequent-word subsampling.

    Token ``t`` survives with probability ``keep_prob[t]`` (see
    :meth:`evalsuite.data.corpus.Vocabulary.keep_probabilities`).
    """
    p = keep_prob[tokens]
    return np.flatnonzero(rng.random(len(tokens), dtype=np.float32) < p)


def reduced_windows(n: int, window: int, rng: np.random.Generator) -> np.ndarray:
    """word2vec's dynamic window: for each centre, an effective half-width uniform in 1..window.

    (word2vec.c draws ``b = rand() % window`` and uses ``window - b``.)
    """
    return (window - rng.integers(0, window, size=n)).astype(np.int32)


def window_pairs(
    tokens: np.ndarray, sent: np.ndarray, start: int, stop: int, eff: np.ndarray, window: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(centre, context) pairs for the centres ``start..stop-1`` of a token stream.

    Parameters
    ----------
    tokens, sent : ndarray
        Token ids and sentence ids of the (already subsampled) stream.
    start, stop : int
        Centres taken from this slice; contexts may lie just outside it.
    eff : ndarray
        Effective half-window of each centre in the slice (``stop - start`` values).
    window : int
        Maximum half-window.

    Returns
    -------
    centre_ids, context_ids, centre_pos : ndarray
        Token ids of centre and context for every pair, and the centre's position
        relative to ``start`` (used by CBOW to group contexts by centre).
    """
    n = len(tokens)
    pos = np.arange(start, stop, dtype=np.int64)
    rel = pos - start
    sent_c = sent[start:stop]
    ctx_pos, cen_rel = [], []
    for d in range(1, window + 1):
        ok_d = eff >= d
        for sign in (-1, 1):
            j = pos + sign * d
            inside = (j >= 0) & (j < n)
            jc = np.clip(j, 0, n - 1)
            keep = ok_d & inside & (sent[jc] == sent_c)
            ctx_pos.append(jc[keep])
            cen_rel.append(rel[keep])
    ctx = np.concatenate(ctx_pos)
    crel = np.concatenate(cen_rel)
    return tokens[crel + start], tokens[ctx], crel


@dataclass
class NoiseSampler:
    """Draws negative samples from ``count ** power`` through a lookup table.

    Parameters
    ----------
    counts : ndarray
        Word counts (vocabulary order).
    power : float
        Smoothing exponent (0.75 in word2vec).
    table_size : int, optional
        Number of table entries; each word gets about ``p * table_size`` of them
        (at least one, so every word can be drawn). Default: 1000 per word, between
        one million and :data:`NOISE_TABLE_SIZE`.
    """

    counts: np.ndarray
    power: float = 0.75
    table_size: int | None = None

    def __post_init__(self):
        if self.table_size is None:
            self.table_size = int(min(NOISE_TABLE_SIZE, max(1_000_000, 1000 * len(self.counts))))
        with np.errstate(all="ignore"):  # checked below
            weights = np.asarray(self.counts, dtype=np.float64) ** self.power
            self.probabilities = weights / weights.sum()
        if not np.isfinite(self.probabilities).all():
            raise TrainingError(f"the noise distribution count ** {self.power:g} is not finite for these counts; "
                                "use an ns_exponent nearer 0.75")

    @cached_property
    def table(self) -> np.ndarray:
        """The lookup table :meth:`sample` draws from (built on first use)."""
        # cumulative rounding keeps the table length exact and each share within 1 entry
        edges = np.round(np.cumsum(self.probabilities) * self.table_size).astype(np.int64)
        sizes = np.maximum(np.diff(np.concatenate(([0], edges))), 1)
        return np.repeat(np.arange(len(self.probabilities), dtype=np.int32), sizes)

    @cached_property
    def alias(self) -> tuple[np.ndarray, np.ndarray]:
        """Walker's alias tables ``(keep, alias)`` of :attr:`probabilities` (built on first use).

        Draw a column ``j`` uniformly, keep it with probability ``keep[j]``, else
        take ``alias[j]``: word ``i`` then comes out with probability
        ``(keep[i] + sum(1 - keep[j] for j with alias[j] == i)) / n``, which is
        ``probabilities[i]`` up to float32 rounding. Used by the compiled kernel,
        where two arrays of the vocabulary's length stay in cache and a
        ``table_size`` lookup table would not.
        """
        n = len(self.probabilities)
        scaled = self.probabilities * n
        keep = np.ones(n)
        alias = np.arange(n)
        small = [int(i) for i in np.flatnonzero(scaled < 1.0)]
        large = [int(i) for i in np.flatnonzero(scaled >= 1.0)]
        while small and large:  # Vose's method: pair an underfull column with an overfull one
            s, big = small.pop(), large.pop()
            keep[s], alias[s] = scaled[s], big
            scaled[big] += scaled[s] - 1.0
            (small if scaled[big] < 1.0 else large).append(big)
        return keep.astype(np.float32), alias.astype(np.int32)

    def sample(self, rng: np.random.Generator, shape) -> np.ndarray:
        """Word ids drawn i.i.d. from the noise distribution (int64)."""
        return self.table[rng.integers(0, len(self.table), size=shape)].astype(np.int64)


def chunk_bounds(n: int, batch_size: int) -> list[tuple[int, int]]:
    """Split ``range(n)`` into consecutive ``[start, stop)`` slices of ``batch_size``."""
    return [(s, min(s + batch_size, n)) for s in range(0, n, batch_size)]
