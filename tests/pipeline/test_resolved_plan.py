"""A trainer's declared default reaches the plan, the cache key, the Settings table and the dry run."""

import json
import re
from pathlib import Path
from types import SimpleNamespace


import runfakes
from evalsuite.analysis.settings import settings_table
from evalsuite.cli import main
from evalsuite.config import load_config
from evalsuite.pipeline.jobs import obtain_embeddings
from evalsuite.pipeline.runner import make_jobs
from evalsuite.train.cache import cache_key
from evalsuite.train.glove.trainer import TorchGloVe

PACKAGE = Path(__file__).resolve().parents[2] / "evalsuite"


def _config(tmp_path) -> Path:
    return runfakes.write_glove_config(tmp_path, "vector_size = 4, epochs = 1, min_count = 1")


def test_a_declared_default_reaches_plan_key_settings_and_dry_run(tmp_path, monkeypatch, capsys):
    path = _config(tmp_path)
    before = make_jobs(load_config(path))[0]
    monkeypatch.setitem(TorchGloVe._parameter_defaults, "x_max", 42.0)

    config = load_config(path)
    resolved = config.embeddings[0].resolved
    assert resolved.cls is TorchGloVe and resolved.params["x_max"] == 42.0  # the resolved plan
    assert config.embeddings[0].params == {"vector_size": 4, "epochs": 1, "min_count": 1, "workers": 1,
                                           "kernel": "torch"}  # as written

    emb, record, hit, _ = obtain_embeddings(make_jobs(config)[0])
    old_key = obtain_embeddings(before)[1].cache_key
    assert not hit and record.cache_key != old_key  # the cache key
    assert record.cache_key == cache_key(record.corpus_fingerprint, "torch-glove", resolved.params, 0,
                                            TorchGloVe.version)

    table = settings_table(SimpleNamespace(embeddings=[record.to_dict()]))  # the report's Settings table
    assert {r.param: r.values for r in table.rows}["x_max"] == (42.0,)

    assert main(["run", str(path), "--dry-run", "--json"]) == 0  # the dry run
    job = json.loads(capsys.readouterr().out)["jobs"][0]
    assert job["params"]["x_max"] == 42.0 and job["cache_key"] == record.cache_key and job["cached"]


def test_the_default_is_held_only_where_it_is_declared():
    holders = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
               if re.search(r"x_max\W{1,4}100", p.read_text(encoding="utf-8"))]
    assert holders == ["train/glove/trainer.py"]
    epochs = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
              if re.search(r"""get\(\s*["']epochs["']\s*,""", p.read_text(encoding="utf-8"))]
    assert epochs == []  # no fallback default for a resolved parameter (the plan's estimate had them)
