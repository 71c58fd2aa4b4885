"""Reading and writing word-vector files.

Formats: ``word2vec`` (text with a ``COUNT DIM`` header), ``word2vec-binary``,
``glove`` (text, no header), ``fasttext`` (``.vec``: word2vec text, a space ending each
line) and ``npz``. Compressed text and binary files (gzip, bzip2, xz) are read directly.
Named pretrained sources (``glove-6b-50d``, an optional extra) load by name
(:mod:`~evalsuite.data.vectors.sources`).
"""

from evalsuite.data.vectors.api import check_output, format_for_path, load_embeddings, save_embeddings
from evalsuite.data.vectors.detect import FORMATS, detect_format
from evalsuite.data.vectors.gensim_compat import from_keyed_vectors, to_keyed_vectors
from evalsuite.data.vectors.sources import SOURCES, load_pretrained

__all__ = [
    "FORMATS",
    "SOURCES",
    "check_output",
    "detect_format",
    "format_for_path",
    "from_keyed_vectors",
    "load_embeddings",
    "load_pretrained",
    "save_embeddings",
    "to_keyed_vectors",
]
