"""Word2Vec or GloVe? The family verdict, per task kind and over all tasks.

On every task (and fine-tuning variant) one Word2Vec and one GloVe embedding are
compared, on the items both cover. They are fixed before any test score is seen:

- ``named``: the config's ``[compare]`` table names them (``word2vec = "torch-sgns"``);
- ``dev`` (the default): with one embedding per family, those two; with more, each
  family's best on a seeded dev split of the dataset is tested on the held-out rest
  (:mod:`evalsuite.analysis.selection`).

p-values are Holm-corrected across the tasks of a kind (and, for the overall verdict,
across all tasks). Each task is a significant win for one side or a tie; a side is named
the winner only when it wins significantly on more than half of the compared tasks and
the other side on none. Scores marked insufficient (too few items) are left out, and the
verdict says so.
"""

from __future__ import annotations

import math
import statistics
from typing import Collection, Mapping, Sequence

from evalsuite.analysis.aggregate import seed_groups
from evalsuite.analysis.paired import ALPHA, KIND_TESTS, finish, paired_test
from evalsuite.analysis.selection import choose, dev_split, n_items
from evalsuite.analysis.types import Comparison, SeedGroup, Verdict
from evalsuite.core.families import family_of
from evalsuite.core.jsonutil import finite_or_none as _fin
from evalsuite.core.markup import literal
from evalsuite.core.results import RunResult
from evalsuite.core.runspecs import CompareSpec
from evalsuite.store.embedding_record import embedding_records

FAMILY_LABELS = {"word2vec": "Word2Vec", "glove": "GloVe"}
SIDES = ("Word2Vec", "GloVe")  # A and B of the family verdict
KINDS = ("similarity", "analogy", "classification")
SELECT_MODES = ("named", "dev")
_UNITS = {"similarity": "Spearman ρ", "analogy": "accuracy points", "classification": "accuracy points"}


def run_families(run: RunResult) -> dict[str, str]:
    """Embedding group (or name) -> family, from the run's embedding records."""
    fam = {}
    for e in embedding_records(run):
        if e.family:
            for name in (e.group, e.name):
                if name:
                    fam.setdefault(name, e.family)
    return fam


def pretrained_names(run: RunResult) -> set[str]:
    """Groups (and names) of the run's pretrained embeddings: vectors trained on another corpus."""
    return {name for e in embedding_records(run) if not e.trained for name in (e.group, e.name) if name}


def family_slots(run: RunResult, groups: Sequence[SeedGroup],
                 skip: Collection[str] = ()) -> dict[tuple, dict[str, list[SeedGroup]]]:
    """(kind, task, variant) -> family -> its seed groups (Word2Vec and GloVe only).

    Random-init fine-tuning is left out: it does not use the embedding's vectors; so are the
    embeddings in ``skip`` (the verdict skips pretrained ones not named in ``[compare]``).
    """
    families = run_families(run)
    slots: dict[tuple, dict[str, list[SeedGroup]]] = {}
    for g in groups:
        fam = families.get(g.embedding) or family_of(None, g.embedding)
        if fam in FAMILY_LABELS and math.isfinite(g.mean) and g.mode != "random" and g.embedding not in skip:
            slots.setdefault((g.kind, g.task, g.variant), {}).setdefault(fam, []).append(g)
    return dict(sorted(slots.items(), key=lambda kv: (kv[0][:2], kv[0][2].text)))


def _insufficient(g: SeedGroup) -> str:
    reason = next((r.insufficient_reason for r in g.results if not r.sufficient), "too few items")
    return f"{g.task} ({g.embedding}: {reason})"


def pick(task: str, kind: str, fams: Mapping[str, list[SeedGroup]], settings: CompareSpec):
    """``(A, B, held_out, chosen)`` for one task, or the reason (a string) it is left out.

    ``held_out`` is None when the whole dataset is used; ``chosen`` is True when a
    family had several candidates (chosen on the dev part, or by validation accuracy).
    """
    if settings.select == "named":
        pair = []
        for fam in FAMILY_LABELS:
            name = settings.representatives.get(fam)
            g = next((g for g in fams.get(fam, ()) if g.embedding == name), None)
            if g is None:
                return f"{task} (no result of {name})"
            if not g.sufficient:
                return _insufficient(g)
            pair.append(g)
        return pair[0], pair[1], None, False
    cands = []
    for fam in FAMILY_LABELS:
        everyone = fams.get(fam, [])
        usable = [g for g in everyone if g.sufficient]
        if not usable:
            return _insufficient(everyone[0]) if everyone else f"{task} (no {FAMILY_LABELS[fam]} result)"
        cands.append(usable)
    if all(len(c) == 1 for c in cands):
        return cands[0][0], cands[1][0], None, False
    dev = held = None
    if kind != "classification":  # fine-tuning chooses by validation accuracy, tests on the test set
        dev, held = dev_split(n_items(cands[0][0]), settings.dev_fraction, settings.split_seed, task)
    a, b = choose(cands[0], dev), choose(cands[1], dev)
    if a is None or b is None:
        return f"{task} (nothing to choose by on the dev part)"
    return a, b, held, True


def _oriented(c: Comparison, hib: bool) -> float | None:
    if c.diff is None or not math.isfinite(c.diff):
        return None
    return c.diff if hib else -c.diff


def difference_text(kind: str, difference: float) -> str:
    """A difference of scores, signed, in the unit its kind's scores are shown in: ``+0.289``
    (Spearman ρ), ``+8.9`` (accuracy points)."""
    return f"{difference:+.3f}" if kind == "similarity" else f"{100 * difference:+.1f}"


def median_text(kind: str, median: float) -> str:
    """A median difference in its kind's unit: ``+0.289 Spearman ρ``, ``+8.9 accuracy points``."""
    return f"{difference_text(kind, median)} {_UNITS[kind]}"


def _sentence(kind, n, wins, ties, winner, median, alpha, excluded, sides=SIDES) -> str:
    """The verdict in words: the outcome, the counts behind it, the effect and what was left out
    (``**bold**`` its one mark; names written with :func:`~evalsuite.core.markup.literal`)."""
    where = "all tasks" if kind == "overall" else kind
    a, b = sides

    def side(name):  # "1 (ws353)": the tasks are named when no winner is
        tasks = f" ({', '.join(literal(c.task) for c in wins[name])})" if wins[name] and not winner else ""
        return f"{len(wins[name])}{tasks}"

    if winner:
        head = f"**{literal(winner)}** is better on {where}."
    elif not wins[a] and not wins[b]:
        head = f"No winner on {where}: no task shows a significant difference."
    else:
        head = (f"No winner on {where}: a winner needs significant wins on more than half of the tasks "
                "and none against.")
    text = (f"{head} Significant wins (Holm-corrected across tasks, α = {alpha:g}): {literal(a)} {side(a)}, "
            f"{literal(b)} {side(b)} of {n} task(s); {ties} tie(s).")
    if median is not None and kind in _UNITS:
        text += f" Median difference {literal(a)} − {literal(b)}: {median_text(kind, median)}."
    if excluded:
        text += " Left out (too little evidence or no result): " + "; ".join(map(literal, excluded)) + "."
    return text


def decide(kind: str, comps: Sequence[Comparison], hibs: Sequence[bool], *, alpha: float = ALPHA,
           selection: str = "", excluded: Sequence[str] = (), sides: tuple[str, str] = SIDES) -> Verdict:
    """The verdict of corrected comparisons of A against B: wins, ties, winner, sentence.

    ``sides`` names A and B (two different names; default Word2Vec and GloVe, the family verdict).
    """
    a, b = sides
    wins: dict[str, list[Comparison]] = {a: [], b: []}
    for c, hib in zip(comps, hibs):
        if c.significant:
            wins[a if (c.diff > 0) == hib else b].append(c)
    n = len(comps)
    ties = n - len(wins[a]) - len(wins[b])
    winner = next((side for side, other in ((a, b), (b, a)) if 2 * len(wins[side]) > n and not wins[other]), None)
    diffs = [d for c, hib in zip(comps, hibs) if (d := _oriented(c, hib)) is not None]
    median = statistics.median(diffs) if diffs else None
    ps = [c.p_adjusted for c in comps if c.p_adjusted is not None]
    p = max(c.p_adjusted for c in wins[winner]) if winner else (min(ps) if ps else None)
    summary = _sentence(kind, n, wins, ties, winner, median, alpha, excluded, sides)
    if kind == "classification" and any(c.p_value is None for c in comps):
        summary += " Results without per-document predictions are tested across seeds, which needs two per embedding."
    test = KIND_TESTS.get(kind, "per-kind tests")
    return Verdict(kind, winner, a=a, b=b, test=test, p_value=p, summary=summary, comparisons=tuple(comps),
                   wins_a=len(wins[a]), wins_b=len(wins[b]), ties=ties, median_diff=_fin(median),
                   selection=selection, excluded=tuple(excluded))


def _describe(settings: CompareSpec, names: set, chose: bool, left_out: set) -> str:
    """How the compared embeddings were fixed, for the report."""
    if settings.select == "named":
        reps = ", ".join(f"{FAMILY_LABELS[f]} = {n}" for f, n in settings.representatives.items())
        return f"Compared embeddings named in the config's [compare] table ({reps}), fixed before any score was seen."
    if not names:
        text = ""
    elif not chose:
        text = f"One embedding per family ({', '.join(sorted(names))}): nothing was chosen, every item is used."
    else:
        text = (f"Each family's embedding was chosen per dataset on a seeded dev split ({settings.dev_fraction:.0%} "
                f"of the items, split seed {settings.split_seed}) and tested on the held-out rest; fine-tuning "
                "results were chosen by validation accuracy and tested on the test set.")
    if left_out:
        text += (f"{' ' if text else ''}Pretrained vectors ({', '.join(sorted(left_out))}) are not candidates: "
                 "trained on another corpus, they are no matched comparison (name one under [compare] to compare "
                 "it anyway).")
    return text


def verdicts(run: RunResult, *, alpha: float = ALPHA, groups: list[SeedGroup] | None = None,
             settings: CompareSpec | None = None) -> list[Verdict]:
    """Word2Vec vs GloVe per task kind, then over all tasks when more than one kind was compared.

    ``settings`` default to the run's ``[compare]`` settings (``run.compare``; the defaults without one).
    """
    groups = groups if groups is not None else seed_groups(run)
    settings = settings or run.compare or CompareSpec()
    raw: dict[str, list[tuple]] = {k: [] for k in KINDS}
    excluded: dict[str, list[str]] = {k: [] for k in KINDS}
    seen, names, chose = set(), set(), False
    # pretrained vectors, trained on another corpus, are no matched competitor unless named
    keep = set(settings.representatives.values()) if settings.select == "named" else set()
    skip = pretrained_names(run) - keep
    for (kind, task, variant), fams in family_slots(run, groups, skip).items():
        seen.add(kind)
        if kind not in raw or (len(fams) < 2 and settings.select != "named"):
            continue
        picked = pick(task, kind, fams, settings)
        if isinstance(picked, str):
            excluded[kind] += [picked] if picked not in excluded[kind] else []
            continue
        ga, gb, held, chosen = picked
        names |= {ga.embedding, gb.embedding}
        chose |= chosen
        res, sa, sb = paired_test(ga, gb, subset=held)
        raw[kind].append((dict(task=task, kind=kind, a=ga.embedding, b=gb.embedding, metric=ga.metric,
                               score_a=_fin(sa), score_b=_fin(sb), variant=variant), res, ga.higher_is_better))
    selection = _describe(settings, names, chose, {g.embedding for g in groups if g.embedding in skip})
    out = []
    for kind in KINDS:
        if raw[kind]:
            out.append(decide(kind, finish(raw[kind], alpha), [h for *_, h in raw[kind]], alpha=alpha,
                              selection=selection, excluded=excluded[kind]))
        elif kind in seen:
            why = "; ".join(excluded[kind]) or "the run lacks a Word2Vec or a GloVe embedding for these tasks"
            out.append(Verdict(kind, None, test=KIND_TESTS[kind], selection=selection,
                               excluded=tuple(excluded[kind]), summary=f"Not compared: {why}."))
    every = [r for k in KINDS for r in raw[k]]
    if sum(1 for k in KINDS if raw[k]) > 1:
        out.insert(0, decide("overall", finish(every, alpha), [h for *_, h in every], alpha=alpha,
                             selection=selection, excluded=[e for k in KINDS for e in excluded[k]]))
    return out


__all__ = ["FAMILY_LABELS", "SELECT_MODES", "decide", "family_slots", "pick", "pretrained_names",
           "run_families", "verdicts"]
