"""An embedding's record reads back from its stored form, that of earlier versions included."""

import pytest

from evalsuite.store.embedding_record import EmbeddingRecord
from evalsuite.store.sqlite import ResultStore

HISTORY = [{"epoch": 1, "loss": 2.0, "items_per_second": 10.0, "seconds": 0.5, "unit": "words"}]
META = {"trainer": "torch-sgns", "params": {"window": 5, "epochs": 1}, "seed": 1, "corpus": "lee",
        "corpus_fingerprint": "c0", "train_seconds": 1.5, "cpu_seconds": 2.5, "peak_memory_bytes": 4096,
        "versions": {"numpy": "2.0"}, "kernel": "native"}
TRAINED = {"name": "sgns@seed1", "group": "sgns", "base": "sgns", "seed": 1, "family": "word2vec",
           "sweep": {}, "source": "trained", "trainer": "torch-sgns", "params": {"window": 5},
           "resolved_params": {"window": 5, "epochs": 1}, "cache_key": "k1", "corpus": "lee",
           "corpus_fingerprint": "c0", "vocab_size": 10, "dim": 4, "fingerprint": "e0", "cached": False,
           "history": HISTORY, "train_seconds": 1.5, "meta": META, "seconds": {"obtain": 2.0, "evaluate": 0.1}}
PRETRAINED = {"name": "glove6b", "group": "glove6b", "base": "glove6b", "seed": None, "family": "glove",
              "sweep": {}, "source": "pretrained", "path": "v.txt", "format": "glove", "vocab_size": 3, "dim": 2,
              "fingerprint": "e1", "seconds": {"obtain": 0.2}}


@pytest.mark.parametrize("stored", [TRAINED, PRETRAINED], ids=["trained", "pretrained"])
def test_stored_form_round_trips_keys_order_and_values(stored):
    record = EmbeddingRecord.from_dict(stored)
    assert record.to_dict() == stored and list(record.to_dict()) == list(stored)
    assert EmbeddingRecord.from_dict(record.to_dict()) == record


def test_typed_fields_and_training_record():
    record = EmbeddingRecord.from_dict(TRAINED)
    assert record.trained and record.seconds == {"obtain": 2.0, "evaluate": 0.1}
    training = record.training
    assert training.cpu_seconds == 2.5 and training.history[0].loss == 2.0 and training.details == {"kernel": "native"}
    assert EmbeddingRecord.from_dict(PRETRAINED).training is None


def test_a_record_of_an_earlier_version_reads():
    # written before records had family, sweep, resolved_params, and before meta had resources
    old_meta = {k: v for k, v in META.items() if k not in ("cpu_seconds", "peak_memory_bytes", "versions")}
    old = {k: v for k, v in TRAINED.items() if k not in ("family", "sweep", "resolved_params", "base")}
    old = {**old, "meta": old_meta, "note": "a key this version does not know"}
    record = EmbeddingRecord.from_dict(old)
    assert record.family is None and record.sweep == {} and record.resolved_params == {}
    assert record.training.cpu_seconds is None and record.training.train_seconds == 1.5
    assert record.extra == {"note": "a key this version does not know"} and record.to_dict()["note"] == old["note"]
    named_in_meta = EmbeddingRecord.from_dict({"meta": {"name": "x"}, "source": "pretrained"})
    assert named_in_meta.name == "x"
    with pytest.raises(ValueError, match="names no embedding"):
        EmbeddingRecord.from_dict({"source": "trained"})


def test_the_store_keeps_the_stored_form(tmp_path):
    with ResultStore(tmp_path / "r.sqlite", write=True) as store:
        store.begin_run("r1", "r", {}, "h", package_versions={}, machine={})
        store.add_results("r1", [], [TRAINED, PRETRAINED])
        store.finish_run("r1")
        run = store.load_run("r1")
    assert [EmbeddingRecord.from_dict(e).to_dict() for e in run.embeddings] == [TRAINED, PRETRAINED]


def test_run_records_leave_out_entries_that_name_no_embedding():
    from evalsuite.core.results import RunResult
    from evalsuite.store.embedding_record import embedding_records

    run = RunResult(run_id="r", name="r", task_results=(),
                    embeddings=(TRAINED, "not a record", {"group": "g"}, {"name": "v", "sweep": [1], "meta": 3}))
    records = embedding_records(run)
    assert [r.name for r in records] == ["sgns@seed1", "v"]
    assert records[1].sweep == {} and records[1].meta == {}  # tables that are not tables read as empty
