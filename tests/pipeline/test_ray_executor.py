import dataclasses
import json

import numpy as np
import pytest

ray = pytest.importorskip("ray")

import raycluster  # noqa: E402
import runfakes  # noqa: E402
from evalsuite.train.cache import EmbeddingCache  # noqa: E402
from evalsuite.config import load_config  # noqa: E402
from evalsuite.core.errors import ConfigError  # noqa: E402
from evalsuite.evaluate.classification import prepare_sweep  # noqa: E402
from evalsuite.pipeline.executors.base import get_executor  # noqa: E402
from evalsuite.pipeline.jobs import JobOutcome  # noqa: E402
from evalsuite.pipeline.executors.ray_executor import (  # noqa: E402
    RayExecutor,
    _store_in_cache,
    cpus_for,
    cpus_for_training,
)
from evalsuite.pipeline.finetune_jobs import FinetuneJob  # noqa: E402
from evalsuite.pipeline import runner  # noqa: E402
from evalsuite.pipeline.runner import make_jobs, run_benchmark  # noqa: E402
from evalsuite.store.embedding_record import EmbeddingRecord  # noqa: E402
from evalsuite.store.sqlite import ResultStore  # noqa: E402
from evalsuite.train import get_trainer  # noqa: E402

pytestmark = [pytest.mark.ray, pytest.mark.usefixtures("fake_trainers")]


@pytest.fixture
def cluster(ray_cluster):
    return ray_cluster


def _sweep(folder, name="sweep"):
    """Four configurations: two swept noise levels for each of two trainers, one seed."""
    folder.mkdir(parents=True, exist_ok=True)
    return load_config(runfakes.write_config(folder, name=name, seeds=(0,), sgns_noise="[0.1, 0.4]",
                                             glove_noise="[0.2, 0.8]"))


def _run(cfg, executor, **kw):
    # Ray workers run no fixtures: the evaluate function registers the fake trainers there
    kw["evaluate_fn"] = runfakes.in_workers(kw.get("evaluate_fn", runfakes.fake_evaluate))
    return run_benchmark(cfg, executor=executor, report_fn=None, summary_fn=None, log=lambda m: None, **kw)


def _stored(cfg, run_id):
    """The stored task results as comparable dicts, sorted by embedding and task."""
    with ResultStore(cfg.store) as store:
        run = store.load_run(run_id)
    out = [json.loads(json.dumps(dataclasses.asdict(r), default=str)) for r in run.task_results]
    return sorted(out, key=lambda d: (d["embedding"], d["task"]))


# -- without a cluster ------------------------------------------------------------------------

def test_options_are_checked_and_named():
    with pytest.raises(ConfigError, match="max_retries"):
        RayExecutor(max_retries=-1)
    with pytest.raises(ConfigError, match="cpus_per_job"):
        RayExecutor(cpus_per_job=0)
    with pytest.raises(ConfigError, match="num_cpus"):
        RayExecutor(num_cpus="many")
    with pytest.raises(ConfigError, match=r"unknown option\(s\) for executor 'ray': retries"):
        get_executor("ray", retries=3)
    assert isinstance(get_executor("ray", address="auto", max_retries=0), RayExecutor)


def test_cpus_from_workers_param(tmp_path):
    cfg = _sweep(tmp_path)
    job = make_jobs(cfg)[0]
    assert cpus_for(job) == 1  # the fake trainers have no 'workers' parameter
    sgns = get_trainer("torch-sgns")
    with_workers = dataclasses.replace(job, spec=dataclasses.replace(job.spec, resolved=sgns.resolve({"workers": 4})))
    assert cpus_for(with_workers) == 4
    assert cpus_for(with_workers, cluster_cpus=2) == 2  # capped: the task must fit the cluster
    assert cpus_for(with_workers, cpus_per_job=3) == 3
    gensim = dataclasses.replace(job, spec=dataclasses.replace(job.spec, trainer="gensim-word2vec", params={},
                                                               resolved=get_trainer("gensim-word2vec").resolve({})))
    assert cpus_for(gensim) == 2  # the trainer's default workers=2


def test_a_training_declares_its_threads(tmp_path):
    job = make_jobs(_sweep(tmp_path))[0]
    csv = str(runfakes.write_classification_csv(tmp_path))
    for threads, cluster, cpus in ((None, None, 1), ("default", None, 1), (4, None, 4), (4, 2, 2)):
        settings = {"dataset": csv} if threads == "default" else {"dataset": csv, "threads": threads}
        task = prepare_sweep(settings).runs[0].task(0)
        assert cpus_for_training(FinetuneJob(task, 0, job, 0), cluster_cpus=cluster) == cpus


def test_driver_writes_returned_matrix_into_its_own_cache(tmp_path):
    # a worker on another machine cached the matrix there; the driver's cache is empty
    cfg = _sweep(tmp_path)
    job = make_jobs(cfg)[0]
    emb = runfakes._FakeBase().fit([runfakes.WORDS], seed=0).with_name(job.label)
    record = EmbeddingRecord(name=job.label, seed=job.seed, source="trained", trainer=job.spec.trainer,
                             params=dict(job.spec.params), resolved_params={**emb.meta["params"]},
                             cache_key="k" * 16, corpus_fingerprint="f" * 8)
    _store_in_cache(JobOutcome(job=job, record=record, embeddings=emb))
    cached = EmbeddingCache(cfg.cache).get("k" * 16)
    assert cached is not None and cached.vocab == emb.vocab and np.array_equal(cached.matrix, emb.matrix)
    info = json.loads((tmp_path / "cache" / f"{'k' * 16}.json").read_text())
    assert info["trainer"] == job.spec.trainer and info["seed"] == 0 and info["corpus_fingerprint"] == "f" * 8
    assert info["params"] == {"noise": 0.1, "dim": 8, "epochs": 2}  # resolved, as the local executor records them


def test_progress_bar_shows_counts(monkeypatch):
    import io

    from rich.console import Console

    import evalsuite.pipeline.executors.ray_executor as rx

    buf = io.StringIO()
    monkeypatch.setattr(rx, "progress_enabled", lambda: True)
    monkeypatch.setattr(rx, "console", lambda: Console(file=buf, force_terminal=True, width=200))
    bar = rx._Progress(4)
    pending = {object(): (i, None, 1) for i in range(3)}
    RayExecutor._show(bar, pending, done=1, failed=1, cluster_cpus=2)
    bar.close()
    text = buf.getvalue()
    assert "1/4" in text and "running 2 · queued 1 · failed 1" in text
    monkeypatch.setattr(rx, "progress_enabled", lambda: False)  # EVALSUITE_NO_PROGRESS / not a terminal
    quiet = rx._Progress(4)
    assert quiet.bar is None
    quiet.update(done=1, running=0, queued=0, failed=0)
    quiet.close()


# -- on a local two-CPU cluster --------------------------------------------------------------

def test_sweep_on_ray_equals_local(tmp_path, cluster):
    cfg = _sweep(tmp_path / "local")
    ray_cfg = cfg.replace(cache=str(tmp_path / "ray-cache"), store=str(tmp_path / "ray.sqlite"))
    assert len(make_jobs(cfg)) == 4
    local = _run(cfg, "local")
    on_ray = _run(ray_cfg, "ray")
    assert local.ok and on_ray.ok, (local.failures, on_ray.failures)
    assert on_ray.trained == 4 and on_ray.cache_hits == 0
    assert on_ray.run.provenance["executor"] == "ray"
    a, b = _stored(cfg, local.run.run_id), _stored(ray_cfg, on_ray.run.run_id)
    assert len(a) == 4
    assert a == b  # scores, items and provenance (embedding fingerprints, cache keys) alike
    # the trained matrices are in the driver's cache: a second run trains nothing
    again = _run(ray_cfg, "ray")
    assert again.ok and again.cache_hits == 4 and again.trained == 0
    assert _stored(ray_cfg, again.run.run_id) == b


def test_killed_worker_is_retried(tmp_path, cluster):
    cfg = _sweep(tmp_path)
    label = make_jobs(cfg)[1].label
    marker = tmp_path / "died-once"
    out = _run(cfg, "ray", evaluate_fn=raycluster.DieOnce(label, marker),
               executor_options={"max_retries": 2})
    assert marker.exists(), "the worker was never killed"
    assert out.ok, out.failures
    assert sorted(r.embedding for r in out.run.task_results) == sorted(j.label for j in make_jobs(cfg))
    ref_cfg = cfg.replace(store=str(tmp_path / "ref.sqlite"))
    reference = _run(ref_cfg, "local")
    assert _stored(cfg, out.run.run_id) == _stored(ref_cfg, reference.run.run_id)


def test_always_failing_task_is_reported_after_bounded_retries(tmp_path, cluster):
    cfg = _sweep(tmp_path)
    jobs = make_jobs(cfg)
    label = jobs[2].label
    attempts = tmp_path / "attempts.txt"
    out = _run(cfg, "ray", evaluate_fn=raycluster.AlwaysFail(label, attempts),
               executor_options={"max_retries": 1})
    assert len(attempts.read_text().splitlines()) == 2  # one try and one retry
    assert [f["embedding"] for f in out.failures] == [label]
    error = out.failures[0]["error"]
    assert error.startswith("RuntimeError: evaluation of") and "failed 2 attempts on Ray" in error
    # the other jobs' results are kept, in the store too
    assert sorted(r.embedding for r in out.run.task_results) == sorted(j.label for j in jobs if j.label != label)
    with ResultStore(cfg.store) as store:
        assert store.run_status(out.run.run_id) == "failed"
        assert len(store.load_run(out.run.run_id).task_results) == 3


def test_executor_uses_the_running_ray_and_leaves_it_running(tmp_path, cluster):
    cfg = _sweep(tmp_path)
    ex = RayExecutor()
    outcomes = list(ex.run(make_jobs(cfg)[:2], evaluate_fn=runfakes.in_workers(runfakes.fake_evaluate),
                           log=lambda m: None))
    ex.close()
    assert [o.ok for o in outcomes] == [True, True]
    assert ray.is_initialized()  # not started by the executor, so not shut down by it


def test_cnn_trainings_run_as_ray_tasks_and_equal_the_local_ones(tmp_path, cluster, monkeypatch):
    table = 'models = "cnn"\nmodes = "non-static"\n'
    cfg = load_config(runfakes.write_finetune_config(tmp_path / "local", table=table))
    ray_cfg = cfg.replace(cache=str(tmp_path / "ray-cache"), store=str(tmp_path / "ray.sqlite"))
    made = []
    monkeypatch.setattr(runner, "get_executor", lambda name, **o: made.append(get_executor(name, **o)) or made[-1])
    local, on_ray = _run(cfg, "local"), _run(ray_cfg, "ray")
    assert local.ok and on_ray.ok, (local.failures, on_ray.failures)
    names = [name for name, _ in made[1].submitted]
    # two embedding tasks, and two folds of the CNN on each embedding, each a Ray task of its own
    assert sorted(names) == sorted(["evalsuite:sgns", "evalsuite:glove"] + [
        f"evalsuite:finetune:{e} toy/cnn/finetuned seed 0 training {i}/2" for e in ("sgns", "glove") for i in (1, 2)])
    assert len({task_id for _, task_id in made[1].submitted}) == 6
    ft = runfakes.finetune_results(on_ray.run.task_results)
    assert [(t[0], t[1]) for t in ft] == [("glove", "toy/cnn/finetuned"), ("sgns", "toy/cnn/finetuned")]
    assert ft == runfakes.finetune_results(local.run.task_results)
