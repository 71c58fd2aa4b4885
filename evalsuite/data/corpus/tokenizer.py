"""Turning a line of raw text into tokens.

Policy (applied in this order):

1. Markup: HTML/XML tags such as ``<br />`` or ``<i>`` are replaced by a space, then
   HTML entities (``&amp;``, ``&#39;``) are decoded.
2. Case: lower-cased (``lowercase=True``, the default).
3. Tokens are maximal runs of word characters (Unicode letters, digits and ``_``)
   that may be joined by a single apostrophe or hyphen *inside* a word:
   ``don't``, ``o'neill``, ``well-known`` and ``3-2`` are one token each.
   Typographic apostrophes (’) count as ``'``. Every other character is a separator
   and is dropped: punctuation never becomes a token, so ``u.s.`` gives ``u``, ``s``
   and ``"hello," she said`` gives ``hello she said``. A leading or trailing
   apostrophe or hyphen is dropped (``'tis`` -> ``tis``, ``rock-`` -> ``rock``).
4. Stop words (optional) are removed after lower-casing.
"""

from __future__ import annotations

import html
import re

from evalsuite.data.corpus.stopwords import resolve_stopwords

_TAG = re.compile(r"<[^<>]{0,500}>")
_TOKEN = re.compile(r"\w+(?:['\-]\w+)*")
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
        tokens = _TOKEN.findall(text)
        if self.stopwords:
            stop = self.stopwords
            tokens = [t for t in tokens if t not in stop]
        return tokens

    def settings(self) -> dict:
        """Settings that change the output (part of a corpus fingerprint)."""
        return {
            "tokenizer": 1,  # policy version: bump when the rules above change
            "lowercase": self.lowercase,
            "strip_markup": self.strip_markup,
            "stopwords": sorted(self.stopwords),
        }
