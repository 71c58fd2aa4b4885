"""Rendering of the initialisation-mode comparison (random, frozen / static, fine-tuned / non-static)."""

from __future__ import annotations

from typing import Mapping, Sequence

from .document import Callout, Heading, Paragraph, Table
from .views import fmt_diff_test, fmt_mean_sd, group_entries, is_number, pct

_MODES = ("random", "frozen", "finetuned")
_LABELS = {"cnn": {"random": "CNN-rand", "frozen": "CNN-static", "finetuned": "CNN-non-static"},
           "bag": {"random": "random", "frozen": "frozen", "finetuned": "fine-tuned"}}
_PAIRS = (("frozen", "random"), ("finetuned", "frozen"), ("finetuned", "random"))
#: Kim (2014), Table 2, MR: CNN over 300-d word2vec trained on about 100 billion words of Google News
KIM_MR = {"random": 0.761, "frozen": 0.810, "finetuned": 0.815}
_VERDICT = {"holds": "holds", "fails": "fails", "not shown": "not shown"}


def _labels(model: str) -> dict:
    return _LABELS.get(model, _LABELS["bag"])


def _mean_sd(e: Mapping, mode: str) -> str:
    return fmt_mean_sd(e["accuracy"].get(mode), (e.get("accuracy_sd") or {}).get(mode))


def _span(values: Sequence[float], fmt=pct) -> str:
    vals = sorted(v for v in values if is_number(v))
    if not vals:
        return "–"
    return fmt(vals[0]) if fmt(vals[0]) == fmt(vals[-1]) else f"{fmt(vals[0])}–{fmt(vals[-1])}"


def _runs_text(e: Mapping) -> str:
    folds, seeds = e.get("folds") or 0, e.get("seeds") or 1
    if folds:
        return f"{folds} folds" + (f" × {seeds} seeds" if seeds > 1 else "")
    return f"{seeds} seed{'s' if seeds != 1 else ''}"


def mode_blocks(effects: Sequence[Mapping]) -> list:
    """Per dataset and model: the modes with the tests, Kim's table on MR, and what explains the order."""
    blocks = []
    for (dataset, model), entries in group_entries(effects, "dataset", "model").items():
        labels = _labels(model)
        modes = [m for m in _MODES if any(m in e["accuracy"] for e in entries)]
        pairs = [(a, b) for a, b in _PAIRS if a in modes and b in modes]
        probe = any(e.get("probe") for e in entries)
        names = [labels[m] for m in modes]
        blocks.append(Heading(3, f"{dataset} / {model}: " + ", ".join(names[:-1]) + f" or {names[-1]}?"))
        rows = []
        for e in entries:
            row = [e["embedding"], *(_mean_sd(e, m) for m in modes)]
            if probe:
                p = e.get("probe") or {}
                row.append(_mean_sd({"accuracy": {"p": p.get("accuracy")}, "accuracy_sd": {"p": p.get("accuracy_sd")}},
                                    "p"))
            row += [fmt_diff_test(e["tests"].get(f"{a}-{b}")) for a, b in pairs]
            row += ([_VERDICT.get(e.get("verdict"), "–")] if len(modes) == 3 else []) + [pct(e.get("token_coverage"))]
            rows.append(row)
        headers = (["Embedding"] + [f"{labels[m]} (%)" for m in modes] + (["Linear probe (%)"] if probe else [])
                   + [f"{labels[a]} − {labels[b]}" for a, b in pairs]
                   + (["rand < static ≤ non-static"] if len(modes) == 3 else []) + ["Tokens with a pretrained vector"])
        numeric = [not h.startswith(("Embedding", "rand <")) for h in headers]
        blocks.append(Table(headers, rows, numeric=numeric))
        blocks.append(Paragraph(_method_note(entries, len(pairs), probe, judged=len(modes) == 3)))
        if model == "cnn" and dataset == "mr" and len(modes) == 3:
            blocks.append(_kim_table(entries))
        blocks.append(_measures_table(entries, modes, labels))
        blocks += _explanation(entries, modes, labels)
    return blocks


def _method_note(entries, n_pairs: int, probe: bool, *, judged: bool) -> str:
    e = entries[0]
    n = max((t.get("n") or 0 for x in entries for t in x["tests"].values()), default=0)
    text = (f"Accuracy: mean ± sd over the {_runs_text(e)} (one training each). Differences in points, tested on "
            f"the {n:,} test documents, each counted once: ")
    text += ("McNemar's test on the pooled out-of-fold predictions" if (e.get("seeds") or 1) == 1 else
             "sign test of each document's correctness averaged over the seeds")
    text += f"; p-values Holm-corrected over the {n_pairs * len(entries)} mode comparisons of this table."
    if judged:
        text += (" The order is judged with these tests: it holds when static beats rand significantly and "
                 "non-static is not significantly below static, fails when either is significantly reversed, and "
                 "is not shown otherwise.")
    if probe:
        text += (" The linear probe is logistic regression (L-BFGS, to convergence, its L2 strength chosen on the "
                 "validation documents) on the standardised mean of the frozen pretrained vectors: what the vectors "
                 "hold linearly, reported beside the modes and not one of them.")
    return text


def _kim_table(entries) -> Table:
    headers = ["Model", "Kim (2014): word2vec 300-d, ~100B words of news"] + [e["embedding"] for e in entries]
    rows = [[_labels("cnn")[m], pct(KIM_MR[m])] + [_mean_sd(e, m) + "%" if is_number(e["accuracy"].get(m)) else "–"
                                                    for e in entries] for m in _MODES]
    return Table(headers, rows, numeric=[False] + [True] * (len(headers) - 1))


def _drift_text(d: Mapping) -> str:
    if not d or d.get("seen_zero"):
        return "0 (fixed)"
    return f"{d['seen']:.3f}" if is_number(d.get("seen")) else "–"


def _measures_table(entries, modes, labels) -> Table:
    rows = []
    for e in entries:
        for m in modes:
            cap = e.get("epoch_cap")
            rows.append([e["embedding"], labels[m], pct(e["train_accuracy"].get(m)), pct(e["gap_at_best"].get(m)),
                         f"{e['epochs_run'].get(m):.1f}" if is_number(e["epochs_run"].get(m)) else "–",
                         f"{e['best_epoch'].get(m):.1f}" if is_number(e["best_epoch"].get(m)) else "–",
                         str(cap) if cap else "–", _drift_text(e["drift"].get(m) or {})])
    return Table(["Embedding", "Mode", "Train acc. at best epoch", "Train − val gap at best", "Epochs run",
                  "Best epoch", "Epoch cap", "Drift of updated rows (mean ‖Δv‖)"],
                 rows, numeric=[False, False] + [True] * 6)


def order_sentence(entries: Sequence[Mapping]) -> tuple[str, str] | None:
    """(callout kind, whether Kim's order holds, by embedding) for one dataset and model; None
    when no embedding ran all three modes."""
    judged = [e for e in entries if e.get("verdict")]
    if not judged:
        return None
    holds = [e["embedding"] for e in judged if e["verdict"] == "holds"]
    fails = [e["embedding"] for e in judged if e["verdict"] == "fails"]
    text = ("Kim (2014) found CNN-rand < CNN-static ≤ CNN-non-static on MR. With paired tests on the test "
            f"documents (Holm), the order holds for {len(holds)} of {len(judged)} embeddings"
            + (f" ({', '.join(holds)})" if holds else ""))
    text += f", fails for {len(fails)}" + (f" ({', '.join(fails)})" if fails else "")
    rest = len(judged) - len(holds) - len(fails)
    text += f" and is not shown for {rest}." if rest else "."
    return ("verdict" if len(holds) == len(judged) else "neutral"), text


def _explanation(entries, modes, labels) -> list:
    out = []
    if (order := order_sentence(entries)) is not None:
        out.append(Callout(*order))
    out += [Paragraph(p) for p in _reasons(entries, modes, labels)]
    if (rand := _rand_note(entries, modes, labels)):
        out.append(Paragraph(rand))
    out.append(Paragraph(_drift_note(entries, modes)))
    return out


def _reasons(entries, modes, labels) -> list[str]:
    out = []
    for e in entries:
        if e.get("probe") and "frozen" not in modes:
            p = e["probe"]
            probe = _mean_sd({"accuracy": {"p": p.get("accuracy")}, "accuracy_sd": {"p": p.get("accuracy_sd")}}, "p")
            out.append(f"{e['embedding']}: the linear probe on the frozen vectors reaches {probe}%, against "
                       + " and ".join(f"{labels[m]} {_mean_sd(e, m)}%" for m in modes)
                       + "; Kim's order needs a static mode, which this model does not have.")
        acc, train, gap = e["accuracy"], e["train_accuracy"], e["gap_at_best"]
        if "frozen" in modes and "random" in modes and is_number(acc.get("frozen")) and is_number(acc.get("random")):
            words = ", ".join(f"{w if w.isprintable() else ascii(w)} ({n})"
                              for w, n in (e.get("uncovered_tokens") or [])[:6])
            out.append(
                f"{e['embedding']}: {labels['frozen']} {_mean_sd(e, 'frozen')}% against {labels['random']} "
                f"{_mean_sd(e, 'random')}%. At the best epoch the static model fits its training documents to "
                f"{pct(train.get('frozen'))} (gap {pct(gap.get('frozen'))}), rand to {pct(train.get('random'))} "
                f"(gap {pct(gap.get('random'))}). {pct(e.get('token_coverage'))} of the classifier's tokens have a "
                f"pretrained vector; the others start from random vectors that static mode never trains"
                + (f" (the most frequent: {words})." if words else "."))
        if "finetuned" in modes and "frozen" in modes and is_number(acc.get("finetuned")):
            out.append(f"{e['embedding']}: fine-tuning the vectors moves accuracy by "
                       f"{fmt_diff_test(e['tests'].get('finetuned-frozen'))} over static; its gap at the best epoch is "
                       f"{pct(gap.get('finetuned'))} against {pct(gap.get('frozen'))}.")
        capped = [labels[m] for m in modes if is_number(e["best_epoch"].get(m)) and e.get("epoch_cap")
                  and e["best_epoch"][m] >= e["epoch_cap"] - 0.5]
        if capped:
            out.append(f"{e['embedding']}: {', '.join(capped)} reached its best validation score at the last "
                       f"allowed epoch ({e['epoch_cap']}) on average, so more epochs may still help it.")
    return out


def _rand_note(entries, modes, labels) -> str | None:
    """What the random mode takes from each embedding: only the bound of its random vectors."""
    bounds = [(e["embedding"], e.get("init_bound"), e["accuracy"].get("random")) for e in entries]
    bounds = [(name, a, acc) for name, a, acc in bounds if is_number(a) and is_number(acc)]
    if "random" not in modes or len(bounds) < 2:
        return None
    listed = "; ".join(f"{name}: a = {a:.3f}, {pct(acc)}" for name, a, acc in bounds)
    return (f"{labels['random']} takes nothing from an embedding but its dimension and the bound a of the "
            "U[−a, a] random vectors, matched to the embedding's variance (a = √3 · sd); at the same seed and "
            "dimension every word starts from the same direction, scaled by a. Its accuracies differ only through "
            f"these two: {listed}.")


def _drift_note(entries, modes) -> str:
    untouched = [d for e in entries for m in modes if (d := e["drift"].get(m)) and not d.get("seen_zero")]
    text = ("Drift is the mean distance a word vector moved between the start and the best epoch, over the rows "
            "that training updated (words in training documents). Frozen (static) vectors and the probe's do not "
            "move: 0 by construction.")
    if untouched and all(d.get("unseen_zero") for d in untouched):
        text += (" Rows of words that occur in no training document are never looked up, and the lazy update "
                 "touches only looked-up rows, so their drift is 0 by construction and is not shown.")
    elif untouched:
        vals = [d.get("unseen") for d in untouched if not d.get("unseen_zero")]
        text += (f" Rows of words in no training document moved by {_span(vals, lambda v: f'{v:.3f}')} on average "
                 "(through weight decay or penalties on the whole matrix, not through their own gradient).")
    return text
