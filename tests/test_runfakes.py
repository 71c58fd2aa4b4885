"""The fake trainers of ``runfakes``: declared as the built-in ones, registered only by the fixture."""

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

import runfakes
from evalsuite.train import get_trainer, trainer_registry
from evalsuite.train.params import ParameterError

NAMES = [cls.name for cls in runfakes.FAKES]


def test_importing_the_fakes_registers_nothing():
    assert [n for n in NAMES if n in trainer_registry] == []


def test_the_fixture_registers_them(fake_trainers):
    assert [get_trainer(n) for n in NAMES] == list(fake_trainers) == list(runfakes.FAKES)


def test_the_registry_holds_no_fake_after_the_fixture_ends():
    import evalsuite.train.builtin  # noqa: F401

    before = trainer_registry.items()
    with runfakes.registered_fakes():
        assert all(n in trainer_registry for n in NAMES)
    assert trainer_registry.items() == before and not [n for n in NAMES if n in trainer_registry]


def test_fakes_declare_their_parameters_as_builtin_trainers():
    cls = runfakes.FakeSGNS
    assert cls.default_params() == {"noise": 0.1, "dim": 8, "epochs": 2}
    assert set(cls._parameter_constraints) == set(cls.param_names())
    assert cls(dim=4).get_params() == {"noise": 0.1, "dim": 4, "epochs": 2}
    with pytest.raises(ParameterError, match=r"^fake-sgns: noise: must be a number >= 0, got -1$"):
        cls(noise=-1)


def test_a_worker_process_registers_them_when_it_unpickles_the_evaluate_function(tmp_path):
    payload = tmp_path / "evaluate.pickle"
    payload.write_bytes(pickle.dumps(runfakes.in_workers(runfakes.fake_evaluate)))
    assert not [n for n in NAMES if n in trainer_registry]  # pickling registers nothing here
    tests = Path(__file__).resolve().parent
    code = ("import pickle, sys; from evalsuite.train import trainer_registry; "
            "assert 'fake-sgns' not in trainer_registry; "
            f"fn = pickle.loads(open({str(payload)!r}, 'rb').read()); "
            "print(sorted(n for n in trainer_registry if n.startswith('fake-')), fn.fn.__name__)")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tests), str(tests.parent)])}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["['fake-glove',", "'fake-sgns']", "fake_evaluate"]
