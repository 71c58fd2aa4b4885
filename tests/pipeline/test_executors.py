import sys

import pytest

import runfakes
from evalsuite.config import load_config
from evalsuite.core.errors import ConfigError
from evalsuite.pipeline.executors.base import LocalExecutor, _EXECUTORS, get_executor
from evalsuite.pipeline.runner import make_jobs

# these tests read the report's text and files, not its figures: tiny PNGs stand in for them
pytestmark = pytest.mark.usefixtures("fast_plots", "fake_trainers")


@pytest.fixture
def without_ray(monkeypatch):
    """As if Ray were not installed: ``import ray`` raises ModuleNotFoundError."""
    monkeypatch.setitem(sys.modules, "ray", None)
    monkeypatch.delitem(sys.modules, "evalsuite.pipeline.executors.ray_executor", raising=False)
    monkeypatch.delitem(_EXECUTORS, "ray", raising=False)


def test_ray_executor_without_ray_says_how_to_install(without_ray):
    with pytest.raises(ConfigError, match=r"pip install 'evalsuite\[ray\]'"):
        get_executor("ray")
    with pytest.raises(ConfigError, match=r"pip install 'evalsuite\[ray\]'"):
        get_executor("ray", address="auto", max_retries=1)


def test_unknown_executor_is_named():
    with pytest.raises(ConfigError, match=r"unknown executor 'rey' \(did you mean 'ray'\?\); known: local, ray$"):
        get_executor("rey")


def test_a_broken_executor_module_is_not_reported_as_missing_ray(monkeypatch):
    monkeypatch.setitem(sys.modules, "evalsuite.pipeline.executors.ray_executor", None)
    with pytest.raises(ModuleNotFoundError) as info:
        get_executor("ray")
    assert info.value.name == "evalsuite.pipeline.executors.ray_executor"


def test_local_executor_runs_jobs_in_order(tmp_path):
    cfg = load_config(runfakes.write_config(tmp_path, seeds=(0,)))
    jobs = make_jobs(cfg)
    ex = get_executor("local")
    assert isinstance(ex, LocalExecutor)
    outcomes = list(ex.run(jobs, evaluate_fn=runfakes.fake_evaluate))
    ex.close()
    assert [o.job.label for o in outcomes] == [j.label for j in jobs] and all(o.ok for o in outcomes)


def test_cli_ray_options_need_the_ray_executor(tmp_path, capsys):
    from evalsuite.cli import main

    cfg = runfakes.write_config(tmp_path, seeds=(0,))
    assert main(["run", str(cfg), "--max-retries", "1", "--address", "auto"]) == 2
    assert "--address, --max-retries: only used with --executor ray" in capsys.readouterr().err


def test_cli_ray_executor_without_ray_says_how_to_install(tmp_path, capsys, without_ray):
    from evalsuite.cli import main

    cfg = runfakes.write_config(tmp_path, seeds=(0,))
    assert main(["run", str(cfg), "--executor", "ray", "--store", str(tmp_path / "s.sqlite")]) == 2
    assert "pip install 'evalsuite[ray]'" in capsys.readouterr().err
