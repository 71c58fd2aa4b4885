"""Score embeddings on tasks under one protocol."""

from __future__ import annotations

from typing import Iterable

from evalsuite.core.embeddings import Embeddings
from evalsuite.evaluate.protocol import Protocol, get_protocol
from evalsuite.core.results import TaskResult
from evalsuite.evaluate.base import Task


def evaluate(
    embeddings: Embeddings,
    tasks: Iterable[str | Task] | None = None,
    protocol: Protocol | str | None = None,
) -> list[TaskResult]:
    """Evaluate one embedding on several tasks.

    Parameters
    ----------
    embeddings : Embeddings
        Never mutated.
    tasks : iterable of str or Task, optional
        Task objects, dataset names or file paths; default all bundled similarity and
        analogy tasks.
    protocol : Protocol or str, optional
        A protocol or a preset name (default ``"default"``).

    Returns
    -------
    list of TaskResult
        In the order of ``tasks``.
    """
    from evalsuite.evaluate.registry import default_tasks, get_task

    if protocol is None or isinstance(protocol, str):
        protocol = get_protocol(protocol or "default")
    resolved = [t if isinstance(t, Task) else get_task(t) for t in (default_tasks() if tasks is None else tasks)]
    return [task.evaluate(embeddings, protocol) for task in resolved]
