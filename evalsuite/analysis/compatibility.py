"""May two runs be compared score by score? The guard shared by ``compare`` and ``check``.

Two scores of "the same embedding on the same task" only mean the same thing when
they were computed under the same evaluation protocol (name, version and every
setting), from embeddings trained on the same corpus (its fingerprint) with the same
vocabulary policy (corpus preprocessing and the trainers' vocabulary cuts).
:func:`mismatches` lists every difference; :func:`require_compatible` raises
:class:`IncompatibleRunsError` naming both values unless the caller allows them, and
then returns them to be stated at the top of the output.

A value a run does not record (an older results file, pretrained vectors without a
corpus) is not compared.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping

from evalsuite.core.errors import EvalsuiteError
from evalsuite.core.markup import visible
from evalsuite.core.results import RunResult
from evalsuite.store.embedding_record import embedding_records

#: trainer parameters that decide which words get a vector
VOCABULARY_PARAMS = ("min_count", "max_vocab_size", "max_final_vocab")
#: earlier names of those parameters in stored runs -> their names now (torch-glove's final cut)
_VOCABULARY_RENAMED = {"max_vocab": "max_final_vocab"}
_CORPUS_SOURCE = ("name", "path")


class IncompatibleRunsError(EvalsuiteError):
    """Two runs differ in protocol, corpus or vocabulary policy; the message names both values."""

    def __init__(self, found: list["Mismatch"]):
        self.mismatches = found
        super().__init__("; ".join(m.text() for m in found)
                         + ". Their scores are not comparable; pass --allow-mismatch to compare them anyway")


@dataclass(frozen=True)
class Mismatch:
    """One difference between run A and run B."""

    what: str  # e.g. "protocol", "protocol setting case", "corpus fingerprint"
    a: Any
    b: Any
    run_a: str = "A"
    run_b: str = "B"

    def text(self) -> str:
        return f"{self.what} differs: {_show(self.a)} in {self.run_a}, {_show(self.b)} in {self.run_b}"


def _show(value) -> str:
    return json.dumps(value, sort_keys=True, default=str) if not isinstance(value, str) else repr(value)


def evaluation_protocol(run: RunResult) -> dict | None:
    """The run's similarity/analogy protocol with every setting filled in (defaults for ones an older
    evalsuite did not write), or None when the run records none."""
    from evalsuite.evaluate.protocol import Protocol

    found = run.provenance.get("protocol") if isinstance(run.provenance, Mapping) else None
    if not found:
        found = next((t.protocol for t in run.task_results if t.kind != "classification" and t.protocol), None)
    if not isinstance(found, Mapping) or not found:
        return None
    try:
        return Protocol.from_dict(dict(found)).to_dict()
    except (EvalsuiteError, TypeError, ValueError):
        return dict(found)  # a protocol this evalsuite does not know: compared as written


def corpus_fingerprints(run: RunResult) -> set[str]:
    """Fingerprints of the corpora the run's embeddings were trained on."""
    return {str(e.corpus_fingerprint) for e in embedding_records(run) if e.corpus_fingerprint}


def vocabulary_policy(run: RunResult) -> dict:
    """``{"preprocessing": {...}, "embeddings": {group: {vocabulary parameter: value}}}``."""
    from evalsuite.analysis.settings import resolved_params

    corpus = run.config.get("corpus") if isinstance(run.config, Mapping) else None
    pre = {k: v for k, v in (corpus or {}).items() if k not in _CORPUS_SOURCE} if isinstance(corpus, Mapping) else {}
    per = {}
    for e in embedding_records(run):
        if e.trained:
            params = resolved_params(e)
            params = {_VOCABULARY_RENAMED.get(k, k): v for k, v in params.items()}
            cut = {k: params[k] for k in VOCABULARY_PARAMS if k in params}
            if cut:
                per.setdefault(str(e.group or e.name), cut)
    return {"preprocessing": pre, "embeddings": per}


def _protocol_mismatches(pa: dict | None, pb: dict | None) -> list[tuple[str, Any, Any]]:
    """Different presets are named as such; under one preset, each differing setting."""
    if pa is None or pb is None or pa == pb:
        return []
    ida, idb = f"{pa.get('name')} v{pa.get('version')}", f"{pb.get('name')} v{pb.get('version')}"
    if ida != idb:
        return [("protocol", ida, idb)]
    return [(f"protocol {ida} setting {key}", pa.get(key), pb.get(key))
            for key in sorted(set(pa) | set(pb)) if pa.get(key) != pb.get(key)]


def _normalised(protocol) -> dict | None:
    from evalsuite.evaluate.protocol import Protocol

    if not isinstance(protocol, Mapping) or not protocol:
        return None
    try:
        return Protocol.from_dict(dict(protocol)).to_dict()
    except (EvalsuiteError, TypeError, ValueError):
        return dict(protocol)  # fine-tuning's protocol, or one this evalsuite does not know: as written


def task_protocols(run: RunResult) -> dict[str, list[dict]]:
    """The distinct protocols each task of the run was scored under (settings filled in)."""
    out: dict[str, list[dict]] = {}
    for t in run.task_results:
        p = _normalised(t.protocol)
        if p is not None and p not in out.setdefault(t.task, []):
            out[t.task].append(p)
    return out


def _task_protocol_mismatches(a: RunResult, b: RunResult) -> list[tuple[str, Any, Any]]:
    """Per task both runs scored: each protocol difference (a task whose protocol was changed alone)."""
    pa, pb = task_protocols(a), task_protocols(b)
    found = []
    for task in sorted(set(pa) & set(pb)):
        if pa[task] != pb[task]:
            diffs = _protocol_mismatches(pa[task][0], pb[task][0]) if len(pa[task]) == len(pb[task]) == 1 else []
            found += [(f"task {task}: {what}", x, y) for what, x, y in diffs] or [
                (f"task {task}: protocol", pa[task], pb[task])]
    return found


def mismatches(a: RunResult, b: RunResult) -> list[Mismatch]:
    """Every difference in protocol (the run's, and each task's), corpus fingerprint and vocabulary
    policy between two runs."""
    found = _protocol_mismatches(evaluation_protocol(a), evaluation_protocol(b))
    if not found:
        found = _task_protocol_mismatches(a, b)
    fa, fb = corpus_fingerprints(a), corpus_fingerprints(b)
    if fa and fb and fa != fb:
        found.append(("corpus fingerprint", ", ".join(sorted(fa)), ", ".join(sorted(fb))))
    va, vb = vocabulary_policy(a), vocabulary_policy(b)
    if va["preprocessing"] != vb["preprocessing"] and (a.config and b.config):
        found.append(("corpus preprocessing", va["preprocessing"], vb["preprocessing"]))
    for group in sorted(set(va["embeddings"]) & set(vb["embeddings"])):
        if va["embeddings"][group] != vb["embeddings"][group]:
            found.append((f"vocabulary policy of {group}", va["embeddings"][group], vb["embeddings"][group]))
    return [Mismatch(what, x, y, f"A ({a.run_id})", f"B ({b.run_id})") for what, x, y in found]


def require_compatible(a: RunResult, b: RunResult, *, allow: bool = False) -> list[Mismatch]:
    """The mismatches between ``a`` and ``b``; raises :class:`IncompatibleRunsError` when there are
    any and ``allow`` is False (``--allow-mismatch`` not given)."""
    found = mismatches(a, b)
    if found and not allow:
        raise IncompatibleRunsError(found)
    return found


def mismatch_notice(found: list[Mismatch]) -> str:
    """The warning printed at the top of an output produced with ``--allow-mismatch``."""
    if not found:
        return ""
    lines = ["**Warning: these runs are not comparable (compared anyway, --allow-mismatch):**", ""]
    lines += [f"- {visible(m.text())}" for m in found]
    return "\n".join(lines) + "\n\n"


__all__ = ["IncompatibleRunsError", "Mismatch", "VOCABULARY_PARAMS", "corpus_fingerprints", "evaluation_protocol",
           "mismatch_notice", "mismatches", "require_compatible", "vocabulary_policy"]
