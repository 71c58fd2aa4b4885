"""Imports the built-in trainers so that they register themselves."""

import importlib

for _module in ("gensim_word2vec", "torch_word2vec", "torch_glove"):
    try:
        importlib.import_module(f"evalsuite.trainers.{_module}")
    except ModuleNotFoundError as exc:  # a trainer module not written yet
        if exc.name != f"evalsuite.trainers.{_module}":
            raise
