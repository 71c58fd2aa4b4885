"""GloVe (Pennington et al., 2014) in PyTorch, with hand-written AdaGrad updates.

Objective, summed over the nonzeros of the co-occurrence matrix ``X``::

    J = sum_ij f(X_ij) (w_i . w~_j + b_i + b~_j - log X_ij)^2,
    f(x) = min(1, (x / x_max) ** weighting_exponent)

The updates are those of GloVe's ``glove.c``: with ``g`` the gradient of
``J / 2`` for one nonzero (``f * diff * w~_j`` for ``w_i``, ``f * diff`` for
``b_i`` ...), clipped to [-100, 100] per component, each parameter moves by
``-lr * g / sqrt(G)`` and then ``G += (lr * g) ** 2``, where the accumulator
``G`` starts at 1.  (GloVe's current ``glove.c`` steps the biases by
``f * diff / sqrt(G)``, without ``lr`` or the clip; here they are treated as
every other component, as stanfordnlp/GloVe#209 proposes.)  Parameters start
uniform in ``(-0.5, 0.5) / vector_size`` (biases too).

The counts (float32, on ``workers`` threads) become the training arrays in
place (:mod:`evalsuite.train.glove.nonzeros`); the native kernel computes
``f(x)`` from ``log x``.  The nonzeros are shuffled once with the seed, as
GloVe's ``shuffle.c`` does, and cut into blocks of ``batch_size``; each epoch visits
the blocks in a fresh seeded order, cut into ``workers`` contiguous shares.
Each share is trained by its own thread, without locks or barriers between
them (Hogwild, as ``glove.c``'s threads on their parts of the shuffled file),
by one of two kernels:

- ``native`` (the default when a C compiler is available): ``glove.c``'s
  per-nonzero loop, compiled on first use (:mod:`evalsuite.native.glove`),
  updating the torch tensors in place; every update sees the previous one.
- ``torch``: :func:`glove_step`, one batched update per block: a block reads
  the parameters once and its updates are added with ``index_add_`` (a word
  seen several times in one block receives the sum of its updates).

PyTorch's intra-op threads are not used while training (one per process):
a hot loop of small operations split across them waits at a barrier for
any descheduled thread, which costs tens of times on a busy machine.

The loss reported per epoch is the one ``glove.c`` prints: the mean over
nonzeros of ``f * diff**2 / 2``, accumulated while the epoch runs.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import scipy.sparse as sp
import torch

from evalsuite.data.corpus.encoded import encode_with_vocabulary
from evalsuite.data.corpus.vocabulary import Vocabulary
from evalsuite.core.embeddings import Embeddings
from evalsuite.core.errors import ConfigError, TrainingError
from evalsuite.native.glove import load_native, train_chunk
from evalsuite.core.progress import progress
from evalsuite.train.base import EpochStats, Trainer, TrainerCallback, register_trainer
from evalsuite.train.callbacks import TrainingGuard
from evalsuite.train.glove.cooccurrence import count_cooccurrences
from evalsuite.train.record import TrainingMeter
from evalsuite.train.limits import (
    MAX_BATCH_SIZE, MAX_COUNT, MAX_EPOCHS, MAX_VECTOR_SIZE, MAX_WINDOW, MAX_WORKERS, check_matrices, upto,
)
from evalsuite.train.params import Boolean, Interval, Options, Real
from evalsuite.train.glove.nonzeros import training_arrays
from evalsuite.core.threads import run_threads

GRAD_CLIP = 100.0


def glove_weight(x, x_max: float, weighting_exponent: float) -> np.ndarray:
    """GloVe's weighting function ``f(x) = min(1, (x / x_max) ** weighting_exponent)``."""
    x = np.asarray(x, dtype=np.float64)
    return np.minimum(1.0, (x / x_max) ** weighting_exponent)


@dataclass
class GloVeState:
    """Parameters and AdaGrad accumulators; column ``d`` of each matrix is the bias.

    ``word`` holds ``[W | b]`` and ``context`` holds ``[W~ | b~]``, both
    ``(V, d + 1)`` float32; ``word_sq`` and ``context_sq`` their accumulators.
    """

    word: torch.Tensor
    context: torch.Tensor
    word_sq: torch.Tensor
    context_sq: torch.Tensor

    @classmethod
    def initial(cls, vocab_size: int, vector_size: int, generator: torch.Generator) -> "GloVeState":
        """GloVe's initialisation: uniform (-0.5, 0.5) / vector_size, accumulators 1."""
        shape = (vocab_size, vector_size + 1)
        word = (torch.rand(shape, generator=generator) - 0.5) / vector_size
        context = (torch.rand(shape, generator=generator) - 0.5) / vector_size
        return cls(word, context, torch.ones(shape), torch.ones(shape))


def glove_step(
    state: GloVeState,
    rows: torch.Tensor,
    cols: torch.Tensor,
    log_x: torch.Tensor,
    weight: torch.Tensor,
    learning_rate: float,
) -> float:
    """One batched AdaGrad update over the nonzeros ``(rows[k], cols[k])``.

    Parameters
    ----------
    state : GloVeState
        Updated in place.
    rows, cols : LongTensor, shape (B,)
        Word and context ids.
    log_x, weight : FloatTensor, shape (B,)
        ``log X_ij`` and ``f(X_ij)``.
    learning_rate : float
        AdaGrad's initial learning rate ``eta``.

    Returns
    -------
    float
        ``sum_k f_k diff_k**2 / 2`` for the batch, before the update.
    """
    d = state.word.shape[1] - 1
    wi = state.word.index_select(0, rows)
    cj = state.context.index_select(0, cols)
    diff = torch.einsum("bk,bk->b", wi[:, :d], cj[:, :d]) + wi[:, d] + cj[:, d] - log_x
    fdiff = weight * diff
    loss = 0.5 * float(torch.dot(fdiff, diff))
    # gradients: d/dw_i = fdiff * w~_j, d/db_i = fdiff (the bias column times 1)
    cj[:, d] = 1.0
    wi[:, d] = 1.0
    # negated (-lr) here so that index_add_ needs no alpha: with alpha != 1 it takes a much slower path
    grad_i = cj.mul_(fdiff.unsqueeze(1)).clamp_(-GRAD_CLIP, GRAD_CLIP).mul_(-learning_rate)
    grad_j = wi.mul_(fdiff.unsqueeze(1)).clamp_(-GRAD_CLIP, GRAD_CLIP).mul_(-learning_rate)
    step_i = state.word_sq.index_select(0, rows).rsqrt_().mul_(grad_i)
    step_j = state.context_sq.index_select(0, cols).rsqrt_().mul_(grad_j)
    state.word.index_add_(0, rows, step_i)
    state.context.index_add_(0, cols, step_j)
    state.word_sq.index_add_(0, rows, grad_i.square_())
    state.context_sq.index_add_(0, cols, grad_j.square_())
    return loss


_AT_LEAST_1 = upto(MAX_COUNT)
_POSITIVE = [Interval(Real, 0, None, closed="neither")]


@register_trainer
class TorchGloVe(Trainer):
    """GloVe trained with PyTorch on CPU.

    Parameters
    ----------
    vector_size : int
        Dimension ``d`` of the vectors.
    window : int
        Context window for co-occurrence counting (each side when symmetric).
    x_max, weighting_exponent : float
        Weighting function ``f(x) = min(1, (x / x_max) ** weighting_exponent)``
        (GloVe's ``alpha``; configs and ``--set`` still accept ``alpha``, with a warning).
    learning_rate : float
        AdaGrad's initial learning rate (GloVe's ``eta``).
    epochs : int
        Passes over the nonzeros (15, as GloVe's demo script; its binary defaults to 25).
    min_count : int
        Words rarer than this are dropped before counting.
    max_final_vocab : int or None
        Final cut: keep only the ``max_final_vocab`` most frequent words (after ``min_count``;
        ties broken by the word), as gensim-word2vec's parameter of the same name. Not the
        counting-time pruning that Word2Vec trainers call ``max_vocab_size``. Its old names,
        ``max_vocab`` and ``max_vocab_size``, are still accepted, with a warning.
    batch_size : int
        Nonzeros per block: per batched update (torch kernel) or per kernel call
        (native kernel); blocks are visited in a new order each epoch.
    symmetric, distance_weighting : bool
        Co-occurrence counting options (see :func:`count_cooccurrences`).
    output : {"W+C", "W"}
        Return ``W + W~`` (GloVe's default) or the word vectors ``W`` alone.
    workers : int
        Hogwild threads sharing the parameters, each on its own share of the nonzeros.
    max_buffer : int
        Memory bound of the counter (see :func:`count_cooccurrences`); no
        effect on the result.
    kernel : {"auto", "native", "torch"}
        ``native``: the compiled per-nonzero kernel (an error if it cannot be built);
        ``torch``: batched PyTorch updates; ``auto``: native when a C compiler is
        available, else torch with a warning. ``meta["kernel"]`` records the one used.
    """

    name = "torch-glove"
    # 2: nonzeros shuffled once, batches visited in a new order each epoch;
    # 3: Hogwild worker threads, the compiled per-nonzero kernel by default;
    # 4: float32 counts, an in-place Fisher-Yates shuffle, f(x) computed by the native kernel
    version = 4
    _parameter_defaults = {
        "vector_size": 100, "window": 10, "x_max": 100.0, "weighting_exponent": 0.75, "learning_rate": 0.05,
        "epochs": 15, "min_count": 5, "max_final_vocab": None, "batch_size": 16384, "symmetric": True,
        "distance_weighting": True, "output": "W+C", "workers": 2, "max_buffer": 1 << 23, "kernel": "auto",
    }
    _parameter_constraints = {
        "vector_size": upto(MAX_VECTOR_SIZE),
        "window": upto(MAX_WINDOW),
        "x_max": _POSITIVE,
        "weighting_exponent": _POSITIVE,
        "learning_rate": _POSITIVE,
        "epochs": upto(MAX_EPOCHS),
        "min_count": _AT_LEAST_1,
        "max_final_vocab": [*_AT_LEAST_1, None],
        "batch_size": upto(MAX_BATCH_SIZE),
        "symmetric": [Boolean()],
        "distance_weighting": [Boolean()],
        "output": [Options("W+C", "W")],
        "workers": upto(MAX_WORKERS),
        "max_buffer": _AT_LEAST_1,
        "kernel": [Options("auto", "native", "torch")],
    }
    _renamed_parameters = {"alpha": "weighting_exponent", "max_vocab": "max_final_vocab",
                           "max_vocab_size": "max_final_vocab"}

    def _check_memory(self, n_words: int) -> None:
        """Refuse a vector_size whose parameters for ``n_words`` words exceed the memory available."""
        # [W | b] and [W~ | b~] with their AdaGrad accumulators, the result and its copy
        check_matrices(self.name, rows=n_words, columns=self.vector_size + 1, matrices=6,
                       vector_size=self.vector_size)

    def _native_library(self):
        """The compiled kernel, or None when ``kernel="torch"`` or (for ``"auto"``) it cannot be built."""
        return self._compiled_kernel(load_native)

    # --- training --------------------------------------------------------------
    def fit(self, corpus, *, seed: int = 0, callbacks: Sequence[TrainerCallback] = ()) -> Embeddings:
        """Build the vocabulary, count co-occurrences and train; see the class docstring."""
        seed = self._check_fit(seed)
        meter = TrainingMeter()
        # one pass over the corpus for the vocabulary and the ids; the ids' files go once counted
        vocab, encoded = encode_with_vocabulary(corpus, min_count=self.min_count, max_size=self.max_final_vocab)
        with encoded:
            self._check_memory(len(vocab))
            matrix = count_cooccurrences(
                encoded,
                len(vocab),
                window=self.window,
                symmetric=self.symmetric,
                distance_weighting=self.distance_weighting,
                max_buffer=self.max_buffer,
                dtype=np.float32,  # all training needs; the log overwrites it in place
                workers=self.workers,
            )
        counting = meter.usage()
        details = {"cooccurrence_seconds": counting.wall_seconds, "cooccurrence_cpu_seconds": counting.cpu_seconds}
        box = [matrix]
        del matrix  # the matrix's arrays become the training arrays, in place
        return self._fit_matrix(box, vocab, seed, callbacks, meter, corpus, details, owned=True)

    def fit_cooccurrences(
        self,
        matrix: sp.spmatrix,
        vocab: Vocabulary,
        *,
        seed: int = 0,
        callbacks: Sequence[TrainerCallback] = (),
    ) -> Embeddings:
        """Train on a ready co-occurrence matrix whose rows and columns follow ``vocab`` (left unchanged)."""
        seed = self._check_fit(seed)
        self._check_memory(len(vocab))
        return self._fit_matrix([matrix], vocab, seed, callbacks, TrainingMeter(), None, {}, owned=False)

    def _fit_matrix(self, box: list, vocab: Vocabulary, seed, callbacks, meter: TrainingMeter, corpus, details: dict,
                    owned: bool) -> Embeddings:
        """Train on the matrix in ``box`` (taken out, so that only the training arrays keep its memory).

        ``meter`` was started when the training began; ``corpus`` (None for a ready matrix)
        and ``details`` go into the training record.
        """
        matrix = sp.csr_matrix(box.pop())
        if matrix.shape != (len(vocab), len(vocab)):
            raise ConfigError(f"co-occurrence matrix shape {matrix.shape} does not match {len(vocab)} words")
        keep = matrix.data > 0
        if not keep.all():
            matrix, owned = matrix.copy(), True
            matrix.data[~keep] = 0
            matrix.eliminate_zeros()
        del keep
        if not matrix.nnz:
            raise TrainingError("the co-occurrence matrix has no nonzeros: the corpus is too small for this vocabulary")
        nnz = int(matrix.nnz)

        lib = self._native_library()
        shuffler = lib if lib is not None else load_native(required=False)
        old_threads = torch.get_num_threads()
        torch.set_num_threads(1)  # parallelism comes from the worker threads (see the module docstring)
        try:
            generator = torch.Generator().manual_seed(int(seed))
            state = GloVeState.initial(len(vocab), self.vector_size, generator)
            data = training_arrays(matrix, owned=owned, x_max=self.x_max, weighting_exponent=self.weighting_exponent,
                                   generator=generator,
                                   lib=shuffler, workers=self.workers, weights=lib is None)
            del matrix
            history = self._train(state, data, generator, lib, callbacks)
        finally:
            torch.set_num_threads(old_threads)

        d = self.vector_size
        vectors = state.word[:, :d] + state.context[:, :d] if self.output == "W+C" else state.word[:, :d]
        record = meter.record(self, corpus, seed=seed, history=history, nonzeros=nnz,
                              kernel="torch" if lib is None else "native",
                              shuffle="torch" if shuffler is None else "native", **details)
        emb = Embeddings(vocab.words, vectors.numpy(), counts=vocab.counts, name=self.name, meta=record.to_meta())
        for cb in callbacks:
            cb.on_train_end(self, emb)
        return emb

    def _train(self, state, data, generator, lib, callbacks) -> list[EpochStats]:
        for cb in callbacks:
            cb.on_train_begin(self, self.epochs)
        history: list[EpochStats] = []
        guard = TrainingGuard(self.name)
        nnz = len(data[0])
        n_batches = -(-nnz // self.batch_size)
        with progress(f"{self.name} training", self.epochs * nnz, unit="nonzeros") as advance:
            for epoch in range(1, self.epochs + 1):
                t0 = time.perf_counter()
                order = torch.randperm(n_batches, generator=generator).numpy()
                total = self._run_epoch(state, data, np.array_split(order, self.workers), lib, epoch, advance)
                seconds = time.perf_counter() - t0
                stats = EpochStats(epoch, total / nnz, nnz / seconds if seconds > 0 else float("inf"), seconds,
                                   "nonzeros")
                guard.check(stats)
                history.append(stats)
                for cb in callbacks:
                    cb.on_epoch_end(self, stats)
        return history

    def _run_epoch(self, state, data, shares, lib, epoch, advance) -> float:
        """One thread per share of blocks, no locks on the parameters; returns the summed loss."""
        rows, cols, log_x, weight = data
        nnz, lr = len(rows), self.learning_rate
        totals = [0.0] * len(shares)
        lock, failed = threading.Lock(), threading.Event()

        def work(w: int) -> None:
            for batch in shares[w].tolist():
                if failed.is_set():
                    return
                lo, hi = batch * self.batch_size, min(nnz, (batch + 1) * self.batch_size)
                if lib is None:
                    loss = glove_step(state, rows[lo:hi], cols[lo:hi], log_x[lo:hi], weight[lo:hi], lr)
                else:
                    loss = train_chunk(lib, state, rows, cols, log_x, weight, lo, hi, lr, GRAD_CLIP, check_ids=False,
                                       x_max=self.x_max, weighting_exponent=self.weighting_exponent)
                if not math.isfinite(loss):
                    failed.set()
                    raise TrainingError(f"{self.name}: loss became {loss} in epoch {epoch}; "
                                        f"lower learning_rate (now {lr})")
                totals[w] += loss
                with lock:
                    advance(hi - lo)

        run_threads(work, len(shares))
        return sum(totals)

