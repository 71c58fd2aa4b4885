"""The regression gate: did a run score significantly lower than a baseline of several seeds?

For every score of the baseline (one per embedding, task and fine-tuning variant) the gate
tests, one-sided, "the current score is lower than the baseline's by more than the margin":

- ``change = current - baseline`` (means across seeds; positive = better).
- Its standard error is ``sqrt(v * (1/m + 1/k))`` for ``m`` current and ``k`` baseline seeds,
  where ``v`` estimates the variance of one seed's score on these items. ``v`` is the largest
  of: the score's own spread across the baseline seeds; its item-level variance (the part of
  that spread due to answers on single items changing between seeds, measured by paired item
  resampling, :mod:`evalsuite.analysis.noise`); and a pooled model of the spread,
  ``a_embedding * b_task * item-level variance``: the task factor pools the embeddings of a
  task, the embedding factor pools the tasks of an embedding (so a noisy embedding does not
  borrow the small spread of quiet ones). With three seeds a score's own spread has 2 degrees
  of freedom; the model has ``1 / (1/df_task + 1/df_embedding)``, each ``df`` summing
  ``seeds - 1`` over the cells it pools (word tasks and fine-tuning are fitted apart).
- ``p = P(T_df <= (change + margin) / se)``; Holm's step-down correction across all scores
  keeps the family-wise false-alarm rate at ``level``. A drop no larger than the margin is
  never significant (its p-value is at least 0.5).

Without seed spread (a one-seed baseline) a score is tested against the items alone: the
two results' bootstrap CIs, normal reference. A baseline score missing from the run fails.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Mapping

import numpy as np
from scipy import special

from evalsuite.analysis.aggregate import SeedGroup, seed_groups
from evalsuite.analysis.noise import item_variances, table_problem
from evalsuite.analysis.significance import holm
from evalsuite.core.errors import EvalsuiteError
from evalsuite.core.results import RunResult, Variant
from evalsuite.core.runspecs import BaselineSpec

Z95 = 1.959963984540054
STATUS_LABELS = {"regression": "significant drop", "missing": "missing", "noise": "drop within noise",
                 "margin": "drop within margin", "untested": "not tested (no score, or too few items)", "ok": "no drop"}


@dataclass(frozen=True)
class GateSettings:
    """Family-wise false-alarm rate ``level`` and practical ``margin`` (absolute score units)."""

    level: float = BaselineSpec.level
    margin: float = BaselineSpec.margin

    def __post_init__(self):
        if not 0 < self.level < 1:
            raise ValueError(f"level must be in (0, 1), got {self.level}")
        if not (math.isfinite(self.margin) and self.margin >= 0):
            raise ValueError(f"margin must be >= 0, got {self.margin}")


def gate_settings(*specs: BaselineSpec | None, level: float | None = None,
                  margin: float | None = None) -> GateSettings:
    """Level and margin of the first run's ``[baseline]`` settings that has them; explicit values win.

    Parameters
    ----------
    *specs : BaselineSpec or None
        The runs' ``[baseline]`` settings (``RunResult.baseline``), in order of preference.
    level, margin : float, optional
        Values given on the command line.
    """
    spec = next((s for s in specs if s is not None), None) or BaselineSpec()
    return GateSettings(level=spec.level if level is None else level, margin=spec.margin if margin is None else margin)


# --- the baseline's noise -------------------------------------------------------------------
@dataclass(frozen=True)
class SeedNoise:
    """Estimated variance of one seed's score, its degrees of freedom and what set it."""

    var: float
    df: float
    item_var: float | None
    basis: str  # model | own | items | none


def _key(g: SeedGroup) -> tuple[str, str, str]:
    return g.embedding, g.task, g.variant.text


def _two_way(r: np.ndarray, w: np.ndarray, rounds: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """Weighted fit of ``r[e, t] ~ a[e] * b[t]`` by alternating weighted means of ratios.

    ``w`` is 0 where ``r`` is missing. Returns ``(a, b)``, ``a`` with geometric mean 1
    over its positive entries.
    """
    a = np.ones(r.shape[0])
    r = np.where(w > 0, r, 0.0)
    b, previous = np.zeros(r.shape[1]), a
    for _ in range(rounds):
        wa = w * (a[:, None] > 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            b = np.where(wa.sum(0) > 0, (wa * r / np.where(a > 0, a, 1)[:, None]).sum(0) / wa.sum(0), 0.0)
            wb = w * (b[None, :] > 0)
            a = np.where(wb.sum(1) > 0, (wb * r / np.where(b > 0, b, 1)[None, :]).sum(1) / wb.sum(1), 1.0)
        pos = a > 0
        if pos.any():
            a = a / math.exp(np.log(a[pos]).mean())
        if np.allclose(a, previous, rtol=1e-9, atol=0):
            break
        previous = a
    return a, b


def _fit_family(groups: list[SeedGroup], item_var: Mapping) -> dict:
    cells = [g for g in groups if g.n_seeds >= 2 and math.isfinite(g.sd)]
    use_items = bool(cells) and all(item_var.get(_key(g), 0) > 0 for g in cells)
    embs = sorted({g.embedding for g in cells})
    tasks = sorted({(g.task, g.variant.text) for g in cells})
    r, w = np.zeros((len(embs), len(tasks))), np.zeros((len(embs), len(tasks)))
    for g in cells:
        e, t = embs.index(g.embedding), tasks.index((g.task, g.variant.text))
        r[e, t] = g.sd**2 / (item_var[_key(g)] if use_items else 1.0)
        w[e, t] = g.n_seeds - 1
    a, b = _two_way(r, w) if cells else (np.ones(0), np.zeros(0))
    df_task, df_emb = w.sum(axis=0), w.sum(axis=1)
    out = {}
    for g in groups:
        iv = item_var.get(_key(g))
        t = tasks.index((g.task, g.variant.text)) if (g.task, g.variant.text) in tasks else None
        scale = iv if use_items else 1.0
        if t is None or df_task[t] == 0 or scale is None:
            out[_key(g)] = SeedNoise(math.nan, 0, iv, "none")
            continue
        e = embs.index(g.embedding) if g.embedding in embs else None
        a_e = a[e] if e is not None else 1.0
        # both factors are estimated: the product's degrees of freedom combine like variances
        df = df_task[t] if e is None else 1 / (1 / df_task[t] + 1 / df_emb[e])
        options = {"model": float(a_e * b[t] * scale)}
        if iv is not None:
            options["items"] = iv
        if g.n_seeds >= 2 and math.isfinite(g.sd):
            options["own"] = g.sd**2
        basis = max(options, key=options.get)
        out[_key(g)] = SeedNoise(options[basis], float(df), iv, basis)
    return out


def seed_noise(groups: list[SeedGroup], item_var: Mapping) -> dict[tuple[str, str, str], SeedNoise]:
    """:class:`SeedNoise` per score key; the model is fitted separately for word tasks
    (similarity, analogy) and fine-tuning, whose seeds drive different things."""
    out = {}
    for tuned in (False, True):
        out.update(_fit_family([g for g in groups if (g.kind == "classification") == tuned], item_var))
    return out


# --- the decision ------------------------------------------------------------------------
@dataclass(frozen=True)
class GateRow:
    """One baseline score and its test (``change``: positive = better)."""

    embedding: str
    task: str
    variant: Variant
    metric: str
    baseline: float | None
    n_seeds: int
    seed_sd: float | None
    item_sd: float | None
    current: float | None
    n_current: int
    change: float | None
    se: float | None
    df: float | None
    basis: str
    p_value: float | None
    p_holm: float | None
    status: str  # regression | missing | noise | margin | untested | ok

    @property
    def label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


@dataclass(frozen=True)
class GateReport:
    """The gate's verdict on ``run`` against ``baseline``."""

    run: str
    baseline: str
    level: float
    margin: float
    rows: tuple[GateRow, ...]
    not_in_baseline: int = 0  # scores of the run the baseline lacks (not checked)

    @property
    def failures(self) -> list[GateRow]:
        return [r for r in self.rows if r.status in ("regression", "missing")]

    @property
    def passed(self) -> bool:
        return not self.failures

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.rows)

    def to_dict(self) -> dict:
        def clean(v):
            return None if isinstance(v, float) and not math.isfinite(v) else v

        return {"run": self.run, "baseline": self.baseline, "passed": self.passed, "level": self.level,
                "margin": self.margin, "correction": "Holm", "not_in_baseline": self.not_in_baseline,
                "rows": [{k: clean(v) for k, v in {**asdict(r), "variant": r.variant.text, "label": r.label}.items()} for r in self.rows]}


def _fin(x) -> float | None:
    return float(x) if x is not None and math.isfinite(x) else None


def one_sided_p(change: float, se: float, df: float, margin: float = 0.0) -> float:
    """``P(T_df <= (change + margin) / se)``: small when the score fell by more than ``margin``.

    ``df = inf`` gives the normal distribution; ``se = 0`` gives 0 or 1 (0.5 on a tie).
    """
    x = change + margin
    if se == 0:
        return 0.0 if x < -1e-12 else (1.0 if x > 1e-12 else 0.5)
    return float(special.ndtr(x / se) if math.isinf(df) else special.stdtr(df, x / se))


def _test(g: SeedGroup, c: SeedGroup, noise: SeedNoise | None, margin: float):
    """(change, se, df, basis, p) of one score."""
    change = (c.mean - g.mean) if g.higher_is_better else (g.mean - c.mean)
    if noise is not None and noise.df > 0 and math.isfinite(noise.var):
        se = math.sqrt(noise.var * (1 / c.n_seeds + 1 / g.n_seeds))
        return change, se, noise.df, noise.basis, one_sided_p(change, se, noise.df, margin)
    hb, hc = g.item_ci_halfwidth(), c.item_ci_halfwidth()
    if hb is None or hc is None:
        return change, None, None, "none", math.nan
    se = math.hypot(hb, hc) / Z95
    return change, se, math.inf, "item CIs", one_sided_p(change, se, math.inf, margin)


class BaselineError(EvalsuiteError):
    """A baseline the gate cannot test against: empty, without a testable score, or with a bad noise table."""


def check_baseline(baseline: RunResult, name: str | None = None) -> None:
    """Raise :class:`BaselineError` (naming ``name``, default the run id) unless ``baseline`` holds at
    least one testable score (finite, on enough items) and a sound noise table."""
    name = name or baseline.run_id
    if not baseline.task_results:
        raise BaselineError(f"{name}: the baseline holds no task results: nothing to test against")
    problem = table_problem(baseline)
    if problem:
        raise BaselineError(f"{name}: {problem}")
    if not any(t.sufficient and math.isfinite(t.main_score) for t in baseline.task_results):
        raise BaselineError(f"{name}: none of the baseline's {len(baseline.task_results)} scores can be tested "
                            "(each is null or rests on too few items)")


def gate(run: RunResult, baseline: RunResult, settings: GateSettings | None = None, *,
         baseline_name: str | None = None) -> GateReport:
    """Test every baseline score of ``run`` for a drop (see the module docstring).

    Raises :class:`BaselineError` for an untestable baseline (:func:`check_baseline`).
    """
    check_baseline(baseline, baseline_name)
    settings = settings or GateSettings()
    groups = seed_groups(baseline)
    current = {_key(c): c for c in seed_groups(run)}
    item_var = item_variances(baseline, groups)
    noise = seed_noise(groups, item_var)
    tested = []
    for g in groups:
        c = current.get(_key(g))
        nz = noise.get(_key(g))
        iv = nz.item_var if nz is not None else None
        common = dict(embedding=g.embedding, task=g.task, variant=g.variant, metric=g.metric, baseline=_fin(g.mean),
                      n_seeds=g.n_seeds, seed_sd=_fin(g.sd) if g.n_seeds > 1 else None,
                      item_sd=_fin(math.sqrt(iv)) if iv is not None else None)
        if not g.sufficient or (c is not None and not c.sufficient):  # too few items: never gated
            tested.append((common, dict(current=c.mean if c else None, n_current=c.n_seeds if c else 0, change=None,
                                        se=None, df=None, basis="none", p_value=math.nan), "untested"))
            continue
        if c is None or not math.isfinite(c.mean) or not math.isfinite(g.mean):
            status = "missing" if math.isfinite(g.mean) else "untested"
            tested.append((common, dict(current=None, n_current=c.n_seeds if c else 0, change=None, se=None, df=None,
                                        basis="none", p_value=math.nan), status))
            continue
        change, se, df, basis, p = _test(g, c, nz, settings.margin)
        tested.append((common, dict(current=c.mean, n_current=c.n_seeds, change=change, se=se, df=df, basis=basis,
                                    p_value=p), None))
    adjusted = holm([t[1]["p_value"] for t in tested])
    rows = []
    for (common, test, status), p_adj in zip(tested, adjusted):
        if status is None:
            status = _status(test["change"], test["p_value"], p_adj, settings)
        rows.append(GateRow(**common, **{**test, "p_value": _fin(test["p_value"])}, p_holm=_fin(p_adj), status=status))
    return GateReport(run=run.run_id, baseline=baseline.run_id, level=settings.level, margin=settings.margin,
                      rows=tuple(rows), not_in_baseline=len(set(current) - {_key(g) for g in groups}))


def _status(change: float, p: float, p_adj: float, settings: GateSettings) -> str:
    if not math.isfinite(p):
        return "untested"
    if math.isfinite(p_adj) and p_adj <= settings.level:
        return "regression"
    if change < 0:
        return "margin" if -change <= settings.margin else "noise"
    return "ok"
