"""Turning a line of raw text into tokens: one tokenizer for corpora and classifiers.

The units are those of the Stanford tokenizer as used for GloVe's released vectors
(lower-cased, clitics split off, punctuation kept), so that a word of a classifier's
text and a word of an embedding's training corpus are the same string, and a
pretrained vocabulary such as GloVe 6B covers the classifier's tokens.

Policy (applied in this order):

1. Markup: HTML/XML tags such as ``<br />`` or ``<i>`` are replaced by a space, then
   HTML entities (``&amp;``, ``&#39;``) are decoded.
2. Case: lower-cased (``lowercase=True``, the default). Typographic apostrophes (’)
   count as ``'``.
3. Clitics are split off the word before them: ``don't`` -> ``do n't``, ``can't`` ->
   ``ca n't``, ``it's`` -> ``it 's``, and likewise ``'re``, ``'ve``, ``'ll``, ``'d``, ``'m``.
4. Tokens are, in order of preference: a clitic; an abbreviation of single letters
   with periods (``u.s.``, ``e.g.``); a number with inner ``.`` or ``,`` (``3.5``,
   ``1,000``); a run of word characters (Unicode letters, digits and ``_``) that may be
   joined by a single apostrophe or hyphen inside (``o'neill``, ``well-known``,
   ``3-2``); ``...`` (three or more periods) and ``--`` (two or more hyphens); any
   other non-space character alone (``,`` ``.`` ``!`` ``?`` ``"`` ``(`` ...).
5. Stop words (optional) are removed after lower-casing.
"""

from __future__ import annotations

import html
import re

from evalsuite.data.corpus.stopwords import resolve_stopwords

_TAG = re.compile(r"<[^<>]{0,500}>")
_CLITIC = re.compile(r"(\w)(n't|'(?:s|re|ve|ll|d|m))\b", re.IGNORECASE)
_TOKEN = re.compile(r"n't|'(?:s|re|ve|ll|d|m)\b|(?:[^\W\d_]\.){2,}|\d+(?:[.,]\d+)+|\w+(?:['\-]\w+)*"
                    r"|\.{3,}|-{2,}|[^\w\s]", re.IGNORECASE)
_VARIANTS = (("\u2019", "'"), ("\u2018", "'"), ("\u02bc", "'"), ("\u2010", "-"), ("\u2011", "-"))


class Tokenizer:
    """Callable turning a string into a list of tokens (see the module policy).

    Parameters
    ----------
    lowercase : bool
        Lower-case the text.
    strip_markup : bool
        Remove HTML/XML tags and decode HTML entities.
    stopwords : None, bool, str or iterable of str
        Words to drop: ``"english"`` (or ``True``) for the built-in list.
    """

    def __init__(self, *, lowercase: bool = True, strip_markup: bool = True, stopwords=None):
        self.lowercase = bool(lowercase)
        self.strip_markup = bool(strip_markup)
        self.stopwords = resolve_stopwords(stopwords)

    def __call__(self, text: str) -> list[str]:
        if self.strip_markup:
            text = html.unescape(_TAG.sub(" ", text))
        if self.lowercase:
            text = text.lower()
        for variant, plain in _VARIANTS:  # str.translate with a dict is far slower
            if variant in text:
                text = text.replace(variant, plain)
        if "'" in text:
            text = _CLITIC.sub(r"\1 \2", text)
        tokens = _TOKEN.findall(text)
        if self.stopwords:
            stop = self.stopwords
            tokens = [t for t in tokens if t not in stop]
        return tokens

    def settings(self) -> dict:
        """Settings that change the output (part of a corpus fingerprint)."""
        return {
            "tokenizer": 2,  # policy version: bump when the rules above change
            "lowercase": self.lowercase,
            "strip_markup": self.strip_markup,
            "stopwords": sorted(self.stopwords),
        }
