"""Are the "matched" settings matched? Every embedding's resolved trainer parameters side by side.

Levy, Goldberg & Dagan (2015) showed that much of what separates Word2Vec from GloVe
in published comparisons is hyperparameters, the output (W or W + C) among them. A
fair comparison holds the :data:`MATCHED` settings equal across the compared
embeddings, or says why not: a value that breaks the match is highlighted, and the
config's ``[compare.differences]`` table states the reason for a difference that is
meant. Swept parameters vary on purpose and are not flagged.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Mapping

from evalsuite.analysis.types import SettingRow, SettingsTable
from evalsuite.core.families import family_of
from evalsuite.core.results import RunResult
from evalsuite.store.embedding_record import EmbeddingRecord, embedding_records

#: parameters that mean the same thing in every trainer that has them
MATCHED = ("vector_size", "window", "min_count", "negative", "learning_rate", "epochs", "output")
_FAMILIES = ("word2vec", "glove")


def resolved_params(record: EmbeddingRecord) -> dict:
    """A run's record of one embedding -> its parameters with defaults filled in.

    Newer records keep ``resolved_params``; older ones the trained matrix's
    ``meta["params"]`` (also resolved), else the parameters as configured.
    """
    for params in (record.resolved_params, record.meta.get("params"), record.params):
        if isinstance(params, Mapping) and params:
            return dict(params)
    return {}


def _trainer(record: EmbeddingRecord) -> str | None:
    return record.trainer or record.meta.get("trainer")


def _records(run: RunResult) -> list[EmbeddingRecord]:
    """One record per trained embedding group (the first seed's), in run order."""
    seen, out = set(), []
    for e in embedding_records(run):
        if not e.trained or not _trainer(e):
            continue
        group = e.group or e.name
        if group not in seen:
            seen.add(group)
            out.append(e)
    return out


def _key(value) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _row(param: str, values: list, families: list[str], swept: set, declared: Mapping[str, str]) -> SettingRow:
    matched = param in MATCHED
    compared = [i for i, (v, f) in enumerate(zip(values, families)) if v is not None and f in _FAMILIES]
    highlighted = [False] * len(values)
    if matched and param not in swept and len({_key(values[i]) for i in compared}) > 1:
        common = Counter(_key(values[i]) for i in compared).most_common(1)[0][0]
        for i in compared:
            highlighted[i] = _key(values[i]) != common
    return SettingRow(param=param, values=tuple(values), highlighted=tuple(highlighted), matched=matched,
                      swept=param in swept, declared=declared.get(param))


def settings_table(run: RunResult, declared: Mapping[str, str] | None = None) -> SettingsTable | None:
    """The resolved parameters of every trained embedding, broken matches highlighted.

    Parameters
    ----------
    run : RunResult
    declared : mapping of str to str, optional
        Differences the config declares: parameter -> reason.

    Returns
    -------
    SettingsTable or None
        None when the run trained nothing.
    """
    declared = dict(declared or {})
    records = _records(run)
    if not records:
        return None
    params = [resolved_params(e) for e in records]
    families = [str(e.family or family_of(_trainer(e), str(e.group or e.name))) for e in records]
    swept = {k for e in records for k in e.sweep}
    names = list(dict.fromkeys(k for p in params for k in p))
    order = [k for k in MATCHED if k in names] + sorted(k for k in names if k not in MATCHED)
    rows = tuple(_row(k, [p.get(k) for p in params], families, swept, declared) for k in order)
    return SettingsTable(embeddings=tuple(str(e.group or e.name) for e in records),
                         trainers=tuple(str(_trainer(e)) for e in records), families=tuple(families),
                         rows=rows, declared=declared)


__all__ = ["MATCHED", "resolved_params", "settings_table"]
