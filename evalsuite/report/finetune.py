"""The fine-tuning section: accuracy table, overfitting, drift, curves, leak flags."""

from __future__ import annotations

import json
from collections import defaultdict

from evalsuite.analysis.aggregate import at_base, base_values, is_number, swept_params
from evalsuite.core.results import RunResult, TaskResult
from . import plots
from .comparisons import comparison_table
from .finetune_modes import mode_blocks
from .finetune_regularization import regularization_blocks
from .document import Callout, Figure, Heading, Paragraph, Table
from .inputs import Analysis
from .views import by_kind, fmt, fmt_ci, fmt_mean_sd, group_of, mean_sd, params_text

MODE_ORDER = {"random": 0, "frozen": 1, "static": 1, "probe": 1, "finetuned": 2, "fine-tuned": 2,
              "finetune": 2, "non-static": 2}


def _d(t: TaskResult, key, default=None):
    return t.details.get(key, default)


def _setting(t: TaskResult, swept) -> tuple:
    params = _d(t, "params") or {}
    return tuple(params.get(k) for k in swept)


def setup_of(t: TaskResult) -> str:
    """The task name without its swept settings (``mr/bag/finetuned[dropout=0.5]`` ->
    ``mr/bag/finetuned``): results of one sweep share it, and are shown together."""
    return t.task.split("[", 1)[0]


def _mode_key(mode) -> tuple:
    return (MODE_ORDER.get(str(mode).lower(), 9), str(mode))


def finetune_blocks(run: RunResult, analysis: Analysis):
    """Report blocks for the classification (fine-tuning) results of ``run``."""
    results = by_kind(run, "classification")
    if not results:
        return []
    blocks = [Heading(2, "Fine-tuning: text classification"),
              Paragraph("Each embedding initialises the embedding layer of a classifier: "
                        "**random** (rand: the embedding gives only the dimension and the scale), "
                        "**frozen** (static: the vectors stay fixed, the rest trains) or "
                        "**fine-tuned** (non-static). For the bag model the frozen case is the "
                        "**probe**: logistic regression on the standardised mean vector, fitted to "
                        "convergence. Test accuracy is taken at the best validation epoch (the last "
                        "one without early stopping); mean ± sd over seeds. Gap = train − validation "
                        "accuracy; drift = mean ‖Δv‖ of the word vectors training updated (words in "
                        "training documents).")]
    blocks += _leaks(results)
    for task in dict.fromkeys(setup_of(t) for t in results):
        rs = [t for t in results if setup_of(t) == task]
        swept = swept_params(rs)
        blocks.append(Heading(3, f"{task}"))
        blocks.append(_table(rs, swept, analysis))
        base = base_values(rs, swept)
        lc = _learning_panels(rs) if not swept else {}
        if lc:
            blocks.append(Figure(f"learning_curves_{_slug(task)}.png", plots.learning_curves(lc),
                                 f"{task}: learning curves, lowest seed"))
        for param in swept:  # a panel per setting, so that its effect on overfitting shows
            lc = _learning_panels([t for t in rs if at_base(t, base, skip=param)], param)
            others = {k: v for k, v in base.items() if k != param}
            note = f"; {params_text(others)}" if others else ""
            if lc:
                blocks.append(Figure(f"learning_curves_{_slug(task)}_{_slug(param)}.png",
                                     plots.learning_curves(lc),
                                     f"{task}: learning curves per {param}, lowest seed{note}"))
        for param in swept:
            series = _effect_series(rs, param, base)
            blocks.append(Figure(
                f"regularization_{_slug(task)}_{_slug(param)}.png",
                plots.regularization_curves(param, series),
                f"{task}: effect of {param} on test accuracy and on the train − validation "
                f"gap at the scored epoch (mean ± sd over seeds; other settings at their "
                f"{'shared base' if _one_at_a_time(rs) else 'smallest value'}: {params_text(others_of(base, param))})"))
    blocks += _drift_note(results)
    blocks += mode_blocks(analysis.extra.get("mode_effects") or ())
    blocks += regularization_blocks(analysis.extra.get("regularization") or ())
    comps = [c for c in analysis.comparisons if c.kind == "classification"]
    if comps:
        blocks.append(Heading(3, "Differences between embeddings"))
        blocks.append(comparison_table(comps))
    return blocks


def _one_at_a_time(rs) -> bool:
    return any((_d(t, "sweep") or {}).get("kind") == "one_at_a_time" for t in rs)


def others_of(base, param) -> dict:
    return {k: v for k, v in base.items() if k != param}


def _leaks(results):
    seen, blocks = set(), []
    for t in results:
        leak = _d(t, "leak")
        if leak and (t.task, group_of(t), leak) not in seen:
            seen.add((t.task, group_of(t), leak))
            blocks.append(Callout(
                "warning",
                f"embedding {group_of(t)} was trained on text that includes documents of the "
                f"{t.task} classification data, so its {t.task} accuracy may be optimistic. "
                f"{leak}"))
    return blocks


def _variant(t: TaskResult) -> str:
    """Same key as ``evalsuite.analysis.aggregate.variant_of`` (model, mode, settings)."""
    parts = [f"{k}={_d(t, k)}" for k in ("model", "mode") if _d(t, k) is not None]
    if _d(t, "params"):
        parts.append(json.dumps(_d(t, "params"), sort_keys=True, default=str))
    return " ".join(parts)


def _table(rs, swept, analysis: Analysis) -> Table:
    groups = defaultdict(list)
    for t in rs:
        groups[(group_of(t), _d(t, "mode", "–"), _d(t, "model", "–"), _setting(t, swept))].append(t)
    summaries = {(s.task, s.embedding, s.variant): s for s in analysis.seed_summaries
                 if s.kind == "classification"}
    rows = []
    show_unseen = _unseen_moves(rs)
    for key in sorted(groups, key=lambda k: (k[0], _mode_key(k[1]), str(k[2]), str(k[3]))):
        emb, mode, model, setting = key
        ts = groups[key]
        over = [_d(t, "overfit") or {} for t in ts]
        drift = [_d(t, "drift") or {} for t in ts]
        summary = summaries.get((ts[0].task, emb, _variant(ts[0])))
        row = [emb, str(mode), str(model)]
        if swept:
            row.append(params_text(dict(zip(swept, setting))))
        row += [fmt_mean_sd([t.main_score for t in ts], percent=True),
                str(len(ts)),
                fmt_ci(summary.ci95, percent=True) if summary else "–",
                fmt(mean_sd(_d(t, "best_epoch") for t in ts)[0], 1),
                fmt_mean_sd([o.get("gap_at_best") for o in over], percent=True),
                fmt_mean_sd([o.get("gap_at_last") for o in over], percent=True),
                fmt(mean_sd(o.get("epochs_past_best") for o in over)[0], 1),
                fmt(mean_sd(o.get("val_loss_rise") for o in over)[0], 3),
                _drift_cell(drift, "seen")]
        if show_unseen:
            row.append(_drift_cell(drift, "unseen"))
        rows.append(row)
    headers = ["Embedding", "Mode", "Model"] + (["Setting"] if swept else []) + [
        "Test accuracy", "Seeds", "95% CI", "Best epoch", "Gap at best", "Gap at last",
        "Epochs past best", "Val loss rise", "Drift of updated rows"] + (
        ["Drift of untouched rows"] if show_unseen else [])
    numeric = [False] * (4 if swept else 3) + [True] * (10 if show_unseen else 9)
    return Table(headers, rows, numeric=numeric)


def _unseen_moves(rs) -> bool:
    """Whether any result's untouched rows could move (else their drift is 0 by construction)."""
    return any(not (_d(t, "drift") or {}).get("unseen_zero", False) for t in rs)


def _drift_cell(drifts, key) -> str:
    if drifts and all(d.get(f"{key}_zero") for d in drifts):
        return "0 (fixed)"
    return fmt(mean_sd(d.get(key) for d in drifts)[0], 3)


def _drift_note(results):
    if _unseen_moves(results):
        return []
    return [Paragraph("Rows of words that occur in no training document are never looked up in training; with "
                      "lazy updates (the default) nothing else moves them, so their drift is 0 by construction "
                      "and no column shows it. \"0 (fixed)\" marks vectors that are frozen by construction.")]


def _learning_panels(rs, param: str | None = None):
    """Curves of the lowest seed: a panel per model and mode (and value of ``param``),
    a line per embedding."""
    first = {}
    for t in sorted(rs, key=lambda t: (_d(t, "seed") is None, _d(t, "seed") or 0)):
        value = (_d(t, "params") or {}).get(param) if param else None
        first.setdefault((_d(t, "model", "–"), _d(t, "mode", "–"), value, group_of(t)), t)
    panels = defaultdict(dict)
    order = sorted(first.items(), key=lambda kv: (str(kv[0][0]), _mode_key(kv[0][1]), _number(kv[0][2])))
    for (model, mode, value, emb), t in order:
        curves = _d(t, "curves") or {}
        if not curves.get("epoch"):
            continue
        title = f"{model} / {mode}" + (f" / {params_text({param: value})}" if param else "")
        panels[title][emb] = curves
    return dict(panels)


def _number(value) -> float:
    return float(value) if is_number(value) else float("inf")


def _effect_series(rs, param, base):
    models = {_d(t, "model") for t in rs}
    cells = defaultdict(lambda: defaultdict(list))
    for t in rs:
        if not at_base(t, base, skip=param):
            continue
        label = f"{group_of(t)} / {_d(t, 'mode')}" + (f" / {_d(t, 'model')}" if len(models) > 1 else "")
        cells[label][float(_d(t, "params")[param])].append(t)
    series = {}
    for label, by_x in cells.items():
        xs = sorted(by_x)
        acc = [mean_sd(t.main_score for t in by_x[x]) for x in xs]
        gap = [mean_sd((_d(t, "overfit") or {}).get("gap_at_best") for t in by_x[x]) for x in xs]
        series[label] = {"x": xs, "acc": [a[0] for a in acc], "acc_sd": [a[1] for a in acc],
                         "gap": [g[0] for g in gap], "gap_sd": [g[1] for g in gap]}
    return series


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in str(text).lower()).strip("_") or "x"
