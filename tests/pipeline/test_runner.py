import numpy as np
import pytest

import runfakes
from evalsuite.train.cache import CacheWarning
from evalsuite.config import load_config
from evalsuite.pipeline.runner import make_jobs, run_benchmark
from evalsuite.store.sqlite import ResultStore
from evalsuite.train.base import trainer_registry

# these tests read the report's text and files, not its figures: tiny PNGs stand in for them
pytestmark = pytest.mark.usefixtures("fast_plots", "fake_trainers")


def _run(cfg, **kw):
    kw.setdefault("evaluate_fn", runfakes.fake_evaluate)
    kw.setdefault("report_fn", None)
    kw.setdefault("summary_fn", None)
    kw.setdefault("log", lambda m: None)
    return run_benchmark(cfg, **kw)


def test_jobs_per_embedding_and_seed(tmp_path):
    cfg = load_config(runfakes.write_config(tmp_path, seeds=(0, 1, 2)))
    jobs = make_jobs(cfg)
    assert [j.label for j in jobs] == [f"{e}@seed{s}" for e in ("sgns", "glove") for s in (0, 1, 2)]
    single = load_config(runfakes.write_config(tmp_path, name="one", seeds=(0,)))
    assert [j.label for j in make_jobs(single)] == ["sgns", "glove"]


def test_end_to_end_then_cache_then_no_cache(tmp_path):
    cfg = load_config(runfakes.write_config(tmp_path, seeds=(0, 1), glove_noise=2.0))
    runfakes.CALLS.clear()
    out = _run(cfg)
    assert out.ok and out.trained == 4 and out.cache_hits == 0
    assert sorted(runfakes.CALLS) == [("fake-glove", 0), ("fake-glove", 1), ("fake-sgns", 0), ("fake-sgns", 1)]
    run = out.run
    assert len(run.task_results) == 4
    r = next(t for t in run.task_results if t.embedding == "sgns@seed1")
    assert r.key.seed == 1 and r.key.embedding == "sgns" and r.n_scored == r.n_items - 1
    # across-seed summaries and a verdict: low-noise "sgns" beats noisy "glove"
    groups = {(g.embedding, g.task): g for g in out.analysis.seed_summaries}
    g = groups[("sgns", "tinysim")]
    assert g.n_seeds == 2 and g.mean == pytest.approx(np.mean([t.main_score for t in run.task_results
                                                                 if t.key.embedding == "sgns"]))
    (verdict,) = out.analysis.verdicts
    assert verdict.kind == "similarity" and verdict.winner == "Word2Vec"
    # stored, complete, with training history
    with ResultStore(cfg.store) as s:
        stored = s.load_run(run.run_id)
        assert s.run_status(run.run_id) == "complete"
    assert len(stored.task_results) == 4
    assert stored.embeddings[0]["history"][0]["epoch"] == 1

    runfakes.CALLS.clear()
    again = _run(cfg)
    assert runfakes.CALLS == [] and again.cache_hits == 4 and again.trained == 0
    assert [t.main_score for t in again.run.task_results] == [t.main_score for t in run.task_results]

    forced = _run(cfg, use_cache=False)
    assert len(runfakes.CALLS) == 4 and forced.trained == 4


def test_new_trainer_version_retrains_only_that_trainer(tmp_path, monkeypatch):
    cfg = load_config(runfakes.write_config(tmp_path, seeds=(0,)))
    _run(cfg)
    monkeypatch.setattr(trainer_registry.get("fake-glove"), "version", 2)
    runfakes.CALLS.clear()
    out = _run(cfg)
    assert runfakes.CALLS == [("fake-glove", 0)] and out.cache_hits == 1 and out.trained == 1


def test_corrupt_cache_entry_is_retrained(tmp_path):
    cfg = load_config(runfakes.write_config(tmp_path, seeds=(0,)))
    _run(cfg)
    victim = sorted((tmp_path / "cache").glob("*.npz"))[0]
    victim.write_bytes(b"garbage")
    runfakes.CALLS.clear()
    with pytest.warns(CacheWarning, match="corrupt"):
        out = _run(cfg)
    assert len(runfakes.CALLS) == 1 and out.cache_hits == 1 and out.ok


def test_crash_mid_run_leaves_store_consistent_and_resumes_from_cache(tmp_path):
    cfg = load_config(runfakes.write_config(tmp_path, seeds=(0,)))
    calls = {"n": 0}

    def dying_evaluate(emb, tasks, protocol):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # simulated kill during the second job
        return runfakes.fake_evaluate(emb, tasks, protocol)

    with pytest.raises(KeyboardInterrupt):
        _run(cfg, evaluate_fn=dying_evaluate)
    with ResultStore(cfg.store) as s:
        (row,) = s.list_runs()
        assert row["status"] == "failed" and "KeyboardInterrupt" in row["error"]
        assert row["n_results"] == 1  # the finished job's results, nothing half-written
    runfakes.CALLS.clear()
    out = _run(cfg)
    # both matrices were cached before the crash: nothing is retrained
    assert runfakes.CALLS == [] and out.cache_hits == 2 and out.ok


def test_failing_job_is_reported_and_others_kept(tmp_path):
    extra = '\n[[embeddings]]\nname = "broken"\npretrained = "{}"\nformat = "glove"\n'
    bad = tmp_path / "bad.txt"
    bad.write_text("w0 not-a-number\n")
    cfg = load_config(runfakes.write_config(tmp_path, seeds=(0,), extra_embeddings=extra.format(bad)))
    out = _run(cfg)
    assert not out.ok and out.failures[0]["embedding"] == "broken"
    assert {t.embedding for t in out.run.task_results} == {"sgns", "glove"}
    with ResultStore(cfg.store) as s:
        assert s.run_status(out.run.run_id) == "failed"


def test_report_and_summary_seams_called(tmp_path):
    cfg = load_config(runfakes.write_config(tmp_path, seeds=(0,)))
    got = {}
    out = _run(cfg, report_fn=lambda run, analysis, out_dir: got.setdefault("report", (run.run_id, out_dir)) and {"x": 1},
               summary_fn=lambda run, analysis, paths: got.setdefault("summary", paths))
    assert got["report"] == (out.run.run_id, tmp_path / "reports")
    assert "summary" in got


def test_a_run_records_the_git_state_of_its_folder(tmp_path, monkeypatch):
    """Outside a git work tree a run works and records "no git"; inside one, its commit and dirty flag."""
    import shutil
    import subprocess

    from evalsuite.core.provenance import GitState

    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    for var in ("GIT_DIR", "GIT_WORK_TREE"):
        monkeypatch.delenv(var, raising=False)
    work = tmp_path / "work"
    work.mkdir()
    cfg = load_config(runfakes.write_config(tmp_path))
    monkeypatch.chdir(work)
    out = _run(cfg)
    assert out.ok and out.run.provenance["git"] == {"status": "no git", "commit": None, "dirty": None}
    with ResultStore(cfg.store) as s:
        assert GitState.from_provenance(s.load_run(out.run.run_id).provenance).label == "no git"
    if shutil.which("git") is None:
        return
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=work, check=True)
    (work / "a.txt").write_text("a\n")
    subprocess.run([*git, "add", "a.txt"], cwd=work, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "a"], cwd=work, check=True)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=work, capture_output=True, text=True).stdout.strip()
    inside = _run(cfg).run.provenance["git"]
    assert inside == {"status": "work tree", "commit": head, "dirty": False}
    (work / "a.txt").write_text("b\n")
    assert _run(cfg).run.provenance["git"]["dirty"] is True
