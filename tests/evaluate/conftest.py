"""Fixtures shared by the task tests."""

import pytest

from analogy_vectors import GOOGLE


@pytest.fixture(scope="module")
def questions(tmp_path_factory):
    """Every 4th question of each of the 14 Google sections (about 4,900): gensim's
    evaluator is a Python loop, and a quarter of each section tests the same rules."""
    lines, kept = open(GOOGLE, encoding="utf-8").read().splitlines(), []
    n = 0
    for line in lines:
        if line.startswith(":"):
            kept.append(line)
            n = 0
        else:
            if n % 4 == 0:
                kept.append(line)
            n += 1
    path = tmp_path_factory.mktemp("analogies") / "questions-subset.txt"
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return str(path)
