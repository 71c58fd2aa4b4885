"""Vocabulary: word counts, pruning, stable order, sampling tables."""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Sequence

import hashlib
import json
from pathlib import Path

import numpy as np

from evalsuite.core.errors import EvalsuiteError, InputError


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

    def __init__(
        self,
        words: Sequence[str],
        counts: Sequence[int],
        total_words: int | None = None,
        *,
        sentences: int | None = None,
    ):
        self.words: tuple[str, ...] = tuple(words)
        self.counts = np.asarray(counts, dtype=np.int64)
        if self.counts.shape != (len(self.words),):
            raise ValueError("words and counts differ in length")
        self.index: dict[str, int] = {w: i for i, w in enumerate(self.words)}
        self.total_words = int(self.counts.sum()) if total_words is None else int(total_words)
        #: sentences in the corpus counted (``None`` when built from bare counts)
        self.sentences = None if sentences is None else int(sentences)

    @classmethod
    def build(
        cls,
        sentences: Iterable[Sequence[str]],
        *,
        min_count: int = 5,
        max_size: int | None = None,
        max_vocab_size: int | None = None,
    ) -> "Vocabulary":
        """Count words in ``sentences`` and keep those seen ``min_count`` times or more.

        Ties in frequency are broken by the word itself, so the order is stable
        across runs and platforms. ``max_size`` keeps only the most frequent words.
        ``max_vocab_size`` bounds memory while counting: whenever more distinct words
        than that have been seen, words rarer than a cutoff (1, then 2, ...) are
        forgotten (word2vec's and gensim's pruning rule), so rare words' counts may be
        lost. ``total_words`` always counts every token.
        """
        counter: Counter[str] = Counter()
        total = n_sentences = 0
        min_reduce = 1
        for sentence in sentences:
            counter.update(sentence)
            total += len(sentence)
            n_sentences += 1
            if max_vocab_size is not None and len(counter) > max_vocab_size:
                for word in [w for w, c in counter.items() if c < min_reduce]:
                    del counter[word]
                min_reduce += 1
        return cls.from_counts(
            counter, min_count=min_count, max_size=max_size, total_words=total, sentences=n_sentences
        )

    @classmethod
    def from_counts(
        cls,
        counter,
        *,
        min_count: int = 5,
        max_size: int | None = None,
        total_words: int | None = None,
        sentences: int | None = None,
    ) -> "Vocabulary":
        """Build from a word -> count mapping (see :meth:`build`).

        ``total_words`` defaults to the sum of all counts (before pruning).
        """
        total = sum(counter.values()) if total_words is None else int(total_words)
        kept = sorted(((w, c) for w, c in counter.items() if c >= min_count), key=lambda wc: (-wc[1], wc[0]))
        if max_size is not None and max_size > 0:
            kept = kept[:max_size]
        if not kept:
            raise EvalsuiteError(
                f"empty vocabulary: no word occurs at least min_count={min_count} times "
                f"in a corpus of {total} tokens"
            )
        return cls([w for w, _ in kept], [c for _, c in kept], total_words=total, sentences=sentences)

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

    # --- identity and persistence ------------------------------------------------------
    def fingerprint(self) -> str:
        """sha256 of the words and counts, in order."""
        h = hashlib.sha256()
        for w, c in zip(self.words, self.counts.tolist()):
            h.update(f"{w}\t{c}\n".encode("utf-8"))
        h.update(f"total={self.total_words}".encode())
        return h.hexdigest()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Vocabulary):
            return NotImplemented
        return (
            self.words == other.words
            and np.array_equal(self.counts, other.counts)
            and self.total_words == other.total_words
        )

    __hash__ = None  # mutable-looking container; compare with ==

    def to_dict(self) -> dict:
        """JSON-ready form (see :meth:`save`)."""
        return {
            "format": "evalsuite-vocabulary/1",
            "total_words": self.total_words,
            "sentences": self.sentences,
            "words": list(self.words),
            "counts": self.counts.tolist(),
        }

    def save(self, path) -> None:
        """Write the vocabulary as JSON (atomically)."""
        from evalsuite.core.atomic import write_json

        write_json(path, self.to_dict(), indent=None)

    @classmethod
    def load(cls, path) -> "Vocabulary":
        """Read a vocabulary written by :meth:`save`."""
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
        except json.JSONDecodeError as exc:
            raise InputError(path, f"not valid JSON: {exc.msg}", line=exc.lineno) from None
        if not isinstance(data, dict) or data.get("format") != "evalsuite-vocabulary/1":
            raise InputError(Path(path), "not an evalsuite vocabulary file (format key missing)")
        try:
            return cls(data["words"], data["counts"], data["total_words"], sentences=data.get("sentences"))
        except (KeyError, ValueError, TypeError) as exc:
            raise InputError(Path(path), f"malformed vocabulary: {exc}") from None
