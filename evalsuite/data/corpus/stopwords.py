"""A small built-in English stop-word list.

Function words only (articles, pronouns, auxiliaries, prepositions, conjunctions),
lower case, in the tokenizer's output form (so contractions such as ``don't`` are
listed whole). Negations are listed too; drop them from the set yourself if a
task needs them (sentiment, for example).
"""

from __future__ import annotations

ENGLISH_STOPWORDS: frozenset[str] = frozenset(
    """
    a about above after again against all am an and any are aren't as at be because been before
    being below between both but by can can't cannot could couldn't did didn't do does doesn't doing
    don't down during each few for from further had hadn't has hasn't have haven't having he he'd
    he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm i've if in into
    is isn't it it's its itself let's me more most mustn't my myself no nor not of off on once only
    or other ought our ours ourselves out over own same shan't she she'd she'll she's should
    shouldn't so some such than that that's the their theirs them themselves then there there's these
    they they'd they'll they're they've this those through to too under until up very was wasn't we
    we'd we'll we're we've were weren't what what's when when's where where's which while who who's
    whom why why's with won't would wouldn't you you'd you'll you're you've your yours yourself
    yourselves
    """.split()
)


def resolve_stopwords(stopwords) -> frozenset[str]:
    """Turn a stop-word option into a set.

    Parameters
    ----------
    stopwords : None, bool, str or iterable of str
        ``None``/``False``: no stop words; ``True`` or ``"english"``: the built-in list;
        any other iterable: those words (lower-cased).
    """
    if stopwords is None or stopwords is False:
        return frozenset()
    if stopwords is True or stopwords == "english":
        return ENGLISH_STOPWORDS
    if isinstance(stopwords, str):
        from evalsuite.core.errors import ConfigError

        raise ConfigError(f"stopwords: unknown list '{stopwords}' (built-in: 'english')")
    return frozenset(w.lower() for w in stopwords)
