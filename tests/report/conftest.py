"""Hand-built runs for the report tests (tiny, synthetic, every number known)."""

import dataclasses
import os
from pathlib import Path

import pytest

from evalsuite.analysis.aggregate import seed_groups
from evalsuite.analysis.types import Analysis, Comparison, SeedGroup, Verdict
from evalsuite.core.results import ResultKey, RunResult, TaskResult, Variant

PROTOCOL = {"name": "default", "version": "1", "oov": "drop", "lowercase": True}


def similarity(task, emb, rho, ci, n_scored, n_items, seed=0, pearson=0.5, group=None):
    return TaskResult(
        task=task, kind="similarity", embedding=emb, main_score=rho,
        scores={"spearman": rho, "pearson": pearson}, n_items=n_items, n_scored=n_scored,
        ci95=ci, main_score_name="spearman", protocol=PROTOCOL,
        items={"word1": ["a", "b"], "word2": ["c", "d"], "gold": [1.0, 2.0], "predicted": [0.1, None]},
        provenance={"dataset_sha256": f"sha-{task}", "seed": seed}, key=ResultKey(group or emb, seed))


def analogy(task, emb, sections, seed=0, n_items=10, group=None):
    covered = sum(s["covered"] for s in sections.values())
    correct = sum(s["correct"] for s in sections.values())
    fams = {}
    for s in sections.values():
        f = fams.setdefault(s["family"], {"family": s["family"], "total": 0, "covered": 0, "correct": 0})
        for k in ("total", "covered", "correct"):
            f[k] += s[k]
    for f in fams.values():
        f["accuracy"] = f["correct"] / f["covered"]
    return TaskResult(
        task=task, kind="analogy", embedding=emb, main_score=correct / covered,
        scores={"accuracy": correct / covered, "accuracy_all": correct / n_items,
                "accuracy_3cosmul": (correct + 1) / covered, "accuracy_3cosmul_all": (correct + 1) / n_items},
        n_items=n_items, n_scored=covered, main_score_name="accuracy", protocol=PROTOCOL,
        details={"sections": sections, "families": fams, "n_candidates": 3000},
        provenance={"dataset_sha256": f"sha-{task}", "seed": seed}, key=ResultKey(group or emb, seed))


def section(family, total, covered, correct):
    return {"family": family, "total": total, "covered": covered, "correct": correct,
            "accuracy": correct / covered if covered else None}


def classification(emb, mode, seed, acc, wd=0.0, gap=0.1, leak=None, model="bag"):
    params = {"weight_decay": wd, "dropout": 0.5, "epochs": 3}
    return TaskResult(
        task="mr", kind="classification", embedding=emb, main_score=acc,
        scores={"test_accuracy": acc}, n_items=100, n_scored=100,
        main_score_name="test_accuracy",
        details={"dataset": "mr", "model": model, "mode": mode, "params": params, "seed": seed,
                 "best_epoch": 2,
                 "curves": {"epoch": [1, 2, 3], "train_loss": [0.7, 0.5, 0.3],
                            "val_loss": [0.69, 0.6, 0.62], "train_acc": [0.6, 0.75, 0.9],
                            "val_acc": [0.58, 0.7, 0.69]},
                 "overfit": {"gap_at_best": gap, "gap_at_last": gap + 0.05, "epochs_past_best": 1,
                             "val_loss_rise": 0.02},
                 "drift": {"seen": 0.25 if mode == "finetuned" else 0.0,
                           "unseen": 0.0},
                 "leak": leak},
        provenance={"seed": seed}, key=ResultKey(emb, seed, Variant(model, mode, params)))


def emb_meta(name, trainer, seed, losses, ips, unit="words"):
    return {"name": name, "meta": {
        "trainer": trainer, "params": {"dim": 50, "window": 5, "epochs": len(losses)},
        "seed": seed, "train_seconds": 12.5 + seed,
        "history": [{"epoch": i + 1, "loss": l, "items_per_second": ips, "seconds": 4.0, "unit": unit}
                    for i, l in enumerate(losses)],
        "items_per_second": ips, "unit": unit, "corpus": "imdb"}}


@pytest.fixture
def run_result():
    tr = []
    for seed in (0, 1):
        w, g = f"sgns@seed{seed}", f"glove@seed{seed}"
        tr.append(similarity("ws353", w, 0.61 + 0.02 * seed, (0.55, 0.67), 340, 353, seed, group="sgns"))
        tr.append(similarity("ws353", g, 0.52 + 0.02 * seed, (0.45, 0.58), 340, 353, seed, group="glove"))
        tr.append(similarity("simlex999", w, 0.30, (0.24, 0.36), 990, 999, seed, group="sgns"))
        tr.append(similarity("simlex999", g, 0.28, (0.22, 0.34), 990, 999, seed, group="glove"))
        tr.append(analogy("google", w, {"capital-common-countries": section("semantic", 4, 4, 3),
                                        "gram1-adjective-to-adverb": section("syntactic", 6, 5, 2)}, seed,
                          group="sgns"))
        tr.append(analogy("google", g, {"capital-common-countries": section("semantic", 4, 4, 4),
                                        "gram1-adjective-to-adverb": section("syntactic", 6, 4, 1)}, seed,
                          group="glove"))
    for seed in (0, 1, 2):
        for emb in ("sgns", "glove"):
            for mode, base in (("random", 0.70), ("frozen", 0.74), ("finetuned", 0.77)):
                for wd in (0.0, 1e-4, 1e-3):
                    acc = base + 0.01 * seed - 20 * wd + (0.01 if emb == "sgns" else 0.0)
                    tr.append(classification(emb, mode, seed, acc, wd, gap=0.15 - 50 * wd,
                                             leak="The IMDB test reviews were part of the training corpus."
                                             if emb == "glove" else None))
    embeddings = []
    for seed in (0, 1):
        embeddings.append(emb_meta(f"sgns@seed{seed}", "torch_sgns", seed, [2.5, 2.1, 1.9], 250_000.0))
        embeddings.append(emb_meta(f"glove@seed{seed}", "torch_glove", seed, [0.09, 0.05, 0.04], 1.2e6,
                                   unit="pairs"))
    return RunResult(
        run_id="20261128-abc", name="unit-run", task_results=tuple(tr),
        config={"corpus": {"name": "imdb"}, "seeds": [0, 1]}, config_hash="cafe1234",
        embeddings=tuple(embeddings),
        provenance={"packages": {"numpy": "2.0", "gensim": "4.4"}, "protocol": PROTOCOL,
                    "machine": {"python": "3.11", "cpus": "2"}},
        created="2026-11-28T12:00:00Z", wall_time=42.0)


EMBEDDINGS = ("gensim-sg", "gensim-cbow", "torch-sgns", "torch-cbow", "torch-glove")
SIM_TASKS = ("men", "mturk287", "rg65", "rw", "simlex999", "ws353", "ws353_rel", "ws353_sim")
MODES = {"random": 0.70, "frozen": 0.66, "finetuned": 0.74}


@pytest.fixture
def wide_run():
    """5 embeddings × 10 tasks (8 similarity, 2 analogy) and 5 × 3 fine-tuning rows.

    Returns the run, the expected score cell of every (embedding, task) and the
    expected accuracy of every (embedding, mode).
    """
    results, scores, finetune = [], {}, {}
    for e, emb in enumerate(EMBEDDINGS):
        for k, task in enumerate(SIM_TASKS):
            rho, n_scored = round(0.101 + 0.013 * e + 0.041 * k, 3), 300 + 10 * k
            results.append(similarity(task, emb, rho, (rho - 0.05, rho + 0.05), n_scored, 400))
            scores[emb, task] = f"{rho:.3f} ({n_scored / 400:.0%})"
        for k, task in enumerate(("google", "msr")):
            correct, covered = 3 + e + k, 20 + k
            results.append(analogy(task, emb, {"capital": section("semantic", 40, covered, correct)},
                                   n_items=40))
            scores[emb, task] = f"{100 * correct / covered:.1f}% ({covered / 40:.0%})"
        for mode, base in MODES.items():
            acc = round(base + 0.01 * e, 2)
            for seed in (0, 1):
                for wd in (0.0, 1e-3):
                    t = classification(emb, mode, seed, acc + 0.01 * seed - 10 * wd, wd)
                    results.append(dataclasses.replace(t, task=f"mr/bag/{mode}"))
            finetune[emb, mode] = f"{100 * (acc + 0.005):.1f} ± 0.7%"
    run = RunResult(run_id="20261129-wide", name="wide-run", task_results=tuple(results),
                    embeddings=tuple({"name": emb} for emb in EMBEDDINGS))
    return run, scores, finetune


@pytest.fixture
def analysis(run_result):
    """Given verdicts and comparisons, the across-seed summaries of ``run_result`` (the one for
    ws353 / sgns given by hand)."""
    sim = Comparison(task="ws353", kind="similarity", a="sgns", b="glove", metric="spearman",
                     score_a=0.62, score_b=0.53, diff=0.09, ci95=(0.03, 0.15), test="paired bootstrap",
                     p_value=0.004, p_adjusted=0.008, correction="Holm", significant=True)
    ana = Comparison(task="google", kind="analogy", a="sgns", b="glove", metric="accuracy",
                     score_a=5 / 9, score_b=5 / 8, diff=5 / 9 - 5 / 8, test="McNemar",
                     p_value=0.5, p_adjusted=0.5, correction="Holm", significant=False)
    cls = Comparison(task="mr", kind="classification", a="sgns", b="glove", metric="test_accuracy",
                     score_a=0.79, score_b=0.78, diff=0.01, ci95=(-0.01, 0.03), test="Welch t-test",
                     p_value=0.21, p_adjusted=0.42, correction="Holm", significant=False,
                     variant=Variant(model="bag", mode="finetuned"))
    given = SeedGroup(ResultKey("sgns"), "ws353", "similarity", "spearman", 0.62, 0.0141, 2, (0.5, 0.74))
    summaries = [given if (s.task, s.key) == (given.task, given.key) else s for s in seed_groups(run_result)]
    return Analysis(
        verdicts=(Verdict("similarity", "Word2Vec", test="paired bootstrap", p_value=0.008,
                          correction="Holm", comparisons=(sim,)),
                  Verdict("analogy", None, test="McNemar", p_value=0.5, correction="Holm",
                          comparisons=(ana,))),
        comparisons=(sim, ana, cls),
        seed_summaries=tuple(summaries))


@pytest.fixture
def artifacts() -> Path:
    """Where the browser tests write screenshots and page sizes: ``$EVALSUITE_ARTIFACTS/browser``
    (default ``test-artifacts/browser`` in the repository root), which CI keeps."""
    root = os.environ.get("EVALSUITE_ARTIFACTS") or Path(__file__).resolve().parents[2] / "test-artifacts"
    return Path(root) / "browser"
