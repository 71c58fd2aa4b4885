"""Evaluation at any coverage, zero included, for every task kind: a result, never an exception.

Vocabularies are drawn disjoint from the task's words, overlapping them, or empty; every
result has ``0 <= n_scored <= n_items``, and one with nothing scored is marked insufficient
(similarity and analogy) and prints in the terminal table and both reports.
"""

from contextlib import ExitStack
from io import StringIO
from unittest import mock

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from evalsuite.core.embeddings import Embeddings
from evalsuite.core.results import RunResult
from evalsuite.data.datasets.base import AnalogyDataset, AnalogyQuestion, SimilarityDataset, SimilarityPair
from evalsuite.data.datasets.classification import ClassificationDataset
from evalsuite.evaluate.analogy import AnalogyTask
from evalsuite.evaluate.protocol import get_protocol
from evalsuite.evaluate.similarity import SimilarityTask
from evalsuite.report import print_summary, score_plots
from evalsuite.report.content import build_document
from evalsuite.report.html import render_html
from evalsuite.report.markdown import render_markdown
from evalsuite.report.terminal import print_evaluation
from evalsuite.analysis.compare import summarize
from limits import within
from mutate import EXAMPLES

TASK_WORDS = [f"t{i}" for i in range(8)]
OTHER_WORDS = [f"o{i}" for i in range(8)]
WORD = st.sampled_from(TASK_WORDS)


@st.composite
def vocabularies(draw):
    """Words of the embeddings: none, only unrelated ones, or some of the task's too."""
    task = draw(st.lists(st.sampled_from(TASK_WORDS), unique=True, max_size=len(TASK_WORDS)))
    other = draw(st.lists(st.sampled_from(OTHER_WORDS), unique=True, max_size=3))
    words = draw(st.permutations(task + other)) if task or other else []
    dim = draw(st.integers(1, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    return Embeddings(tuple(words), rng.normal(size=(len(words), dim)).astype(np.float32), name="v")


def _check(result) -> None:
    assert 0 <= result.n_scored <= result.n_items
    if result.n_scored == 0:
        assert not result.sufficient and np.isnan(result.main_score)


@given(emb=vocabularies(), protocol=st.sampled_from(["default", "gensim"]),
       questions=st.lists(st.tuples(WORD, WORD, WORD, WORD, st.sampled_from(["s1", "s2"])), min_size=1, max_size=6),
       pairs=st.lists(st.tuples(WORD, WORD, st.floats(0, 10)), min_size=1, max_size=6))
def test_similarity_and_analogy_at_any_coverage(emb, protocol, questions, pairs):
    EXAMPLES["similarity and analogy at any coverage"] += 1
    p = get_protocol(protocol)
    analogy = AnalogyDataset("ana", tuple(AnalogyQuestion(*q) for q in questions))
    similarity = SimilarityDataset("sim", tuple(SimilarityPair(*x) for x in pairs))
    with within(10, "evaluation"):
        results = [AnalogyTask(analogy).evaluate(emb, p), SimilarityTask(similarity).evaluate(emb, p)]
    for r in results:
        _check(r)
    buf = StringIO()
    with within(10, "the terminal table and both reports"):
        print_evaluation(results, ["ana", "sim"], ["v"], "t", Console(file=buf, width=200))
        run = RunResult(run_id="r", name="r", task_results=tuple(results), embeddings=({"name": "v"},))
        print_summary(run, summarize(run), console=Console(file=StringIO(), width=200))
        with ExitStack() as stack:
            for plot in ("analogy_heatmap", "similarity_scores"):
                stack.enter_context(mock.patch.object(score_plots, plot, lambda *a, **k: b"png"))
            doc = build_document(run, summarize(run))
        render_markdown(doc), render_html(doc)
    assert f"{results[0].n_scored}/{len(questions)} covered" in buf.getvalue()


@settings(max_examples=3)  # each trains a classifier for an epoch
@given(emb=vocabularies(), mode=st.sampled_from(["random", "frozen", "finetuned", "probe"]))
def test_classification_at_any_coverage(emb, mode):
    EXAMPLES["classification at any coverage"] += 1
    from evalsuite.evaluate.classification.task import ClassificationTask, prepare

    texts = tuple(f"{TASK_WORDS[i % 8]} {TASK_WORDS[(3 * i) % 8]}" for i in range(20))
    data = ClassificationDataset("c", texts, tuple(i % 2 for i in range(20)), ("0", "1"),
                                 tuple(f"c:{i}" for i in range(20)))
    with within(20, "a classification"):
        r = ClassificationTask(prepare(data, {"val_fraction": 0.2, "test_fraction": 0.2}), mode=mode,
                               params={"epochs": 1}).evaluate(emb)
    assert 0 <= r.n_scored <= r.n_items and 0.0 <= r.main_score <= 1.0
