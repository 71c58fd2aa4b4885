"""Rendering of the initialisation-mode comparison (random, frozen, fine-tuned)."""

from __future__ import annotations

from collections import defaultdict
from typing import Mapping, Sequence

from .document import Callout, Heading, Paragraph, Table
from .views import fmt_p, is_number, pct

_LABEL = {"random": "random", "frozen": "frozen", "finetuned": "fine-tuned"}


def _pt(test: Mapping | None) -> str:
    if not test or not is_number(test.get("diff")):
        return "–"
    return f"{100 * test['diff']:+.1f} pt (p {fmt_p(test.get('p_value'))})"


def _span(values: Sequence[float]) -> str:
    vals = sorted(v for v in values if is_number(v))
    if not vals:
        return "–"
    return pct(vals[0]) if pct(vals[0]) == pct(vals[-1]) else f"{pct(vals[0])}–{pct(vals[-1])}"


def mode_blocks(effects: Sequence[Mapping]) -> list:
    """Per dataset and model: a table of the three modes and what explains their order."""
    blocks = []
    setups = defaultdict(list)
    for e in effects:
        setups[(e["dataset"], e["model"])].append(e)
    for (dataset, model), entries in setups.items():
        blocks.append(Heading(3, f"{dataset} / {model}: random, frozen or fine-tuned?"))
        rows = []
        for e in entries:
            acc, train = e["accuracy"], e["train_accuracy"]
            rows.append([e["embedding"], *(pct(acc.get(m)) for m in _LABEL),
                         " > ".join(_LABEL[m] for m in e["ordering"]),
                         _pt(e["tests"].get("frozen-random")), _pt(e["tests"].get("finetuned-frozen")),
                         " / ".join(pct(train.get(m)) for m in _LABEL),
                         pct(e.get("vocab_coverage"))])
        blocks.append(Table(
            ["Embedding", "Random", "Frozen", "Fine-tuned", "Order", "Frozen − random (McNemar)",
             "Fine-tuned − frozen (McNemar)", "Train acc. at best epoch (random / frozen / fine-tuned)",
             "Vocabulary with a pretrained vector"],
            rows, numeric=[False] + [True] * 3 + [False] + [True] * 4))
        blocks += _explanation(entries)
    return blocks


def _explanation(entries: Sequence[Mapping]) -> list:
    judged = [e for e in entries if e.get("expected_order_holds") is not None]
    if not judged:
        return []
    holds = [e for e in judged if e["expected_order_holds"]]
    text = (f"Kim (2014) found fine-tuned ≥ frozen > random on MR, with a CNN over 300-dimensional "
            f"vectors trained on about 100 billion words of news. Here that order holds for "
            f"{len(holds)} of {len(judged)} embeddings.")
    out = [Callout("verdict" if len(holds) == len(judged) else "neutral", text)]
    frozen_lost = [e for e in judged if e["accuracy"]["frozen"] <= e["accuracy"]["random"]]
    if frozen_lost:
        gaps = [e["gap_at_best"].get("frozen") for e in frozen_lost]
        out.append(Paragraph(
            f"Frozen vectors do no better than random initialisation for "
            f"{', '.join(e['embedding'] for e in frozen_lost)}. With random initialisation the "
            f"classifier learns a vector for every word from the task itself; with the frozen "
            f"vectors it fits its own training set only to "
            f"{_span([e['train_accuracy'].get('frozen') for e in frozen_lost])} at the best epoch, "
            f"against {_span([e['train_accuracy'].get('random') for e in frozen_lost])} with random "
            f"initialisation, and its train − validation gap is only {_span(gaps)}: the frozen vectors "
            f"underfit the task rather than overfit it. "
            f"{_span([e.get('vocab_coverage') for e in frozen_lost])} of the classifier's vocabulary "
            f"has a pretrained vector; the other words keep small random vectors that frozen mode "
            f"never trains."))
    tuned_lost = [e for e in judged if e["accuracy"]["finetuned"] < e["accuracy"]["frozen"]]
    if tuned_lost:
        out.append(Paragraph(
            f"Fine-tuning does worse than frozen vectors for {', '.join(e['embedding'] for e in tuned_lost)}: "
            f"the train − validation gap at the best epoch is "
            f"{_span([e['gap_at_best'].get('finetuned') for e in tuned_lost])} fine-tuned against "
            f"{_span([e['gap_at_best'].get('frozen') for e in tuned_lost])} frozen, so the "
            f"fine-tuned vectors overfit the training set."))
    return out
