"""Corpora: streaming readers, tokenisation, phrases, vocabulary, encoded ids."""

from evalsuite.corpus.base import Corpus, InMemoryCorpus
from evalsuite.corpus.encoded import EncodedCorpus, encode_corpus
from evalsuite.corpus.phrases import PhraseTable
from evalsuite.corpus.stopwords import ENGLISH_STOPWORDS
from evalsuite.corpus.text import BUILTIN_CORPORA, TextCorpus, corpus_from
from evalsuite.corpus.tokenizer import Tokenizer
from evalsuite.corpus.vocabulary import Vocabulary

__all__ = [
    "BUILTIN_CORPORA",
    "Corpus",
    "ENGLISH_STOPWORDS",
    "EncodedCorpus",
    "InMemoryCorpus",
    "PhraseTable",
    "TextCorpus",
    "Tokenizer",
    "Vocabulary",
    "corpus_from",
    "encode_corpus",
]
