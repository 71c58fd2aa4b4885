"""A trainer parameter is validated once, at config load; nothing below re-checks it."""

import re
from pathlib import Path

import pytest

import evalsuite.config.sections
import evalsuite.train.params
import runfakes
from evalsuite.config import load_config
from evalsuite.core.errors import ConfigError
from evalsuite.pipeline.jobs import obtain_embeddings
from evalsuite.pipeline.runner import make_jobs

PACKAGE = Path(__file__).resolve().parents[2] / "evalsuite"


def _config(tmp_path, window) -> Path:
    return runfakes.write_glove_config(tmp_path, f"window = {window}, vector_size = 4, epochs = 1, min_count = 1")


@pytest.fixture
def window_checks(monkeypatch):
    """How often a ``window`` value is validated (every check goes through ``validate_value``)."""
    calls = []
    real = evalsuite.train.params.validate_value

    def counting(name, value, declared, **kw):
        if name == "window":
            calls.append(value)
        return real(name, value, declared, **kw)

    monkeypatch.setattr(evalsuite.train.params, "validate_value", counting)
    monkeypatch.setattr(evalsuite.config.sections, "validate_value", counting)
    return calls


def test_window_zero_is_one_config_error_naming_file_and_key(tmp_path, window_checks):
    path = _config(tmp_path, 0)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value) == f"{path}: embeddings[0] (g).params.window: must be an int in [1, 10000], got 0"
    assert window_checks == [0]


def test_window_is_checked_once_from_config_to_trained_matrix(tmp_path, window_checks):
    config = load_config(_config(tmp_path, 3))
    emb, record, hit, _ = obtain_embeddings(make_jobs(config)[0])  # builds the trainer, keys the cache, trains
    assert not hit and record.resolved_params["window"] == 3 and emb.meta["params"]["window"] == 3
    assert window_checks == [3]


def test_no_window_check_outside_config_and_the_trainers_declarations():
    # a comparison with a bound, a "must be" message (not a config key path's example), a checking helper
    check = re.compile(r"window\W*(<|>|<=|>=|!=)\s*\d|(?<!params\.)window\W{0,3}must be|_check_window"
                       r"|window[^\n]*an integer")
    found = [f"{p.relative_to(PACKAGE)}:{i}" for p in PACKAGE.rglob("*.py") if p.parts[-2] != "config"
             for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if check.search(line)]
    assert found == []
