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
from array import array
from pathlib import Path
from typing import Iterator

import numpy as np

from evalsuite.core.atomic import atomic_path, write_json
from evalsuite.data.corpus.fingerprint import settings_hash
from evalsuite.data.corpus.vocabulary import Vocabulary
from evalsuite.core.errors import EvalsuiteError
from evalsuite.native import vocab as native_vocab

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


def _first_seen_ids(ids: list, tokens: list, index: dict) -> None:
    """Fill the ``None`` slots of ``ids`` with the ids of new words, numbered as they appear."""
    setdefault = index.setdefault
    k = ids.index(None)
    while True:
        ids[k] = setdefault(tokens[k], len(index))  # a word new twice in one run gets one id
        try:
            k = ids.index(None, k + 1)
        except ValueError:
            return


class _FirstSeen:
    """Ids of words in order of first appearance, and their counts.

    The compiled table (:mod:`evalsuite.native.vocab`) when a C compiler is available;
    else, or from the first run of tokens it cannot take, a dict.
    """

    def __init__(self):
        lib = native_vocab.load_native()
        self.table = native_vocab.FirstSeen(lib) if lib is not None else None
        self.index: dict = {}
        self.counts = np.zeros(0, dtype=np.int64)

    def ids(self, tokens: list) -> np.ndarray:
        """The int32 ids of ``tokens``, counted."""
        if self.table is not None:
            ids = self.table.ids(tokens)
            if ids is not None:
                return ids
            words, self.counts = self.words()  # a token the table cannot take: go on with a dict
            self.index = {w: i for i, w in enumerate(words)}
        ids = list(map(self.index.get, tokens))  # every word known: at C speed
        if None in ids:
            _first_seen_ids(ids, tokens, self.index)
        out = np.frombuffer(array("i", ids), dtype=np.int32)  # faster than np.array from a list of ints
        counts = np.zeros(len(self.index), dtype=np.int64)
        counts[: len(self.counts)] = self.counts
        self.counts = counts + np.bincount(out, minlength=len(self.index))
        return out

    def words(self) -> tuple[list, np.ndarray]:
        """The words in id order and their counts (the table is freed)."""
        if self.table is None:
            return list(self.index), self.counts
        words, counts = self.table.words()
        self.table.close()
        self.table = None
        return words, counts


def _provisional(corpus, path: Path, chunk_tokens: int):
    """Write every token as the id of its word in order of first appearance; count the words.

    Returns the words in id order, their counts, the sentence lengths of each written
    chunk, the number of tokens and of sentences.
    """
    first_seen = _FirstSeen()
    flat: list = []
    lengths: list[int] = []
    chunks: list[np.ndarray] = []
    total = n_sentences = 0
    with open(path, "wb") as fh:
        for sentence in corpus:
            flat += sentence
            lengths.append(len(sentence))
            n_sentences += 1
            if len(flat) >= chunk_tokens or len(lengths) >= chunk_tokens:
                fh.write(first_seen.ids(flat).tobytes())
                chunks.append(np.array(lengths, dtype=np.int64))
                total += len(flat)
                flat, lengths = [], []
        if lengths:
            fh.write(first_seen.ids(flat).tobytes())
            chunks.append(np.array(lengths, dtype=np.int64))
            total += len(flat)
    words, counts = first_seen.words()
    return words, counts, chunks, total, n_sentences


def encode_with_vocabulary(corpus, *, min_count: int = 5, max_size: int | None = None,
                           chunk_tokens: int = 1 << 20) -> tuple[Vocabulary, EncodedCorpus]:
    """Build the vocabulary of ``corpus`` and encode it with it, reading the corpus once.

    Equal to ``Vocabulary.build(corpus, min_count=min_count, max_size=max_size)``
    followed by ``encode_corpus(corpus, vocab)``, at half the reading and tokenising:
    each word gets a provisional id when first seen, the ids go to a temporary file,
    and once the counts are known they are mapped, chunk by chunk, to the
    vocabulary's ids (words left out of it dropped, then sentences left empty).

    Parameters
    ----------
    corpus : Corpus
        Tokenised sentences; iterated once.
    min_count, max_size
        As for :meth:`Vocabulary.build`.
    chunk_tokens : int
        Tokens (or sentences) held in memory at a time.

    Returns
    -------
    (Vocabulary, EncodedCorpus)
        The vocabulary and the corpus's ids in temporary files.
    """
    fd0, raw = tempfile.mkstemp(prefix="evalsuite-", suffix=".first-seen.i32")
    fd1, tok = tempfile.mkstemp(prefix="evalsuite-", suffix=".tokens.i32")
    fd2, off = tempfile.mkstemp(prefix="evalsuite-", suffix=".offsets.i64")
    for fd in (fd0, fd1, fd2):
        os.close(fd)
    try:
        words, counts, chunks, total, n_sentences = _provisional(corpus, Path(raw), chunk_tokens)
        index = {w: i for i, w in enumerate(words)}
        vocab = Vocabulary.from_counts(dict(zip(words, counts.tolist())), min_count=min_count, max_size=max_size,
                                       total_words=total, sentences=n_sentences)
        remap = np.full(len(index), -1, dtype=np.int32)
        remap[np.fromiter(map(index.__getitem__, vocab.words), dtype=np.int64, count=len(vocab))] = np.arange(
            len(vocab), dtype=np.int32)
        del index, words, counts
        _remap(Path(raw), chunks, remap, Path(tok), Path(off))
    except BaseException:
        _remove([tok, off])
        raise
    finally:
        _remove([raw])
    return vocab, EncodedCorpus(tok, off, len(vocab), temporary=True)


def _remap(raw: Path, chunks: list, remap: np.ndarray, tok: Path, off: Path) -> None:
    """Write the vocabulary ids of the provisional ids in ``raw``, without empty sentences."""
    written = 0
    with open(raw, "rb") as fr, open(tok, "wb") as ft, open(off, "wb") as fo:
        fo.write(np.zeros(1, dtype="<i8").tobytes())
        for lengths in chunks:
            ids = remap[np.fromfile(fr, dtype="<i4", count=int(lengths.sum()))]
            keep = ids >= 0
            kept = np.zeros(len(ids) + 1, dtype=np.int64)
            np.cumsum(keep, out=kept[1:])
            ends = np.cumsum(lengths)
            per_sentence = kept[ends] - kept[ends - lengths]
            ft.write(ids[keep].astype("<i4", copy=False).tobytes())
            fo.write((written + np.cumsum(per_sentence[per_sentence > 0])).astype("<i8").tobytes())
            written += int(kept[-1])
