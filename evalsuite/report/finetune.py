"""The fine-tuning section: accuracy table, overfitting, drift, curves, leak flags."""

from __future__ import annotations

from collections import defaultdict

from evalsuite.analysis.aggregate import at_base, base_values, is_number, study_of, swept_params
from evalsuite.analysis.types import Analysis, SeedGroup
from evalsuite.core.results import RunResult, TaskResult
from . import training_plots
from .compact import compact
from .finetune_modes import mode_blocks
from .finetune_regularization import regularization_blocks
from .document import Callout, Details, Figure, Heading, Marked, Paragraph, Table, fold
from .views import by_kind, fmt, fmt_ci, fmt_spread, params_text, run_colors

MODE_ORDER = {"random": 0, "frozen": 1, "static": 1, "probe": 1, "finetuned": 2, "fine-tuned": 2,
              "finetune": 2, "non-static": 2}


def _d(t: TaskResult, key, default=None):
    return t.details.get(key, default)


def _setting(g: SeedGroup, swept) -> tuple:
    settings = g.variant.settings_dict
    return tuple(settings.get(k) for k in swept)


def _mode_key(mode) -> tuple:
    return (MODE_ORDER.get(str(mode).lower(), 9), str(mode))


def _mean(g: SeedGroup, measure: str):
    s = g.measures.get(measure)
    return None if s is None else s.mean


def finetune_blocks(run: RunResult, analysis: Analysis):
    """Report blocks for the classification (fine-tuning) results of ``run``."""
    results = by_kind(run, "classification")
    if not results:
        return []
    blocks = [Heading(2, "Fine-tuning: text classification"),
              Paragraph(Marked("Each embedding initialises the embedding layer of a classifier: "
                        "**random** (rand: the embedding gives only the dimension and the scale), "
                        "**frozen** (static: the vectors stay fixed, the rest trains) or "
                        "**fine-tuned** (non-static). For the bag model the frozen case is the "
                        "**probe**: logistic regression on the standardised mean vector, fitted to "
                        "convergence. Test accuracy is taken at the best validation epoch (the last "
                        "one without early stopping); mean ± sd over seeds. Gap = train − validation "
                        "accuracy; drift = mean ‖Δv‖ of the word vectors training updated (words in "
                        "training documents)."))]
    blocks += _leaks(results)
    summaries = [s for s in analysis.seed_summaries if s.kind == "classification"]
    colors = run_colors(run)
    for task in dict.fromkeys(study_of(t) for t in results):
        rs = [t for t in results if study_of(t) == task]
        groups = [g for g in summaries if study_of(g) == task]
        swept = swept_params(rs)
        blocks.append(Heading(3, f"{task}"))
        base = base_values(rs, swept)
        lc = _learning_panels([t for t in rs if at_base(t, base)])
        if lc:  # overfitting at a glance: train and validation per epoch, a panel per mode
            blocks.append(Figure(f"learning_curves_{_slug(task)}.png",
                                 training_plots.learning_curves(lc, colors=colors),
                                 f"{task}: learning curves, lowest seed"
                                 + (f", at {params_text(base)}" if base else "")))
        for param in swept:  # the effect of each swept regularizer on accuracy and on the gap
            blocks.append(Figure(
                f"regularization_{_slug(task)}_{_slug(param)}.png",
                training_plots.regularization_curves(param, _effect_series(groups, param, base), colors=colors),
                f"{task}: effect of {param} on test accuracy and on the train − validation "
                f"gap at the scored epoch (mean ± sd over seeds" + _others_note(rs, base, param) + ")"))
        more = list(compact(_table(groups, swept), keep=1, empty_reasons=_REASONS))
        for param in swept:  # a panel per setting, so that its effect on overfitting shows
            lc = _learning_panels([t for t in rs if param in t.key.variant.settings_dict
                                   and at_base(t, base, skip=param)], param)
            others = others_of(base, param)
            note = f"; {params_text(others)}" if others else ""
            if lc:
                more.append(Figure(f"learning_curves_{_slug(task)}_{_slug(param)}.png",
                                   training_plots.learning_curves(lc, colors=colors),
                                   f"{task}: learning curves per {param}, lowest seed{note}"))
        blocks.append(Details(f"{task}: accuracy, overfitting and drift per embedding and mode ({len(groups)} rows)"
                              + (", learning curves per setting" if swept else ""), tuple(more)))
    blocks += fold(_drift_note(results) + mode_blocks(analysis.mode_effects),
                   "Tables behind Kim's order: accuracy per mode, tests across folds, overfitting")
    blocks += fold(regularization_blocks(analysis.regularization),
                   "Tables of the regularization effects")
    # the tests between embeddings are those of the classification verdict ("Evidence for the verdict")
    return blocks


_REASONS = {"95% CI": "one seed: no CI"}


def _others_note(rs, base, param) -> str:
    others = others_of(base, param)
    if not others:
        return ""
    return f"; other settings at their {'shared base' if _one_at_a_time(rs) else 'smallest value'}: {params_text(others)}"


def _one_at_a_time(rs) -> bool:
    return any((_d(t, "sweep") or {}).get("kind") == "one_at_a_time" for t in rs)


def others_of(base, param) -> dict:
    return {k: v for k, v in base.items() if k != param}


def _leaks(results):
    seen, blocks = set(), []
    for t in results:
        leak = _d(t, "leak")
        if leak and (t.task, t.key.embedding, leak) not in seen:
            seen.add((t.task, t.key.embedding, leak))
            blocks.append(Callout(
                "warning",
                f"embedding {t.key.embedding} was trained on text that includes documents of the "
                f"{t.task} classification data, so its {t.task} accuracy may be optimistic. "
                f"{leak}"))
    return blocks


def _table(groups: list[SeedGroup], swept) -> Table:
    """A row per seed group: the accuracy, overfitting and drift summaries of the analysis."""
    rows = []
    show_unseen = _unseen_moves([t for g in groups for t in g.results])
    order = sorted(groups, key=lambda g: (g.embedding, _mode_key(g.mode or "–"), str(g.model or "–"),
                                          str(_setting(g, swept))))
    for g in order:
        drift = [_d(t, "drift") or {} for t in g.results]
        row = [g.embedding, str(g.mode or "–"), str(g.model or "–")]
        if swept:
            row.append(params_text(dict(zip(swept, _setting(g, swept)))))
        row += [fmt_spread(g.measures.get("score"), percent=True),
                str(g.n_seeds),
                fmt_ci(g.ci95, percent=True),
                fmt(_mean(g, "best_epoch"), 1),
                fmt_spread(g.measures.get("gap_at_best"), percent=True),
                fmt_spread(g.measures.get("gap_at_last"), percent=True),
                fmt(_mean(g, "epochs_past_best"), 1),
                fmt(_mean(g, "val_loss_rise"), 3),
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
    values = [d[key] for d in drifts if is_number(d.get(key))]
    return fmt(sum(values) / len(values), 3) if values else "–"


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
    for t in sorted(rs, key=lambda t: (t.key.seed is None, t.key.seed or 0)):
        variant = t.key.variant
        value = variant.settings_dict.get(param) if param else None
        first.setdefault((variant.model or "–", variant.mode or "–", value, t.key.embedding), t)
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


def _effect_series(groups: list[SeedGroup], param, base):
    """Accuracy and gap (mean, sd over seeds) against ``param``, a line per embedding and mode."""
    models = {g.model for g in groups}
    cells, lines = defaultdict(dict), {}
    for g in groups:
        if param not in g.variant.settings_dict or not at_base(g, base, skip=param):
            continue  # a mode without this setting (the probe has no weight decay) is not in its sweep
        panel = f"{g.mode}" + (f" / {g.model}" if len(models) > 1 else "")  # a row of panels per mode
        label = f"{g.embedding} / {panel}"
        cells[label].setdefault(float(g.variant.settings_dict[param]), g)
        lines[label] = {"embedding": g.embedding, "panel": panel}
    series = {}
    for label, by_x in cells.items():
        xs = sorted(by_x)
        acc = [by_x[x].measures["score"] for x in xs]
        gap = [by_x[x].measures["gap_at_best"] for x in xs]
        series[label] = {**lines[label], "x": xs, "acc": [a.mean for a in acc], "acc_sd": [a.sd for a in acc],
                         "gap": [g.mean for g in gap], "gap_sd": [g.sd for g in gap]}
    return series


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in str(text).lower()).strip("_") or "x"
