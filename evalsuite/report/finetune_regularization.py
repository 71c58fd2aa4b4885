"""Rendering of a one-at-a-time regularization sweep: effects against "off", tested, and the answer."""

from __future__ import annotations

from typing import Mapping, Sequence

from .document import Callout, Heading, Paragraph, Table
from .views import fmt_diff_test, fmt_mean_sd, group_entries, is_number

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
    for (setup, emb), entries in group_entries(effects, "setup", "embedding").items():
        blocks.append(Heading(3, f"{setup} with {emb}: which regularizers reduce overfitting without costing accuracy?"))
        rows = [[_NAMES.get(e["param"], e["param"]), value_text(e["param"], e["value"]),
                 fmt_mean_sd(e["accuracy"], e["accuracy_sd"]), fmt_mean_sd(e["gap"], e["gap_sd"]),
                 fmt_diff_test(e["acc_test"]), fmt_diff_test(e["gap_test"]), _verdict_text(e)]
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


def _setting_text(e: Mapping) -> str:
    """``dropout 0.5``, ``max-norm none``: a regularizer at the strength of entry ``e``."""
    return f"{_NAMES.get(e['param'], e['param'])} {value_text(e['param'], e['value'])}"


def _verdict_text(e: Mapping) -> str:
    if not e["verdict"]:
        return "(off: the reference)"
    return e["verdict"] + (" (identical runs)" if e.get("identical") else "")


def _points(x: float) -> str:
    return f"{100 * x:+.1f}".replace("-", "−") + " pt"


def answer(entries: Sequence[Mapping]) -> str:
    """The sentence that answers the study's question from the verdicts."""
    def item(e):
        return (f"{_setting_text(e)} (gap {_points(e['gap_test']['diff'])}, "
                f"accuracy {_points(e['acc_test']['diff'])})")

    def count(items, one, many):
        return f"{len(items)} {one if len(items) == 1 else many}"

    tested = [e for e in entries if e["verdict"]]
    helps = [item(e) for e in tested if e["verdict"] == "helps"]
    costs = [item(e) for e in tested if e["verdict"] == "costs accuracy"]
    hurts = [item(e) for e in tested if e["verdict"] == "hurts"]
    plural = "s" if len(tested) != 1 else ""
    text = (f"Of {len(tested)} regularizer setting{plural} tested against the regularizer off, "
            f"{count(helps, 'reduces', 'reduce')} the train − validation gap significantly without a significant "
            "loss of accuracy" + (f": {'; '.join(helps)}." if helps else "."))
    if costs:
        text += f" {count(costs, 'reduces', 'reduce')} it at a significant cost in accuracy: {'; '.join(costs)}."
    if hurts:
        text += (f" {count(hurts, 'lowers', 'lower')} accuracy without a significant reduction of the gap: "
                 f"{'; '.join(hurts)}.")
    rest = [e for e in tested if e["verdict"] == "no effect"]
    if rest:
        text += f" The other {len(rest)} change{'s' if len(rest) == 1 else ''} neither significantly"
        same = [_setting_text(e) for e in rest if e.get("identical")]
        text += (f"; {', '.join(same)} trained exactly as with the regularizer off (the same curves and "
                 "predictions in every seed: it never changed a weight)." if same else ".")
    return text
