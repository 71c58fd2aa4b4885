import numpy as np
import pytest

from evalsuite.core.errors import ConfigError
from evalsuite.train import Trainer, get_trainer, trainer_registry
from evalsuite.train.base import register_trainer
from evalsuite.train.params import (
    Boolean,
    Integral,
    Interval,
    ListOf,
    NonEmptyString,
    Options,
    ParameterError,
    Real,
    Relation,
    describe,
    rename_params,
    validate_params,
    validate_value,
)

BUILTIN = ("gensim-word2vec", "torch-sgns", "torch-cbow", "torch-glove")


@pytest.mark.parametrize(
    "declared, text",
    [
        ([Interval(Integral, 1, None, closed="left")], "an int >= 1"),
        ([Interval(Integral, 1, None, closed="left"), None], "an int >= 1 or None"),
        ([Interval(Real, 0, None, closed="neither")], "a number > 0"),
        ([Interval(Real, 0, 0.9, closed="right")], "a number in (0, 0.9]"),
        ([Interval(Integral, 0, 50)], "an int in [0, 50]"),
        ([Interval(Real, None, 1, closed="neither")], "a number < 1"),
        ([Interval(Real)], "a number"),
        ([Options("W", "W+C")], "one of 'W', 'W+C'"),
        ([Options("auto"), Interval(Real, 0, None, closed="neither")], "one of 'auto' or a number > 0"),
        ([Boolean()], "true or false"),
        ([ListOf(Interval(Integral, 1, None, closed="left"))], "a non-empty list, each an int >= 1"),
        ([NonEmptyString()], "a non-empty string"),
    ],
)
def test_descriptions(declared, text):
    assert describe(declared) == text


@pytest.mark.parametrize(
    "declared, good, bad",
    [
        ([Interval(Integral, 1, None, closed="left")], [1, 7, np.int64(3)], [0, -1, 2.5, 2.0, True, "3", None]),
        ([Interval(Real, 0, None, closed="neither")], [1e-9, 1, 0.5], [0, 0.0, -1.0, float("inf"), float("nan"), False]),
        ([Interval(Real, 0, 0.9, closed="right")], [0.9, 0.1], [0, 0.91]),
        ([Interval(Integral, 1, None, closed="left"), None], [None, 1], [0]),
        ([Options("W", "W+C")], ["W", "W+C"], ["w", "C", 1, None]),
        ([Options(0, 1)], [0, 1, True], ["1", 2, 1.0]),
        ([Boolean()], [True, False, 0, 1], [2, "true", 1.0, None]),
        ([ListOf(Interval(Integral, 1, None, closed="left"))], [[3], (3, 4)], [[], [0], 3, [2.5]]),
        ([NonEmptyString()], ["x"], ["", 1, None]),
    ],
)
def test_accepts_and_rejects(declared, good, bad):
    for value in good:
        validate_value("p", value, declared)
    for value in bad:
        with pytest.raises(ParameterError) as err:
            validate_value("p", value, declared)
        assert err.value.param == "p"
        assert err.value.problem.startswith(f"must be {describe(declared)}, got {value!r}")


def test_normalised_values_and_error_text():
    assert validate_value("p", 3, [Interval(Real, 0, None)]) == 3.0
    assert isinstance(validate_value("p", np.int64(3), [Interval(Integral, 1, None)]), int)
    assert validate_value("p", [3, 4], [ListOf(Interval(Integral, 1, None))]) == (3, 4)
    assert validate_value("p", 1, [Boolean()]) is True
    with pytest.raises(ConfigError, match=r"^sgns: output: must be one of 'W', 'W\+C', got 'C' \(did you mean 'W\+C'\?\)$"):
        validate_value("output", "C", [Options("W", "W+C")], owner="sgns")


def test_relations_run_after_the_values():
    constraints = {"lo": [Interval(Real, 0, None)], "hi": [Interval(Real, 0, None)]}
    rel = Relation("lo", lambda p: p["lo"] <= p["hi"], "must be <= hi ({hi}), got {lo}")
    validate_params({"lo": 1, "hi": 2}, constraints, [rel])
    with pytest.raises(ParameterError, match=r"^lo: must be <= hi \(2\), got 3$"):
        validate_params({"lo": 3, "hi": 2}, constraints, [rel])
    with pytest.raises(ParameterError, match=r"^hi: must be a number >= 0, got -1$"):
        validate_params({"lo": 3, "hi": -1}, constraints, [rel])


def test_rename_params():
    renamed = {"alpha": "learning_rate"}
    assert rename_params({"window": 2, "alpha": 0.1}, renamed) == ({"window": 2, "learning_rate": 0.1},
                                                                   [("alpha", "learning_rate")])
    assert rename_params({"learning_rate": 0.1}, renamed) == ({"learning_rate": 0.1}, [])
    with pytest.raises(ParameterError, match=r"^alpha: given together with 'learning_rate'"):
        rename_params({"alpha": 0.1, "learning_rate": 0.2}, renamed)


@pytest.mark.parametrize("name", BUILTIN)
def test_builtin_trainers_declare_every_parameter_once(name):
    cls = get_trainer(name)
    assert set(cls._parameter_constraints) == set(cls.param_names())
    cls.validate_params(cls.default_params())  # the defaults are valid


def test_no_word_means_two_things():
    # alpha was a learning rate in Word2Vec and a weighting exponent in GloVe
    for name in BUILTIN:
        assert "alpha" not in get_trainer(name).param_names()
    glove = get_trainer("torch-glove")
    # the final top-N cut has gensim's name for it; max_vocab_size stays the counting-time pruning
    assert "max_final_vocab" in glove.param_names() and "max_vocab_size" not in glove.param_names()
    assert glove._renamed_parameters == {"alpha": "weighting_exponent", "max_vocab": "max_final_vocab",
                                         "max_vocab_size": "max_final_vocab"}
    assert "max_final_vocab" in get_trainer("gensim-word2vec").param_names()
    for name in ("gensim-word2vec", "torch-sgns", "torch-cbow"):
        assert get_trainer(name)._renamed_parameters == {"alpha": "learning_rate", "min_alpha": "min_learning_rate"}


def test_register_refuses_undeclared_parameters():
    class Half(Trainer):
        name = "half-declared"
        _parameter_defaults = {"a": 1, "b": 2}
        _parameter_constraints = {"a": [Interval(Integral, 1, None)]}

        def fit(self, corpus, *, seed=0, callbacks=()):
            raise NotImplementedError

    with pytest.raises(TypeError, match=r"undeclared: \['b'\]"):
        register_trainer(Half)
    assert "half-declared" not in trainer_registry


@pytest.mark.parametrize("name", BUILTIN)
def test_construction_validates(name):
    cls = get_trainer(name)
    with pytest.raises(ParameterError, match=rf"^{name}: window: must be an int in \[1, 10000\], got 0$"):
        cls(window=0)
    with pytest.raises(ParameterError, match=rf"^{name}: window: must be an int in \[1, 10000\], got 2.5$"):
        cls(window=2.5)


@pytest.mark.parametrize("name", ("gensim-word2vec", "torch-sgns", "torch-cbow"))
def test_min_learning_rate_at_most_learning_rate(name):
    cls = get_trainer(name)
    cls(learning_rate=0.01, min_learning_rate=0.01)
    with pytest.raises(ParameterError, match=r"min_learning_rate: must be <= learning_rate \(0.01\), got 0.02"):
        cls(learning_rate=0.01, min_learning_rate=0.02)


def test_mutation_after_construction_is_caught_when_set():
    trainer = get_trainer("torch-sgns")()
    with pytest.raises(ParameterError, match=r"^torch-sgns: window: must be an int in \[1, 10000\], got 0$"):
        trainer.window = 0
    with pytest.raises(ParameterError, match="min_learning_rate: must be <= learning_rate"):
        trainer.learning_rate = trainer.min_learning_rate / 2  # the relations too
    assert trainer.window == 5 and trainer.get_params() == type(trainer)().get_params()
