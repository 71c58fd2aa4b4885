"""Tiny synthetic runs of one config for the history tests: every score known, built in-process.

:func:`runs` gives five one-seed runs of the config ``cfg`` (2 embeddings × a similarity and an
analogy task) whose scores wander by less than a point; ``drop_in`` lowers sgns's ws353 score
in one run by 0.2 (far below the baseline's band), ``break_at`` gives the runs from one run on
another corpus. :func:`baseline` is ``cfg-baseline``, three seeds of the same scores.
"""

from __future__ import annotations

from dataclasses import replace

from evalsuite.core.results import ResultKey, RunResult, TaskResult
from evalsuite.evaluate.protocol import get_protocol
from evalsuite.store.sqlite import ResultStore

PROTOCOL = get_protocol("default").to_dict()
SCORES = {("sgns", "ws353"): 0.60, ("glove", "ws353"): 0.52, ("sgns", "google"): 0.40, ("glove", "google"): 0.45}
WIGGLE = (0.0, 0.004, -0.003, 0.002, -0.001, 0.003, -0.002)  # run-to-run (or seed-to-seed) movement
DROP = 0.2


def result(emb: str, task: str, score: float, seed: int) -> TaskResult:
    kind = "similarity" if task == "ws353" else "analogy"
    return TaskResult(task=task, kind=kind, embedding=f"{emb}@seed{seed}", main_score=score,
                      scores={"spearman" if kind == "similarity" else "accuracy": score}, n_items=300, n_scored=280,
                      ci95=(score - 0.05, score + 0.05), main_score_name="spearman" if kind == "similarity" else "accuracy",
                      protocol=PROTOCOL, key=ResultKey(emb, seed))


def run(run_id: str, name: str, day: int, seeds=(0,), shift: dict | None = None, corpus: str = "fp-lee",
        git: dict | None = None) -> RunResult:
    shift = shift or {}
    results = tuple(result(emb, task, score + WIGGLE[(day + s) % len(WIGGLE)] + shift.get((emb, task), 0.0), s)
                    for (emb, task), score in SCORES.items() for s in seeds)
    embeddings = tuple({"name": f"{emb}@seed{s}", "group": emb, "seed": s, "trainer": "fake-sgns",
                        "corpus": "lee", "corpus_fingerprint": corpus} for emb in ("sgns", "glove") for s in seeds)
    provenance = {"protocol": PROTOCOL}
    if git is not None:
        provenance["git"] = git
    return RunResult(run_id=run_id, name=name, task_results=results, config={"corpus": {"name": "lee"}},
                     config_hash=f"hash{day}", embeddings=embeddings, provenance=provenance,
                     created=f"2026-05-{10 + day:02d}T09:30:00+00:00", wall_time=1.0)


def runs(n: int = 5, *, drop_in: int | None = None, break_at: int | None = None) -> list[RunResult]:
    """``n`` runs of ``cfg``, oldest first (run ``i`` on day ``i``)."""
    out = []
    for i in range(n):
        shift = {("sgns", "ws353"): -DROP} if i == drop_in else {}
        corpus = "fp-other" if break_at is not None and i >= break_at else "fp-lee"
        git = {"status": "work tree", "commit": f"{i:x}" * 40, "dirty": i == n - 1}
        out.append(run(f"cfg-2026051{i}-{i:04x}", "cfg", i, shift=shift, corpus=corpus, git=git))
    return out


def baseline() -> RunResult:
    return run("cfg-baseline-20260501-beef", "cfg-baseline", 0, seeds=(0, 1, 2))


def store(path, runs_: list[RunResult], *extra: RunResult):
    """A store at ``path`` holding ``runs_`` and ``extra``; returns the path."""
    with ResultStore(path) as s:
        for r in (*extra, *runs_):
            s.save_run(r)
    return path


def many(n_runs: int = 20, n_tasks: int = 17, n_embeddings: int = 5, *, drop_in: int = 12,
         break_at: int = 4) -> tuple[list[RunResult], RunResult]:
    """``n_runs`` runs of ``big`` with ``n_tasks`` tasks (a third of them analogies) × ``n_embeddings``
    embeddings, sgns's first task dropped in run ``drop_in``, the corpus changed from run
    ``break_at`` on; and a three-seed baseline on the new corpus (the runs before the break are not
    checked against it)."""
    tasks = [f"sim{k:02d}" if k % 3 else f"ana{k:02d}" for k in range(n_tasks)]
    embs = ["sgns"] + [f"emb{e}" for e in range(1, n_embeddings)]

    def one(run_id, day, seeds, corpus, shift):
        results = []
        for e, emb in enumerate(embs):
            for k, task in enumerate(tasks):
                base = 0.3 + 0.02 * e + 0.01 * k
                for s in seeds:
                    score = base + WIGGLE[(day + s + k) % len(WIGGLE)] - (shift if (e, k) == (0, 0) else 0.0)
                    r = result(emb, "ws353" if task.startswith("sim") else "google", score, s)
                    results.append(replace(r, task=task))
        records = tuple({"name": f"{emb}@seed{s}", "group": emb, "seed": s, "corpus_fingerprint": corpus}
                        for emb in embs for s in seeds)
        return RunResult(run_id=run_id, name="big", task_results=tuple(results), config_hash=f"h{day}",
                         embeddings=records, provenance={"protocol": PROTOCOL},
                         created=f"2026-06-{1 + day:02d}T08:00:00+00:00")

    runs_ = [one(f"big-202606{1 + i:02d}-{i:04x}", i, (0,), "fp-b" if i >= break_at else "fp-a",
                 DROP if i == drop_in else 0.0) for i in range(n_runs)]
    return runs_, one("big-baseline", 0, (0, 1, 2), "fp-b", 0.0)
