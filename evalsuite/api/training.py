"""``evalsuite.train``: train one embedding, its parameters resolved as a config's are.

The trainer's parameters are checked against the rules it declares (old names warn, unknown
names and bad values are errors in the config's words), and the matrix comes from, or goes
into, the cache of ``evalsuite run`` when a cache folder is given.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from evalsuite.core.embeddings import Embeddings
from evalsuite.core.errors import ConfigError

if TYPE_CHECKING:  # the config package imports the fine-tuning settings, and with them torch
    from evalsuite.config.sections import ConfigContext
    from evalsuite.config.specs import EmbeddingSpec
    from evalsuite.store.embedding_record import EmbeddingRecord
    from evalsuite.train.base import Trainer, TrainerCallback


def embedding_spec(trainer: str, cls: type[Trainer], params: Mapping[str, Any], ctx: ConfigContext) -> EmbeddingSpec:
    """The embedding ``cls`` (registered as ``trainer``) trains with ``params``, resolved as a
    config's is: old names translated with a warning, every value checked, the defaults filled
    in; errors and warnings name each key as ``ctx`` does."""
    from evalsuite.config.sections import resolve_trainer, trainer_params
    from evalsuite.config.specs import EmbeddingSpec

    named = trainer_params(ctx, "", cls, params)
    return EmbeddingSpec(name=trainer, base=trainer, trainer=trainer, params=named,
                         resolved=resolve_trainer(ctx, "", cls, named))


def check_seed(seed, where: str = "seed") -> int:
    """``seed``, checked by the trainers' seed rule (an int in ``[0, 2**32)``) before any work;
    ``where`` names it in the error."""
    from evalsuite.train.limits import check_seed as trainers_rule
    from evalsuite.train.params import ParameterError

    try:
        return trainers_rule(seed)
    except ParameterError as exc:
        raise ConfigError(f"{where}: {exc.problem}") from None


def obtain(spec: EmbeddingSpec, corpus: str | os.PathLike, *, seed: int = 0, stopwords: bool = False,
           phrases: bool = False, cache_dir: str | os.PathLike | None = None, use_cache: bool = True,
           callbacks: Sequence[TrainerCallback] | None = None) -> tuple[Embeddings, EmbeddingRecord, bool]:
    """Train ``spec`` on ``corpus`` (or take its matrix from the cache), as a job of ``evalsuite run``.

    Returns
    -------
    (Embeddings, EmbeddingRecord, bool)
        The embeddings, their record, and whether the cache held them.
    """
    from evalsuite.config.specs import CorpusSpec
    from evalsuite.pipeline.jobs import Job, obtain_embeddings

    if not isinstance(corpus, (str, os.PathLike)):
        raise ConfigError(f"corpus: expected a built-in corpus name (imdb, lee) or a text file or folder, "
                          f"got {type(corpus).__name__}")
    preprocessing = {"stopwords": "english" if stopwords else None, "phrases": phrases}
    job = Job(spec=spec, seed=seed, label=spec.name, corpus=CorpusSpec(source=os.fspath(corpus), is_path=False,
                                                                      preprocessing=preprocessing),
              tasks=(), protocol="default", cache_dir=os.fspath(cache_dir) if cache_dir is not None else None,
              use_cache=use_cache)
    emb, record, hit, _ = obtain_embeddings(job, callbacks=callbacks)
    return emb, record, hit


def train(trainer: str, corpus: str | os.PathLike, *, seed: int = 0, stopwords: bool = False,
          phrases: bool = False, cache_dir: str | os.PathLike | None = None, use_cache: bool = True,
          callbacks: Sequence[TrainerCallback] | None = None, **params: Any) -> Embeddings:
    """Train one embedding, as ``evalsuite train`` does.

    Parameters
    ----------
    trainer : str
        A registered trainer: ``"gensim-word2vec"``, ``"torch-sgns"``, ``"torch-cbow"``,
        ``"torch-glove"`` (``evalsuite train --list`` shows each one's parameters).
    corpus : str or path
        A built-in corpus (``"lee"``, ``"imdb"``), or a text file or folder (.gz/.bz2/.xz too).
    seed : int
        The training seed, in ``[0, 2**32)``.
    stopwords : bool
        Remove English stop words.
    phrases : bool
        Join frequent bigrams (``new_york``).
    cache_dir : str or path, optional
        The cache of trained matrices, shared with ``evalsuite run`` (``".evalsuite-cache"`` is
        its folder): the matrix is taken from it when it holds one for the same corpus,
        trainer, resolved parameters and seed, else trained and stored. Default None: no cache,
        nothing is read or written.
    use_cache : bool
        With ``cache_dir``: False trains even when the cache holds the matrix (the new one is
        still stored), as ``--no-cache``.
    callbacks : sequence of TrainerCallback, optional
        Follow the training (default: none, silent).
    **params
        Trainer parameters under their names (``vector_size=50``, ``window=5``, ``epochs=5``);
        checked against the trainer's rules, the rest take their defaults. Old names
        (``alpha``) still work, with a warning naming the new one.

    Returns
    -------
    Embeddings
        Named after the trainer; ``meta`` holds the parameters, seed, corpus and the
        per-epoch loss history.

    Raises
    ------
    ConfigError
        For an unknown trainer or parameter, or a value the trainer refuses, in the words of
        a config's error, naming the keyword (``train: epochs: must be ...``).
    """
    from evalsuite.config.sections import ConfigContext, lookup_trainer

    ctx = ConfigContext("train")
    spec = embedding_spec(trainer, lookup_trainer(ctx, "trainer", trainer), params, ctx)
    emb, _, _ = obtain(spec, corpus, seed=check_seed(seed), stopwords=stopwords, phrases=phrases,
                       cache_dir=cache_dir, use_cache=use_cache, callbacks=callbacks)
    return emb


__all__ = ["check_seed", "embedding_spec", "obtain", "train"]
