"""Word2Vec through gensim (skip-gram or CBOW), behind evalsuite's trainer contract.

The vocabulary is built by evalsuite (:class:`~evalsuite.data.corpus.vocabulary.Vocabulary`:
frequency, then word), handed to gensim in that order, so rows match every other
evalsuite trainer. The corpus is tokenised twice (count, then encode to ids on disk)
and each epoch streams the encoded ids back as words, so gensim's throughput is not
spent re-tokenising text and memory stays bounded. Out-of-vocabulary tokens are
dropped before gensim sees them, exactly as gensim itself skips them (windows span
the gap). Sentences longer than 10,000 tokens are cut into 10,000-token pieces,
as gensim's ``LineSentence`` does, instead of being truncated.

Determinism: with ``workers=1`` and a fixed seed the matrix is identical run to run,
whatever ``PYTHONHASHSEED`` is: gensim 4 draws the initial vectors from one
``numpy`` generator seeded by ``seed`` and the training randomness from a seeded
``RandomState``; string hashing plays no part (``tests/trainers`` checks this across
interpreter processes with different hash seeds). With ``workers > 1`` threads race
on the shared weights and results vary slightly.
"""

from __future__ import annotations

import inspect
import time
from typing import Sequence

import numpy as np

from evalsuite.data.corpus.encoded import EncodedCorpus, encode_corpus
from evalsuite.data.corpus.vocabulary import Vocabulary
from evalsuite.core.embeddings import Embeddings
from evalsuite.train.base import EpochStats, Trainer, TrainerCallback, register_trainer
from evalsuite.train.callbacks import TrainingGuard, check_matrix_finite
from evalsuite.train.record import TrainingMeter
from evalsuite.train.limits import MAX_NEGATIVE, check_matrices, upto
from evalsuite.train.params import Options, Relation
from evalsuite.train.word2vec.defaults import (
    AT_LEAST_1, LEARNING_RATE_ORDER, RENAMED, WORD2VEC_CONSTRAINTS, WORD2VEC_DEFAULTS, WORKERS,
)

MAX_SENTENCE = 10_000  # gensim's MAX_WORDS_IN_BATCH: longer sentences are truncated by gensim
ARCHITECTURES = ("skipgram", "cbow")
OUTPUTS = ("W", "W+C")


class _WordSentences:
    """Re-iterable view of an EncodedCorpus as lists of words, in pieces of <= MAX_SENTENCE."""

    def __init__(self, encoded: EncodedCorpus, words: Sequence[str]):
        self.encoded = encoded
        self.words = words
        lengths = np.diff(np.asarray(encoded.offsets))
        self.count = int(np.sum((lengths + MAX_SENTENCE - 1) // MAX_SENTENCE))

    def __iter__(self):
        words = self.words
        for ids in self.encoded:
            ids = ids.tolist()
            for start in range(0, len(ids), MAX_SENTENCE):
                yield [words[i] for i in ids[start : start + MAX_SENTENCE]]


@register_trainer
class GensimWord2Vec(Trainer):
    """Word2Vec (skip-gram or CBOW) trained by gensim.

    Parameters
    ----------
    architecture : {"skipgram", "cbow"}
        Predict context from word (skip-gram) or word from context (CBOW).
    vector_size : int
        Dimensionality of the vectors.
    window : int
        Maximum distance between a word and its context words (the actual window is
        drawn uniformly from 1..window for each word, as in word2vec).
    negative : int
        Negative samples per positive example (0 disables negative sampling).
    ns_exponent : float
        Negative samples are drawn from ``count ** ns_exponent``.
    sample : float
        Frequent-word subsampling threshold (0 disables it).
    min_count : int
        Words rarer than this are dropped from the vocabulary.
    max_vocab_size : int or None
        Memory bound while counting words (rare words are pruned when more distinct
        words than this have been seen); ``None`` for no bound.
    max_final_vocab : int or None
        Keep at most this many words (the most frequent; ties broken by the word).
    learning_rate, min_learning_rate : float
        Learning rate, decayed linearly from ``learning_rate`` to ``min_learning_rate``
        over training (gensim's ``alpha`` and ``min_alpha``; those old names are still
        accepted in configs and ``--set``, with a warning).
    epochs : int
        Passes over the corpus.
    workers : int
        Training threads.
    hs : {0, 1}
        Use hierarchical softmax (alone or with negative sampling).
    cbow_mean : {0, 1}
        CBOW only: average (1) or sum (0) the context vectors.
    output : {"W", "W+C"}
        Return the word vectors ``W`` or ``W + C`` (C: the negative-sampling output
        vectors; needs ``negative > 0``).
    """

    name = "gensim-word2vec"
    _parameter_defaults = {"architecture": "skipgram", **WORD2VEC_DEFAULTS, "max_final_vocab": None,
                           "workers": 2, "hs": 0, "cbow_mean": 1, "output": "W"}
    _parameter_constraints = {
        "architecture": [Options(*ARCHITECTURES)],
        **WORD2VEC_CONSTRAINTS,
        "negative": upto(MAX_NEGATIVE, 0),  # 0 with hierarchical softmax
        "max_final_vocab": [*AT_LEAST_1, None],
        "workers": WORKERS,
        "hs": [Options(0, 1)],
        "cbow_mean": [Options(0, 1)],
        "output": [Options(*OUTPUTS)],
    }
    _parameter_relations = (
        LEARNING_RATE_ORDER,
        Relation("negative", lambda p: p["negative"] > 0 or p["hs"] == 1,
                 "must be > 0 when hs=0 (nothing to train otherwise), got {negative}", "> 0 when hs=0"),
        Relation("output", lambda p: p["output"] == "W" or p["negative"] > 0,
                 "must be 'W' when negative=0 (there is no C), got {output!r}", "'W' when negative=0"),
    )
    _renamed_parameters = RENAMED

    def build_vocabulary(self, corpus) -> Vocabulary:
        """One pass over ``corpus``: counts, ``min_count``, ``max_vocab_size``, ``max_final_vocab``."""
        return Vocabulary.build(
            corpus, min_count=self.min_count, max_size=self.max_final_vocab, max_vocab_size=self.max_vocab_size
        )

    def fit(self, corpus, *, seed: int = 0, callbacks: Sequence[TrainerCallback] = ()) -> Embeddings:
        """Train on ``corpus``; see the class docstring for the parameters.

        ``EpochStats.loss`` is gensim's summed negative-sampling / hierarchical-softmax
        loss of the epoch divided by the number of words trained in it (after
        subsampling); ``items_per_second`` is corpus tokens per second.
        """
        seed = self._check_fit(seed)
        callbacks = list(callbacks)
        meter = TrainingMeter()
        try:
            vocab = self.build_vocabulary(corpus)
            # the word vectors, the output weights (syn1neg, syn1), the result
            check_matrices(self.name, rows=len(vocab), columns=self.vector_size, matrices=4,
                           vector_size=self.vector_size)
            with encode_corpus(corpus, vocab) as encoded:
                sentences = _WordSentences(encoded, vocab.words)
                for cb in callbacks:
                    cb.on_train_begin(self, self.epochs)
                model, history = self._train(sentences, vocab, seed, callbacks)
            matrix = np.array(model.wv.vectors, dtype=np.float32)
            if self.output == "W+C":
                matrix += model.syn1neg
            check_matrix_finite(matrix, self.epochs, trainer=self.name)
            record = meter.record(self, corpus, seed=seed, history=history, vocabulary_size=len(vocab),
                                  corpus_tokens=vocab.total_words, backend="gensim " + _gensim_version())
            emb = Embeddings(vocab.words, matrix, counts=vocab.counts, name=self.name, meta=record.to_meta())
        except BaseException as exc:
            for cb in callbacks:
                cb.on_train_error(self, exc)
            raise
        for cb in callbacks:
            cb.on_train_end(self, emb)
        return emb

    def _train(self, sentences: _WordSentences, vocab: Vocabulary, seed: int, callbacks):
        from gensim.models import Word2Vec

        model = Word2Vec(
            vector_size=self.vector_size,
            window=self.window,
            min_count=1,  # the vocabulary is already pruned
            sample=self.sample,
            seed=seed,
            workers=self.workers,
            sg=1 if self.architecture == "skipgram" else 0,
            hs=self.hs,
            negative=self.negative,
            ns_exponent=self.ns_exponent,
            cbow_mean=self.cbow_mean,
            alpha=self.learning_rate,  # gensim's names for the learning rate
            min_alpha=self.min_learning_rate,
            epochs=self.epochs,
            sorted_vocab=0,  # keep evalsuite's order
        )
        model.build_vocab_from_freq(dict(zip(vocab.words, vocab.counts.tolist())), corpus_count=sentences.count)
        if list(model.wv.index_to_key) != list(vocab.words):  # gensim changed its vocabulary handling
            raise RuntimeError("gensim reordered the vocabulary")
        bridge = _EpochBridge(self, model, vocab, callbacks)
        model.train(
            sentences,
            total_examples=sentences.count,
            epochs=self.epochs,
            compute_loss=True,
            callbacks=[bridge],
        )
        return model, bridge.history


def _gensim_version() -> str:
    import gensim

    return gensim.__version__


class _EpochBridge:
    """gensim epoch callbacks -> evalsuite EpochStats, guards and callbacks."""

    def __init__(self, trainer: GensimWord2Vec, model, vocab: Vocabulary, callbacks):
        self.trainer = trainer
        self.callbacks = callbacks
        self.history: list[EpochStats] = []
        self.guard = TrainingGuard(trainer.name)
        self.corpus_tokens = vocab.total_words
        # expected words trained per epoch (fallback if gensim's count cannot be read)
        self.expected_trained = float(np.sum(vocab.counts * vocab.keep_probabilities(trainer.sample)))
        self.trained_words: float | None = None
        self._hook_epoch_count(model)

    def _hook_epoch_count(self, model) -> None:
        # gensim gives callbacks no per-epoch word count; read it from its epoch-end log hook
        original = getattr(model, "_log_epoch_end", None)
        if original is None:
            return
        signature = inspect.signature(original)
        if "trained_word_count" not in signature.parameters:
            return

        def hook(*args, **kwargs):
            self.trained_words = signature.bind(*args, **kwargs).arguments["trained_word_count"]
            return original(*args, **kwargs)

        model._log_epoch_end = hook

    # gensim's CallbackAny2Vec interface (duck-typed: gensim only calls these methods)
    def on_train_begin(self, model):
        self._last_loss = 0.0

    def on_epoch_begin(self, model):
        self._epoch_start = time.perf_counter()
        self._last_loss = model.get_latest_training_loss()
        self.trained_words = None

    def on_epoch_end(self, model):
        seconds = max(time.perf_counter() - self._epoch_start, 1e-9)
        epoch = len(self.history) + 1
        loss_sum = model.get_latest_training_loss() - self._last_loss  # gensim's loss is cumulative
        trained = self.trained_words or self.expected_trained
        stats = EpochStats(epoch, float(loss_sum / max(trained, 1.0)), self.corpus_tokens / seconds, seconds, "words")
        self.guard.check(stats)
        # output weights too: they can overflow while the input vectors stay finite
        for weights in (model.wv.vectors, getattr(model, "syn1neg", None), getattr(model, "syn1", None)):
            if weights is not None and weights.size:
                check_matrix_finite(weights, epoch, trainer=self.trainer.name)
        self.history.append(stats)
        for cb in self.callbacks:
            cb.on_epoch_end(self.trainer, stats)

    def on_train_end(self, model):
        pass
