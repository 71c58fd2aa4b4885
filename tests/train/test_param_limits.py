"""Parameter ranges of every trainer, the seed rule and the memory check of the training matrices."""

import math
from numbers import Integral

import numpy as np
import pytest

import evalsuite.train.builtin  # noqa: F401  (registers the built-in trainers)
from evalsuite.core.errors import TrainingError
from evalsuite.train import get_trainer, trainer_registry
from evalsuite.train import limits
from evalsuite.train.params import Interval, ParameterError
from evalsuite.train.word2vec.batches import NoiseSampler

BUILTIN = sorted(n for n, cls in trainer_registry.items() if cls.__module__.startswith("evalsuite."))
TOKENS = [["the", "cat", "sat", "on", "the", "mat"], ["the", "dog", "sat", "on", "the", "log"]] * 20


class Untouched:
    """A corpus that fails when read: a check must come before any work."""

    name = "untouched"

    def __iter__(self):
        raise AssertionError("the corpus was read")


def _integer_params(cls):
    for name, default in cls.default_params().items():
        declared = cls._parameter_constraints[name]
        ints = [c for c in declared if isinstance(c, Interval) and c.kind is Integral]
        if ints:
            yield name, ints


@pytest.mark.parametrize("name", BUILTIN)
def test_every_integer_parameter_has_an_upper_bound(name):
    cls = get_trainer(name)
    params = dict(_integer_params(cls))
    assert params, f"{name} declares no integer parameter"
    for param, ints in params.items():
        assert all(c.right is not None and c.right < 2**63 for c in ints), f"{name}.{param} has no upper bound"


@pytest.mark.parametrize("name", BUILTIN)
@pytest.mark.parametrize("param, value", [("vector_size", 1099511627776), ("epochs", 10**18),
                                          ("window", 4611686018427387904), ("workers", 1_000_000)])
def test_huge_values_fail_at_construction(name, param, value):
    with pytest.raises(ParameterError, match=rf"^{name}: {param}: must be an int in \[\d+, \d+\], got {value}$"):
        get_trainer(name)(**{param: value})


def test_bounds_admit_the_defaults_and_the_benchmarks():
    for name in BUILTIN:
        cls = get_trainer(name)
        cls(**cls.default_params())
    get_trainer("torch-glove")(workers=limits.MAX_WORKERS, window=limits.MAX_WINDOW, epochs=limits.MAX_EPOCHS)


@pytest.mark.parametrize("value", [1e308, -1e308, 11.0, -10.5])
@pytest.mark.parametrize("name", ["torch-sgns", "torch-cbow", "gensim-word2vec"])
def test_ns_exponent_is_bounded(name, value):
    with pytest.raises(ParameterError, match=r"ns_exponent: must be a number in \[-10, 10\]"):
        get_trainer(name)(ns_exponent=value)


def test_noise_distribution_must_be_finite():
    with pytest.raises(TrainingError, match="not finite"):
        NoiseSampler(np.array([1, 10**6, 10**9]), 400.0)
    assert np.isfinite(NoiseSampler(np.array([1, 10**6, 10**9]), 10.0).probabilities).all()


@pytest.mark.parametrize("seed", [-1, 2**32, 2**70, 1.5, True, "3"])
def test_seed_rule(seed):
    with pytest.raises(ParameterError, match=r"seed: must be an int in \[0, 2\*\*32 - 1\]"):
        limits.check_seed(seed)


def test_seed_rule_admits_its_range():
    assert limits.check_seed(0) == 0 and limits.check_seed(2**32 - 1) == 2**32 - 1
    assert limits.check_seed(np.int64(7)) == 7


@pytest.mark.parametrize("name", BUILTIN)
@pytest.mark.parametrize("seed", [-1, 2**70])
def test_fit_checks_the_seed_before_reading(name, seed):
    with pytest.raises(ParameterError, match=rf"^{name}: seed: must be an int in"):
        get_trainer(name)().fit(Untouched(), seed=seed)


@pytest.mark.parametrize("name", BUILTIN)
def test_matrices_beyond_memory_are_refused_before_allocating(name, monkeypatch):
    monkeypatch.setattr(limits, "available_memory", lambda: (10_000, "a test's limit"))
    trainer = get_trainer(name)(vector_size=1000, min_count=1, epochs=1, workers=1)
    with pytest.raises(ParameterError) as err:
        trainer.fit(TOKENS, seed=0)
    msg = str(err.value)
    assert msg.startswith(f"{name}: vector_size: 1,000 dimensions x 7 words need about ")
    assert "more than the 10.0 KB of memory available (a test's limit)" in msg and "\n" not in msg


def test_memory_estimate_names_the_matrices(monkeypatch):
    monkeypatch.setattr(limits, "available_memory", lambda: (1 << 30, "MemAvailable"))
    with pytest.raises(ParameterError, match=r"need about 160\.0 GB for the training matrices \(4 float32 "
                                             r"matrices of 1,000 x 10,000,000\), more than the 1\.1 GB"):
        limits.check_matrices("t", rows=1000, columns=10_000_000, matrices=4, vector_size=10_000_000)
    limits.check_matrices("t", rows=1000, columns=100, matrices=4, vector_size=100)  # 1.6 MB: fine


def test_available_memory_is_known_here():
    room = limits.available_memory()
    assert room is not None and room[0] > 0 and room[1]
    assert math.isfinite(room[0])


@pytest.mark.parametrize("name", ["torch-sgns", "torch-cbow"])
def test_compiled_kernel_takes_at_most_64_noise_words(name):
    cls = get_trainer(name)
    with pytest.raises(ParameterError, match=rf"^{name}: negative: must be <= 64 with the compiled kernel"):
        cls(negative=100)
    assert cls(negative=100, kernel="torch").negative == 100 and cls(negative=64).negative == 64
