"""PyTorch Word2Vec trainers: skip-gram (``torch-sgns``) and CBOW (``torch-cbow``).

Both use negative sampling from unigram counts ** ``ns_exponent``, word2vec's
frequent-word subsampling and dynamic window, a learning rate decaying linearly from
``learning_rate`` to ``min_learning_rate`` over all words of all epochs, and output ``W`` or
``W + C``. ``workers`` threads train on alternate chunks of the corpus with shared
weights and no locks (Hogwild), each on its own core; PyTorch's intra-op threads
are held at one while training, since a hot loop of small operations split across
them waits at a barrier for any descheduled thread. Two kernels do the updates:

- ``native`` (the default when a C compiler is available): word2vec.c's per-example
  loop, compiled on first use (:mod:`evalsuite.native.w2v`), updating the
  torch weight tensors in place; no batching, so every update sees the previous one.
- ``torch``: batched hand-written updates (:mod:`evalsuite.train.word2vec.kernels`),
  examples generated with numpy from the flat id array; each batch is scored with
  the weights as they were before it.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import torch

from evalsuite.data.corpus import Vocabulary, encode_corpus
from evalsuite.core.embeddings import Embeddings
from evalsuite.core.progress import progress
from evalsuite.train.base import EpochStats, Trainer, TrainerCallback, register_trainer
from evalsuite.train.limits import check_matrices
from evalsuite.train.params import Boolean, Options, Relation
from evalsuite.train.callbacks import TrainingGuard, check_matrix_finite
from evalsuite.train.record import TrainingMeter
from evalsuite.train.word2vec.batches import (
    SEGMENT_TOKENS,
    NoiseSampler,
    chunk_bounds,
    corpus_segments,
    reduced_windows,
    subsample,
    window_pairs,
)
from evalsuite.train.word2vec.kernels import Workspace, cbow_step, sgns_step
from evalsuite.native.w2v import MAX_NEGATIVE as NATIVE_MAX_NEGATIVE, load_native, train_chunk
from evalsuite.core.threads import run_threads
from evalsuite.train.word2vec.defaults import (
    BATCH_SIZE, LEARNING_RATE_ORDER, RENAMED, WORD2VEC_CONSTRAINTS, WORD2VEC_DEFAULTS, WORKERS,
)


@dataclass
class _EpochInputs:
    """What every epoch of one training reads and updates (the matrices in place)."""

    W: torch.Tensor
    C: torch.Tensor
    encoded: Any
    keep: np.ndarray
    sampler: NoiseSampler
    noise: Any
    lib: Any
    workspaces: list

class _TorchWord2Vec(Trainer):
    """Shared machinery of :class:`TorchSGNS` and :class:`TorchCBOW`."""

    _parameter_defaults = {**WORD2VEC_DEFAULTS, "batch_size": 1024, "workers": 2, "output": "W", "kernel": "auto"}
    _parameter_constraints = {
        **WORD2VEC_CONSTRAINTS,
        "batch_size": BATCH_SIZE,
        "workers": WORKERS,
        "output": [Options("W", "W+C")],
        "kernel": [Options("auto", "native", "torch")],
    }
    _parameter_relations = (
        LEARNING_RATE_ORDER,
        Relation("negative", lambda p: p["kernel"] == "torch" or p["negative"] <= NATIVE_MAX_NEGATIVE,
                 f"must be <= {NATIVE_MAX_NEGATIVE} with the compiled kernel (kernel 'auto' or 'native'; "
                 "kernel 'torch' takes more), got {negative}", f"<= {NATIVE_MAX_NEGATIVE} unless kernel='torch'"),
    )
    _renamed_parameters = RENAMED

    # -- subclass hooks ------------------------------------------------------------
    _arch = ""  # "sgns" or "cbow": the native kernel's entry point

    def _train_chunk(self, W, C, tokens, sent, start, stop, eff, sampler, rng, lr, ws) -> tuple[float, int]:
        """Train on centres ``start..stop-1`` with the thread's workspace ``ws``; returns (summed loss, examples)."""
        raise NotImplementedError

    def _native_library(self):
        """The compiled kernel, or None when ``kernel="torch"`` or (for ``"auto"``) it cannot be built."""
        return self._compiled_kernel(load_native)

    # -- training ------------------------------------------------------------------
    def fit(self, corpus, *, seed: int = 0, callbacks: Sequence[TrainerCallback] = ()) -> Embeddings:
        """Train on ``corpus`` (a re-iterable of token lists) and return the embeddings.

        With ``workers=1`` the same seed gives the same matrix.
        """
        meter = TrainingMeter()
        vocab, W, C, history = self._fit_weights(corpus, seed=seed, callbacks=callbacks)
        matrix = (W + C) if self.output == "W+C" else W
        record = meter.record(self, corpus, seed=seed, history=history, kernel=self._kernel_used)
        emb = Embeddings(vocab.words, matrix.numpy().astype(np.float32, copy=True), counts=vocab.counts, name=self.name,
                         meta=record.to_meta())
        for cb in callbacks:
            cb.on_train_end(self, emb)
        return emb

    def _fit_weights(self, corpus, *, seed: int = 0, callbacks: Sequence[TrainerCallback] = ()):
        """Train and return ``(vocabulary, W, C, history)`` (input and output weights)."""
        seed = self._check_fit(seed)
        vocab = Vocabulary.build(corpus, min_count=self.min_count, max_vocab_size=self.max_vocab_size)
        # W, C, W + C and the result's float32 copy
        check_matrices(self.name, rows=len(vocab), columns=self.vector_size, matrices=4,
                       vector_size=self.vector_size)
        encoded = encode_corpus(corpus, vocab)
        try:
            W, C, history = self._train(vocab, encoded, seed, callbacks)
        finally:
            encoded.close()
        return vocab, W, C, history

    def _train(self, vocab, encoded, seed, callbacks):
        n_vocab, dim = len(vocab), self.vector_size
        gen = torch.Generator().manual_seed(seed)
        # word2vec.c init: W uniform in [-0.5/d, 0.5/d], C zero
        W = (torch.rand(n_vocab, dim, generator=gen, dtype=torch.float32) - 0.5) / dim
        C = torch.zeros(n_vocab, dim, dtype=torch.float32)
        sampler = NoiseSampler(vocab.counts, self.ns_exponent)
        guard = TrainingGuard(self.name)
        history: list[EpochStats] = []
        for cb in callbacks:
            cb.on_train_begin(self, self.epochs)
        seeds = np.random.SeedSequence(seed)
        old_threads = torch.get_num_threads()
        torch.set_num_threads(1)  # one intra-op thread per worker thread (see the module docstring)
        lib = self._native_library()
        self._kernel_used = "torch" if lib is None else "native"
        state = _EpochInputs(W=W, C=C, encoded=encoded, keep=vocab.keep_probabilities(self.sample).astype(np.float32),
                             sampler=sampler, noise=sampler.alias if lib is not None else None, lib=lib,
                             workspaces=[Workspace() for _ in range(self.workers)])
        try:
            with progress(f"training {self.name}", total=self.epochs * encoded.n_tokens, unit="words") as advance:
                for epoch in range(self.epochs):
                    t0 = time.perf_counter()
                    loss_sum, n_examples = self._epoch(state, epoch, seeds.spawn(1 + self.workers), advance)
                    seconds = time.perf_counter() - t0
                    stats = EpochStats(epoch=epoch + 1, loss=float(loss_sum / max(n_examples, 1)),
                                       items_per_second=vocab.total_words / seconds if seconds > 0 else float("nan"),
                                       seconds=seconds, unit="words")
                    guard.check(stats)
                    check_matrix_finite(W.numpy(), epoch + 1, trainer=self.name)
                    history.append(stats)
                    for cb in callbacks:
                        cb.on_epoch_end(self, stats)
        except BaseException as exc:
            for cb in callbacks:
                if hasattr(cb, "on_train_error"):
                    cb.on_train_error(self, exc)
            raise
        finally:
            torch.set_num_threads(old_threads)
        return W, C, history

    def _epoch(self, state: "_EpochInputs", epoch: int, epoch_seqs, advance) -> tuple[float, float]:
        """One pass over the corpus by ``workers`` Hogwild threads; returns (loss sum, examples)."""
        epoch_seq, *worker_seqs = epoch_seqs
        rng = np.random.default_rng(epoch_seq)
        wrngs = [np.random.default_rng(s) for s in worker_seqs]
        totals = np.zeros((self.workers, 2))
        lock, lib, n_tokens = threading.Lock(), state.lib, state.encoded.n_tokens
        # a few million tokens at a time, whole sentences: memory stays bounded
        for first, tokens, sent in corpus_segments(state.encoded, SEGMENT_TOKENS):
            kept = subsample(tokens, state.keep, rng)
            tok_k, sent_k = tokens[kept], sent[kept]
            eff = reduced_windows(len(kept), self.window, rng)
            chunks = chunk_bounds(len(kept), self.batch_size)

            def work(w: int) -> None:
                for ci in range(w, len(chunks), self.workers):
                    start, stop = chunks[ci]
                    done = (epoch + (first + kept[start]) / n_tokens) / self.epochs
                    lr = self.learning_rate - (self.learning_rate - self.min_learning_rate) * done
                    if lib is None:
                        loss, n = self._train_chunk(state.W, state.C, tok_k, sent_k, start, stop, eff[start:stop],
                                                    state.sampler, wrngs[w], lr, state.workspaces[w])
                    else:
                        loss, n = train_chunk(
                            lib, self._arch, state.W, state.C, tok_k, sent_k, start, stop, eff[start:stop],
                            state.noise, self.negative, lr, int(wrngs[w].integers(2**63)),
                            mean=bool(getattr(self, "cbow_mean", True)),
                        )
                    totals[w] += (loss, n)
                    end = kept[chunks[ci + 1][0]] if ci + 1 < len(chunks) else len(tokens)
                    with lock:
                        advance(end - (kept[start] if start else 0))

            run_threads(work, self.workers)
        loss_sum, n_examples = totals.sum(axis=0)
        return loss_sum, n_examples


@register_trainer
class TorchSGNS(_TorchWord2Vec):
    """Skip-gram with negative sampling in PyTorch, hand-written updates.

    Parameters
    ----------
    vector_size : int
        Embedding dimension.
    window : int
        Maximum distance between centre and context; each centre draws its own
        effective window uniformly from 1..window (word2vec's dynamic window).
    negative : int
        Noise words per (centre, context) pair.
    ns_exponent : float
        Noise distribution ∝ count ** ns_exponent.
    sample : float
        Frequent-word subsampling threshold (0 disables).
    min_count : int
        Words rarer than this are dropped.
    max_vocab_size : int, optional
        Memory bound while counting (gensim's pruning rule); ``None`` for no bound.
    learning_rate, min_learning_rate : float
        Learning rate, decayed linearly from ``learning_rate`` to ``min_learning_rate``
        over all epochs (formerly ``alpha`` and ``min_alpha``: configs and ``--set`` still
        accept those names, with a warning).
    epochs : int
        Passes over the corpus.
    batch_size : int
        Centre words (after subsampling) per batched update (torch kernel) or per
        kernel call (native kernel); the learning rate is updated once per batch.
    workers : int
        Hogwild threads sharing the weights.
    output : {"W", "W+C"}
        Return the input vectors or the sum of input and output vectors.
    kernel : {"auto", "native", "torch"}
        ``native``: the compiled per-example kernel (an error if it cannot be built);
        ``torch``: batched PyTorch updates; ``auto``: native when a C compiler is
        available, else torch with a warning. ``meta["kernel"]`` records the one used.
    """

    name = "torch-sgns"
    version = 3  # 2: the compiled per-example kernel is the default; 3: the corpus in segments
    _arch = "sgns"

    def _train_chunk(self, W, C, tokens, sent, start, stop, eff, sampler, rng, lr, ws):
        centre, context, _ = window_pairs(tokens, sent, start, stop, eff, self.window)
        if len(centre) == 0:
            return 0.0, 0
        negatives = sampler.sample(rng, (len(centre), self.negative))
        # as in word2vec.c and gensim: the context word's input vector predicts the centre
        loss = sgns_step(
            W, C, torch.from_numpy(context.astype(np.int64)), torch.from_numpy(centre.astype(np.int64)),
            torch.from_numpy(negatives), lr, ws,
        )
        return loss, len(centre)


@register_trainer
class TorchCBOW(_TorchWord2Vec):
    """Continuous bag of words with negative sampling in PyTorch, hand-written updates.

    Parameters are those of :class:`TorchSGNS`, plus ``cbow_mean``: average the context
    vectors (``True``) or sum them. ``learning_rate`` defaults to 0.025, gensim's default
    for both architectures, so that torch-cbow and gensim's CBOW train alike out of the
    box; word2vec.c's CBOW default is 0.05.
    """

    name = "torch-cbow"
    version = 3  # 2: the compiled per-example kernel is the default; 3: the corpus in segments
    _arch = "cbow"
    _parameter_defaults = {**{k: v for k, v in _TorchWord2Vec._parameter_defaults.items() if k != "kernel"},
                           "cbow_mean": True, "kernel": "auto"}
    _parameter_constraints = {**_TorchWord2Vec._parameter_constraints, "cbow_mean": [Boolean()]}

    def _train_chunk(self, W, C, tokens, sent, start, stop, eff, sampler, rng, lr, ws):
        _, context, owner_rel = window_pairs(tokens, sent, start, stop, eff, self.window)
        if len(context) == 0:
            return 0.0, 0
        # renumber centres that have at least one context as 0..m-1
        has_ctx = np.zeros(stop - start, dtype=bool)
        has_ctx[owner_rel] = True
        new_index = np.cumsum(has_ctx) - 1
        centres = tokens[start:stop][has_ctx].astype(np.int64)
        negatives = sampler.sample(rng, (len(centres), self.negative))
        loss = cbow_step(
            W, C, torch.from_numpy(centres), torch.from_numpy(context.astype(np.int64)),
            torch.from_numpy(new_index[owner_rel].astype(np.int64)), torch.from_numpy(negatives),
            lr, mean=bool(self.cbow_mean), workspace=ws,
        )
        return loss, len(centres)
