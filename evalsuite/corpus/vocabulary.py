"""Vocabulary: word counts, pruning, stable order, sampling tables."""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Sequence

import numpy as np

from evalsuite.errors import EvalsuiteError


class Vocabulary:
    """Words with corpus counts, ordered by frequency (descending), then word.

    Parameters
    ----------
    words : sequence of str
        Words, already in the canonical order.
    counts : sequence of int
        Count of each word.
    total_words : int, optional
        Tokens in the corpus including pruned words (defaults to ``sum(counts)``).
    """

    def __init__(self, words: Sequence[str], counts: Sequence[int], total_words: int | None = None):
        self.words: tuple[str, ...] = tuple(words)
        self.counts = np.asarray(counts, dtype=np.int64)
        if self.counts.shape != (len(self.words),):
            raise ValueError("words and counts differ in length")
        self.index: dict[str, int] = {w: i for i, w in enumerate(self.words)}
        self.total_words = int(self.counts.sum()) if total_words is None else int(total_words)

    @classmethod
    def build(
        cls,
        sentences: Iterable[Sequence[str]],
        *,
        min_count: int = 5,
        max_size: int | None = None,
    ) -> "Vocabulary":
        """Count words in ``sentences`` and keep those seen ``min_count`` times or more.

        Ties in frequency are broken by the word itself, so the order is stable
        across runs and platforms. ``max_size`` keeps only the most frequent words.
        """
        counter: Counter[str] = Counter()
        for sentence in sentences:
            counter.update(sentence)
        return cls.from_counts(counter, min_count=min_count, max_size=max_size)

    @classmethod
    def from_counts(cls, counter, *, min_count: int = 5, max_size: int | None = None) -> "Vocabulary":
        """Build from a word -> count mapping (see :meth:`build`)."""
        total = sum(counter.values())
        kept = sorted(((w, c) for w, c in counter.items() if c >= min_count), key=lambda wc: (-wc[1], wc[0]))
        if max_size is not None and max_size > 0:
            kept = kept[:max_size]
        if not kept:
            raise EvalsuiteError(
                f"empty vocabulary: no word occurs at least min_count={min_count} times "
                f"in a corpus of {total} tokens"
            )
        return cls([w for w, _ in kept], [c for _, c in kept], total_words=total)

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: object) -> bool:
        return word in self.index

    def encode(self, tokens: Iterable[str]) -> np.ndarray:
        """Token ids (int32) of the in-vocabulary tokens, OOV tokens dropped."""
        index = self.index
        return np.fromiter((i for i in (index.get(t, -1) for t in tokens) if i >= 0), dtype=np.int32)

    def keep_probabilities(self, sample: float) -> np.ndarray:
        """word2vec's frequent-word subsampling: probability of keeping each word.

        ``p_keep(w) = (sqrt(f / (sample * T)) + 1) * (sample * T) / f``, capped at 1,
        where ``f`` is the word's count and ``T`` the number of in-vocabulary tokens
        (the formula in word2vec.c and gensim). ``sample <= 0`` keeps everything.
        """
        if sample <= 0:
            return np.ones(len(self), dtype=np.float64)
        threshold = sample * float(self.counts.sum())
        f = self.counts.astype(np.float64)
        return np.minimum(1.0, (np.sqrt(f / threshold) + 1.0) * threshold / f)

    def noise_distribution(self, power: float = 0.75) -> np.ndarray:
        """Negative-sampling distribution, proportional to ``count ** power``."""
        weights = self.counts.astype(np.float64) ** power
        return weights / weights.sum()
