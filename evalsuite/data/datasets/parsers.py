"""Parsers for the two evaluation file formats, with errors that name file and line.

Files may be gzip-, bzip2- or xz-compressed.

Similarity: one pair per line, ``word1 word2 score`` separated by tabs or spaces;
blank lines and lines starting with ``#`` are skipped.

Analogy: ``: SECTION`` header lines, then ``a b c d`` questions (word2vec's
``questions-words.txt`` format). Lines starting with ``#`` are skipped.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

from evalsuite.data.datasets.base import AnalogyDataset, AnalogyQuestion, SimilarityDataset, SimilarityPair
from evalsuite.core.errors import InputError
from evalsuite.data.compressed import open_input, open_regular


def read_lines(path: Path, *, most: int | None = None) -> tuple[list[str], str | None]:
    """Decode ``path`` (plain, gzip, bzip2 or xz) as UTF-8; return its lines and the sha256
    of the file's bytes as stored (None when ``most`` stopped the reading early).

    Lines are read one at a time, within the bounds of
    :class:`~evalsuite.data.compressed.CheckedStream`; ``most`` keeps only the first lines.
    """
    lines: list[str] = []
    digest, offset = hashlib.sha256(), 0
    with open_input(path) as fh:
        compressed = fh.kind is not None
        for number, raw in enumerate(fh, start=1):
            if not compressed:
                digest.update(raw)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(path, f"invalid UTF-8 at byte {offset + exc.start}", line=number) from None
            offset += len(raw)
            lines.extend(text.splitlines())  # raw ends at "\n": as splitlines of the whole text
            if most is not None and len(lines) >= most:
                return lines[:most], None
    return lines, (_stored_sha256(path) if compressed else digest.hexdigest())


def _stored_sha256(path) -> str:
    digest = hashlib.sha256()
    with open_regular(path) as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _content(lines: list[str]):
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            yield number, stripped


def parse_similarity(path, name: str | None = None, meta=None) -> SimilarityDataset:
    """Read a similarity file into a :class:`SimilarityDataset`."""
    path = Path(path)
    lines, sha = read_lines(path)
    pairs = []
    for number, line in _content(lines):
        fields = line.split("\t") if "\t" in line else line.split()
        fields = [f.strip() for f in fields]
        if len(fields) != 3:
            raise InputError(path, f"expected 'word1 word2 score', found {len(fields)} fields", line=number)
        try:
            score = float(fields[2])
        except ValueError:
            raise InputError(path, f"score {fields[2]!r} is not a number", line=number) from None
        if not math.isfinite(score):
            raise InputError(path, f"score {fields[2]!r} is not finite", line=number)
        if not fields[0] or not fields[1]:
            raise InputError(path, "empty word", line=number)
        pairs.append(SimilarityPair(fields[0], fields[1], score))
    if not pairs:
        raise InputError(path, "no word pairs found (empty file?)")
    return SimilarityDataset(name or str(path), tuple(pairs), sha256=sha, meta=dict(meta or {}))


def google_family(section: str) -> str:
    """Family of a Google/MSR section: word2vec names syntactic sections ``gram*``."""
    return "syntactic" if section.startswith("gram") else "semantic"


def parse_analogy(path, name: str | None = None, meta=None, family=google_family) -> AnalogyDataset:
    """Read an analogy file into an :class:`AnalogyDataset`.

    Questions before the first ``: SECTION`` line go to a section named after the file.
    ``family(section)`` assigns each section to ``"semantic"`` or ``"syntactic"``.
    """
    path = Path(path)
    lines, sha = read_lines(path)
    section = path.stem
    questions = []
    for number, line in _content(lines):
        if line.startswith(":"):
            section = line[1:].strip()
            if not section:
                raise InputError(path, "section header ':' without a name", line=number)
            continue
        words = line.split()
        if len(words) != 4:
            raise InputError(path, f"expected 4 words 'a b c d', found {len(words)}", line=number)
        questions.append(AnalogyQuestion(*words, section=section))
    if not questions:
        raise InputError(path, "no analogy questions found (empty file?)")
    families = {s: family(s) for s in dict.fromkeys(q.section for q in questions)}
    return AnalogyDataset(name or str(path), tuple(questions), families, sha256=sha, meta=dict(meta or {}))


def sniff_kind(path) -> str:
    """Guess ``"similarity"`` or ``"analogy"`` from the first content lines of a file."""
    path = Path(path)
    lines, _ = read_lines(path, most=200)
    for number, line in _content(lines):
        if line.startswith(":"):
            return "analogy"
        fields = line.split("\t") if "\t" in line else line.split()
        if len(fields) == 4:
            return "analogy"
        if len(fields) == 3:
            return "similarity"
        raise InputError(path, "cannot tell the dataset kind: expected 3 fields (similarity) or 4 (analogy)", line=number)
    raise InputError(path, "no content found (empty file?)")
