"""Fine-tuning as jobs of the executors: planned per finished embedding, run right after it,
results equal to fine-tuning the same embeddings in one call."""

from concurrent.futures.process import BrokenProcessPool

import pytest

import runfakes
from evalsuite.config import load_config
from evalsuite.evaluate.classification import run_finetune
from evalsuite.pipeline import finetune_jobs
from evalsuite.pipeline.finetune_jobs import run_trainings
from evalsuite.pipeline.finetuning import Finetuning
from evalsuite.pipeline.jobs import obtain_embeddings, run_job, tag_result
from evalsuite.pipeline.runner import make_jobs, run_benchmark
from evalsuite.store.sqlite import ResultStore

pytestmark = pytest.mark.usefixtures("fake_trainers")


def finetune_config(folder, **kw):
    return load_config(runfakes.write_finetune_config(folder, **kw))


def _run(cfg, **kw):
    kw.setdefault("log", lambda m: None)
    return run_benchmark(cfg, evaluate_fn=runfakes.fake_evaluate, report_fn=None, summary_fn=None, **kw)


def test_results_equal_fine_tuning_the_embeddings_in_one_call(tmp_path):
    cfg = finetune_config(tmp_path, table='models = ["cnn", "bag"]\nmodes = ["random", "non-static"]\n')
    out = _run(cfg)
    assert out.ok, out.failures
    # the same embeddings (from the cache) fine-tuned in one call, tagged as results of the run
    embs = {job.label: (job, obtain_embeddings(job)[0]) for job in make_jobs(cfg)}
    direct = [tag_result(r, label=r.embedding, group=embs[r.embedding][0].spec.name, seed=0)
              for r in run_finetune([e for _, e in embs.values()], cfg.finetune, [0])]
    assert len(direct) == 2 * 4  # two embeddings x (cnn, bag) x (random, finetuned)
    assert runfakes.finetune_results(out.run.task_results) == runfakes.finetune_results(direct)
    with ResultStore(cfg.store) as store:
        stored = store.load_run(out.run.run_id)
    assert runfakes.finetune_results(stored.task_results) == runfakes.finetune_results(direct)


def test_first_embedding_is_fine_tuned_before_the_second_is_trained(tmp_path, monkeypatch):
    cfg = finetune_config(tmp_path, table='models = "bag"\nmodes = "non-static"\n')
    from evalsuite.evaluate.classification import runs

    prepared, real = [], runs.prepare
    monkeypatch.setattr(runs, "prepare", lambda *a, **k: prepared.append(1) or real(*a, **k))
    lines = []
    out = _run(cfg, log=lines.append)
    assert out.ok, out.failures
    first = next(i for i, m in enumerate(lines) if m.startswith("sgns: training"))
    tuned = next(i for i, m in enumerate(lines) if m.startswith("fine-tuning sgns: 2 training(s)"))
    result = next(i for i, m in enumerate(lines) if m.startswith("fine-tuned sgns toy/bag/finetuned: test accuracy"))
    second = next(i for i, m in enumerate(lines) if m.startswith("glove: training"))
    assert first < tuned < result < second
    assert prepared == [1]  # the dataset is prepared once for the run, not per embedding


def test_seeds_names_and_keys(tmp_path):
    vectors = tmp_path / "pre.txt"
    vectors.write_text("".join(f"{w} {' '.join(str(x) for x in row)}\n"
                               for w, row in zip(runfakes.WORDS, runfakes.TRUE[:, :4].round(3))))
    extra = f'\n[[embeddings]]\nname = "pre"\npretrained = "{vectors}"\nformat = "glove"\n'
    cfg = finetune_config(tmp_path, seeds=(0, 1), table='models = "bag"\nmodes = "non-static"\n', extra=extra)
    out = _run(cfg)
    assert out.ok, out.failures
    ft = [r for r in out.run.task_results if r.kind == "classification"]
    # a trained embedding is fine-tuned with its own seed; a pretrained one with every seed
    assert sorted((r.embedding, r.key.embedding, r.key.seed, r.details["seed"]) for r in ft) == [
        ("glove@seed0", "glove", 0, 0), ("glove@seed1", "glove", 1, 1),
        ("pre@seed0", "pre", 0, 0), ("pre@seed1", "pre", 1, 1),
        ("sgns@seed0", "sgns", 0, 0), ("sgns@seed1", "sgns", 1, 1)]
    assert all(r.provenance["seed"] == r.key.seed for r in ft)
    assert any(v.kind == "classification" for v in out.analysis.verdicts)


def test_a_failed_training_is_recorded_and_the_rest_goes_on(tmp_path, monkeypatch):
    import evalsuite.evaluate.classification.task as task

    real = task.train_classifier

    def broken(kind, *a, **k):
        if kind == "cnn":
            raise RuntimeError("cnn broke")
        return real(kind, *a, **k)

    monkeypatch.setattr(task, "train_classifier", broken)
    cfg = finetune_config(tmp_path, table='models = ["bag", "cnn"]\nmodes = "non-static"\n')
    out = _run(cfg)
    assert not out.ok
    assert {(f["embedding"], f["stage"], f["error"]) for f in out.failures} == {
        (e, "finetune toy/cnn/finetuned seed 0", "RuntimeError: cnn broke") for e in ("sgns", "glove")}
    ft = [r for r in out.run.task_results if r.kind == "classification"]
    assert sorted((r.embedding, r.task) for r in ft) == [("glove", "toy/bag/finetuned"), ("sgns", "toy/bag/finetuned")]
    with ResultStore(cfg.store) as store:
        assert store.run_status(out.run.run_id) == "failed"
        assert len([r for r in store.load_run(out.run.run_id).task_results if r.kind == "classification"]) == 2


def test_a_broken_pool_fails_only_the_unfinished_trainings(tmp_path, monkeypatch):
    cfg = finetune_config(tmp_path, folds=3, table='models = "bag"\nmodes = "non-static"\n')
    outcome = run_job(make_jobs(cfg)[0], evaluate_fn=runfakes.fake_evaluate)
    finetuning = Finetuning.from_settings(cfg.finetune, cfg.seeds)
    jobs = finetuning.jobs_for(outcome)
    assert [j.index for j in jobs] == [0, 1, 2] and len({j.result for j in jobs}) == 1

    def dying(calls, workers):  # the first training comes back, then the pool breaks for good
        yield calls[0]()
        raise BrokenProcessPool("a worker died")

    monkeypatch.setattr(finetune_jobs, "run_jobs", dying)
    got = list(run_trainings(jobs, outcome.embeddings, workers=2))
    assert [o.ok for o in got] == [True, False, False]
    assert got[1].error == "BrokenProcessPool: a worker died"
    assert [finetuning.add(o) for o in got] == [None, None, None]  # no result from a failed task
