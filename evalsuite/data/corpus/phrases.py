"""Phrase joining (``new york`` -> ``new_york``), as in word2vec's ``word2phrase`` tool.

A first pass counts unigrams and adjacent bigrams; a bigram ``a b`` becomes a phrase when

    score(a, b) = (count(a b) - min_count) / (count(a) * count(b)) * N  >  threshold

where ``N`` is the number of tokens counted and both words occur at least ``min_count``
times (word2phrase's rule; gensim's ``Phrases`` default scorer is the same with the
vocabulary size in place of ``N``). Sentences are then rewritten greedily left to right:
a joined pair is not joined again with the next word.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Iterator, Sequence

DELIMITER = "_"


def _prune(counter: Counter, min_reduce: int) -> None:
    """Drop entries seen fewer than ``min_reduce`` times (bounds memory, like gensim)."""
    for key in [k for k, c in counter.items() if c < min_reduce]:
        del counter[key]


class PhraseTable:
    """Learned phrases: a mapping ``(a, b) -> score`` of bigrams to join.

    Parameters
    ----------
    phrases : dict
        ``{(a, b): score}`` for every bigram above the threshold; a phrase's two words
        are joined with :data:`DELIMITER`.
    """

    def __init__(self, phrases: dict[tuple[str, str], float]):
        self.phrases = dict(phrases)

    @classmethod
    def learn(
        cls,
        sentences: Iterable[Sequence[str]],
        *,
        min_count: int = 5,
        threshold: float = 100.0,
        max_vocab_size: int = 2_000_000,
    ) -> "PhraseTable":
        """Count one pass over ``sentences`` and keep bigrams scoring above ``threshold``.

        ``max_vocab_size`` bounds memory: when unigrams + bigrams exceed it, entries
        rarer than a rising cutoff are dropped (gensim's pruning rule).
        """
        unigrams: Counter[str] = Counter()
        bigrams: Counter[tuple[str, str]] = Counter()
        total = 0
        min_reduce = 1
        for sentence in sentences:
            unigrams.update(sentence)
            bigrams.update(zip(sentence, sentence[1:]))
            total += len(sentence)
            if len(unigrams) + len(bigrams) > max_vocab_size:
                _prune(unigrams, min_reduce)
                _prune(bigrams, min_reduce)
                min_reduce += 1
        phrases = {}
        for (a, b), cab in bigrams.items():
            ca, cb = unigrams.get(a, 0), unigrams.get(b, 0)
            if ca < min_count or cb < min_count:
                continue
            score = (cab - min_count) / (ca * cb) * total
            if score > threshold:
                phrases[(a, b)] = score
        return cls(phrases)

    def __len__(self) -> int:
        return len(self.phrases)

    def __contains__(self, pair) -> bool:
        return tuple(pair) in self.phrases

    def apply(self, sentence: Sequence[str]) -> list[str]:
        """Rewrite one sentence, joining phrases greedily from the left."""
        phrases, out, i, n = self.phrases, [], 0, len(sentence)
        while i < n:
            if i + 1 < n and (sentence[i], sentence[i + 1]) in phrases:
                out.append(sentence[i] + DELIMITER + sentence[i + 1])
                i += 2
            else:
                out.append(sentence[i])
                i += 1
        return out

    def transform(self, sentences: Iterable[Sequence[str]]) -> Iterator[list[str]]:
        """Apply to a stream of sentences, lazily."""
        for s in sentences:
            yield self.apply(s)
