import numpy as np
import pytest

from evalsuite.data.datasets.base import AnalogyDataset, AnalogyQuestion
from evalsuite.core.embeddings import Embeddings
from evalsuite.evaluate.protocol import Protocol
from evalsuite.evaluate.analogy import AnalogyTask

# man->king offset (0,1); gender offset (1,0)
WORDS = {
    "man": [0, 0, 1], "woman": [1, 0, 1], "king": [0, 1, 1], "queen": [1, 1, 1],
    "boy": [0, 0.1, 1.2], "girl": [1, 0.1, 1.2], "Paris": [3, 3, 0.1], "France": [3, 2.7, 0.5],
}
EMB = Embeddings(tuple(WORDS), np.array(list(WORDS.values()), dtype=np.float32),
                 counts=[80, 70, 60, 50, 40, 30, 20, 10], name="toy")
DATA = AnalogyDataset("toy", (
    AnalogyQuestion("man", "woman", "king", "queen", "gender"),
    AnalogyQuestion("man", "king", "woman", "queen", "royal"),
    AnalogyQuestion("boy", "girl", "man", "woman", "gender"),
    AnalogyQuestion("man", "woman", "boy", "unicorn", "gender"),
    AnalogyQuestion("paris", "france", "king", "queen", "royal"),
), families={"gender": "semantic", "royal": "syntactic"})


def brute(a, b, c, words, method):
    V = {w: np.array(v) / np.linalg.norm(v) for w, v in WORDS.items() if w in words}
    best, best_s = None, -np.inf
    for x, vx in V.items():
        if x in (a, b, c):
            continue
        ca, cb, cc = vx @ V[a], vx @ V[b], vx @ V[c]
        s = cb - ca + cc if method == "add" else ((cb + 1) / 2) * ((cc + 1) / 2) / ((ca + 1) / 2 + 1e-3)
        if s > best_s:
            best, best_s = x, s
    return best


def test_accuracies_sections_families_by_hand():
    r = AnalogyTask(DATA).evaluate(EMB, Protocol(bootstrap_samples=50, case="preserve"))
    assert r.n_items == 5 and r.n_scored == 3  # unicorn and lower-case paris/france are OOV
    for i in range(3):
        q = DATA.questions[i]
        assert r.items["predicted"][i] == brute(q.a, q.b, q.c, WORDS, "add")
        assert r.items["predicted_3cosmul"][i] == brute(q.a, q.b, q.c, WORDS, "mul")
    assert r.items["predicted"][3] is None and r.items["correct"][3] is None
    n_ok = sum(bool(x) for x in r.items["correct"][:3])
    assert r.scores["accuracy"] == pytest.approx(n_ok / 3)
    assert r.scores["accuracy_all"] == pytest.approx(n_ok / 5)
    sec = r.details["sections"]
    assert sec["gender"]["total"] == 3 and sec["gender"]["covered"] == 2 and sec["gender"]["family"] == "semantic"
    assert sec["royal"]["total"] == 2 and sec["royal"]["covered"] == 1
    fam = r.details["families"]
    assert fam["semantic"]["total"] == 3 and fam["syntactic"]["covered"] == 1
    assert fam["semantic"]["correct"] + fam["syntactic"]["correct"] == n_ok
    assert r.details["n_candidates"] == 8


def test_case_folding_and_candidate_cap():
    r = AnalogyTask(DATA).evaluate(EMB, Protocol(bootstrap_samples=0))
    assert r.n_scored == 4  # "paris"/"france" now match Paris/France
    assert r.ci95 is None
    # only the 4 most frequent words: boy/girl questions and Paris are out
    r = AnalogyTask(DATA).evaluate(EMB, Protocol(bootstrap_samples=0, analogy_vocab=4))
    assert r.n_scored == 2 and r.details["n_candidates"] == 4
    assert r.items["predicted"][0] == "queen" and r.items["correct"][0] is True


def test_chunking_does_not_change_results():
    p = Protocol(bootstrap_samples=0)
    a = AnalogyTask(DATA, chunk_size=1).evaluate(EMB, p)
    b = AnalogyTask(DATA).evaluate(EMB, p)
    assert a.items == b.items and a.scores == b.scores


@pytest.mark.parametrize("protocol", ["default", "gensim"])
@pytest.mark.parametrize("vocab", [(), ("foo", "bar")], ids=["empty", "unrelated"])
def test_zero_coverage_is_an_insufficient_result(protocol, vocab):
    from evalsuite.evaluate.protocol import get_protocol

    emb = Embeddings(vocab, np.eye(len(vocab), 3, dtype=np.float32), name="none")
    r = AnalogyTask(DATA).evaluate(emb, get_protocol(protocol))
    assert r.n_items == 5 and r.n_scored == 0
    assert np.isnan(r.main_score) and not r.sufficient
    assert r.insufficient_reason.startswith("0 of 5 questions scored")
    assert r.items["predicted"] == [None] * 5
    assert all(e["covered"] == 0 and e["accuracy"] is None for e in r.details["sections"].values())


def test_one_section_all_out_of_vocabulary():
    one = AnalogyDataset("oov", (AnalogyQuestion("x", "y", "z", "w", "only"),))
    r = AnalogyTask(one).evaluate(EMB, Protocol(bootstrap_samples=10))
    assert r.n_scored == 0 and r.ci95 is None and r.details["sections"]["only"]["covered"] == 0
