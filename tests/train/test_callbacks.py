"""One divergence guard: every trainer stops at the same multiple of its first epoch's loss."""

import pytest

from evalsuite.core.errors import TrainingError
from evalsuite.data.corpus import InMemoryCorpus
from evalsuite.train.callbacks import DIVERGENCE_FACTOR
from evalsuite.train.glove.trainer import TorchGloVe
from evalsuite.train.word2vec.torch_trainer import TorchSGNS, _TorchWord2Vec

CORPUS = InMemoryCorpus([["a", "b", "c", "d", "e"], ["b", "c", "a", "e", "d"]] * 5, name="tiny")
SMALL = dict(vector_size=4, window=2, min_count=1, epochs=2, workers=1, kernel="torch")


def _train(monkeypatch, trainer: str, ratio: float):
    """Train ``trainer`` for two epochs whose mean losses are 1 and ``ratio``."""
    loss = {1: 1.0, 2: ratio}
    if trainer == "torch-glove":
        # the loss an epoch sums over the nonzeros
        monkeypatch.setattr(TorchGloVe, "_run_epoch",
                            lambda self, state, data, shares, lib, epoch, advance: loss[epoch] * len(data[0]))
        return TorchGloVe(**SMALL).fit(CORPUS, seed=0)
    # (loss sum, examples) of the 0-based epoch
    monkeypatch.setattr(_TorchWord2Vec, "_epoch", lambda self, state, epoch, seqs, advance: (loss[epoch + 1], 1.0))
    return TorchSGNS(**SMALL, sample=0.0).fit(CORPUS, seed=0)


def test_glove_and_word2vec_stop_with_the_same_message_at_the_same_threshold(monkeypatch):
    messages = {}
    for trainer in ("torch-glove", "torch-sgns"):
        with pytest.raises(TrainingError) as info:
            _train(monkeypatch, trainer, 1.05 * DIVERGENCE_FACTOR)
        prefix = f"{trainer}: "
        assert str(info.value).startswith(prefix)
        messages[trainer] = str(info.value)[len(prefix):]
    assert messages["torch-glove"] == messages["torch-sgns"] == (
        "training diverged: loss 10.5 at epoch 2 is more than 10x the first epoch's 1; "
        "the learning rate is probably too high (lower learning_rate)")


@pytest.mark.parametrize("trainer", ["torch-glove", "torch-sgns"])
def test_a_loss_just_under_the_threshold_trains(monkeypatch, trainer):
    emb = _train(monkeypatch, trainer, 0.95 * DIVERGENCE_FACTOR)
    assert [h["loss"] for h in emb.meta["history"]] == [1.0, 9.5]
