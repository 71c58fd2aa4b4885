import numpy as np
import pytest

from evalsuite import Embeddings
from evalsuite.evaluate.classification.data import (
    build_vocabulary, encode, initial_matrix, random_vectors, seen_rows, stratified_kfold, stratified_split, tokenize,
)


def test_tokenize_splits_clitics_and_drops_tags():
    assert tokenize("I don't like it's <br /><br />ending!") == ["i", "do", "n't", "like", "it", "'s", "ending", "!"]


def test_shared_tokenizer_maps_clitics_to_one_vector_on_both_sides(tmp_path):
    from evalsuite.data.corpus import TextCorpus
    from evalsuite.data.datasets.classification import ClassificationDataset
    from evalsuite.evaluate.classification.task import prepare

    corpus = tmp_path / "corpus.txt"
    corpus.write_text("I don't think it's bad.\nShe doesn\u2019t say what's good!\n", encoding="utf-8")
    corpus_words = sorted({w for sentence in TextCorpus(corpus) for w in sentence})
    assert "n't" in corpus_words and "'s" in corpus_words and "don't" not in corpus_words
    # an embedding trained on the corpus has one row per corpus token: give each a distinct vector
    emb = Embeddings(tuple(corpus_words), np.arange(len(corpus_words) * 2, dtype=float).reshape(-1, 2))
    ds = ClassificationDataset("toy", ("It's not good, isn't it?", "Don't go; it's bad."), (1, 0), ("0", "1"),
                               ("t:0", "t:1"))
    prep = prepare(ds, {"val_fraction": 0.5, "test_fraction": 0.0})
    matrix, found = initial_matrix(prep.encoded.vocab, emb, "finetuned")
    for word in ("n't", "'s"):
        row = prep.encoded.vocab.index(word) + 1
        assert found[row] and np.array_equal(matrix[row], emb[word])  # the corpus's vector for the classifier's token
        assert sum(d.tolist().count(row) for d in prep.encoded.docs) == 2  # isn't / don't; it's twice
    assert "isn't" not in prep.encoded.vocab and "don't" not in prep.encoded.vocab


def test_stratified_split_keeps_ratios_and_is_seeded():
    labels = np.array([0] * 300 + [1] * 100)
    s = stratified_split(labels, val_fraction=0.1, test_fraction=0.2, seed=3)
    assert (labels[s.test] == 1).sum() == 20 and (labels[s.test] == 0).sum() == 60
    assert (labels[s.val] == 1).sum() == 10 and (labels[s.val] == 0).sum() == 30
    allrows = np.concatenate([s.train, s.val, s.test])
    assert sorted(allrows.tolist()) == list(range(400))
    again = stratified_split(labels, val_fraction=0.1, test_fraction=0.2, seed=3)
    assert np.array_equal(s.test, again.test) and np.array_equal(s.val, again.val)
    other = stratified_split(labels, val_fraction=0.1, test_fraction=0.2, seed=4)
    assert not np.array_equal(s.test, other.test)


def test_kfold_partitions_and_stratifies():
    labels = np.array([0] * 50 + [1] * 25)
    folds = stratified_kfold(labels, 5, seed=1)
    tests = np.concatenate([f.test for f in folds])
    assert sorted(tests.tolist()) == list(range(75))
    for f in folds:
        assert (labels[f.test] == 1).sum() == 5 and len(f.test) == 15
        assert not set(f.test) & (set(f.train) | set(f.val))
        assert len(f.train) + len(f.val) + len(f.test) == 75
    with pytest.raises(ValueError):
        stratified_kfold(labels, 1)


def test_vocabulary_encode_and_seen_rows():
    toks = [["b", "a", "b"], ["c", "a", "b"], ["d"]]
    vocab = build_vocabulary(toks, min_count=2)
    assert vocab == ("b", "a")
    enc = encode(toks, vocab, max_length=2)
    assert [d.tolist() for d in enc.docs] == [[1, 2], [2, 1], []]
    assert seen_rows(enc, np.array([2])).tolist() == [False, False, False]
    assert seen_rows(enc, np.array([0])).tolist() == [False, True, True]


def test_oov_vectors_identical_across_modes_and_vocabularies():
    emb = Embeddings(("known",), np.full((1, 4), 2.0))
    vocab = ("known", "oov1", "oov2")
    mats = {m: initial_matrix(vocab, emb, m, scale=0.1, seed=7) for m in ("random", "frozen", "finetuned")}
    for m, (mat, found) in mats.items():
        assert np.array_equal(mat[0], np.zeros(4))          # padding
        assert np.array_equal(mat[2:], mats["random"][0][2:])  # OOV rows equal in every mode
        assert np.all(np.abs(mat[2:]) <= 0.1)
    assert np.array_equal(mats["frozen"][0][1], [2, 2, 2, 2]) and mats["frozen"][1].tolist() == [False, True, False, False]
    assert not np.array_equal(mats["random"][0][1], [2, 2, 2, 2])
    # a word's vector does not depend on the rest of the vocabulary, but does on the seed
    assert np.array_equal(random_vectors(["oov2"], 4, 0.1, 7)[0], mats["random"][0][3])
    assert not np.array_equal(random_vectors(["oov2"], 4, 0.1, 8)[0], mats["random"][0][3])


def test_auto_scale_matches_pretrained_variance():
    rng = np.random.default_rng(0)
    emb = Embeddings(tuple(f"w{i}" for i in range(2000)), rng.normal(0, 0.5, (2000, 20)))
    mat, _ = initial_matrix(tuple(f"x{i}" for i in range(2000)), emb, "random", seed=0)
    assert np.std(mat[1:]) == pytest.approx(0.5, rel=0.05)
