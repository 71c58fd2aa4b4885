"""Rendering of a one-at-a-time regularization sweep: effects against "off", tested, and the answer."""

from __future__ import annotations

from collections import defaultdict
from typing import Mapping, Sequence

from .document import Callout, Heading, Paragraph, Table
from .views import fmt_diff_test, fmt_mean_sd, is_number

_NAMES = {"dropout": "dropout", "weight_decay": "weight decay", "l1": "L1", "l2_sp": "L2-SP",
          "max_norm": "max-norm", "early_stopping": "early stopping", "embedding_max_norm": "embedding max-norm"}


def value_text(param: str, value) -> str:
    """A strength as written in the report: ``none`` for max-norm 0, ``on`` / ``off`` for early stopping."""
    if param == "early_stopping":
        return "on" if value else "off"
    if param in ("max_norm", "embedding_max_norm") and not value:
        return "none"
    return f"{value:g}" if is_number(value) else str(value)


def regularization_blocks(effects: Sequence[Mapping]) -> list:
    """Per setup and embedding: every strength against the regularizer switched off, and the answer."""
    if not effects:
        return []
    blocks = []
    groups = defaultdict(list)
    for e in effects:
        groups[(e["setup"], e["embedding"])].append(e)
    for (setup, emb), entries in groups.items():
        blocks.append(Heading(3, f"{setup} with {emb}: which regularizers reduce overfitting without costing accuracy?"))
        rows = [[_NAMES.get(e["param"], e["param"]), value_text(e["param"], e["value"]),
                 fmt_mean_sd(e["accuracy"], e["accuracy_sd"]), fmt_mean_sd(e["gap"], e["gap_sd"]),
                 fmt_diff_test(e["acc_test"]), fmt_diff_test(e["gap_test"]), e["verdict"] or "(off: the reference)"]
                for e in entries]
        blocks.append(Table(["Regularizer", "Strength", "Test accuracy (%)", "Train − val gap (pt)",
                             "Accuracy vs off", "Gap vs off", "Verdict"],
                            rows, numeric=[False, False, True, True, True, True, False]))
        seeds = max(e["seeds"] for e in entries)
        blocks.append(Paragraph(
            f"Every row but the reference trains one regularizer at the strength shown with the others at the shared "
            f"base, and is compared with the same regularizer off (strength 0, max-norm none, early stopping off). "
            f"Mean ± sd over {seeds} seeds. Accuracy: each test document once, its correctness averaged over the "
            f"seeds, sign test (McNemar with one seed). Gap (train − validation accuracy at the scored epoch): "
            f"paired t-test over the seeds. Each family of p-values is Holm-corrected over all "
            f"{sum(1 for e in entries if e['acc_test'])} comparisons. \"helps\": the gap is significantly smaller "
            f"and accuracy not significantly lower."))
        blocks.append(Callout("verdict", answer(entries)))
    return blocks


def answer(entries: Sequence[Mapping]) -> str:
    """The sentence that answers the study's question from the verdicts."""
    def item(e):
        return (f"{_NAMES.get(e['param'], e['param'])} {value_text(e['param'], e['value'])} "
                f"(gap {100 * e['gap_test']['diff']:+.1f} pt, accuracy {100 * e['acc_test']['diff']:+.1f} pt)")

    tested = [e for e in entries if e["verdict"]]
    helps = [item(e) for e in tested if e["verdict"] == "helps"]
    costs = [item(e) for e in tested if e["verdict"] == "costs accuracy"]
    hurts = [item(e) for e in tested if e["verdict"] == "hurts"]
    text = (f"Of {len(tested)} regularizer settings tested against the regularizer off, "
            f"{len(helps)} reduce the train − validation gap significantly without a significant loss of accuracy"
            + (f": {'; '.join(helps)}." if helps else "."))
    if costs:
        text += f" {len(costs)} reduce it at a significant cost in accuracy: {'; '.join(costs)}."
    if hurts:
        text += f" {len(hurts)} lower accuracy without reducing the gap: {'; '.join(hurts)}."
    rest = len(tested) - len(helps) - len(costs) - len(hurts)
    if rest:
        text += f" The other {rest} change neither significantly."
    return text
