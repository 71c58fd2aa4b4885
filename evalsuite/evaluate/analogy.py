"""Word analogies ``a : b :: c : d`` with 3CosAdd and 3CosMul over the most frequent words."""

from __future__ import annotations

import time
from functools import cached_property

import numpy as np

from evalsuite.data.datasets.base import AnalogyDataset
from evalsuite.core.embeddings import Embeddings
from evalsuite.evaluate.metrics import solve_analogies
from evalsuite.core.progress import progress
from evalsuite.evaluate.protocol import Protocol, get_protocol
from evalsuite.core.results import TaskResult
from evalsuite.evaluate.bootstrap import bootstrap_ci, mean_statistic
from evalsuite.evaluate.base import DatasetTask, WordIndex, dataset_provenance, normalized_matrix
from evalsuite.evaluate.analogy_gensim import gensim_exclusions, gensim_fixups

_SUFFIX = {"3cosadd": "", "3cosmul": "_3cosmul"}


class AnalogyTask(DatasetTask):
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

    kind, main_score = "analogy", "accuracy"

    def __init__(self, dataset: AnalogyDataset, name: str | None = None, chunk_size: int | None = None):
        super().__init__(dataset, name)
        self.chunk_size = chunk_size

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
        exclude = gensim_exclusions(index, cand, pos, ra, rb, rc) if gensim else None

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
                prow, self.last_gensim_fixups = gensim_fixups(
                    embeddings, index, vectors, cand, exclude, qa, qb, qc, ra, rb, rc, sol, prow)
            predicted_rows[method] = prow

        return self._result(embeddings, protocol, index, covered, rows, predicted_rows, m, t0)

    @cached_property
    def _question_words(self) -> tuple[list[str], ...]:
        """Words a, b, c and d of every question, one list each (the dataset never changes)."""
        questions = self.dataset.questions
        return tuple([getattr(q, f) for q in questions] for f in "abcd")

    # --- result --------------------------------------------------------------------
    def _answers(self, embeddings, protocol, index, covered, rows, predicted_rows) -> tuple[dict, dict]:
        """Per-question outputs (words, answers, right or wrong per method) and, per method, the covered
        questions answered right."""
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
        return items, correct

    def _result(self, embeddings, protocol, index, covered, rows, predicted_rows, n_candidates, t0):
        questions = self.dataset.questions
        n = len(questions)
        items, correct = self._answers(embeddings, protocol, index, covered, rows, predicted_rows)

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
        if not n_cov:  # zero coverage is a result, but not one to compare or gate on
            details["sufficient"] = False
            details["insufficient"] = f"0 of {n} questions scored (no question has all four words)"
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

