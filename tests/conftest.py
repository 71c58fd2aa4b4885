import os
import sys

# The suite imports torch, scipy and gensim in several processes (test workers,
# subprocess tests). The test install skips pip's compile-everything step
# (--no-compile); instead each module the tests really import is compiled once and
# its bytecode cached, even where PYTHONDONTWRITEBYTECODE is set. Workers and
# subprocesses inherit the environment change.
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

import numpy as np  # noqa: E402
import pytest  # noqa: E402

os.environ.setdefault("EVALSUITE_NO_PROGRESS", "1")
# wide enough that rich tables never truncate the cells the tests look for
os.environ["COLUMNS"] = "400"


@pytest.fixture
def rng():
    return np.random.default_rng(0)
