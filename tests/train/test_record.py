"""Every trainer builds its embeddings' meta from one TrainingRecord, resources measured."""

import numpy as np
import pytest

import runfakes
from evalsuite.core.provenance import package_versions
from evalsuite.data.corpus import InMemoryCorpus
from evalsuite.train import EpochStats, get_trainer
from evalsuite.train.record import TrainingMeter, TrainingRecord

_RNG = np.random.default_rng(0)
_WORDS = [f"w{i}" for i in range(12)]
CORPUS = InMemoryCorpus([list(_RNG.choice(_WORDS, 20)) for _ in range(30)], name="tiny")

TINY = {
    "torch-sgns": {"vector_size": 4, "epochs": 2, "min_count": 1, "workers": 1, "sample": 0.0},
    "torch-cbow": {"vector_size": 4, "epochs": 2, "min_count": 1, "workers": 1, "sample": 0.0},
    "gensim-word2vec": {"vector_size": 4, "epochs": 2, "min_count": 1, "workers": 1, "sample": 0.0},
    "torch-glove": {"vector_size": 4, "epochs": 2, "min_count": 1, "workers": 1, "window": 3},
}


@pytest.mark.parametrize("name", sorted(TINY))
def test_each_trainer_returns_the_record_as_its_meta(name):
    trainer = get_trainer(name)(**TINY[name])
    emb = trainer.fit(CORPUS, seed=3)
    record = TrainingRecord.from_meta(emb.meta)
    assert record.to_meta() == emb.meta  # nothing added after the record was built
    assert record.trainer == name and record.params == trainer.get_params() and record.seed == 3
    assert record.corpus == "tiny" and record.corpus_fingerprint == CORPUS.fingerprint()
    assert [h.epoch for h in record.history] == [1, 2] and all(isinstance(h, EpochStats) for h in record.history)
    assert record.train_seconds > 0 and record.cpu_seconds > 0
    assert record.peak_memory_bytes is None or record.peak_memory_bytes >= 0
    assert record.versions == package_versions()


def test_glove_counting_is_inside_the_measured_time():
    emb = get_trainer("torch-glove")(**TINY["torch-glove"]).fit(CORPUS, seed=0)
    record = TrainingRecord.from_meta(emb.meta)
    assert 0 < record.details["cooccurrence_cpu_seconds"] <= record.cpu_seconds
    assert 0 < record.details["cooccurrence_seconds"] <= record.train_seconds
    assert record.details["kernel"] in ("native", "torch") and record.details["nonzeros"] > 0


def test_the_fake_trainers_build_the_same_record():
    with runfakes.registered_fakes():
        trainer = get_trainer("fake-sgns")()
        emb = trainer.fit(InMemoryCorpus([runfakes.WORDS], name="fake"), seed=1)
    record = TrainingRecord.from_meta(emb.meta)
    assert record.trainer == "fake-sgns" and record.params == trainer.get_params() and record.corpus == "fake"
    assert record.to_meta() == emb.meta


def test_meter_counts_cpu_of_worker_threads():
    from evalsuite.core.threads import run_threads

    meter = TrainingMeter()
    run_threads(lambda w: sum(i * i for i in range(200_000)), 2)
    use = meter.usage()
    assert use.cpu_seconds > 0 and use.wall_seconds > 0


def test_meta_written_before_the_resource_fields_still_reads():
    old = {"trainer": "torch-sgns", "params": {"window": 5}, "seed": 0, "history": [
        {"epoch": 1, "loss": 2.0, "items_per_second": 10.0, "seconds": 0.5, "unit": "words"}],
        "train_seconds": 1.5, "kernel": "native", "corpus": "lee", "corpus_fingerprint": "abc"}
    record = TrainingRecord.from_meta(old)
    assert record.cpu_seconds is None and record.peak_memory_bytes is None and record.versions == {}
    assert record.history == (EpochStats(1, 2.0, 10.0, 0.5, "words"),) and record.details == {"kernel": "native"}
