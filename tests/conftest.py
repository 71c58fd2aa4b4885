import os

import numpy as np
import pytest

os.environ.setdefault("EVALSUITE_NO_PROGRESS", "1")
# wide enough that rich tables never truncate the cells the tests look for
os.environ["COLUMNS"] = "400"


@pytest.fixture
def rng():
    return np.random.default_rng(0)
