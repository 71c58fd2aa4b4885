import itertools
import os
import time

import pytest

from evalsuite.data.corpus import TextCorpus, corpus_from
from evalsuite.data.corpus import fingerprint as fp
from evalsuite.core.errors import UnknownNameError


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("EVALSUITE_CACHE_DIR", str(tmp_path / "cache"))
    fp._MEMO.clear()


def test_fingerprint_changes_with_content_and_settings(tmp_path):
    p = tmp_path / "c.txt"
    p.write_text("the cat sat\n")
    base = TextCorpus(p).fingerprint()
    assert TextCorpus(p).fingerprint() == base
    assert TextCorpus(p, stopwords="english").fingerprint() != base
    assert TextCorpus(p, lowercase=False).fingerprint() != base
    assert TextCorpus(p, phrases=True).fingerprint() != base
    q = tmp_path / "d.txt"
    q.write_text("the cat sat\n")
    assert TextCorpus(q).fingerprint() == base  # content, not file name
    time.sleep(0.01)
    p.write_text("the cat sat down\n")
    os.utime(p, ns=(time.time_ns(), time.time_ns()))
    assert TextCorpus(p).fingerprint() != base


def test_file_hash_is_cached(tmp_path):
    p = tmp_path / "c.txt"
    p.write_text("x\n")
    first = fp.file_sha256(p)
    assert (tmp_path / "cache" / "file-hashes.json").exists()
    fp._MEMO.clear()
    # a stale but matching (size, mtime) entry is trusted: proves the cache is read
    table = fp._load_table(tmp_path / "cache" / "file-hashes.json")
    key = str(p.resolve())
    table[key]["sha256"] = "cached"
    fp.write_json(tmp_path / "cache" / "file-hashes.json", table)
    assert fp.file_sha256(p) == "cached"
    assert fp.file_sha256(p, use_cache=False) == first


def test_unknown_name_suggests():
    with pytest.raises(UnknownNameError, match="did you mean 'imdb'"):
        corpus_from("imbd")


def test_path_and_corpus_objects(tmp_path):
    p = tmp_path / "c.txt"
    p.write_text("Hello world\n")
    c = corpus_from(str(p), stopwords="english")
    assert list(c) == [["hello", "world"]] and c.name == "c.txt"
    assert corpus_from(c) is c


def test_lee():
    c = corpus_from("lee")
    assert c.name == "lee"
    sents = list(c)
    assert len(sents) == 300 and sents[0][:3] == ["hundreds", "of", "people"]


def test_imdb_is_the_imdb_rows():
    c = corpus_from("imdb")
    first = next(iter(c))
    assert first[:4] == ["i", "rented", "i", "am"] and "br" not in first
    rows = list(itertools.islice(c.source, 30))
    assert all(line >= 2 for _, line, _ in rows)


@pytest.mark.slow
def test_imdb_has_25000_reviews():
    labels = {}
    for _, _, text in corpus_from("imdb").source:
        labels[len(labels)] = text
    assert len(labels) == 25_000
