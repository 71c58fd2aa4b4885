"""evalsuite: train, evaluate and benchmark static word embeddings.

The Python API (:mod:`evalsuite.api`) is imported on first use, so ``import evalsuite`` stays
light: ``evalsuite.evaluate(vectors)``, ``evalsuite.compare(a, b)``,
``evalsuite.train(trainer, corpus, **params)`` and ``evalsuite.load_run(name_or_path)``.
"""

import types

import evalsuite.evaluate as _tasks
from evalsuite.core.embeddings import Embeddings
from evalsuite.core.errors import ConfigError, EvalsuiteError, InputError

__version__ = "0.1.0"

_API = ("compare", "train", "load_run", "Evaluation", "Run", "RunComparison")

__all__ = ["Embeddings", "EvalsuiteError", "InputError", "ConfigError", "__version__", "evaluate", *_API]


class _CallableTasksPackage(types.ModuleType):
    """``evalsuite.evaluate`` is the package of evaluation tasks and, called, the API's
    :func:`evalsuite.api.evaluate` (the import system sets a subpackage as an attribute of its
    parent, so the name cannot hold a plain function)."""

    def __call__(self, vectors, tasks=None, protocol="default", **kwargs):
        from evalsuite.api import evaluate

        return evaluate(vectors, tasks, protocol, **kwargs)


_tasks.__class__ = _CallableTasksPackage


def __getattr__(name):
    if name in _API:
        import evalsuite.api

        return getattr(evalsuite.api, name)
    raise AttributeError(f"module 'evalsuite' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_API))
