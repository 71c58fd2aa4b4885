"""The Python API: evaluate, compare and train word embeddings, and read stored runs.

The functions a notebook calls, each the same call as the command of that name:
:func:`evaluate` (``evalsuite evaluate``), :func:`compare` (``evalsuite compare``),
:func:`train` (``evalsuite train``) and :func:`load_run` (a run of ``evalsuite run``). The
results they return print as the terminal tables, show the report's HTML in a notebook and
give ``to_records()`` and ``to_frame()`` (pandas). They are exported from ``evalsuite``.
"""

from .comparison import RunComparison, compare
from .evaluation import Evaluation, evaluate
from .results import Results
from .runs import Run, load_run
from .training import train

__all__ = ["Evaluation", "Results", "Run", "RunComparison", "compare", "evaluate", "load_run", "train"]
