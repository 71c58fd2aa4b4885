"""The one non-finite -> None cleaner."""

import json
import math

import numpy as np

from evalsuite.core.jsonutil import finite_or_none, json_safe


def test_non_finite_values_become_none_at_any_depth():
    data = {"a": math.nan, "b": [1.0, math.inf, (2, -math.inf)], 3: {"c": np.float32("nan"), "d": np.float64(0.5)}}
    assert json_safe(data) == {"a": None, "b": [1.0, None, [2, None]], "3": {"c": None, "d": 0.5}}
    json.dumps(json_safe(data), allow_nan=False)


def test_numpy_values_become_python_values():
    out = json_safe({"m": np.array([[1, 2]], dtype=np.int64), "i": np.int32(7), "t": np.bool_(True)})
    assert out == {"m": [[1, 2]], "i": 7, "t": True}
    assert type(out["i"]) is int and type(out["t"]) is bool


def test_finite_or_none():
    assert finite_or_none(None) is None and finite_or_none(math.nan) is None and finite_or_none(-math.inf) is None
    assert finite_or_none(np.float32(0.25)) == 0.25 and type(finite_or_none(3)) is float
