"""Corpora: streaming readers, tokenisation, phrases, vocabulary, encoded ids."""

from evalsuite.data.corpus.base import Corpus, InMemoryCorpus
from evalsuite.data.corpus.encoded import EncodedCorpus, encode_corpus
from evalsuite.data.corpus.phrases import PhraseTable
from evalsuite.data.corpus.stopwords import ENGLISH_STOPWORDS
from evalsuite.data.corpus.text import BUILTIN_CORPORA, TextCorpus, corpus_from
from evalsuite.data.corpus.tokenizer import Tokenizer
from evalsuite.data.corpus.vocabulary import Vocabulary

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
