"""``evalsuite.evaluate``: score word vectors on similarity and analogy tasks under one protocol."""

from __future__ import annotations

from typing import Iterable, Sequence

from rich.console import Console

from evalsuite.core.results import TaskResult
from evalsuite.evaluate.base import Task
from evalsuite.evaluate.protocol import Protocol
from evalsuite.evaluate.suite import evaluate as evaluate_embeddings
from .inputs import Vectors, as_embeddings, named_inputs, resolve_protocol, resolve_tasks
from .results import Results

#: the run id of an evaluation made by a call (an ``evaluate --json`` file's is the file name)
RUN_ID = "evaluate"


class Evaluation(Results):
    """The scores of :func:`evaluate`: one task result per (vectors, task).

    ``print(evaluation)`` shows the table of ``evalsuite evaluate`` (main score, 95% CI and
    coverage per task), a notebook shows the report's scoreboard.

    Parameters
    ----------
    results : sequence of TaskResult
        One per (embedding, task).
    protocol : Protocol
        The protocol they were scored under.
    task_names, embedding_names : sequence of str
        Row and column order of the table.
    run_id : str
        The run's id (the label of these scores in a comparison).
    """

    def __init__(self, results: Sequence[TaskResult], protocol: Protocol, task_names: Sequence[str],
                 embedding_names: Sequence[str], *, run_id: str = RUN_ID):
        from evalsuite.store.sqlite import evaluation_run

        super().__init__(evaluation_run(results, protocol.to_dict(), run_id, source="evalsuite.evaluate"))
        self.protocol = protocol
        self.task_names = list(task_names)
        self.embedding_names = list(embedding_names)

    @property
    def title(self) -> str:
        return f"evalsuite evaluate (protocol {self.protocol.name} v{self.protocol.version})"

    def show(self, console: Console | None = None) -> None:
        """Print the table of ``evalsuite evaluate`` on ``console`` (default: standard output)."""
        from evalsuite.report.terminal import print_evaluation

        print_evaluation(list(self.task_results), self.task_names, self.embedding_names, self.title, console)

    def html_blocks(self) -> list:
        """The report's scoreboard (embeddings x tasks, ranked per task), or the table as text
        when nothing could be ranked."""
        from evalsuite.report.answer import scoreboard_blocks
        from evalsuite.report.document import Code

        return scoreboard_blocks(self.analysis) or [Code(str(self))]

    def to_document(self) -> dict:
        """The ``evalsuite evaluate --json`` document: the protocol, one summary entry per
        (embedding, task), and the full task results with their per-item outputs
        (``task_results``), which ``evalsuite compare`` reads to test two such files item by item.

        Non-finite scores stay floats here; :func:`~evalsuite.core.atomic.write_json` writes
        them as null.
        """
        return {
            "protocol": self.protocol.to_dict(),
            "results": [
                {
                    "embedding": r.embedding,
                    "task": r.task,
                    "kind": r.kind,
                    "main_score": r.main_score,
                    "main_score_name": r.main_score_name,
                    "scores": dict(r.scores),
                    "n_items": r.n_items,
                    "n_scored": r.n_scored,
                    "ci95": list(r.ci95) if r.ci95 is not None else None,
                    "sufficient": r.sufficient,
                    **({"insufficient": r.insufficient_reason} if not r.sufficient else {}),
                }
                for r in self.task_results
            ],
            "task_results": [r.to_dict() for r in self.task_results],
        }


def evaluate(vectors: Vectors, tasks: str | Task | Iterable[str | Task] | None = None,
             protocol: str | Protocol = "default", *, restrict_vocab: int | None = None,
             format: str | None = None, run_id: str = RUN_ID) -> Evaluation:
    """Score word vectors on similarity and analogy tasks, as ``evalsuite evaluate`` does.

    Parameters
    ----------
    vectors : KeyedVectors, gensim model, Embeddings, str, path, list or dict
        gensim ``KeyedVectors`` or a model holding them (``model.wv``), an
        :class:`~evalsuite.core.embeddings.Embeddings`, a vector file or a pretrained source
        name (``"glove-6b-50d"``); several as a list, or a dict ``{name: vectors}``.
    tasks : str, Task or iterable of them, optional
        Dataset names (``"ws353"``, ``"google"``, see ``evalsuite datasets``) or dataset files;
        default every bundled similarity and analogy dataset.
    protocol : str or Protocol
        ``"default"`` or ``"gensim"`` (reproduces ``KeyedVectors.evaluate_word_pairs`` and
        ``evaluate_word_analogies``), or a :class:`~evalsuite.evaluate.protocol.Protocol`.
    restrict_vocab : int, optional
        Use only the ``restrict_vocab`` most frequent words for similarity and analogy (0:
        all), as gensim's keyword of that name; default the protocol's own limits.
    format : str, optional
        The format of vector files (detected when omitted).
    run_id : str
        The id of these scores as a run (the label of a side in :func:`~evalsuite.api.compare`).

    Returns
    -------
    Evaluation
        One task result per (vectors, task); print it, or use ``to_frame()``.

    Raises
    ------
    EvalsuiteError
        For an unknown task or protocol (before any vectors are read), a bad value, or an
        unreadable vector file.

    Examples
    --------
    >>> from gensim.models import Word2Vec
    >>> from gensim.test.utils import common_texts
    >>> model = Word2Vec(common_texts, vector_size=10, min_count=1, seed=0, workers=1)
    >>> result = evaluate(model.wv, tasks=["ws353"])
    >>> result.to_records()[0]["task"]
    'ws353'
    """
    protocol = resolve_protocol(protocol, restrict_vocab)
    task_list = resolve_tasks(tasks)  # a bad name fails before any slow loading
    inputs = named_inputs(vectors)
    results = []
    for name, item in inputs:  # one set of vectors in memory at a time
        embeddings = as_embeddings(item, name=name, format=format)
        results.extend(evaluate_embeddings(embeddings, task_list, protocol))
    return Evaluation(results, protocol, [t.metadata.name for t in task_list], [name for name, _ in inputs],
                      run_id=run_id)


__all__ = ["Evaluation", "evaluate"]
