"""A gensim Word2Vec trained in-process on gensim's lee corpus (evalsuite's built-in ``lee``):
20 dimensions, 2 epochs, one worker, seed 0, well under a second."""

#: a few tasks of each kind, enough for comparisons and tables (the acceptance test takes all)
TASKS = ["ws353", "men", "simlex999", "google"]


def train_lee(seed: int = 0, epochs: int = 2):
    """gensim's own Word2Vec on the lee documents, lower-cased by gensim's ``simple_preprocess``."""
    from gensim.models import Word2Vec
    from gensim.test.utils import datapath
    from gensim.utils import simple_preprocess

    with open(datapath("lee_background.cor"), encoding="utf-8") as fh:
        sentences = [simple_preprocess(line) for line in fh]
    return Word2Vec(sentences, vector_size=20, epochs=epochs, workers=1, seed=seed)
