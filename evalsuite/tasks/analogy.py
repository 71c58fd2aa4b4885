"""Word analogies ``a : b :: c : d`` with 3CosAdd and 3CosMul over the most frequent words."""

from __future__ import annotations

import time
from functools import cached_property

import numpy as np

from evalsuite.datasets.base import AnalogyDataset
from evalsuite.embeddings import Embeddings
from evalsuite.metrics import solve_analogies
from evalsuite.progress import progress
from evalsuite.protocol import Protocol, get_protocol
from evalsuite.results import TaskResult
from evalsuite.stats import bootstrap_ci, mean_statistic
from evalsuite.tasks.base import Task, TaskMetadata, WordIndex, dataset_provenance, normalized_matrix
from evalsuite.tasks.similarity import _unitvec

_SUFFIX = {"3cosadd": "", "3cosmul": "_3cosmul"}
_EPS32 = float(np.finfo(np.float32).eps)


class AnalogyTask(Task):
    """Analogy accuracy per section, per family, over covered and over all questions.

    A question is covered when its four words are among the protocol's analogy
    vocabulary (the ``analogy_vocab`` most frequent words); the candidates are the same
    words, the three question words excluded.

    Parameters
    ----------
    dataset : AnalogyDataset
    name : str, optional
        Task name (defaults to the dataset name).
    chunk_size : int, optional
        Questions solved per batched product (default from a 256 MiB budget).
    """

    def __init__(self, dataset: AnalogyDataset, name: str | None = None, chunk_size: int | None = None):
        self.dataset = dataset
        self.chunk_size = chunk_size
        self.metadata = TaskMetadata(
            name=name or dataset.name,
            kind="analogy",
            dataset=dataset.name,
            main_score="accuracy",
            higher_is_better=True,
            version="1.0",
        )

    def evaluate(self, embeddings: Embeddings, protocol: Protocol | None = None) -> TaskResult:
        """Score ``embeddings`` (never mutated) under ``protocol``."""
        protocol = protocol or get_protocol()
        t0 = time.perf_counter()
        questions = self.dataset.questions
        n = len(questions)
        index = WordIndex(embeddings, protocol, protocol.analogy_vocab)
        gensim = protocol.emulate == "gensim"
        rows = [index.rows_of(words) for words in self._question_words]
        covered = np.all(np.stack(rows) >= 0, axis=0) if n else np.zeros(0, bool)
        ra, rb, rc, rd = (r[covered] for r in rows)

        # candidates: every word in range for gensim, else one word per folded key
        cand = index.rows if gensim else index.canonical_rows
        m = len(cand)
        vectors = normalized_matrix(embeddings, protocol)
        if np.array_equal(cand, np.arange(m)):
            vectors = vectors[:m]
        else:
            vectors = vectors[cand]
        pos = np.full(len(embeddings), -1, dtype=np.int64)
        pos[cand] = np.arange(m)
        qa, qb, qc = pos[ra], pos[rb], pos[rc]
        exclude = self._gensim_exclusions(index, cand, pos, ra, rb, rc) if gensim else None

        n_cov = int(covered.sum())
        with progress(f"analogy {self.metadata.name}", total=n_cov, unit="questions") as advance:
            solutions = solve_analogies(
                vectors, qa, qb, qc,
                methods=protocol.analogy_methods, exclude=exclude,
                chunk_size=self.chunk_size, eps=protocol.cosmul_eps, on_chunk=advance,
            )
        predicted_rows = {}
        for method, sol in solutions.items():
            prow = np.where(sol.best >= 0, cand[np.maximum(sol.best, 0)], -1)
            if gensim and method == "3cosadd":
                prow = self._gensim_fixups(embeddings, index, vectors, exclude, qa, qb, qc, ra, rb, rc, sol, prow)
            predicted_rows[method] = prow

        return self._result(embeddings, protocol, index, covered, rows, predicted_rows, m, t0)

    @cached_property
    def _question_words(self) -> tuple[list[str], ...]:
        """Words a, b, c and d of every question, one list each (the dataset never changes)."""
        questions = self.dataset.questions
        return tuple([getattr(q, f) for q in questions] for f in "abcd")

    # --- gensim emulation ----------------------------------------------------------
    @staticmethod
    def _gensim_exclusions(index, cand, pos, ra, rb, rc):
        """Question words and every case variant of them (gensim skips variants by name)."""
        fold, vocab = index.protocol.folder, index.embeddings.vocab
        variants: dict[int, list[int]] = {}
        keys = index.keys
        for r in cand.tolist():
            canon = keys[fold(vocab[r])]
            if canon != r:
                variants.setdefault(canon, []).append(int(pos[r]))
        base = np.stack([pos[ra], pos[rb], pos[rc]], axis=1).astype(np.int64)
        if not variants:
            return base
        extra = [[v for r in dict.fromkeys((x, y, z)) for v in variants.get(r, ())]
                 for x, y, z in zip(ra.tolist(), rb.tolist(), rc.tolist())]
        out = np.full((len(base), 3 + max((len(e) for e in extra), default=0)), -1, dtype=np.int64)
        out[:, :3] = base
        for i, e in enumerate(extra):
            out[i, 3:3 + len(e)] = e
        return out

    def _gensim_fixups(self, embeddings, index, vectors, exclude, qa, qb, qc, ra, rb, rc, sol, prow):
        """Redo, with gensim's own arithmetic, questions whose answer could differ.

        That is near ties (gensim's float32 gemv of the summed query rounds differently
        from our sum of three cosines) and questions where five or more case variants of
        the question words outrank the best other word (gensim only looks at its top five).
        """
        d = vectors.shape[1]
        q = vectors[qb].astype(np.float64) - vectors[qa] + vectors[qc]
        qnorm = np.linalg.norm(q, axis=1)
        # float32 error bound on a score: three unit dot products here, one dot product
        # with a query of norm qnorm there; a margin can be off by twice that
        tol = 2.0 * (d + 2) * _EPS32 * (3.0 + np.maximum(qnorm, 1.0))
        redo = sol.margin <= tol
        extra = exclude[:, 3:]
        if extra.shape[1]:
            has = extra >= 0
            rows_i, cols_i = np.nonzero(has)
            vs = np.einsum("ij,ij->i", vectors[extra[rows_i, cols_i]].astype(np.float64), q[rows_i])
            above = np.zeros(len(qa), dtype=np.int64)
            np.add.at(above, rows_i, vs >= sol.score[rows_i] - tol[rows_i])
            redo |= above >= 5
        todo = np.nonzero(redo | (sol.best < 0))[0]
        if len(todo):
            matrix = embeddings.matrix
            limit = len(index.rows)
            norms = np.linalg.norm(matrix, axis=1)
            prow = prow.copy()
            for i in todo:
                prow[i] = _gensim_answer(matrix, norms, limit, index, int(ra[i]), int(rb[i]), int(rc[i]))
        self.last_gensim_rechecked = int(len(todo))
        return prow

    # --- result --------------------------------------------------------------------
    def _result(self, embeddings, protocol, index, covered, rows, predicted_rows, n_candidates, t0):
        questions = self.dataset.questions
        n = len(questions)
        vocab, keys, fold = embeddings.vocab, index.keys, protocol.folder
        rd = rows[3][covered]
        cov_idx = np.nonzero(covered)[0]
        items = {
            "a": [q.a for q in questions], "b": [q.b for q in questions],
            "c": [q.c for q in questions], "expected": [q.d for q in questions],
        }
        correct = {}
        for method in ("3cosadd", "3cosmul"):
            sfx = _SUFFIX[method]
            pred_col: list = [None] * n
            corr_col: list = [None] * n
            if method in predicted_rows:
                prow = predicted_rows[method]
                # an answer is right when it folds to the expected word's key
                canon = np.array([keys.get(fold(vocab[r]), -2) if r >= 0 else -2 for r in prow.tolist()],
                                 dtype=np.int64)
                ok = canon == rd
                correct[method] = ok
                for j, i in enumerate(cov_idx.tolist()):
                    pred_col[i] = vocab[prow[j]] if prow[j] >= 0 else None
                    corr_col[i] = bool(ok[j])
            items["predicted" + sfx] = pred_col
            items["correct" + sfx] = corr_col
        items["section"] = [q.section for q in questions]

        scores = {}
        n_cov = int(covered.sum())
        for method, ok in correct.items():
            sfx = _SUFFIX[method]
            scores["accuracy" + sfx] = float(ok.mean()) if n_cov else float("nan")
            scores["accuracy" + sfx + "_all"] = float(ok.sum() / n) if n else float("nan")
        main_method = protocol.analogy_methods[0]
        main_name = "accuracy" + _SUFFIX[main_method]
        ci = bootstrap_ci(
            mean_statistic, (correct[main_method].astype(np.float64),),
            n_resamples=protocol.bootstrap_samples, seed=protocol.bootstrap_seed,
        )
        details = {
            "sections": self._breakdown([q.section for q in questions], covered, correct),
            "families": self._breakdown(
                [self.dataset.families.get(q.section, "unknown") for q in questions], covered, correct
            ),
            "n_candidates": int(n_candidates),
            "main_method": main_method,
            "task_version": self.metadata.version,
        }
        for sec, entry in details["sections"].items():
            entry["family"] = self.dataset.families.get(sec, "unknown")
        return TaskResult(
            task=self.metadata.name,
            kind="analogy",
            embedding=embeddings.name,
            main_score=scores[main_name],
            scores=scores,
            n_items=n,
            n_scored=n_cov,
            ci95=ci,
            main_score_name=main_name,
            higher_is_better=True,
            protocol=protocol.to_dict(),
            items=items,
            details=details,
            provenance={**dataset_provenance(self.dataset), "seconds": time.perf_counter() - t0},
        )

    @staticmethod
    def _breakdown(groups, covered, correct) -> dict:
        """total / covered / correct / accuracy per group, in order of first appearance."""
        names = list(dict.fromkeys(groups))
        gid = np.array([names.index(g) for g in groups] if len(names) < 64 else
                       [dict(zip(names, range(len(names))))[g] for g in groups], dtype=np.int64)
        k = len(names)
        total = np.bincount(gid, minlength=k)
        cov = np.bincount(gid[covered], minlength=k)
        out: dict[str, dict] = {name: {"total": int(total[j]), "covered": int(cov[j])} for j, name in enumerate(names)}
        for m, ok in correct.items():
            sfx = _SUFFIX[m]
            right = np.bincount(gid[covered], weights=ok.astype(np.float64), minlength=k)
            for j, name in enumerate(names):
                e = out[name]
                e["correct" + sfx] = int(right[j])
                e["accuracy" + sfx] = e["correct" + sfx] / e["covered"] if e["covered"] else None
        return out


def _gensim_answer(matrix, norms, limit, index, ia: int, ib: int, ic: int) -> int:
    """gensim 4 ``evaluate_word_analogies`` for one question, step for step; returns the row."""
    fold, vocab = index.protocol.folder, index.embeddings.vocab
    keys = [ib, ic, ia]  # positive=[b, c], negative=[a]
    weight = np.concatenate((np.ones(2), -1.0 * np.ones(1)))
    mean = np.zeros(matrix.shape[1], matrix.dtype)
    total_weight = 0
    for k, row in enumerate(keys):
        vec = matrix[row] / norms[row]
        mean += weight[k] * vec
        total_weight += abs(weight[k])
    mean = mean / total_weight
    mean = _unitvec(mean).astype(np.float32)
    dists = np.dot(matrix[0:limit], mean) / norms[0:limit]
    topn = 5 + len(keys)
    x = -dists
    if topn >= x.size:
        best = np.argsort(x)[:topn]
    else:
        part = np.argpartition(x, topn)[:topn]
        best = part.take(np.argsort(x.take(part)))
    result = [int(s) for s in best if int(s) not in keys][:5]
    ignore = {fold(vocab[r]) for r in keys}
    predicted = None
    for s in result:
        predicted = s
        if fold(vocab[s]) not in ignore:
            break
    return -1 if predicted is None else predicted
