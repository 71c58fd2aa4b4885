"""A small built-in English stop-word list.

Function words only (articles, pronouns, auxiliaries, prepositions, conjunctions),
lower case, in the tokenizer's output form (contractions are split, so the list holds
``do``, ``n't``, ``ca``, ``'s`` rather than ``don't``, ``can't``, ``it's``). Negations (``not``,
``n't``, ``no``) are listed too; drop them from the set yourself if a
task needs them (sentiment, for example).
"""

from __future__ import annotations

ENGLISH_STOPWORDS: frozenset[str] = frozenset(
    """
    a about above after again against all am an and any are as at be because been before being below
    between both but by ca can cannot could 'd did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it its
    itself let 'll 'm me more most must my myself n't no nor not of off on once only or other ought
    our ours ourselves out over own 're 's same sha she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up 've very
    was we were what when where which while who whom why with wo would you your yours yourself
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
