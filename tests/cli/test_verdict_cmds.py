"""Minimum evidence, the compatibility guard of compare / check, and run --dry-run, from the command line."""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import runfakes  # noqa: E402

from evalsuite.cli import main  # noqa: E402

# these tests read the report's text and files, not its figures: tiny PNGs stand in for them
pytestmark = pytest.mark.usefixtures("fast_plots", "fake_trainers")

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def rg65_vectors(tmp_path):
    """Vectors for the words of exactly three RG-65 pairs (gem-jewel, midday-noon, automobile-car)."""
    vec = tmp_path / "v.txt"
    words = ["gem", "jewel", "midday", "noon", "automobile", "car"]
    vec.write_text(f"{len(words)} 2\n" + "".join(f"{w} {i % 3} {1 + i // 2}\n" for i, w in enumerate(words)),
                   encoding="utf-8")
    return vec


def test_three_covered_rg65_pairs_are_insufficient(rg65_vectors, tmp_path, capsys):
    out = tmp_path / "r.json"
    assert main(["evaluate", str(rg65_vectors), "--task", "rg65", "--json", str(out)]) == 0
    (entry,) = json.loads(out.read_text())["results"]
    assert entry["task"] == "rg65" and entry["n_scored"] == 3 and entry["n_items"] == 65
    assert entry["sufficient"] is False
    assert entry["insufficient"] == "3 of 65 pairs scored (fewer than 20 pairs and coverage below 50%)"
    (full,) = json.loads(out.read_text())["task_results"]
    assert full["sufficient"] is False and full["details"]["sufficient"] is False
    assert "(insufficient)" in capsys.readouterr().out


def test_compare_refuses_evaluate_outputs_under_two_protocols(rg65_vectors, tmp_path, capsys):
    a, b = tmp_path / "A.json", tmp_path / "B.json"
    assert main(["evaluate", str(rg65_vectors), "--task", "rg65", "--json", str(a)]) == 0
    assert main(["evaluate", str(rg65_vectors), "--task", "rg65", "--protocol", "gensim", "--json", str(b)]) == 0
    capsys.readouterr()
    store = str(tmp_path / "s.sqlite")
    assert main(["compare", str(a), str(b), "--store", store]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err
    assert err.startswith("evalsuite: error: protocol differs: "
                          "'default v1.0' in A (A.json), 'gensim v1.0' in B (B.json)")
    assert err.endswith("--allow-mismatch to compare them anyway")
    # allowed: the mismatch heads the output, then the comparison item by item
    assert main(["compare", str(a), str(b), "--store", store, "--allow-mismatch"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("**Warning: these runs are not comparable")
    assert "- protocol differs: 'default v1.0' in A (A.json), 'gensim v1.0' in B (B.json)" in out
    assert "| rg65 | spearman |" in out
    # the same protocol twice: compared without a word
    assert main(["compare", str(a), str(a), "--store", store]) == 0
    assert "Warning" not in capsys.readouterr().out


def test_check_refuses_a_baseline_on_another_corpus(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    store = tmp_path / "results.sqlite"
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    base = runfakes.write_config(one, name="base", seeds=(0,), store=store)
    other = runfakes.write_config(two, name="other", seeds=(0,), store=store)
    corpus = two / "corpus.txt"  # the same words, one sentence more: another corpus
    corpus.write_text(corpus.read_text(encoding="utf-8") + "w3 w4 w5\n", encoding="utf-8")
    assert main(["run", str(base)]) == 0 and main(["run", str(other)]) == 0
    capsys.readouterr()
    assert main(["check", "other", "--baseline", "base", "--store", str(store)]) == 2
    assert "error: corpus fingerprint differs" in capsys.readouterr().err
    assert main(["check", "other", "--baseline", "base", "--store", str(store), "--allow-mismatch"]) in (0, 1)
    out = capsys.readouterr().out
    assert out.startswith("**Warning: these runs are not comparable") and "evalsuite check:" in out


def test_dry_run_of_the_default_config_shows_the_matched_settings(tmp_path, capsys):
    assert main(["run", str(ROOT / "benchmarks" / "default.toml"), "--dry-run", "--json",
                 "--cache-dir", str(tmp_path / "cache")]) == 0
    plan = json.loads(capsys.readouterr().out)
    jobs = {j["embedding"]: j for j in plan["jobs"]}
    assert set(jobs) == {"gensim-sg", "gensim-cbow", "torch-sgns", "torch-cbow", "torch-glove"}
    for key in ("vector_size", "window", "min_count"):
        assert len({j["params"][key] for j in jobs.values()}) == 1, key
    word2vec = [j for name, j in jobs.items() if name != "torch-glove"]
    for key in ("learning_rate", "negative"):
        assert len({j["params"][key] for j in word2vec}) == 1, key
    for j in jobs.values():
        assert j["cached"] is False and j["seed"] == 0 and j["estimated_seconds"] > 0
        assert {"embedding", "trainer", "params", "seed", "cached", "estimated_seconds"} <= set(j)
    # resolved: defaults the config does not give are there too
    assert jobs["torch-cbow"]["params"]["cbow_mean"] is True and jobs["torch-glove"]["params"]["x_max"] == 100.0


def test_dry_run_says_what_the_cache_holds_and_trains_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    cfg = runfakes.write_config(tmp_path, name="base", seeds=(0,))
    runfakes.CALLS.clear()
    assert main(["run", str(cfg), "--dry-run", "--json"]) == 0
    assert [j["cached"] for j in json.loads(capsys.readouterr().out)["jobs"]] == [False, False]
    assert runfakes.CALLS == [] and not (tmp_path / "results.sqlite").exists()
    assert main(["run", str(cfg)]) == 0
    capsys.readouterr()
    assert main(["run", str(cfg), "--dry-run", "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert [(j["embedding"], j["cached"]) for j in plan["jobs"]] == [("sgns", True), ("glove", True)]
    assert main(["run", str(cfg), "--dry-run"]) == 0
    text = capsys.readouterr().out
    assert text.startswith(f"plan of {cfg}: 2 job(s), 1 task(s), seeds [0], 2 cached")
    assert main(["run", str(cfg), "--json"]) == 2
    assert "--json: only used with --dry-run" in capsys.readouterr().err
