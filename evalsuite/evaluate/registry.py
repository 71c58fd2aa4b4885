"""Find tasks by bundled dataset name or by the path of a user file."""

from __future__ import annotations

from evalsuite.evaluate.base import Task


def get_task(name_or_path, kind: str | None = None) -> Task:
    """The similarity or analogy task over a dataset.

    Parameters
    ----------
    name_or_path : str or path
        A bundled or registered dataset name (``"ws353"``, ``"google"`` ...) or a path to a
        similarity or analogy file.
    kind : {"similarity", "analogy"}, optional
        Format of a user file; guessed from its content when omitted.

    Raises
    ------
    UnknownNameError
        For a name that is neither a dataset nor a file (with a suggestion).
    InputError
        For a malformed file.
    """
    from evalsuite.data.datasets import load_dataset  # lazy: datasets may pull in data files

    dataset = load_dataset(name_or_path, kind)
    if dataset.kind == "similarity":
        from evalsuite.evaluate.similarity import SimilarityTask

        return SimilarityTask(dataset)
    from evalsuite.evaluate.analogy import AnalogyTask

    return AnalogyTask(dataset)


def list_tasks(kind: str | None = None) -> list[str]:
    """Names of the bundled and registered similarity and analogy tasks."""
    from evalsuite.data.datasets import list_datasets

    return [d["name"] for d in list_datasets() if d["kind"] in ("similarity", "analogy")
            and (kind is None or d["kind"] == kind)]


def default_tasks() -> list[str]:
    """All bundled similarity tasks, then all analogy tasks."""
    return list_tasks("similarity") + list_tasks("analogy")
