"""The compiled first-seen word table against ids and counts worked out by hand."""

import numpy as np
import pytest

from evalsuite.native.vocab import FirstSeen, load_native


@pytest.fixture
def table():
    t = FirstSeen(load_native(required=True))
    yield t
    t.close()


def test_ids_in_order_of_first_appearance_and_counts(table):
    # a b a | c "" a é  ->  a 0, b 1, c 2, "" 3, é 4
    np.testing.assert_array_equal(table.ids(["a", "b", "a"]), [0, 1, 0])
    np.testing.assert_array_equal(table.ids(["c", "", "a", "é"]), [2, 3, 0, 4])
    assert table.ids([]).tolist() == []
    words, counts = table.words()
    assert words == ["a", "b", "c", "", "é"] and counts.tolist() == [3, 1, 1, 1, 1]


def test_many_words_grow_the_table(table):
    tokens = [f"w{k % 50_000}" for k in range(120_000)]
    ids = table.ids(tokens)
    assert ids[:3].tolist() == [0, 1, 2] and ids[50_000] == 0 and ids.max() == 49_999
    words, counts = table.words()
    assert words[49_999] == "w49999" and counts[:3].tolist() == [3, 3, 3] and counts[-1] == 2


def test_tokens_it_cannot_take_are_refused_uncounted(table):
    table.ids(["a"])
    assert table.ids(["x", "a\0b"]) is None and table.ids(["x", 3]) is None
    assert table.words() == (["a"], pytest.approx([1]))
