import math

import numpy as np
import pytest
from rich.console import Console

from evalsuite.core.errors import TrainingError, UnknownNameError
from evalsuite.train import EpochStats, Trainer, get_trainer, trainer_registry
from evalsuite.train.params import Integral, Interval, ParameterError, Real
from evalsuite.train.callbacks import (
    HistoryCallback,
    ProgressCallback,
    TrainingGuard,
    check_divergence,
    check_finite,
    check_matrix_finite,
)


class Declared(Trainer):
    """Parameters declared once, as the built-in trainers do: no __init__ of its own."""

    name = "declared"
    _parameter_defaults = {"size": 3, "rate": 0.5}
    _parameter_constraints = {"size": [Interval(Integral, 1, 10)], "rate": [Interval(Real, 0, 1)]}

    def fit(self, corpus, *, seed=0, callbacks=()):
        raise NotImplementedError


def test_declared_parameters_are_the_constructors_keywords():
    assert Declared.param_names() == ["size", "rate"]
    assert Declared.default_params() == {"size": 3, "rate": 0.5}
    assert Declared(rate=0.1).get_params() == {"size": 3, "rate": 0.1}
    with pytest.raises(TypeError, match="unexpected keyword argument.*: bogus"):
        Declared(bogus=1)
    with pytest.raises(ParameterError, match=r"^declared: size: must be an int in \[1, 10\], got 0$"):
        Declared(size=0)


def test_parameters_come_only_from_the_declarations():
    class OwnInit(Trainer):
        """Keyword arguments of an ``__init__`` are not parameters: only the declarations are."""

        name = "own-init"

        def __init__(self, *, size: int = 3):
            self.size = size

        def fit(self, corpus, *, seed=0, callbacks=()):
            raise NotImplementedError

    for call in (OwnInit.param_names, OwnInit.default_params, OwnInit().get_params):
        with pytest.raises(TypeError, match="OwnInit declares no _parameter_defaults"):
            call()

    class Undeclared(Trainer):
        _parameter_defaults = {"size": 3}

        def fit(self, corpus, *, seed=0, callbacks=()):
            raise NotImplementedError

    with pytest.raises(TypeError, match="Undeclared declares no _parameter_constraints"):
        Undeclared()


def test_builtin_trainers_share_word2vecs_defaults_and_add_their_own():
    sgns, cbow, gensim = (get_trainer(n) for n in ("torch-sgns", "torch-cbow", "gensim-word2vec"))
    shared = ["vector_size", "window", "negative", "ns_exponent", "sample", "min_count", "max_vocab_size",
              "learning_rate", "min_learning_rate", "epochs"]
    assert sgns.param_names()[:10] == shared and gensim.param_names()[1:11] == shared
    assert cbow.param_names()[-3:] == ["output", "cbow_mean", "kernel"]
    assert {t.default_params()["learning_rate"] for t in (sgns, cbow, gensim)} == {0.025}  # gensim's default
    with pytest.raises(TypeError, match="window_size"):
        sgns(window_size=3)


def test_registry_suggests():
    assert get_trainer("gensim-word2vec").name == "gensim-word2vec"
    with pytest.raises(UnknownNameError, match="did you mean 'gensim-word2vec'"):
        get_trainer("gensim-wordvec")
    assert "gensim-word2vec" in trainer_registry


def test_check_finite():
    check_finite(1.5, 1)
    with pytest.raises(TrainingError, match="nan at epoch 3"):
        check_finite(math.nan, 3, trainer="x")
    with pytest.raises(TrainingError, match="inf"):
        check_finite(math.inf, 1)
    with pytest.raises(TrainingError, match="2 embedding rows"):
        check_matrix_finite(np.array([[0, np.nan], [np.inf, 1], [0, 0]]), 2)
    check_matrix_finite(np.array([[-999_999.0, 0.0]]), 1)
    with pytest.raises(TrainingError, match="weight reached -?1.5e\\+06 at epoch 5"):
        check_matrix_finite(np.array([[0.0, -1.5e6]]), 5, trainer="x")


def test_divergence():
    check_divergence(9.9, 1.0, 2)
    with pytest.raises(TrainingError, match="diverged.*epoch 4"):
        check_divergence(10.5, 1.0, 4)
    guard = TrainingGuard("t", factor=2.0)
    guard.check(EpochStats(1, 1.0, 1.0, 1.0))
    guard.check(EpochStats(2, 1.9, 1.0, 1.0))
    with pytest.raises(TrainingError):
        guard.check(EpochStats(3, 2.1, 1.0, 1.0))


def test_history_callback():
    h = HistoryCallback()
    t = Declared()
    h.on_train_begin(t, 2)
    h.on_epoch_end(t, EpochStats(1, 2.0, 100.0, 0.5))
    assert h.as_dicts() == [{"epoch": 1, "loss": 2.0, "items_per_second": 100.0, "seconds": 0.5, "unit": "words"}]


def test_progress_callback_draws_loss_and_rate():
    import io

    buf = io.StringIO()
    cb = ProgressCallback(console=Console(file=buf, width=120, force_terminal=False))
    t = Declared()
    cb.on_train_begin(t, 2)
    cb.on_epoch_end(t, EpochStats(1, 1.2345, 2_500_000.0, 1.0))
    cb.on_train_error(t, RuntimeError())
    out = buf.getvalue()
    assert "1.2345" in out and "2.50M words/s" in out
