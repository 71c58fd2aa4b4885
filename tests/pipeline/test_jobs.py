"""The training cache key comes from the resolved parameters (defaults included) and the version."""

import json

import pytest

import runfakes
from evalsuite.config import CorpusSpec, EmbeddingSpec
from evalsuite.pipeline.jobs import Job, cache_entry_info, obtain_embeddings
from evalsuite.store.embedding_record import EmbeddingRecord
from evalsuite.train import get_trainer
from evalsuite.train.cache import trainer_cache_key

# the fake trainers of runfakes, registered for each test
pytestmark = pytest.mark.usefixtures("fake_trainers")


def _job(tmp_path, params):
    corpus = CorpusSpec(source=str(runfakes.write_corpus(tmp_path)), is_path=True)
    spec = EmbeddingSpec(name="s", base="s", trainer="fake-sgns", params=params,
                         resolved=get_trainer("fake-sgns").resolve(params))
    return Job(spec=spec, seed=0, label="s", corpus=corpus, tasks=(), protocol="default",
               cache_dir=str(tmp_path / "cache"))


def test_a_changed_default_is_not_served_from_the_cache(tmp_path, monkeypatch):
    job = _job(tmp_path, {"noise": 0.1})  # dim left at its default, 8
    emb, record, hit, _ = obtain_embeddings(job)
    assert not hit and emb.dim == 8
    assert obtain_embeddings(job)[2]  # same parameters: from the cache

    monkeypatch.setitem(get_trainer("fake-sgns")._parameter_defaults, "dim", 5)
    assert obtain_embeddings(job)[2]  # the job's parameters were resolved before the change
    emb, new_record, hit, _ = obtain_embeddings(_job(tmp_path, {"noise": 0.1}))
    assert not hit and emb.dim == 5  # the old 8-dimensional matrix is not reused
    assert new_record.cache_key != record.cache_key


def test_a_default_written_out_shares_the_key(tmp_path):
    implicit = obtain_embeddings(_job(tmp_path, {"noise": 0.1}))[1].cache_key
    explicit = obtain_embeddings(_job(tmp_path, {"noise": 0.1, "dim": 8, "epochs": 2}))
    assert explicit[2] and explicit[1].cache_key == implicit


def test_trainer_key_follows_defaults_and_version(monkeypatch):
    cls = get_trainer("torch-sgns")
    key = trainer_cache_key("fp", cls.resolve({}), 0)
    assert trainer_cache_key("fp", cls.resolve({"window": 5}), 0) == key
    monkeypatch.setitem(cls._parameter_defaults, "window", 7)
    assert trainer_cache_key("fp", cls.resolve({}), 0) != key
    monkeypatch.undo()
    monkeypatch.setattr(cls, "version", cls.version + 1)
    assert trainer_cache_key("fp", cls.resolve({}), 0) != key


def test_the_record_holds_the_training_record_and_stores_as_before(tmp_path):
    emb, record, hit, _ = obtain_embeddings(_job(tmp_path, {"noise": 0.1}))
    assert isinstance(record, EmbeddingRecord) and not hit
    assert list(record.to_dict()) == ["name", "group", "base", "seed", "family", "sweep", "source", "trainer", "params",
                                      "resolved_params", "cache_key", "corpus", "corpus_fingerprint", "vocab_size",
                                      "dim", "fingerprint", "cached", "history", "train_seconds", "meta"]
    assert record.params == {"noise": 0.1} and record.resolved_params == {"noise": 0.1, "dim": 8, "epochs": 2}
    training = record.training
    assert training.trainer == "fake-sgns" and training.params == record.resolved_params and training.seed == 0
    assert [h.epoch for h in training.history] == [1, 2] and training.cpu_seconds >= 0
    assert training.corpus_fingerprint == record.corpus_fingerprint
    assert EmbeddingRecord.from_dict(record.to_dict()) == record
    cached = obtain_embeddings(_job(tmp_path, {"noise": 0.1}))[1]
    assert cached.cached and cached.training == training  # the cache entry keeps the whole record


def test_the_cache_entry_records_the_resolved_params(tmp_path):
    # the same function writes the entry locally and, on Ray, in the driver
    record = obtain_embeddings(_job(tmp_path, {"noise": 0.1}))[1]
    info = cache_entry_info(record)
    assert info == {"trainer": "fake-sgns", "params": {"noise": 0.1, "dim": 8, "epochs": 2}, "seed": 0,
                    "corpus_fingerprint": record.corpus_fingerprint}
    stored = json.loads((tmp_path / "cache" / f"{record.cache_key}.json").read_text())
    assert {k: stored[k] for k in info} == info
