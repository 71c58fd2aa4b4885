"""What analysis hands to the report: across-seed summaries, comparisons, verdicts.

These are the only definitions of these records; :mod:`evalsuite.analysis` builds them
and :mod:`evalsuite.report` renders them as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping

from evalsuite.core.jsonutil import json_safe
from evalsuite.core.results import ResultKey, TaskResult, Variant

if TYPE_CHECKING:  # they build on these records
    from evalsuite.analysis.scoreboard import Scoreboard
    from evalsuite.analysis.sensitivity import Sensitivity


@dataclass(frozen=True)
class Spread:
    """Mean and sample standard deviation of a quantity over seeds.

    Parameters
    ----------
    mean : float
        Mean of the finite values (NaN when there is none).
    sd : float
        Sample standard deviation (0 for one value, NaN for none).
    n : int
        Number of finite values.
    """

    mean: float
    sd: float
    n: int


@dataclass(frozen=True)
class SeedGroup:
    """The results of one configuration on one task, one per seed, and their summary.

    Parameters
    ----------
    key : ResultKey
        Embedding group and variant shared by the results (its seed is None).
    task, kind : str
        Task name and task kind (``"similarity"``, ``"analogy"``, ``"classification"``).
    metric : str
        The summarised (main) score.
    mean, sd : float
        Mean and standard deviation of the score across seeds (sd 0 for one seed).
    n_seeds : int
        Number of results.
    ci95 : tuple of float or None
        95% t-interval of the mean (two or more seeds).
    higher_is_better : bool
        Direction of the score.
    results : tuple of TaskResult
        The results, by seed.
    measures : mapping of str to Spread
        ``"score"`` (the main score over its finite values) and, for fine-tuning,
        ``"best_epoch"``, ``"gap_at_best"``, ``"gap_at_last"``, ``"epochs_past_best"``,
        ``"val_loss_rise"``, ``"drift_seen"`` and ``"drift_unseen"``.
    """

    key: ResultKey
    task: str
    kind: str
    metric: str
    mean: float
    sd: float
    n_seeds: int
    ci95: tuple[float, float] | None = None
    higher_is_better: bool = True
    results: tuple[TaskResult, ...] = ()
    measures: Mapping[str, Spread] = field(default_factory=dict)

    @property
    def embedding(self) -> str:
        return self.key.embedding

    @property
    def variant(self) -> Variant:
        return self.key.variant

    @property
    def mode(self) -> str | None:
        return self.key.variant.mode

    @property
    def model(self) -> str | None:
        return self.key.variant.model

    @property
    def sufficient(self) -> bool:
        """False when any of the results rests on too little evidence (``TaskResult.sufficient``)."""
        return all(r.sufficient for r in self.results)

    def item_ci_halfwidth(self) -> float | None:
        """Mean half-width of the per-result (item bootstrap) CIs, when they exist."""
        widths = [(r.ci95[1] - r.ci95[0]) / 2 for r in self.results if r.ci95 and None not in r.ci95]
        return sum(widths) / len(widths) if widths else None

    def to_dict(self) -> dict:
        return json_safe({"task": self.task, "kind": self.kind, "embedding": self.embedding, "metric": self.metric,
                          "mean": self.mean, "sd": self.sd, "n_seeds": self.n_seeds, "ci95": self.ci95,
                          "mode": self.mode, "model": self.model, "variant": self.variant.text})


@dataclass(frozen=True)
class Comparison:
    """One test of A against B on one task.

    Parameters
    ----------
    task, kind : str
        Task name and task kind.
    a, b : str
        The compared embeddings (or seed groups).
    metric : str
        Name of the compared score.
    score_a, score_b : float
        The two scores (on the items both cover).
    diff : float
        ``score_a - score_b``.
    ci95 : tuple of float or None
        95% confidence interval of ``diff``.
    test : str
        The test, e.g. ``"paired bootstrap"``, ``"McNemar"``, ``"Welch t-test"``.
    p_value, p_adjusted : float or None
        p-value before and after correction for multiple comparisons.
    correction : str or None
        The correction, e.g. ``"Holm"``.
    significant : bool
        Whether the difference is significant after correction.
    n : int
        Paired items (or seeds) the test used.
    variant : Variant
        For fine-tuning: the classifier, mode and settings compared.
    """

    task: str
    kind: str
    a: str
    b: str
    metric: str
    score_a: float
    score_b: float
    diff: float
    ci95: tuple[float, float] | None = None
    test: str = ""
    p_value: float | None = None
    p_adjusted: float | None = None
    correction: str | None = "Holm"
    significant: bool = False
    n: int = 0
    variant: Variant = Variant()

    @property
    def mode(self) -> str | None:
        return self.variant.mode

    @property
    def model(self) -> str | None:
        return self.variant.model

    def to_dict(self) -> dict:
        return json_safe({"task": self.task, "kind": self.kind, "a": self.a, "b": self.b, "metric": self.metric,
                          "score_a": self.score_a, "score_b": self.score_b, "diff": self.diff, "ci95": self.ci95,
                          "test": self.test, "p_value": self.p_value, "p_adjusted": self.p_adjusted,
                          "correction": self.correction, "significant": self.significant, "mode": self.mode,
                          "model": self.model, "n": self.n, "variant": self.variant.text})


@dataclass(frozen=True)
class Verdict:
    """The answer to "Word2Vec or GloVe?" for one task kind, or over all tasks.

    Parameters
    ----------
    kind : str
        Task kind: ``"similarity"``, ``"analogy"``, ``"classification"``, or ``"overall"``.
    winner : str or None
        Winning side (e.g. ``"GloVe"``), or None when the corrected evidence does not
        decide it.
    a, b : str
        The two sides compared.
    test : str
        The test used.
    p_value : float or None
        The deciding (corrected) p-value.
    correction : str or None
        Multiple-comparison correction applied.
    summary : str
        The verdict in full sentences (counts, ties, effect sizes, what was left out).
    comparisons : tuple of Comparison
        The comparisons behind the verdict.
    wins_a, wins_b, ties : int
        Tasks on which A, or B, is significantly better after correction, and the rest.
    median_diff : float or None
        Median of A − B over the compared tasks, oriented so that positive favours A.
    selection : str
        How the two compared embeddings were fixed before any test score was seen.
    excluded : tuple of str
        Tasks left out, each with the reason (e.g. too few scored pairs).
    """

    kind: str
    winner: str | None
    a: str = "Word2Vec"
    b: str = "GloVe"
    test: str = ""
    p_value: float | None = None
    correction: str | None = "Holm"
    summary: str = ""
    comparisons: tuple[Comparison, ...] = ()
    wins_a: int = 0
    wins_b: int = 0
    ties: int = 0
    median_diff: float | None = None
    selection: str = ""
    excluded: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return json_safe({"kind": self.kind, "winner": self.winner, "a": self.a, "b": self.b, "test": self.test,
                          "p_value": self.p_value, "correction": self.correction, "summary": self.summary,
                          "wins_a": self.wins_a, "wins_b": self.wins_b, "ties": self.ties,
                          "median_diff": self.median_diff, "selection": self.selection,
                          "excluded": list(self.excluded),
                          "comparisons": [c.to_dict() for c in self.comparisons]})


@dataclass(frozen=True)
class SettingRow:
    """One trainer parameter across the embeddings of a run.

    Parameters
    ----------
    param : str
    values : tuple
        The resolved value per embedding (None where the trainer lacks the parameter).
    highlighted : tuple of bool
        Per embedding: the value breaks a setting that should be matched.
    matched : bool
        Whether the parameter is one that a fair comparison holds equal.
    swept : bool
        The parameter is varied on purpose (a sweep of the config).
    declared : str or None
        The reason the config gives for a difference in this parameter.
    """

    param: str
    values: tuple[Any, ...]
    highlighted: tuple[bool, ...]
    matched: bool = False
    swept: bool = False
    declared: str | None = None

    @property
    def differs(self) -> bool:
        return any(self.highlighted)


@dataclass(frozen=True)
class SettingsTable:
    """Every embedding's resolved trainer parameters, with the broken matches marked.

    Parameters
    ----------
    embeddings, trainers, families : tuple of str
        Columns: embedding group, its trainer and its family.
    rows : tuple of SettingRow
    declared : mapping of str to str
        The differences the config declares, parameter -> reason.
    """

    embeddings: tuple[str, ...]
    trainers: tuple[str, ...]
    families: tuple[str, ...]
    rows: tuple[SettingRow, ...]
    declared: Mapping[str, str] = field(default_factory=dict)

    @property
    def undeclared(self) -> tuple[str, ...]:
        """Matched parameters whose values differ without a declared reason."""
        return tuple(r.param for r in self.rows if r.differs and not r.declared)

    def to_dict(self) -> dict:
        return json_safe({"embeddings": self.embeddings, "trainers": self.trainers, "families": self.families,
                          "declared": dict(self.declared), "undeclared": list(self.undeclared),
                          "rows": [{"param": r.param, "values": list(r.values), "highlighted": list(r.highlighted),
                                    "matched": r.matched, "swept": r.swept, "declared": r.declared}
                                   for r in self.rows]})


@dataclass(frozen=True)
class RunPair:
    """The two runs of a run-versus-run comparison.

    Parameters
    ----------
    run, baseline_run : str
        The ids of the run compared (A) and of the run it is compared with (B).
    only_in_run : tuple of (str, str)
        The (embedding, task) pairs only A has.
    mismatches : tuple of str
        What makes the two runs not strictly comparable, when the comparison was allowed anyway.
    """

    run: str
    baseline_run: str
    only_in_run: tuple[tuple[str, str], ...] = ()
    mismatches: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        d = {"run": self.run, "baseline_run": self.baseline_run, "only_in_run": [list(x) for x in self.only_in_run]}
        if self.mismatches:
            d["mismatches"] = list(self.mismatches)
        return d


@dataclass(frozen=True)
class Analysis:
    """Everything computed about a run that the report shows next to its scores.

    Parameters
    ----------
    verdicts : tuple of Verdict
        Word2Vec or GloVe, per task kind.
    comparisons : tuple of Comparison
        Every comparison made (those of the verdicts included).
    seed_summaries : tuple of SeedGroup
        One per (embedding group, task, variant).
    baseline : str or None
        The run compared with, for a run-vs-run comparison.
    mode_effects : tuple of dict
        Fine-tuning accuracy per initialisation mode (:func:`evalsuite.analysis.mode_effects.mode_effects`).
    regularization : tuple of dict
        Effects of the regularization sweeps
        (:func:`evalsuite.analysis.regularization.regularization_effects`).
    runs : RunPair or None
        The two runs, for a run-vs-run comparison.
    settings : SettingsTable or None
        The embeddings' resolved parameters, matched settings checked.
    sensitivity : evalsuite.analysis.sensitivity.Sensitivity or None
        The verdict at each point of a hyperparameter grid (``[compare] grid = true``).
    scoreboard : evalsuite.analysis.scoreboard.Scoreboard or None
        Embeddings × tasks, ranked per task (:mod:`evalsuite.analysis.scoreboard`).
    """

    verdicts: tuple[Verdict, ...] = ()
    comparisons: tuple[Comparison, ...] = ()
    seed_summaries: tuple[SeedGroup, ...] = ()
    baseline: str | None = None
    mode_effects: tuple[Mapping[str, Any], ...] = ()
    regularization: tuple[Mapping[str, Any], ...] = ()
    runs: RunPair | None = None
    settings: SettingsTable | None = None
    sensitivity: Sensitivity | None = None
    scoreboard: Scoreboard | None = None

    def extra(self) -> dict:
        """The further tables as ``comparison.json`` keeps them (under ``"extra"``)."""
        extra: dict[str, Any] = {}
        if self.mode_effects:
            extra["mode_effects"] = list(self.mode_effects)
        if self.regularization:
            extra["regularization"] = list(self.regularization)
        return {**extra, **(self.runs.to_dict() if self.runs else {})}

    def to_dict(self) -> dict:
        """Plain-JSON dictionary (``comparison.json``)."""
        return json_safe({
            "verdicts": [v.to_dict() for v in self.verdicts],
            "comparisons": [c.to_dict() for c in self.comparisons],
            "seed_summaries": [s.to_dict() for s in self.seed_summaries],
            "baseline": self.baseline,
            "extra": self.extra(),
            "settings": self.settings.to_dict() if self.settings else None,
            "sensitivity": self.sensitivity.to_dict() if self.sensitivity else None,
            "scoreboard": self.scoreboard.to_dict() if self.scoreboard else None,
        })


__all__ = ["Analysis", "Comparison", "RunPair", "SeedGroup", "SettingRow", "SettingsTable",
           "Spread", "Verdict"]
