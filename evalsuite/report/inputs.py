"""Typed inputs the report renders besides the :class:`~evalsuite.core.results.RunResult`.

The report computes no statistics. Comparisons, verdicts and across-seed summaries
are computed elsewhere (``evalsuite.analysis.compare`` / ``evalsuite.analysis.significance``) and handed
to the report as these small records. :func:`as_analysis` accepts these dataclasses,
objects with the same attribute names, or plain mappings (e.g. read back from JSON).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Iterable, Mapping


@dataclass(frozen=True)
class Comparison:
    """One paired comparison of two embeddings on one task.

    Parameters
    ----------
    task : str
        Task name (``"ws353"``, ``"google"``, ``"mr"`` ...).
    kind : str
        ``"similarity"``, ``"analogy"`` or ``"classification"``.
    a, b : str
        The compared embeddings (or groups of seeds).
    metric : str
        Name of the compared score.
    score_a, score_b : float
        The two scores.
    diff : float
        ``score_a - score_b``.
    ci95 : tuple of float or None
        95% confidence interval of ``diff``.
    test : str
        The test used, e.g. ``"paired bootstrap"``, ``"McNemar"``, ``"Welch t-test"``.
    p_value : float or None
        Uncorrected p-value.
    p_adjusted : float or None
        p-value after correction for multiple comparisons.
    correction : str or None
        The correction, e.g. ``"Holm"``.
    significant : bool
        Whether the difference is significant after correction.
    mode, model : str or None
        For classification: initialisation mode and model.
    variant : str
        For classification: model, mode and settings compared.
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
    correction: str | None = None
    significant: bool = False
    mode: str | None = None
    model: str | None = None
    variant: str = ""


@dataclass(frozen=True)
class Verdict:
    """The answer to "Word2Vec or GloVe?" for one task family.

    Parameters
    ----------
    family : str
        ``"similarity"``, ``"analogy"`` or ``"classification"``.
    winner : str or None
        Winning side (e.g. ``"GloVe"``), or None when no difference is significant.
    a, b : str
        The two sides compared (e.g. ``"Word2Vec"``, ``"GloVe"``).
    test : str
        The test used.
    p_value : float or None
        The deciding (corrected) p-value.
    correction : str or None
        Multiple-comparison correction applied.
    summary : str
        Optional sentence explaining the verdict.
    comparisons : tuple of Comparison
        The comparisons behind the verdict.
    """

    family: str
    winner: str | None
    a: str = "Word2Vec"
    b: str = "GloVe"
    test: str = ""
    p_value: float | None = None
    correction: str | None = None
    summary: str = ""
    comparisons: tuple[Comparison, ...] = ()


@dataclass(frozen=True)
class SeedSummary:
    """A score summarised across seeds for one embedding group.

    Parameters
    ----------
    task, kind, embedding : str
        Task, task kind and embedding group (the name without the seed).
    metric : str
        Summarised score.
    mean, sd : float
        Mean and standard deviation across seeds.
    n_seeds : int
        Number of seeds.
    ci95 : tuple of float or None
        Confidence interval of the mean across seeds.
    mode, model : str or None
        For classification: initialisation mode and model.
    variant : str
        For classification: model, mode and settings (``evalsuite.analysis.aggregate.variant_of``).
    """

    task: str
    kind: str
    embedding: str
    metric: str
    mean: float
    sd: float
    n_seeds: int
    ci95: tuple[float, float] | None = None
    mode: str | None = None
    model: str | None = None
    variant: str = ""


@dataclass(frozen=True)
class Analysis:
    """Everything computed about a run that the report shows next to its scores."""

    verdicts: tuple[Verdict, ...] = ()
    comparisons: tuple[Comparison, ...] = ()
    seed_summaries: tuple[SeedSummary, ...] = ()
    baseline: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """Plain dictionary (for ``comparison.json``)."""
        return asdict(self)


_ALIASES = {
    "p_value": ("p", "pvalue"),
    "p_adjusted": ("p_adj", "p_holm", "p_corrected"),
    "ci95": ("ci", "diff_ci95", "diff_ci"),
    "diff": ("difference", "delta"),
    "significant": ("is_significant",),
}


def _get(obj, name, default=None):
    for key in (name, *_ALIASES.get(name, ())):
        if isinstance(obj, Mapping):
            if key in obj:
                return obj[key]
        elif hasattr(obj, key):
            return getattr(obj, key)
    return default


def _coerce(cls, obj):
    if isinstance(obj, cls):
        return obj
    kwargs = {}
    for f in fields(cls):
        value = _get(obj, f.name, _MISSING)
        if value is _MISSING:
            continue
        if f.name == "ci95" and value is not None:
            value = (float(value[0]), float(value[1]))
        kwargs[f.name] = value
    if cls is Verdict and "comparisons" in kwargs:
        kwargs["comparisons"] = tuple(_coerce(Comparison, c) for c in kwargs["comparisons"] or ())
    return cls(**kwargs)


_MISSING = object()


def _many(cls, values: Iterable | None) -> tuple:
    return tuple(_coerce(cls, v) for v in (values or ()))


def as_analysis(obj=None) -> Analysis:
    """Normalise what callers pass as ``comparison`` into an :class:`Analysis`.

    Parameters
    ----------
    obj : Analysis, mapping, object, sequence or None
        An :class:`Analysis`; a mapping or object with ``verdicts``, ``comparisons``
        and ``seed_summaries``; a plain sequence of :class:`Verdict` /
        :class:`Comparison` records; or None.

    Returns
    -------
    Analysis
    """
    if obj is None:
        return Analysis()
    if isinstance(obj, Analysis):
        return obj
    if isinstance(obj, (list, tuple)):
        verdicts = [o for o in obj if _get(o, "family") is not None and _get(o, "task") is None]
        comps = [o for o in obj if _get(o, "task") is not None]
        return Analysis(verdicts=_many(Verdict, verdicts), comparisons=_many(Comparison, comps))
    return Analysis(
        verdicts=_many(Verdict, _get(obj, "verdicts")),
        comparisons=_many(Comparison, _get(obj, "comparisons")),
        seed_summaries=_many(SeedSummary, _get(obj, "seed_summaries")),
        baseline=_get(obj, "baseline"),
        extra=dict(_get(obj, "extra") or {}),
    )
