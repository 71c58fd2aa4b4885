"""What the report says: builds the :class:`~evalsuite.report.document.Document` of a run."""

from __future__ import annotations

import json
from collections import defaultdict

from evalsuite.analysis.types import Analysis
from evalsuite.core.results import RunResult
from . import score_plots, training_plots
from .answer import KIND_TITLES, answer_blocks
from .compact import compact
from evalsuite.core.markup import literal

from .document import Callout, Code, Details, Document, Figure, Heading, Marked, Paragraph, Table
from .finetune import finetune_blocks
from .matched import sensitivity_blocks, settings_blocks
from .comparisons import comparison_table, verdict_sentence
from .views import (
    by_kind, coverage, embedding_entry, embedding_names, fmt, fmt_ci, fmt_rate, is_number, params_text, pct,
    run_colors,
)



def build_document(run: RunResult, analysis: Analysis) -> Document:
    """All sections of the report, figures rendered: the answer and the scoreboard first
    (the first screen), then each section with its tables and figures on demand."""
    blocks = answer_blocks(run, analysis)
    lead = len(blocks)
    blocks += _evidence(analysis)
    blocks += sensitivity_blocks(analysis)
    blocks += settings_blocks(analysis)
    blocks += _similarity(run)
    blocks += _analogy(run)
    blocks += _seeds(analysis)
    blocks += _training(run)
    blocks += finetune_blocks(run, analysis)
    blocks += _provenance(run, analysis)
    return Document(title=f"evalsuite report: {run.name}", blocks=tuple(blocks), lead=lead)


def _evidence(analysis: Analysis):
    """The tests behind each verdict, and any other comparison, on demand (each shown once: the
    overall verdict re-tests the comparisons of the task kinds)."""
    listed = {id(c) for v in analysis.verdicts for c in v.comparisons}
    other = [c for c in analysis.comparisons if id(c) not in listed]
    if not any(v.comparisons for v in analysis.verdicts) and not other:
        return []  # nothing was tested; the answer says why
    blocks = [Heading(2, "Evidence for the verdict")]
    selection = next((v.selection for v in analysis.verdicts if v.selection), "")
    if selection:
        blocks.append(Paragraph(selection))
    inner = []
    for v in analysis.verdicts:
        kind, text = verdict_sentence(v)
        inner += [Heading(3, KIND_TITLES.get(v.kind, v.kind.capitalize())), Callout(kind, text)]
        if v.comparisons and v.kind != "overall":
            inner += compact(comparison_table(v.comparisons))
    if other:
        inner += [Heading(3, "Other comparisons"),
                  Paragraph("A difference counts as a win only when it is significant after correction for "
                            "multiple comparisons."), *compact(comparison_table(other))]
    n = sum(len(v.comparisons) for v in analysis.verdicts if v.kind != "overall") + len(other)
    blocks.append(Details(f"Each verdict in full and its {n} paired tests", tuple(inner)))
    return blocks


def _similarity(run: RunResult):
    results = sorted(by_kind(run, "similarity"), key=lambda t: (t.task, t.embedding))
    if not results:
        return []
    weak = any(not t.sufficient for t in results)  # an "Evidence" column, and such rows greyed
    rows = [[t.task, t.embedding, fmt(t.main_score), fmt_ci(t.ci95),
             fmt(t.scores.get("pearson")), coverage(t)] + ([f"insufficient: {t.insufficient_reason}"
                                                            if not t.sufficient else "ok"] if weak else [])
            for t in results]
    datasets = list(dict.fromkeys(t.task for t in results))
    embs = [e for e in embedding_names(run) if any(t.embedding == e for t in results)]
    scores = defaultdict(dict)
    for t in results:
        scores[t.embedding][t.task] = (t.main_score, t.ci95)
    table = Table(["Dataset", "Embedding", "Spearman ρ", "95% CI", "Pearson r", "Coverage"]
                  + (["Evidence"] if weak else []), rows, numeric=[False, False, True, True, True, True],
                  muted=[not t.sufficient for t in results])
    return [
        Heading(2, "Word similarity"),
        Paragraph("Spearman ρ between cosine similarity and human judgement, with a bootstrap "
                  "95% CI over pairs; coverage is the share of pairs with both words in the "
                  "vocabulary (pairs are scored on covered items only)."
                  + (" A score on too few pairs (greyed, with the reason) is shown but left out of the "
                     "verdicts and of the regression gate." if weak else "")),
        Details(f"Scores with confidence intervals: a figure and a table of {len(rows)} rows",
                (Figure("similarity.png", score_plots.similarity_scores(datasets, embs, scores, colors=run_colors(run)),
                        "Spearman ρ per dataset with 95% confidence intervals"),
                 *compact(table, keep=2))),
    ]


def _analogy(run: RunResult):
    results = sorted(by_kind(run, "analogy"), key=lambda t: (t.task, t.embedding))
    if not results:
        return []
    rows = []
    for t in results:
        by_type = t.details.get("families", {})  # semantic / syntactic sections together
        rows.append([t.task, t.embedding, pct(t.scores.get("accuracy", t.main_score)),
                     pct(t.scores.get("accuracy_all")), pct(t.scores.get("accuracy_3cosmul")),
                     pct(t.scores.get("accuracy_3cosmul_all")),
                     pct(by_type.get("semantic", {}).get("accuracy")),
                     pct(by_type.get("syntactic", {}).get("accuracy")), coverage(t),
                     str(t.details.get("n_candidates", "–"))])
    inner = compact(Table(["Dataset", "Embedding", "3CosAdd", "3CosAdd (all)", "3CosMul", "3CosMul (all)",
                           "Semantic", "Syntactic", "Coverage", "Candidates"], rows,
                          numeric=[False, False] + [True] * 8), keep=2)
    for task in dict.fromkeys(t.task for t in results):
        rs = [t for t in results if t.task == task]
        sections = list(dict.fromkeys(s for t in rs for s in t.details.get("sections", {})))
        if not sections:
            continue
        values = [[t.details["sections"].get(s, {}).get("accuracy") for s in sections] for t in rs]
        inner.append(Figure(f"analogy_{_slug(task)}.png",
                            score_plots.analogy_heatmap([t.embedding for t in rs], sections, values, title=task),
                            f"{task}: 3CosAdd accuracy (%) per relation over covered questions"))
    return [Heading(2, "Word analogy"),
            Paragraph("Accuracy of 3CosAdd (and 3CosMul) over covered questions and over all "
                      "questions (uncovered ones count as wrong); semantic / syntactic are 3CosAdd "
                      "over covered questions; candidates are the most frequent words searched."),
            Details(f"Accuracies ({len(rows)} rows) and a heatmap per relation", tuple(inner))]


def _seeds(analysis: Analysis):
    rows = []
    for s in analysis.seed_summaries:
        if s.kind == "classification" or s.n_seeds < 2:
            continue
        percent = s.kind == "analogy"
        ms = (f"{100 * s.mean:.1f} ± {100 * s.sd:.1f}%" if percent
              else f"{s.mean:.3f} ± {s.sd:.3f}")
        rows.append([s.task, s.embedding, s.metric, ms, str(s.n_seeds), fmt_ci(s.ci95, percent=percent)])
    if not rows:
        return []
    return [Heading(2, "Across seeds"),
            Paragraph("Mean ± standard deviation of the main score over training seeds."),
            Details(f"{len(rows)} scores across seeds",
                    tuple(compact(Table(["Task", "Embedding", "Score", "Mean ± sd", "Seeds", "95% CI"], rows,
                                        numeric=[False, False, False, True, True, True]), keep=2)))]


def _training(run: RunResult):
    rows, curves, panels = [], {}, {}
    labels, rates, units, secs = [], [], [], []
    for name in embedding_names(run):
        meta = embedding_entry(run, name)
        if not meta:
            continue
        history = list(meta.get("history") or ())
        rate = meta.get("items_per_second")
        unit = meta.get("unit") or next((h.get("unit") for h in history if h.get("unit")), "")
        if rate is None and history:
            rate = history[-1].get("items_per_second")
        params = meta.get("params") or {}
        rows.append([name, str(meta.get("trainer", "pretrained")), str(meta.get("seed", "–")),
                     str(len(history)) if history else "–",
                     fmt(history[-1].get("loss"), 4) if history else "–",
                     f"{fmt_rate(rate)} {unit}/s".strip() if is_number(rate) else "–",
                     fmt(meta.get("train_seconds"), 1), params_text(params)])
        if history:
            curves[name] = {"epoch": [h.get("epoch", i + 1) for i, h in enumerate(history)],
                            "loss": [h.get("loss") for h in history]}
            panels[name] = str(meta.get("trainer", ""))
        if meta.get("trainer"):
            labels.append(name)
            rates.append(rate)
            units.append(unit)
            secs.append(meta.get("train_seconds"))
    if not rows:
        return []
    blocks = compact(Table(["Embedding", "Trainer", "Seed", "Epochs", "Final loss", "Throughput",
                            "Train time (s)", "Parameters"], rows,
                           numeric=[False, False, True, True, True, True, True, False]))
    if curves:
        blocks.append(Figure("training_loss.png", training_plots.loss_curves(curves, panels=panels, colors=run_colors(run)),
                             "Training loss per epoch (one panel per trainer: objectives differ)"))
    if labels:
        blocks.append(Figure("throughput.png", score_plots.throughput_bars(labels, rates, units, secs,
                                                                 colors=run_colors(run)),
                             "Training throughput (items per second, unit per trainer) and time"))
    total = sum(x for x in secs if is_number(x))
    return [Heading(2, "Training"),
            Paragraph(f"{len(rows)} embedding{'s' if len(rows) != 1 else ''}"
                      + (f", {total:.0f} s of training in all" if total else "") + "."),
            Details("Loss, throughput and parameters of each training", tuple(blocks))]


def _run_info(run: RunResult, analysis: Analysis):
    kinds = sorted({t.kind for t in run.task_results})
    rows = [
        ["Run", run.name], ["Run id", run.run_id], ["Created", run.created or "–"],
        ["Wall time", f"{run.wall_time:.1f} s" if is_number(run.wall_time) else "–"],
        ["Config hash", run.config_hash or "–"],
        ["Embeddings", str(len(embedding_names(run)))],
        ["Tasks", ", ".join(sorted({t.task for t in run.task_results})) or "–"],
        ["Task kinds", ", ".join(kinds) or "–"],
    ]
    if analysis.baseline:
        rows.append(["Compared with", analysis.baseline])
    return [Table(["", ""], rows)]


def _provenance(run: RunResult, analysis: Analysis):
    blocks = _run_info(run, analysis)
    protocol = run.provenance.get("protocol") or next(
        (t.protocol for t in run.task_results if t.protocol), {})
    if protocol:
        flat = _flatten(protocol)
        blocks.append(Table(["Protocol setting", "Value"], [[k, str(v)] for k, v in flat.items()]))
    versions = run.provenance.get("packages") or run.provenance.get("package_versions") or {}
    if versions:
        blocks.append(Table(["Package", "Version"], [[k, str(v)] for k, v in versions.items()]))
    machine = run.provenance.get("machine") or {}
    if machine:
        blocks.append(Table(["Machine", ""], [[k, str(v)] for k, v in machine.items()]))
    checks = {}
    for t in run.task_results:
        sha = t.provenance.get("dataset_sha256") or t.provenance.get("sha256")
        if sha:
            checks.setdefault(t.task, sha)
    for name, sha in (run.provenance.get("datasets") or {}).items():
        checks.setdefault(name, sha.get("sha256") if isinstance(sha, dict) else sha)
    if checks:
        blocks.append(Table(["Dataset", "sha256"], [[k, Marked(f"`{literal(v)}`")] for k, v in sorted(checks.items())]))
    if run.config:
        blocks.append(Code(json.dumps(run.config, indent=2, sort_keys=True, default=str), "json",
                           summary=f"Configuration (hash {run.config_hash or '–'})"))
    return [Heading(2, "Protocol and provenance"),
            Details("The run, the evaluation protocol, package versions, machine, dataset checksums and "
                    "the configuration", tuple(blocks))]


def _flatten(d, prefix=""):
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(_flatten(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text.lower()).strip("_") or "x"


__all__ = ["build_document"]
