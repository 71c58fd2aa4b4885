"""What the public functions accept: word vectors in any of their forms, tasks and a protocol.

Word vectors come as a gensim ``KeyedVectors``, a gensim model holding one (``.wv``:
``Word2Vec``, ``FastText``), an :class:`~evalsuite.core.embeddings.Embeddings`, the path of a
vector file (any format :func:`~evalsuite.data.vectors.load_embeddings` reads) or the name of
a pretrained source (``glove-6b-50d``); several at once as a list or a dict of names.
"""

from __future__ import annotations

import os
from typing import Any, Iterable, Mapping

from evalsuite.core.embeddings import Embeddings
from evalsuite.core.errors import ConfigError
from evalsuite.evaluate.base import Task
from evalsuite.evaluate.protocol import Protocol, get_protocol

#: one set of word vectors: KeyedVectors, a model with .wv, Embeddings, a path or a source name
Vectors = Any

#: the name of word vectors given without one (a ``KeyedVectors`` or a model)
UNNAMED = "vectors"


def is_path(vectors) -> bool:
    """Whether ``vectors`` names a file or a pretrained source (a ``str`` or a path)."""
    return isinstance(vectors, (str, os.PathLike))


def keyed_vectors(vectors):
    """The gensim ``KeyedVectors`` that ``vectors`` is or holds (``model.wv``), or None."""
    wv = getattr(vectors, "wv", None)
    candidate = wv if wv is not None else vectors
    if hasattr(candidate, "index_to_key") and hasattr(candidate, "vectors"):
        return candidate
    return None


def as_embeddings(vectors: Vectors, *, name: str | None = None, format: str | None = None) -> Embeddings:
    """``vectors`` as :class:`Embeddings` (a file is read, gensim vectors are copied).

    Parameters
    ----------
    vectors : KeyedVectors, gensim model, Embeddings, str or path
        The word vectors, a vector file or a pretrained source name.
    name : str, optional
        The name in results (default: the path as given, the ``Embeddings``' own name, or
        ``"vectors"``).
    format : str, optional
        The vector file's format (``word2vec``, ``word2vec-binary``, ``glove``, ``fasttext``,
        ``npz``); detected when omitted. Only for a path.

    Raises
    ------
    ConfigError
        For anything else, naming what was given.
    """
    if isinstance(vectors, Embeddings):
        return vectors if name is None or name == vectors.name else vectors.with_name(name)
    if is_path(vectors):
        from evalsuite.data.vectors.sources import load_pretrained

        return load_pretrained(os.fspath(vectors), format, name=name or os.fspath(vectors))
    kv = keyed_vectors(vectors)
    if kv is not None:
        from evalsuite.data.vectors.gensim_compat import from_keyed_vectors

        return from_keyed_vectors(kv, name=name or UNNAMED)
    raise ConfigError(f"vectors: expected gensim KeyedVectors, a model with .wv, Embeddings, a vector file "
                      f"or a pretrained source name, got {type(vectors).__name__}")


def named_inputs(vectors) -> list[tuple[str, Vectors]]:
    """``(name, vectors)`` for each set of word vectors given: a dict's keys, a path as given, an
    ``Embeddings``' own name, else ``"vectors"`` (``"vectors-1"``, ``"vectors-2"``, ... in a list)."""
    if isinstance(vectors, Mapping):
        for key in vectors:
            if not isinstance(key, str):
                raise ConfigError(f"vectors: names must be strings, got {key!r}")
        return list(vectors.items())
    many = isinstance(vectors, (list, tuple))
    items = list(vectors) if many else [vectors]
    if many and not items:
        raise ConfigError("vectors: an empty list; give at least one set of word vectors")
    out = []
    for i, item in enumerate(items, 1):
        if is_path(item):
            out.append((os.fspath(item), item))
        elif isinstance(item, Embeddings):
            out.append((item.name, item))
        else:
            out.append((f"{UNNAMED}-{i}" if len(items) > 1 else UNNAMED, item))
    return out


def resolve_protocol(protocol: Protocol | str, restrict_vocab: int | None = None, *,
                     key: str = "restrict_vocab") -> Protocol:
    """The protocol (a preset by name), restricted to the ``restrict_vocab`` most frequent words
    when given (0: all words); ``key`` names that value in an error."""
    if isinstance(protocol, str):
        protocol = get_protocol(protocol)
    elif not isinstance(protocol, Protocol):
        raise ConfigError(f"protocol: expected a preset name or a Protocol, got {type(protocol).__name__}")
    if restrict_vocab is None:
        return protocol
    if isinstance(restrict_vocab, bool) or not isinstance(restrict_vocab, int) or restrict_vocab < 0:
        raise ConfigError(f"{key}: must be an int >= 0, got {restrict_vocab!r}")
    return protocol.with_restrict_vocab(restrict_vocab)


def resolve_tasks(tasks: str | Task | Iterable[str | Task] | None) -> list[Task]:
    """Task objects for dataset names, file paths or tasks (default: every bundled similarity and
    analogy dataset); an unknown name fails here, before any vectors are read."""
    from evalsuite.evaluate.registry import default_tasks, get_task

    if tasks is None:
        tasks = default_tasks()
    elif isinstance(tasks, (str, os.PathLike, Task)):
        tasks = [tasks]
    return [t if isinstance(t, Task) else get_task(os.fspath(t)) for t in tasks]


__all__ = ["UNNAMED", "Vectors", "as_embeddings", "is_path", "keyed_vectors", "named_inputs",
           "resolve_protocol", "resolve_tasks"]
