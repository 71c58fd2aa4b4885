"""Imports the built-in trainers so that they register themselves."""

import evalsuite.train.glove.trainer  # noqa: F401
import evalsuite.train.word2vec.gensim_trainer  # noqa: F401
import evalsuite.train.word2vec.torch_trainer  # noqa: F401
