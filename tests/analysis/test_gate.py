"""The regression gate: its pieces by hand, and its error rates by simulation."""

import math
from dataclasses import replace

import numpy as np
import pytest

from evalsuite.analysis.aggregate import seed_groups
from evalsuite.core.runspecs import BaselineSpec
from evalsuite.analysis.gate import GateSettings, _two_way, gate, gate_settings, one_sided_p, seed_noise
from evalsuite.core.results import ResultKey, RunResult, TaskResult
from evalsuite.report.gate import gate_markdown


def score(emb, task, value, seed, *, multi=True, ci=None, kind="similarity"):
    return TaskResult(task=task, kind=kind, embedding=f"{emb}@seed{seed}" if multi else emb, main_score=float(value),
                      scores={}, n_items=100, n_scored=100, ci95=ci, main_score_name="spearman",
                      provenance={"seed": seed, "embedding_group": emb}, key=ResultKey(emb, seed))


def make_run(results, run_id="r", item_sd=None, config=None):
    prov = {}
    if item_sd is not None:
        prov["baseline_noise"] = [{"embedding": e, "task": t, "variant": "", "item_sd": sd}
                                  for (e, t), sd in item_sd.items()]
    return RunResult(run_id=run_id, name="n", task_results=tuple(results), provenance=prov, config=config or {})


def test_one_sided_p_by_hand():
    assert one_sided_p(-0.1, 0.05, math.inf) == pytest.approx(0.0227501, abs=1e-6)  # Phi(-2)
    assert one_sided_p(-0.1, 0.05, 2) == pytest.approx(0.0917517, abs=1e-6)  # t_2: 1/2 (1 - 2/sqrt(6))
    assert one_sided_p(-0.1, 0.05, math.inf, margin=0.1) == 0.5
    assert one_sided_p(-0.05, 0.05, math.inf, margin=0.1) > 0.5  # a drop within the margin
    assert (one_sided_p(-0.1, 0.0, 5), one_sided_p(0.0, 0.0, 5), one_sided_p(0.1, 0.0, 5)) == (0.0, 0.5, 1.0)


def test_two_way_fit_recovers_a_product_with_missing_cells():
    a, b = np.array([1.0, 2.0, 0.5]), np.array([0.1, 0.3, 1.0, 2.0])
    w = np.full((3, 4), 2.0)
    w[1, 2] = 0  # a cell the baseline lacks
    fa, fb = _two_way(np.outer(a, b), w)
    fit = np.outer(fa, fb)
    assert np.allclose(fit[w > 0], np.outer(a, b)[w > 0])
    assert fit[1, 2] == pytest.approx(2.0)  # filled in from the model


def _baseline(values, item_sd=None):
    """values: {(embedding, task): [score per seed]}"""
    res = [score(e, t, v, s) for (e, t), vs in values.items() for s, v in enumerate(vs)]
    return make_run(res, "base", item_sd)


def test_noise_pools_embeddings_and_takes_the_largest_estimate():
    # task "t": two quiet embeddings (sd 0.01) and a noisy one (sd 0.1); task "u": the same pattern
    base = _baseline({("a", "t"): [0.50, 0.51, 0.52], ("b", "t"): [0.30, 0.31, 0.32], ("c", "t"): [0.4, 0.5, 0.6],
                      ("a", "u"): [0.50, 0.51, 0.52], ("b", "u"): [0.30, 0.31, 0.32], ("c", "u"): [0.4, 0.5, 0.6]})
    noise = seed_noise(seed_groups(base), {})
    quiet, loud = noise[("a", "t", "")], noise[("c", "t", "")]
    # the task pools 3 embeddings x (3 seeds - 1) = 6 df, the embedding 2 tasks x 2 = 4: 1/(1/6 + 1/4)
    assert quiet.df == pytest.approx(2.4) and loud.df == pytest.approx(2.4)
    # the embedding factor keeps the noisy one's variance its own: 0.1^2, not the pooled 0.0034
    assert loud.var == pytest.approx(0.01, rel=1e-6) and quiet.var == pytest.approx(1e-4, rel=1e-6)
    # item-level variance is a floor: a score whose items move more than its seeds
    noise = seed_noise(seed_groups(base), {k: 0.0025 for k in noise})
    assert noise[("a", "t", "")].var == pytest.approx(0.0025) and noise[("a", "t", "")].basis == "items"


def test_gate_statuses_holm_margin_and_missing():
    base = _baseline({("a", "t"): [0.50, 0.51, 0.52], ("b", "t"): [0.30, 0.31, 0.32], ("a", "u"): [0.7, 0.7, 0.7]})
    cur = make_run([score("a", "t", 0.40, 0, multi=False), score("b", "t", 0.305, 0, multi=False),
                    score("new", "t", 0.9, 0, multi=False)], "cur")
    rep = gate(cur, base)
    rows = {(r.embedding, r.task): r for r in rep.rows}
    assert rows[("a", "t")].status == "regression" and rows[("a", "t")].change == pytest.approx(-0.11)
    # se = sd * sqrt(1 + 1/3) with the pooled sd 0.01; df 1/(1/4 + 1/4): task t pools 2 embeddings, "a" 2 tasks
    assert rows[("a", "t")].se == pytest.approx(0.01 * math.sqrt(4 / 3)) and rows[("a", "t")].df == pytest.approx(2)
    assert rows[("b", "t")].status == "noise"
    assert rows[("a", "u")].status == "missing" and not rep.passed
    # Holm: 2 tested scores, the smaller p doubled
    assert rows[("a", "t")].p_holm == pytest.approx(2 * rows[("a", "t")].p_value)
    # a margin larger than the drop: never significant
    cur2 = make_run([score("a", "t", 0.40, 0, multi=False), score("a", "u", 0.7, 0, multi=False)], "cur2")
    rows2 = {r.embedding + r.task: r for r in gate(cur2, base, GateSettings(margin=0.2)).rows}
    assert rows2["at"].status == "margin"
    md = gate_markdown(rep)
    assert "evalsuite check: FAIL" in md and "| **REGRESSION** | a | t |" in md and "| drop within noise | b | t |" in md
    assert "1 significant drop(s), 1 drop(s) within noise, 1 missing." in md and "rate at 0.05" in md
    assert rep.not_in_baseline == 1 and "1 score(s) of the run are not in the baseline" in md


def test_one_seed_baseline_falls_back_to_item_cis():
    base = make_run([score("a", "t", 0.5, 0, multi=False, ci=(0.4, 0.6))], "base")
    cur = make_run([score("a", "t", 0.2, 0, multi=False, ci=(0.1, 0.3))], "cur")
    (row,) = gate(cur, base).rows
    assert row.basis == "item CIs" and row.df == math.inf
    assert row.se == pytest.approx(math.hypot(0.1, 0.1) / 1.959964, rel=1e-6) and row.status == "regression"
    assert "training variance is unknown" in gate_markdown(gate(cur, base))


def test_gate_settings_precedence():
    assert gate_settings(None, None) == GateSettings(0.05, 0.0)
    run_spec, base_spec = BaselineSpec(level=0.01), BaselineSpec(level=0.2, margin=0.03)
    assert gate_settings(run_spec, base_spec) == GateSettings(0.01, 0.0)  # the run's settings, as a whole
    assert gate_settings(None, base_spec) == GateSettings(0.2, 0.03)
    assert gate_settings(run_spec, base_spec, margin=0.02) == GateSettings(0.01, 0.02)
    with pytest.raises(ValueError, match="level"):
        gate_settings(BaselineSpec(level=2))


# --- error rates by simulation --------------------------------------------------------------
E, T, K = 4, 6, 3


def _world(rng, *, items: bool):
    """Per-score variance of one seed: lambda_task * J, with J per (embedding, task); one
    embedding twice as noisy as the others (the case that defeats plain pooling)."""
    j = np.exp(rng.normal(size=(1, T))) * np.ones((E, 1)) * 1e-4
    j[0] *= 4
    lam = np.exp(rng.uniform(0, 2, size=(1, T)))
    return j, lam * j, (j if items else None)


def _simulate(rng, var, j, shift_sd=0.0):
    sd = np.sqrt(var)
    names = [(f"e{e}", f"t{t}") for e in range(E) for t in range(T)]
    base = [score(n[0], n[1], 0.5 + sd.flat[i] * z, s) for s in range(K)
            for i, (n, z) in enumerate(zip(names, rng.normal(size=E * T)))]
    cur = [score(n[0], n[1], 0.5 + sd.flat[i] * (z - shift_sd), 0, multi=False)
           for i, (n, z) in enumerate(zip(names, rng.normal(size=E * T)))]
    item_sd = None if j is None else {n: float(np.sqrt(j.flat[i])) for i, n in enumerate(names)}
    return gate(make_run(cur, "cur"), make_run(base, "base", item_sd))


@pytest.mark.parametrize("items", [True, False])
def test_family_wise_false_alarm_rate_is_at_most_the_level(items):
    rng = np.random.default_rng(11)
    _, var, j = _world(rng, items=items)
    fails = np.mean([not _simulate(rng, var, j).passed for _ in range(150)])
    # 24 scores at level 0.05: without Holm about 0.5 would fail, with plain pooling about 0.1
    assert fails <= 0.07, fails


@pytest.mark.parametrize("items", [True, False])
def test_a_real_drop_is_detected(items):
    rng = np.random.default_rng(12)
    _, var, j = _world(rng, items=items)
    caught = np.mean([not _simulate(rng, var, j, shift_sd=5.0).passed for _ in range(40)])
    assert caught >= 0.9, caught


def test_insufficient_scores_are_never_gated():
    # the same large drop: gated when the score rests on enough items, not tested when it does not
    base = _baseline({("a", "t"): [0.50, 0.51, 0.52], ("b", "t"): [0.30, 0.31, 0.32]})
    thin = {"sufficient": False, "insufficient_reason": "3 of 65 pairs scored"}
    cur = make_run([score("a", "t", 0.10, 0, multi=False),
                    replace(score("b", "t", 0.10, 0, multi=False), details=thin)], "cur")
    rows = {r.embedding: r for r in gate(cur, base).rows}
    assert rows["a"].status == "regression"
    assert rows["b"].status == "untested" and rows["b"].p_value is None
