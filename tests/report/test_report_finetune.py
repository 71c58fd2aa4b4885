"""Learning-curve panels of the fine-tuning section."""

from dataclasses import replace

from evalsuite.report.finetune import _learning_panels

MODES = ("random", "frozen", "finetuned")


def classification_results(run_result):
    return [t for t in run_result.task_results if t.kind == "classification"]


def test_a_sweep_gets_a_panel_per_setting(run_result):
    # the fixture sweeps weight_decay over 0, 1e-4, 1e-3 for three modes, two embeddings, three seeds
    panels = _learning_panels(classification_results(run_result), "weight_decay")
    assert list(panels) == [f"bag / {mode} / weight_decay={wd}" for mode in MODES for wd in ("0", "0.0001", "0.001")]
    assert all(set(lines) == {"sgns", "glove"} for lines in panels.values())


def test_without_a_sweep_one_panel_per_model_and_mode_from_the_lowest_seed(run_result):
    results = [t for t in classification_results(run_result) if t.details["params"]["weight_decay"] == 0]
    # mark each result's curves with its seed: the panel must show seed 0's
    marked = [replace(t, details={**t.details, "curves": {**t.details["curves"], "val_acc": [t.details["seed"]] * 3}})
              for t in reversed(results)]
    panels = _learning_panels(marked)
    assert list(panels) == [f"bag / {mode}" for mode in MODES]
    assert all(c["val_acc"] == [0, 0, 0] for lines in panels.values() for c in lines.values())
