"""Word similarity: Spearman (and Pearson) of cosine similarity against human scores.

A score on too few pairs (the protocol's ``min_similarity_pairs`` and
``min_similarity_coverage``) is marked insufficient in ``details["sufficient"]``, with
the reason in ``details["insufficient"]``.
"""

from __future__ import annotations

import time

import numpy as np
from scipy.linalg import get_blas_funcs

from evalsuite.core.embeddings import Embeddings
from evalsuite.evaluate.metrics import pair_cosines, pearson, spearman
from evalsuite.evaluate.protocol import Protocol, get_protocol
from evalsuite.core.results import TaskResult
from evalsuite.evaluate.bootstrap import bootstrap_ci
from evalsuite.evaluate.base import DatasetTask, WordIndex, dataset_provenance

_NRM2 = get_blas_funcs("nrm2", (np.zeros(1),))
_SCAL = get_blas_funcs("scal", (np.zeros(1),))


class SimilarityTask(DatasetTask):
    """Correlation of cosine similarity with human judgements.

    Parameters
    ----------
    dataset : SimilarityDataset
    name : str, optional
        Task name (defaults to the dataset name).
    """

    kind, main_score = "similarity", "spearman"

    def evaluate(self, embeddings: Embeddings, protocol: Protocol | None = None) -> TaskResult:
        """Score ``embeddings``; see the module docstring of :mod:`evalsuite.evaluate.protocol` for settings."""
        protocol = protocol or get_protocol()
        t0 = time.perf_counter()
        pairs = self.dataset.pairs
        index = WordIndex(embeddings, protocol, protocol.similarity_vocab)
        r1 = index.rows_of(p.word1 for p in pairs)
        r2 = index.rows_of(p.word2 for p in pairs)
        gold = np.array([p.score for p in pairs], dtype=np.float64)
        covered = (r1 >= 0) & (r2 >= 0)
        predicted = np.full(len(pairs), np.nan)
        predicted[covered] = self._cosines(embeddings, protocol, r1[covered], r2[covered])

        used = _apply_oov(embeddings, protocol, covered, predicted, r1, r2)
        rho, r, ci = _correlations(gold[used], predicted[used], protocol)
        items = {
            "word1": [q.word1 for q in pairs],
            "word2": [q.word2 for q in pairs],
            "gold": gold.tolist(),
            "predicted": [float(v) if u else None for v, u in zip(predicted, used)],
        }
        problem = protocol.evidence_problem(int(covered.sum()), len(pairs))
        return TaskResult(
            task=self.metadata.name,
            kind="similarity",
            embedding=embeddings.name,
            main_score=float(rho),
            scores={"spearman": float(rho), "pearson": float(r)},
            n_items=len(pairs),
            n_scored=int(covered.sum()),
            ci95=ci,
            main_score_name="spearman",
            higher_is_better=True,
            protocol=protocol.to_dict(),
            items=items,
            details={
                "n_used": int(used.sum()),
                "oov_pairs": int((~covered).sum()),
                "vocab_size": len(index.keys),
                "task_version": self.metadata.version,
                "sufficient": problem is None,
                **({"insufficient": problem} if problem else {}),
            },
            provenance={**dataset_provenance(self.dataset), "seconds": time.perf_counter() - t0},
        )

    @staticmethod
    def _cosines(embeddings: Embeddings, protocol: Protocol, left: np.ndarray, right: np.ndarray):
        if protocol.emulate == "gensim":
            # gensim: dot(unitvec(v1), unitvec(v2)) with BLAS nrm2/scal in float64, result float32
            m = embeddings.matrix
            return np.array([float(np.dot(_unitvec(m[i]), _unitvec(m[j]))) for i, j in zip(left, right)])
        matrix = embeddings.matrix
        if protocol.normalization == "center":
            matrix = np.asarray(matrix, dtype=np.float64)
            matrix = matrix - matrix.mean(axis=0)
        return pair_cosines(matrix, left, right)


def _apply_oov(embeddings: Embeddings, protocol: Protocol, covered: np.ndarray, predicted: np.ndarray,
               r1: np.ndarray, r2: np.ndarray) -> np.ndarray:
    """The pairs scored under ``protocol.oov``; fills ``predicted`` for uncovered pairs it keeps."""
    if protocol.oov == "drop":
        return covered.copy()
    used = np.ones(len(covered), dtype=bool)
    missing = ~covered
    if protocol.oov == "zero":
        predicted[missing] = 0.0
    elif missing.any():  # "mean": the mean vector stands in for each unknown word
        matrix = np.asarray(embeddings.matrix, dtype=np.float64)
        if protocol.normalization == "center":
            matrix = matrix - matrix.mean(axis=0)
        mean = matrix.mean(axis=0)
        left = np.where(r1[missing] >= 0, r1[missing], len(matrix))
        right = np.where(r2[missing] >= 0, r2[missing], len(matrix))
        predicted[missing] = pair_cosines(np.vstack([matrix, mean]), left, right)
    return used


def _correlations(g: np.ndarray, p: np.ndarray, protocol: Protocol):
    """Spearman, Pearson and Spearman's bootstrap CI of gold ``g`` and predicted ``p`` (NaN, None under 2 pairs)."""
    if len(g) >= 2:
        rho, r = spearman(g, p), pearson(g, p)
        ci = bootstrap_ci(
            spearman, (g, p), n_resamples=protocol.bootstrap_samples, seed=protocol.bootstrap_seed
        )
    else:
        rho = r = float("nan")
        ci = None
    return rho, r, ci


def _unitvec(vec: np.ndarray) -> np.ndarray:
    """gensim.matutils.unitvec for a dense float32 vector, step for step."""
    norm = _NRM2(vec)
    if norm > 0.0:
        return _SCAL(1.0 / norm, vec).astype(vec.dtype)
    return vec
