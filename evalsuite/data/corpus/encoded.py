"""A corpus as flat token ids on disk, for trainers that stream numbers, not strings.

``tokens`` holds every in-vocabulary token id (int32) of every sentence back to back;
``offsets`` (int64, length ``n_sentences + 1``) marks where each sentence starts, so
sentence ``i`` is ``tokens[offsets[i]:offsets[i + 1]]``. Both arrays are ``np.memmap``
views of files written in chunks, so memory stays bounded whatever the corpus length.
"""

from __future__ import annotations

import json
import os
import tempfile
import weakref
from pathlib import Path
from typing import Iterator

import numpy as np

from evalsuite.core.atomic import atomic_path, write_json
from evalsuite.data.corpus.fingerprint import settings_hash
from evalsuite.data.corpus.vocabulary import Vocabulary
from evalsuite.core.errors import EvalsuiteError

_FORMAT = "evalsuite-encoded/1"


class EncodedCorpus:
    """Token ids and sentence offsets of a corpus (see the module docstring).

    Parameters
    ----------
    tokens_path, offsets_path : path
        Raw little-endian int32 / int64 files.
    vocab_size : int
        Ids are in ``[0, vocab_size)``.
    temporary : bool
        Delete the files when this object is closed or garbage-collected.
    """

    def __init__(self, tokens_path, offsets_path, vocab_size: int, *, temporary: bool = False):
        self.tokens_path = Path(tokens_path)
        self.offsets_path = Path(offsets_path)
        self.vocab_size = int(vocab_size)
        self.offsets: np.ndarray = np.memmap(self.offsets_path, dtype="<i8", mode="r")
        n_tokens = int(self.offsets[-1])
        if n_tokens == 0:
            self.tokens: np.ndarray = np.zeros(0, dtype=np.int32)
        else:
            self.tokens = np.memmap(self.tokens_path, dtype="<i4", mode="r", shape=(n_tokens,))
        self._finalizer = (
            weakref.finalize(self, _remove, [self.tokens_path, self.offsets_path]) if temporary else None
        )

    @property
    def n_sentences(self) -> int:
        return len(self.offsets) - 1

    @property
    def n_tokens(self) -> int:
        return int(self.offsets[-1])

    def __len__(self) -> int:
        return self.n_sentences

    def sentence(self, i: int) -> np.ndarray:
        """Token ids of sentence ``i``."""
        return self.tokens[self.offsets[i] : self.offsets[i + 1]]

    def __iter__(self) -> Iterator[np.ndarray]:
        for i in range(self.n_sentences):
            yield self.sentence(i)

    def close(self) -> None:
        """Drop the maps and delete temporary files."""
        self.tokens = self.offsets = None  # type: ignore[assignment]
        if self._finalizer is not None:
            self._finalizer()

    def __enter__(self) -> "EncodedCorpus":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _remove(paths) -> None:
    for p in paths:
        try:
            os.unlink(p)
        except OSError:
            pass


def _write(corpus, vocab: Vocabulary, tokens_path: Path, offsets_path: Path, chunk_tokens: int) -> int:
    """Stream ids to the two files; returns the number of tokens written."""
    index = vocab.index
    n_written = 0
    id_chunks: list[np.ndarray] = []
    off_chunk: list[int] = [0]
    buffered = 0
    with open(tokens_path, "wb") as ft, open(offsets_path, "wb") as fo:
        for sentence in corpus:
            ids = np.fromiter((i for i in map(index.get, sentence) if i is not None), dtype="<i4")
            if ids.size == 0:
                continue  # sentences with no in-vocabulary token are dropped
            id_chunks.append(ids)
            buffered += ids.size
            n_written += ids.size
            off_chunk.append(n_written)
            if buffered >= chunk_tokens:
                ft.write(np.concatenate(id_chunks).tobytes())
                fo.write(np.asarray(off_chunk, dtype="<i8").tobytes())
                id_chunks, off_chunk, buffered = [], [], 0
        if id_chunks:
            ft.write(np.concatenate(id_chunks).tobytes())
        if off_chunk:
            fo.write(np.asarray(off_chunk, dtype="<i8").tobytes())
    return n_written


def encode_corpus(corpus, vocab: Vocabulary, cache_dir=None, *, chunk_tokens: int = 1 << 20) -> EncodedCorpus:
    """Encode ``corpus`` with ``vocab`` into an :class:`EncodedCorpus`.

    Out-of-vocabulary tokens are dropped, and so are sentences left empty. Memory use
    is bounded by ``chunk_tokens`` plus the vocabulary.

    Parameters
    ----------
    corpus : Corpus
        Re-iterable tokenised sentences.
    vocab : Vocabulary
        Maps words to ids.
    cache_dir : path, optional
        Keep the files here, named by the corpus and vocabulary fingerprints, and reuse
        them next time. Without it the files are temporary.
    chunk_tokens : int
        Tokens buffered before each write.
    """
    if cache_dir is None:
        fd1, tok = tempfile.mkstemp(prefix="evalsuite-", suffix=".tokens.i32")
        fd2, off = tempfile.mkstemp(prefix="evalsuite-", suffix=".offsets.i64")
        os.close(fd1)
        os.close(fd2)
        try:
            n = _write(corpus, vocab, Path(tok), Path(off), chunk_tokens)
        except BaseException:
            _remove([tok, off])
            raise
        if n == 0:
            _remove([tok, off])
            raise EvalsuiteError(f"corpus '{getattr(corpus, 'name', '?')}' has no in-vocabulary tokens")
        return EncodedCorpus(tok, off, len(vocab), temporary=True)

    cache_dir = Path(cache_dir)
    key = settings_hash(_FORMAT, corpus.fingerprint(), vocab.fingerprint())[:24]
    tok, off, meta = (cache_dir / f"encoded-{key}{ext}" for ext in (".tokens.i32", ".offsets.i64", ".json"))
    if meta.exists() and tok.exists() and off.exists():
        try:
            info = json.loads(meta.read_text(encoding="utf-8"))
            if info.get("format") == _FORMAT and off.stat().st_size == 8 * (info["sentences"] + 1):
                return EncodedCorpus(tok, off, len(vocab))
        except (OSError, ValueError, KeyError):
            pass  # damaged cache entry: rebuild it
    with atomic_path(tok) as tmp_tok, atomic_path(off) as tmp_off:
        n = _write(corpus, vocab, tmp_tok, tmp_off, chunk_tokens)
        if n == 0:
            raise EvalsuiteError(f"corpus '{getattr(corpus, 'name', '?')}' has no in-vocabulary tokens")
        sentences = os.path.getsize(tmp_off) // 8 - 1
    write_json(meta, {"format": _FORMAT, "corpus": corpus.fingerprint(), "vocabulary": vocab.fingerprint(),
                      "tokens": n, "sentences": sentences})
    return EncodedCorpus(tok, off, len(vocab))
