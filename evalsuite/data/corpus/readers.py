"""Streaming line readers: plain, gzip, bzip2 and xz text files, folders, CSV columns.

Nothing here reads a whole file into memory; every reader can be iterated again.
Each yields ``(path, line_number, text)`` so that errors can name where they happened.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Iterator

from evalsuite.core.errors import EvalsuiteError, InputError
from evalsuite.data import compressed
from evalsuite.data.compressed import check_regular, open_input


def iter_lines(path, *, encoding: str = "utf-8") -> Iterator[tuple[int, str]]:
    """Yield ``(line_number, text)`` for each line of a plain, gzip, bzip2 or xz file.

    Line numbers are 1-based; the trailing newline is removed. A line longer than
    :data:`~evalsuite.data.compressed.MAX_LINE` bytes (a corpus kept on one line, such as
    text8) is yielded in pieces cut at whitespace, each with the line's number; a single
    token that long is an error. Invalid text in the given encoding, and compressed data
    that is corrupt or cut short, raise :class:`~evalsuite.core.errors.InputError` naming
    file and line.
    """
    path = Path(path)
    lineno = 0
    try:
        with open_input(path) as fh:
            for lineno, raw in _pieces(fh, path):
                try:
                    text = raw.decode(encoding)
                except UnicodeDecodeError as exc:
                    raise InputError(path, f"not valid {encoding} text (byte {exc.start} of the line)", line=lineno) from None
                yield lineno, text.rstrip("\r\n")
    except OSError as exc:  # a plain file that cannot be read (compressed streams raise InputError)
        raise InputError(path, f"unreadable after line {lineno}: {exc.strerror or exc}") from None


def _pieces(fh, path) -> Iterator[tuple[int, bytes]]:
    """``(line_number, bytes)`` of ``fh``'s lines, a line over the bound cut at its last
    whitespace (memory stays within twice the bound, whatever the line's length)."""
    bound = compressed.MAX_LINE
    lineno, pending = 0, b""
    while True:
        chunk = fh.readline(bound)
        if not chunk:
            if pending:
                yield lineno + 1, pending
            return
        data = pending + chunk
        if chunk.endswith(b"\n"):
            lineno += 1
            pending = b""
            yield lineno, data
            continue
        if len(chunk) < bound:  # the file ends without a newline
            pending = data
            continue
        cut = max(data.rfind(b" "), data.rfind(b"\t"))
        if cut < 0:
            raise InputError(path, f"a token longer than {bound} bytes, the bound on one token", line=lineno + 1)
        pending = data[cut + 1:]
        yield lineno + 1, data[:cut]


def list_files(path) -> list[Path]:
    """The files of ``path``: itself if a file, else every non-hidden file below it, sorted.

    Sorting is by path relative to the folder, so the order is the same on every machine.
    A folder that cannot be read, and an entry that is not a regular file (a named pipe, a
    device, a socket), are errors naming it: skipping them would train on part of the corpus.
    """
    path = Path(path)
    if not path.exists():
        raise EvalsuiteError(f"{path}: no such file or folder")
    if not path.is_dir():
        check_regular(path)
        return [path]
    files = []
    for root, dirs, names in os.walk(path, onerror=_unreadable_folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if not name.startswith("."):
                check_regular(Path(root) / name)
                files.append(Path(root) / name)
    if not files:
        raise EvalsuiteError(f"{path}: folder contains no files")
    return sorted(files, key=lambda p: p.relative_to(path).as_posix())


def _unreadable_folder(exc: OSError):
    raise InputError(exc.filename, f"cannot read the folder: {exc.strerror or exc}") from None


class FileSource:
    """Lines of one or more text files (plain, ``.gz``, ``.bz2``) or folders, in order.

    Parameters
    ----------
    paths : path or sequence of paths
        Files or folders; a folder contributes its files in sorted order.
    encoding : str
        Text encoding of the files.
    """

    def __init__(self, paths, *, encoding: str = "utf-8"):
        if isinstance(paths, (str, os.PathLike)):
            paths = [paths]
        self.roots = [Path(p) for p in paths]
        self.files: list[Path] = [f for p in self.roots for f in list_files(p)]
        self.encoding = encoding

    def __iter__(self) -> Iterator[tuple[Path, int, str]]:
        for f in self.files:
            for lineno, text in iter_lines(f, encoding=self.encoding):
                yield f, lineno, text

    def describe(self) -> dict:
        """What, besides file content, determines the lines produced."""
        return {"kind": "files", "encoding": self.encoding}

    def __str__(self) -> str:
        return ", ".join(str(p) for p in self.roots)


class CsvColumnSource:
    """One column of a CSV file, optionally only rows where another column has a value.

    Parameters
    ----------
    path : path
        The CSV file (with a header row).
    column : str
        Column whose text is yielded, one row per "line".
    where : tuple of (str, str), optional
        ``(column, value)``: keep only rows whose ``column`` equals ``value``.
    """

    def __init__(self, path, column: str, *, where: tuple[str, str] | None = None, encoding: str = "utf-8"):
        self.path = Path(path)
        if not self.path.exists():
            raise EvalsuiteError(f"{self.path}: no such file")
        check_regular(self.path)
        self.files = [self.path]
        self.column = column
        self.where = where
        self.encoding = encoding

    def __iter__(self) -> Iterator[tuple[Path, int, str]]:
        csv.field_size_limit(compressed.MAX_LINE)  # a field is bounded as a line of any other input is
        with open(self.path, newline="", encoding=self.encoding) as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            if header is None:
                return
            try:
                col = header.index(self.column)
                wcol = header.index(self.where[0]) if self.where else -1
            except ValueError:
                raise InputError(self.path, f"header lacks column '{self.column}' or '{self.where}'", line=1) from None
            try:
                for row in reader:
                    if len(row) <= max(col, wcol):
                        raise InputError(self.path, f"row has {len(row)} fields, expected {len(header)}", line=reader.line_num)
                    if wcol >= 0 and row[wcol] != self.where[1]:
                        continue
                    yield self.path, reader.line_num, row[col]
            except (csv.Error, UnicodeDecodeError) as exc:
                raise InputError(self.path, f"malformed CSV: {exc}", line=reader.line_num) from None

    def describe(self) -> dict:
        return {"kind": "csv", "column": self.column, "where": list(self.where or ()), "encoding": self.encoding}

    def __str__(self) -> str:
        return str(self.path)


