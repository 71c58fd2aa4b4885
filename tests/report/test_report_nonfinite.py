"""Non-finite numbers reaching the figures (a damaged cache entry's NaN rows, an inf score) are
drawn as missing, never a crash."""

import math

from evalsuite.analysis.compare import analyze
from evalsuite.core.results import ResultKey, RunResult, TaskResult
from evalsuite.report import score_plots, training_plots, write_report

INF, NAN = math.inf, math.nan
PNG = b"\x89PNG"


def test_score_figures_draw_non_finite_values_as_missing():
    scores = {"a": {"ws": (0.34, (-0.27, 0.32)), "men": (INF, (0.1, 0.2))},  # a score beyond its CI (NaN rows)
              "b": {"ws": (NAN, (NAN, INF)), "men": (0.5, (-INF, INF))}}
    assert score_plots.similarity_scores(["ws", "men"], ["a", "b"], scores).startswith(PNG)
    assert score_plots.analogy_heatmap(["a"], ["s1", "s2"], [[INF, -INF]]).startswith(PNG)
    assert score_plots.difference_heatmap(["t"], ["x", "y"], [[INF, 0.1]], [[False, True]]).startswith(PNG)
    assert score_plots.throughput_bars(["a", "b"], [INF, 10.0], ["words", "words"], [NAN, INF]).startswith(PNG)


def test_training_figures_draw_non_finite_values_as_missing():
    records = [{"embedding": "a", "x": [0.1, 1.0], "acc": [INF, 0.5], "acc_sd": [-INF, NAN],
                "gap": [0.1, NAN], "gap_sd": [INF, 0.0]}]
    assert training_plots.regularizer_effect("weight_decay", records).startswith(PNG)
    curves = {"a": {"epoch": [1, 2], "loss": [INF, NAN]}}
    assert training_plots.loss_curves(curves).startswith(PNG)


def test_a_report_with_inf_and_nan_scores_is_written(tmp_path):
    def result(emb, score, ci):
        return TaskResult(task="ws", kind="similarity", embedding=emb, main_score=score, scores={"spearman": score},
                          n_items=30, n_scored=30, ci95=ci, main_score_name="spearman", key=ResultKey(emb, 0),
                          details={"sufficient": True})

    run = RunResult(run_id="r", name="r", task_results=(result("a", 0.34, (-0.27, 0.32)), result("b", INF, (0.1, 0.2)),
                                                        result("c", NAN, (NAN, INF))))
    paths = write_report(run, tmp_path, analyze(run))
    assert (paths["plots"] / "similarity.png").read_bytes().startswith(PNG)
