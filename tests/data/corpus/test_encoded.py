import numpy as np
import pytest

from evalsuite.data.corpus import InMemoryCorpus, Vocabulary, encode_corpus
from evalsuite.core.errors import EvalsuiteError

SENTS = [["a", "b", "a"], ["zz"], ["c", "a", "b", "qq", "b"], ["b"]]


def vocab():
    return Vocabulary.build(SENTS, min_count=1, max_size=3)  # a, b, c (zz, qq out)


@pytest.mark.parametrize("chunk", [1, 2, 1 << 20])
def test_round_trip(chunk):
    v = vocab()
    with encode_corpus(InMemoryCorpus(SENTS), v, chunk_tokens=chunk) as enc:
        assert enc.tokens.dtype == np.int32 and enc.offsets.dtype == np.int64
        assert isinstance(enc.tokens, np.memmap)
        assert enc.offsets.tolist() == [0, 3, 7, 8]  # the all-OOV sentence is dropped
        decoded = [[v.words[i] for i in s] for s in enc]
        assert decoded == [["a", "b", "a"], ["c", "a", "b", "b"], ["b"]]
        assert len(enc) == 3 and enc.n_tokens == 8
        path = enc.tokens_path
    assert not path.exists()  # temporary files removed on close


def test_cache_dir_reuses_files(tmp_path):
    v = vocab()
    c = InMemoryCorpus(SENTS)
    first = encode_corpus(c, v, cache_dir=tmp_path)
    mtime = first.tokens_path.stat().st_mtime_ns
    second = encode_corpus(c, v, cache_dir=tmp_path)
    assert second.tokens_path == first.tokens_path and second.tokens_path.stat().st_mtime_ns == mtime
    assert np.array_equal(second.tokens, first.tokens)
    other = encode_corpus(InMemoryCorpus(SENTS[:1]), v, cache_dir=tmp_path)
    assert other.tokens_path != first.tokens_path and other.n_tokens == 3


def test_no_in_vocabulary_tokens():
    with pytest.raises(EvalsuiteError, match="no in-vocabulary"):
        encode_corpus(InMemoryCorpus([["zz"]]), vocab())


def test_memory_bounded_by_chunk(tmp_path):
    # a generator corpus of 200k tokens, chunks of 1000: the writer never holds the corpus
    class Stream:
        name = "stream"

        def __iter__(self):
            for i in range(20_000):
                yield ["a", "b", "c", "a", "b", "c", "a", "b", "c", "a"]

    import tracemalloc

    tracemalloc.start()
    enc = encode_corpus(Stream(), vocab(), chunk_tokens=1000)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert enc.n_tokens == 200_000 and len(enc) == 20_000
    assert peak < 200_000 * 4  # less than the int32 ids themselves


@pytest.mark.parametrize("chunk", [1, 2, 1 << 20])
def test_one_pass_vocabulary_and_encoding_by_hand(chunk):
    from evalsuite.data.corpus.encoded import encode_with_vocabulary

    # counts a 3, b 4, c 1, zz 1, qq 1; max_size 3 keeps a, b, c; b first (most frequent)
    v, enc = encode_with_vocabulary(InMemoryCorpus(SENTS), min_count=1, max_size=3, chunk_tokens=chunk)
    assert v == vocab() and v.words == ("b", "a", "c") and v.total_words == 10 and v.sentences == 4
    with enc:
        assert enc.offsets.tolist() == [0, 3, 7, 8]  # the all-OOV sentence is dropped
        assert [s.tolist() for s in enc] == [[1, 0, 1], [2, 1, 0, 0], [0]]
        path = enc.tokens_path
    assert not path.exists()


@pytest.mark.parametrize("table", ["compiled", "dict", "switch"])
def test_one_pass_equals_build_then_encode(table, monkeypatch):
    from evalsuite.data.corpus import encoded
    from evalsuite.data.corpus.encoded import encode_with_vocabulary

    rng = np.random.default_rng(3)
    words = ["é", "日本", ""] + [f"w{k}" for k in range(37)]  # multi-byte and empty tokens too
    # Zipf-like draws, some empty sentences, some sentences of rare words only
    sents = [list(rng.choice(words, size=rng.integers(0, 15), p=np.arange(40, 0, -1) / 820)) for _ in range(300)]
    if table == "switch":  # a token the compiled table cannot take, in the middle: a dict from there on
        sents[150].append("a\0b")
    if table == "dict":  # as without a C compiler
        monkeypatch.setattr(encoded.native_vocab, "load_native", lambda required=False: None)
    corpus = InMemoryCorpus(sents)
    v1, enc = encode_with_vocabulary(corpus, min_count=4, chunk_tokens=37)
    v2 = Vocabulary.build(corpus, min_count=4)
    assert v1 == v2 and v1.sentences == v2.sentences == 300
    assert {"é", "日本", ""} <= set(v1.words)
    with enc, encode_corpus(corpus, v2) as want:
        np.testing.assert_array_equal(enc.tokens, want.tokens)
        np.testing.assert_array_equal(enc.offsets, want.offsets)
    with pytest.raises(EvalsuiteError, match="empty vocabulary"):
        encode_with_vocabulary(corpus, min_count=10_000)
