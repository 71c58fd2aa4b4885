"""The ``[finetune]`` settings: validation, expansion of list values into a sweep, and running it."""

from __future__ import annotations

import itertools
import numbers
from typing import Mapping, Sequence

from evalsuite.data.datasets.classification import load_classification_dataset
from evalsuite.core.errors import ConfigError
from evalsuite.core.progress import progress
from evalsuite.core.registry import suggest
from evalsuite.core.results import TaskResult
from evalsuite.evaluate.classification.parallel import run_jobs
from evalsuite.evaluate.classification.task import DATA_DEFAULTS, ClassificationTask, prepare, task_name
from evalsuite.evaluate.classification.train import TRAIN_DEFAULTS

MODE_ALIASES = {"random": "random", "rand": "random", "frozen": "frozen", "static": "frozen",
                "finetuned": "finetuned", "fine-tuned": "finetuned", "non-static": "finetuned",
                "nonstatic": "finetuned", "probe": "probe"}
AXES = {"datasets": ("dataset", ["mr"]), "models": ("model", ["bag"]),
        "modes": ("mode", ["random", "frozen", "finetuned"])}
#: settings that act only on a trained embedding (collapsed to their default in frozen mode)
EMBEDDING_ONLY = ("l1", "l1_target", "l2_sp", "embedding_max_norm", "embedding_update")
#: settings of the whole fine-tuning run, not of one training
RUN_KEYS = ("workers", "sweep")
DATA_KEYS = tuple(DATA_DEFAULTS) + ("text_column", "label_column")


def _num(lo=None, hi=None, *, integer=False, none_ok=False, lo_open=False):
    def check(key, v):
        if v is None and none_ok:
            return None
        if isinstance(v, bool) or not isinstance(v, numbers.Real) or (integer and not isinstance(v, numbers.Integral)):
            raise ConfigError(f"finetune.{key}: expected {'an integer' if integer else 'a number'}, got {v!r}")
        if lo is not None and (v < lo or (lo_open and v == lo)):
            raise ConfigError(f"finetune.{key}: must be {'>' if lo_open else '>='} {lo}, got {v!r}")
        if hi is not None and v > hi:
            raise ConfigError(f"finetune.{key}: must be <= {hi}, got {v!r}")
        return int(v) if integer else float(v)
    return check


def _choice(*options):
    def check(key, v):
        if v not in options:
            raise ConfigError(f"finetune.{key}: {v!r} is not one of {', '.join(map(str, options))}"
                              f"{suggest(str(v), options)}")
        return v
    return check


def _str(key, v):
    if not isinstance(v, str) or not v:
        raise ConfigError(f"finetune.{key}: expected a non-empty string, got {v!r}")
    return v


def _widths(key, v):
    if not isinstance(v, (list, tuple)) or not v or not all(isinstance(w, int) and not isinstance(w, bool) and w >= 1
                                                            for w in v):
        raise ConfigError(f"finetune.{key}: expected a list of filter widths (positive integers), got {v!r}")
    return tuple(v)


def _bool(key, v):
    if not isinstance(v, bool):
        raise ConfigError(f"finetune.{key}: expected true or false, got {v!r}")
    return v


def _scale(key, v):
    return "auto" if v == "auto" else _num(0, lo_open=True)(key, v)


CHECKS = {
    "epochs": _num(1, integer=True), "batch_size": _num(1, integer=True), "lr": _num(0, lo_open=True),
    "optimizer": _choice("adam", "adamw", "adadelta", "sgd"), "weight_decay": _num(0), "dropout": _num(0, 0.99, none_ok=True),
    "l1": _num(0), "l1_target": _choice("embedding", "change"), "l2_sp": _num(0),
    "max_norm": _num(0, none_ok=True), "patience": _num(0, integer=True, none_ok=True),
    "select_by": _choice("val_accuracy", "val_loss"), "head": _choice("linear", "mlp"),
    "hidden": _num(1, integer=True), "widths": _widths, "filters": _num(1, integer=True),
    "threads": _num(1, integer=True, none_ok=True), "embedding_update": _choice("lazy", "dense"),
    "val_fraction": _num(0, 0.9, lo_open=True), "test_fraction": _num(0, 0.9, lo_open=True),
    "folds": _num(0, 50, integer=True), "split_seed": _num(0, integer=True), "min_count": _num(1, integer=True),
    "max_vocab": _num(1, integer=True, none_ok=True), "max_length": _num(5, integer=True, none_ok=True),
    "subsample": _num(10, integer=True, none_ok=True), "init_scale": _scale,
    "text_column": _str, "label_column": _str,
}
# --- settings of Kim's CNN, the probe and the run (one-at-a-time sweeps, worker processes)
CHECKS["lr"] = _num(0, lo_open=True, none_ok=True)
CHECKS["embedding_max_norm"] = _num(0, none_ok=True)
CHECKS["early_stopping"] = _bool
CHECKS["workers"] = _num(1, 64, integer=True)
CHECKS["sweep"] = _choice("grid", "one_at_a_time")
CHECKS["train_eval_size"] = _num(100, integer=True, none_ok=True)
# ---
_ALL_KEYS = set(CHECKS) | set(AXES) | {a for a, _ in AXES.values()} | {"seeds"}


def _values(key, v) -> list:
    """A setting as the list of values it sweeps over."""
    if key == "widths":
        return [v] if not (isinstance(v, list) and v and isinstance(v[0], (list, tuple))) else list(v)
    if isinstance(v, (list, tuple)):
        if not v:
            raise ConfigError(f"finetune.{key}: empty list")
        return list(v)
    return [v]


def validate_finetune_settings(settings: Mapping) -> dict:
    """Check a ``[finetune]`` table; return it normalised (every key a list of valid values).

    Raises
    ------
    ConfigError
        Naming the offending key (``finetune.dropout: must be <= 0.99, got 1.5``).
    """
    if not isinstance(settings, Mapping):
        raise ConfigError(f"finetune: expected a table, got {type(settings).__name__}")
    out: dict[str, list] = {}
    for key, value in settings.items():
        if key not in _ALL_KEYS:
            raise ConfigError(f"finetune.{key}: unknown setting{suggest(key, sorted(_ALL_KEYS))}")
        axis = next((a for a, (single, _) in AXES.items() if key in (a, single)), None)
        if axis is not None:
            if axis in out:
                raise ConfigError(f"finetune.{key}: given twice (as {axis!r} and {AXES[axis][0]!r})")
            vals = _values(key, value)
            if axis == "models":
                vals = [_choice("bag", "cnn")(key, v) for v in vals]
            elif axis == "modes":
                bad = [v for v in vals if v not in MODE_ALIASES]
                if bad:
                    raise ConfigError(f"finetune.{key}: unknown mode {bad[0]!r}{suggest(str(bad[0]), MODE_ALIASES)};"
                                      " use random, frozen (static) or finetuned (non-static)")
                vals = list(dict.fromkeys(MODE_ALIASES[v] for v in vals))
            else:
                vals = [_str(key, v) for v in vals]
            out[axis] = vals
        elif key == "seeds":
            out["seeds"] = [_num(0, integer=True)(key, v) for v in _values(key, value)]
        else:
            out[key] = [CHECKS[key](key, v) for v in _values(key, value)]
    for axis, (_single, default) in AXES.items():
        out.setdefault(axis, list(default))
    for key in RUN_KEYS:
        if len(out.get(key, [None])) > 1:
            raise ConfigError(f"finetune.{key}: one value for the whole run, got {out[key]!r}")
    if "probe" in out["modes"] and "bag" not in out["models"]:
        raise ConfigError("finetune.modes: 'probe' reads the bag model's features; add 'bag' to models")
    return out


def _combos(norm: Mapping, keys: list[str]) -> list[tuple[dict, str | None]]:
    """Settings of each run and the swept key it varies (``None`` for the shared base).

    ``sweep = "grid"`` (default): every combination. ``"one_at_a_time"``: the base (the
    first value of every list), then each other value of one list with the rest at base.
    """
    if norm.get("sweep", ["grid"])[0] == "grid":
        return [(dict(zip(keys, combo)), None) for combo in itertools.product(*(norm[k] for k in keys))]
    base = {k: norm[k][0] for k in keys}
    out = [(base, None)]
    for k in keys:
        out += [({**base, k: v}, k) for v in norm[k][1:]]
    return out


def _mode_for(model: str, mode: str) -> str | None:
    """The mode a (model, mode) pair runs as: bag's frozen mode is the probe; only bag has one."""
    if model == "bag" and mode == "frozen":
        return "probe"
    if model != "bag" and mode == "probe":
        return None
    return mode


def expand(settings: Mapping) -> list[dict]:
    """Every run of the sweep (frozen mode skips embedding-only penalties, the probe every training setting).

    Each entry holds ``dataset``, ``model``, ``mode``, ``params`` (one value per key),
    ``varied`` (the swept keys whose value differs between entries) and ``sweep``
    (for one-at-a-time sweeps: ``{"kind", "axis", "base"}``, else ``None``).
    """
    norm = validate_finetune_settings(settings)
    keys = [k for k in norm if k not in AXES and k not in RUN_KEYS and k != "seeds"]
    swept = {k for k in keys if len(norm[k]) > 1}
    one_at_a_time = norm.get("sweep", ["grid"])[0] == "one_at_a_time"
    seen, runs = set(), []
    for dataset, model, asked in itertools.product(norm["datasets"], norm["models"], norm["modes"]):
        mode = _mode_for(model, asked)
        if mode is None:
            continue
        for params, axis in _combos(norm, keys):
            params = dict(params)
            collapse = [k for k in params if k in TRAIN_DEFAULTS] if mode == "probe" else \
                (EMBEDDING_ONLY if mode == "frozen" else ())
            for k in collapse:
                if k in params:
                    params[k] = TRAIN_DEFAULTS[k]
            ident = (dataset, model, mode, tuple(sorted((k, str(v)) for k, v in params.items())))
            if ident in seen:
                continue
            seen.add(ident)
            varied = ({axis: params[axis]} if axis else {}) if one_at_a_time else \
                {k: params[k] for k in sorted(swept) if k not in collapse}
            sweep = {"kind": "one_at_a_time", "axis": axis, "base": {k: norm[k][0] for k in sorted(swept)}} \
                if one_at_a_time else None
            runs.append({"dataset": dataset, "model": model, "mode": mode, "params": params, "varied": varied,
                         "sweep": sweep})
    return runs


def run_finetune(embeddings_list: Sequence, settings: Mapping, seeds: Sequence[int] | None = None) -> list[TaskResult]:
    """Fine-tune every embedding under every setting combination and seed.

    Parameters
    ----------
    embeddings_list : sequence of Embeddings
    settings : mapping
        The ``[finetune]`` table: ``datasets``, ``models``, ``modes`` and any training or
        data setting; a list value sweeps over its entries (``dropout = [0, 0.5]``).
        ``workers = N`` runs the trainings (one per split) in N worker processes.
    seeds : sequence of int, optional
        Training seeds; default ``settings["seeds"]`` or ``[0]``.

    Returns
    -------
    list of TaskResult
        One per (embedding, dataset, model, mode, setting combination, seed), kind ``"classification"``.
    """
    runs = expand(settings)
    norm = validate_finetune_settings(settings)
    seeds = list(seeds) if seeds else norm.get("seeds", [0])
    workers = norm.get("workers", [1])[0]
    prepared: dict = {}
    tasks = []
    for run in runs:
        data_params = {k: v for k, v in run["params"].items() if k in DATA_KEYS}
        key = (run["dataset"], tuple(sorted(data_params.items())))
        if key not in prepared:
            ds = load_classification_dataset(run["dataset"], text_column=data_params.get("text_column", "text"),
                                             label_column=data_params.get("label_column", "label"))
            prepared[key] = prepare(ds, {k: v for k, v in data_params.items() if k in DATA_DEFAULTS})
        prep = prepared[key]
        name = task_name(prep.dataset.name, run["model"], run["mode"], run["varied"])
        for emb in embeddings_list:
            for seed in seeds:
                tasks.append((ClassificationTask(prep, model=run["model"], mode=run["mode"], params=run["params"],
                                                 seed=seed, name=name, sweep=run["sweep"]), emb))
    jobs = [(i, job) for i, (task, emb) in enumerate(tasks) for job in task.trainings(emb)]
    outcomes: dict[int, list] = {i: [] for i in range(len(tasks))}
    with progress("fine-tuning", len(jobs), unit="trainings") as advance:
        for (i, _), outcome in zip(jobs, run_jobs([job for _, job in jobs], workers)):
            outcomes[i].append(outcome)
            advance(1)
    return [task.result(emb, outcomes[i]) for i, (task, emb) in enumerate(tasks)]


__all__ = ["expand", "run_finetune", "validate_finetune_settings"]
