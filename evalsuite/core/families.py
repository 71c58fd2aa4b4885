"""Embedding families: which method (Word2Vec, GloVe or other) an embedding comes from."""

from __future__ import annotations


def family_of(trainer: str | None, name: str) -> str:
    """``"word2vec"``, ``"glove"`` or ``"other"``, guessed from the trainer and embedding names.

    Parameters
    ----------
    trainer : str or None
        Trainer name (None for a pretrained file).
    name : str
        Embedding name.

    Returns
    -------
    str
    """
    text = f"{trainer or ''} {name}".lower()
    if "glove" in text:
        return "glove"
    if any(k in text for k in ("word2vec", "sgns", "cbow", "skipgram", "skip-gram", "w2v")):
        return "word2vec"
    return "other"


__all__ = ["family_of"]
