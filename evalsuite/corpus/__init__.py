"""Corpora: streaming readers, tokenisation, vocabulary."""

from evalsuite.corpus.base import Corpus, InMemoryCorpus
from evalsuite.corpus.vocabulary import Vocabulary

__all__ = ["Corpus", "InMemoryCorpus", "Vocabulary"]
