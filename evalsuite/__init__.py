"""evalsuite: train, evaluate and benchmark static word embeddings.

The Python API (:mod:`evalsuite.api`) is imported on first use, so ``import evalsuite`` stays
light: ``evalsuite.evaluate(vectors)``, ``evalsuite.compare(a, b)``,
``evalsuite.train(trainer, corpus, **params)`` and ``evalsuite.load_run(name_or_path)``.
"""

import types

import evalsuite.evaluate as _evaluate
import evalsuite.train as _train
from evalsuite.core.embeddings import Embeddings
from evalsuite.core.errors import ConfigError, EvalsuiteError, InputError

__version__ = "0.1.0"

_API = ("compare", "load_run", "Evaluation", "Run", "RunComparison")

__all__ = ["Embeddings", "EvalsuiteError", "InputError", "ConfigError", "__version__", "evaluate", "train", *_API]


class _CallablePackage(types.ModuleType):
    """A subpackage named like a function of the API: ``evalsuite.evaluate`` (the evaluation
    tasks) and ``evalsuite.train`` (the trainers) are packages and, called, run
    :func:`evalsuite.api.evaluate` and :func:`evalsuite.api.train`. The import system sets a
    subpackage as an attribute of its parent, so these names cannot hold plain functions."""

    def __call__(self, *args, **kwargs):
        import evalsuite.api

        return getattr(evalsuite.api, self.__name__.rpartition(".")[2])(*args, **kwargs)


for _package in (_evaluate, _train):
    _package.__class__ = _CallablePackage
del _package


def __getattr__(name):
    if name in _API:
        import evalsuite.api

        return getattr(evalsuite.api, name)
    raise AttributeError(f"module 'evalsuite' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_API))
