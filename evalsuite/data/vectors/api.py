"""``load_embeddings`` / ``save_embeddings``: one entry point for every vector format."""

from __future__ import annotations

import bz2
import gzip
import lzma
import os
from pathlib import Path

from evalsuite.core.atomic import atomic_path
from evalsuite.core.embeddings import Embeddings
from evalsuite.core.errors import ConfigError, InputError
from evalsuite.data.vectors.binary import read_binary, write_binary
from evalsuite.data.vectors.detect import check_format, detect_format, plain_suffix, stem
from evalsuite.data.vectors.npz import read_npz, write_npz
from evalsuite.data.vectors.rows import DUPLICATE_POLICIES, UNICODE_POLICIES
from evalsuite.data.vectors.text import read_text, write_text

_BY_SUFFIX = {".npz": "npz", ".bin": "word2vec-binary", ".vec": "fasttext", ".txt": "word2vec"}
_COMPRESSORS = {
    # mtime=0 and an empty name keep gzip output byte-identical across runs
    ".gz": lambda raw, mode: gzip.GzipFile(filename="", mode=mode, fileobj=raw, mtime=0),
    ".bz2": bz2.open,
    ".xz": lzma.open,
}


def load_embeddings(path, format=None, *, name=None, on_duplicate="error",
                    unicode_errors="strict", limit=None) -> Embeddings:
    """Read word vectors from a file.

    Parameters
    ----------
    path : str or path-like
        A word2vec text or binary, GloVe, fastText ``.vec`` or ``.npz`` file; text and
        binary files may be gzip-, bzip2- or xz-compressed.
    format : {"word2vec", "word2vec-binary", "glove", "fasttext", "npz"}, optional
        Skip auto-detection (:func:`detect_format`).
    name : str, optional
        Name of the result; defaults to the name stored in an ``.npz`` or the file stem.
    on_duplicate : {"error", "first", "last"}
        A word seen twice raises, keeps its first vector (as gensim does) or keeps its
        last vector (at the position of the first).
    unicode_errors : {"strict", "replace", "ignore"}
        Handling of words that are not valid UTF-8 (as in ``bytes.decode``).
    limit : int, optional
        Read only the first ``limit`` vectors.

    Returns
    -------
    Embeddings
        ``meta`` records the source path and format.

    Raises
    ------
    InputError
        Malformed file; the message names the file, the line or byte offset and the problem.
    """
    if on_duplicate not in DUPLICATE_POLICIES:
        raise ConfigError(f"on_duplicate must be one of {DUPLICATE_POLICIES}, got {on_duplicate!r}")
    if unicode_errors not in UNICODE_POLICIES:
        raise ConfigError(f"unicode_errors must be one of {UNICODE_POLICIES}, got {unicode_errors!r}")
    if limit is not None and (not isinstance(limit, int) or limit < 0):
        raise ConfigError(f"limit must be a non-negative integer, got {limit!r}")
    path = os.fspath(path)
    fmt = check_format(format) if format is not None else detect_format(path)
    counts, stored_name, meta = None, None, {}
    if fmt == "npz":
        vocab, matrix, counts, stored_name, meta = read_npz(path, limit=limit)
        if len(set(vocab)) != len(vocab):
            vocab, matrix, counts = _dedupe(path, vocab, matrix, counts, on_duplicate)
    elif fmt == "word2vec-binary":
        vocab, matrix = read_binary(path, on_duplicate=on_duplicate,
                                    unicode_errors=unicode_errors, limit=limit)
    else:
        vocab, matrix = read_text(path, header=fmt != "glove", on_duplicate=on_duplicate,
                                  unicode_errors=unicode_errors, limit=limit)
    meta = {**meta, "source": path, "format": fmt}
    return Embeddings(vocab, matrix, counts, name or stored_name or stem(path), meta)


def _dedupe(path, vocab, matrix, counts, policy):
    """Apply the duplicate policy to an ``.npz`` vocabulary (rows are 0-based)."""
    index: dict[str, int] = {}
    rows = []
    for i, w in enumerate(vocab):
        if w not in index:
            index[w] = len(rows)
            rows.append(i)
        elif policy == "error":
            raise InputError(path, f"duplicate word {w!r} in 'vocab' (rows {rows[index[w]]} and {i}); "
                             "pass on_duplicate='first' or 'last' to keep one")
        elif policy == "last":
            rows[index[w]] = i
    keep = list(index)
    matrix = matrix[rows]
    if counts is not None:
        counts = counts[rows]
    return keep, matrix, counts


def format_for_path(path) -> str:
    """The format :func:`save_embeddings` writes for ``path`` when none is given."""
    return _BY_SUFFIX.get(plain_suffix(path), "word2vec")


def check_output(path, format=None) -> str:
    """The format :func:`save_embeddings` writes to ``path``; a name it cannot honour raises.

    An ``.npz`` is a zip archive and is never compressed again: a ``.gz``, ``.bz2`` or
    ``.xz`` name would hold an uncompressed archive that no reader takes for what it is named.

    Raises
    ------
    ConfigError
        For an ``.npz`` output named as compressed.
    """
    fmt = check_format(format) if format is not None else format_for_path(path)
    suffix = Path(path).suffix.lower()
    if fmt == "npz" and suffix in _COMPRESSORS:
        raise ConfigError(f"{os.fspath(path)}: .npz vectors are a zip archive and are not written "
                          f"{suffix}-compressed; name the file .npz (or write text or binary vectors, "
                          f"which can be {suffix})")
    return fmt


def save_embeddings(emb: Embeddings, path, format=None) -> Path:
    """Write ``emb`` to ``path`` atomically.

    Parameters
    ----------
    emb : Embeddings
    path : str or path-like
        A ``.gz``, ``.bz2`` or ``.xz`` suffix compresses text and binary formats; ``.npz``
        is never compressed (see :func:`check_output`).
    format : str, optional
        Defaults from the extension: ``.npz`` -> npz, ``.bin`` -> word2vec-binary,
        ``.vec`` -> fasttext, anything else -> word2vec text. ``glove`` writes no header;
        ``fasttext`` ends each line with a space, as fastText does.

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    fmt = check_output(path, format)
    compress = _COMPRESSORS.get(path.suffix.lower()) if fmt != "npz" else None
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as raw:
            fh = compress(raw, "wb") if compress else raw
            try:
                if fmt == "npz":
                    write_npz(emb, fh)
                elif fmt == "word2vec-binary":
                    write_binary(emb.vocab, emb.matrix, fh, path=str(path))
                else:
                    write_text(emb.vocab, emb.matrix, fh, header=fmt != "glove",
                               trailing_space=fmt == "fasttext", path=str(path))
            finally:
                if compress:
                    fh.close()
            raw.flush()
            os.fsync(raw.fileno())
    return path
