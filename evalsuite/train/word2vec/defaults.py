"""The parameters every Word2Vec trainer shares, with gensim's defaults.

torch-sgns, torch-cbow and gensim-word2vec start from these, in this order, and add
their own (see each trainer's ``_parameter_defaults``).
"""

from __future__ import annotations

from evalsuite.train.limits import (
    MAX_BATCH_SIZE, MAX_COUNT, MAX_EPOCHS, MAX_NEGATIVE, MAX_VECTOR_SIZE, MAX_WINDOW, MAX_WORKERS, upto,
)
from evalsuite.train.params import Interval, Real, Relation

AT_LEAST_1 = upto(MAX_COUNT)
#: count ** ns_exponent stays finite for any corpus' counts within this range
NS_EXPONENT = [Interval(Real, -10, 10)]
BATCH_SIZE = upto(MAX_BATCH_SIZE)
WORKERS = upto(MAX_WORKERS)

#: name -> default: dimension, window, negative samples and their exponent, subsampling, vocabulary
#: cut, a learning rate decaying linearly from learning_rate to min_learning_rate, epochs
WORD2VEC_DEFAULTS = {
    "vector_size": 100,
    "window": 5,
    "negative": 5,
    "ns_exponent": 0.75,
    "sample": 1e-3,
    "min_count": 5,
    "max_vocab_size": None,
    "learning_rate": 0.025,
    "min_learning_rate": 1e-4,
    "epochs": 5,
}

WORD2VEC_CONSTRAINTS = {
    "vector_size": upto(MAX_VECTOR_SIZE),
    "window": upto(MAX_WINDOW),
    "negative": upto(MAX_NEGATIVE),
    "ns_exponent": NS_EXPONENT,
    "sample": [Interval(Real, 0, None, closed="left")],
    "min_count": AT_LEAST_1,
    "max_vocab_size": [*AT_LEAST_1, None],
    "learning_rate": [Interval(Real, 0, None, closed="neither")],
    "min_learning_rate": [Interval(Real, 0, None, closed="left")],
    "epochs": upto(MAX_EPOCHS),
}

LEARNING_RATE_ORDER = Relation("min_learning_rate", lambda p: p["min_learning_rate"] <= p["learning_rate"],
                               "must be <= learning_rate ({learning_rate}), got {min_learning_rate}",
                               "<= learning_rate")

#: names used before the learning rate was called so
RENAMED = {"alpha": "learning_rate", "min_alpha": "min_learning_rate"}

__all__ = ["AT_LEAST_1", "BATCH_SIZE", "NS_EXPONENT", "WORKERS", "LEARNING_RATE_ORDER", "RENAMED", "WORD2VEC_CONSTRAINTS", "WORD2VEC_DEFAULTS"]
