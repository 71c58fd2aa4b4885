"""The ``[finetune]`` sweep: its expansion into runs, one per setting combination
(:mod:`~evalsuite.evaluate.classification.runs` prepares and runs it)."""

from __future__ import annotations

import itertools
import math
from typing import Mapping

from evalsuite.evaluate.classification.settings import EMBEDDING_ONLY, SETTINGS, FinetuneSettings, defaults

def _combos(settings: FinetuneSettings, keys: list[str]) -> list[tuple[dict, str | None]]:
    """Settings of each run and the swept key it varies (``None`` for the shared base).

    ``sweep = "grid"`` (default): every combination. ``"one_at_a_time"``: the base (the
    first value of every list), then each other value of one list with the rest at base.
    """
    if not settings.one_at_a_time:
        return [(dict(zip(keys, combo)), None) for combo in itertools.product(*(settings[k] for k in keys))]
    base = {k: settings[k][0] for k in keys}
    out = [(base, None)]
    for k in keys:
        out += [({**base, k: v}, k) for v in settings[k][1:]]
    return out


def _mode_for(model: str, mode: str) -> str | None:
    """The mode a (model, mode) pair runs as: bag's frozen mode is the probe; only bag has one."""
    if model == "bag" and mode == "frozen":
        return "probe"
    if model != "bag" and mode == "probe":
        return None
    return mode


def _collapsed(mode: str, keys) -> set[str]:
    """Settings that :func:`expand` sets to their default in ``mode`` (so they do not multiply runs):
    every training setting for the probe, the embedding-only ones in frozen mode."""
    if mode == "probe":
        return {k for k in keys if SETTINGS[k].scope == "training"}
    return set(EMBEDDING_ONLY) if mode == "frozen" else set()


def expand(settings: FinetuneSettings | Mapping) -> list[dict]:
    """Every run of the sweep (frozen mode skips embedding-only penalties, the probe every training setting).

    Parameters
    ----------
    settings : FinetuneSettings or mapping
        The checked ``[finetune]`` settings (a mapping is checked here, once).

    Returns
    -------
    list of dict
        Each entry holds ``dataset``, ``model``, ``mode``, ``params`` (every training and data
        setting: the given value, else the declared default), ``varied`` (the swept keys whose
        value differs between entries) and ``sweep`` (for one-at-a-time sweeps:
        ``{"kind", "axis", "base"}``, else ``None``).
    """
    settings = FinetuneSettings.of(settings)
    keys = settings.swept_keys
    swept = {k for k in keys if len(settings[k]) > 1}
    declared = defaults("training", "data")
    seen, runs = set(), []
    for dataset, model, asked in itertools.product(settings["datasets"], settings["models"], settings["modes"]):
        mode = _mode_for(model, asked)
        if mode is None:
            continue
        collapse = _collapsed(mode, declared)
        for chosen, axis in _combos(settings, keys):
            params = {**declared, **chosen}
            params.update({k: declared[k] for k in collapse})
            ident = (dataset, model, mode, tuple(sorted((k, str(v)) for k, v in params.items())))
            if ident in seen:
                continue
            seen.add(ident)
            varied = ({axis: params[axis]} if axis else {}) if settings.one_at_a_time else \
                {k: params[k] for k in sorted(swept) if k not in collapse}
            sweep = {"kind": "one_at_a_time", "axis": axis, "base": {k: settings[k][0] for k in sorted(swept)}} \
                if settings.one_at_a_time else None
            runs.append({"dataset": dataset, "model": model, "mode": mode, "params": params, "varied": varied,
                         "sweep": sweep})
    return runs


def count_runs(settings: FinetuneSettings) -> int:
    """How many entries :func:`expand` gives for ``settings``, without expanding.

    Duplicates (by their string form, as :func:`expand` compares them) count once; settings a
    mode does not use (:func:`_collapsed`) count as one value; a one-at-a-time sweep counts its
    base and each other value of each list once.
    """
    keys = settings.swept_keys
    setups = {(str(d), str(m), _mode_for(m, a)) for d in settings["datasets"] for m in settings["models"]
              for a in settings["modes"]}
    total = 0
    for _, _, mode in setups:
        if mode is None:
            continue
        live = [k for k in keys if k not in _collapsed(mode, keys)]
        values = {k: {str(v) for v in settings[k]} for k in live}
        if settings.one_at_a_time:
            total += 1 + sum(len(values[k] - {str(settings[k][0])}) for k in live)
        else:
            total += math.prod(len(v) for v in values.values())
    return total


def sweep_factors(settings: FinetuneSettings) -> list[tuple[str, int]]:
    """The settings of ``settings`` that take several values, with their number of values."""
    return [(k, len(v)) for k, v in settings.items() if k != "seeds" and len(v) > 1]


__all__ = ["count_runs", "expand", "sweep_factors"]
