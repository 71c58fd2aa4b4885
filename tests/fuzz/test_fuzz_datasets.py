"""Evaluation data: similarity and analogy task files (plain, .gz, .bz2), classification CSV,
and corpora."""

import csv
import io
import math

from hypothesis import given
from hypothesis import strategies as st

from evalsuite.core.errors import EvalsuiteError, InputError
from evalsuite.data.corpus import TextCorpus
from evalsuite.data.datasets import load_dataset
from evalsuite.data.datasets.base import AnalogyDataset, SimilarityDataset
from evalsuite.data.datasets.classification import load_classification_csv
from mutate import mutate, outcome, packed, scratch

WORD = st.text(st.characters(codec="utf-8", exclude_categories=("Z", "C")), min_size=1, max_size=6).filter(
    lambda w: not w.startswith(("#", ":")))
SCORE = st.floats(allow_nan=False, allow_infinity=False, width=32)


@st.composite
def similarity_file(draw) -> bytes:
    pairs = draw(st.lists(st.tuples(WORD, WORD, SCORE), min_size=1, max_size=6))
    sep = draw(st.sampled_from(["\t", " "]))
    return "".join(f"{a}{sep}{b}{sep}{s!r}\n" for a, b, s in pairs).encode()


@st.composite
def analogy_file(draw) -> bytes:
    lines = []
    for section in draw(st.lists(WORD, min_size=1, max_size=3)):
        lines.append(f": {section}")
        lines += [" ".join(q) for q in draw(st.lists(st.tuples(WORD, WORD, WORD, WORD), min_size=1, max_size=4))]
    return ("\n".join(lines) + "\n").encode()


@given(data=st.data(), kind=st.sampled_from(["similarity", "analogy"]))
def test_task_files(data, kind):
    raw = data.draw(similarity_file() if kind == "similarity" else analogy_file())
    content, suffix = packed(data, raw)
    forced = data.draw(st.sampled_from([None, kind]), label="kind")
    with scratch() as folder:
        path = folder / f"task.txt{suffix}"
        path.write_bytes(content)
        dataset = outcome("task files", path, lambda: load_dataset(str(path), forced), InputError)
        if dataset is not None:
            assert isinstance(dataset, (SimilarityDataset, AnalogyDataset)) and len(dataset) > 0
            if isinstance(dataset, SimilarityDataset):
                assert all(math.isfinite(p.score) and p.word1 and p.word2 for p in dataset.pairs)


@st.composite
def classification_csv(draw) -> bytes:
    text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)
    rows = draw(st.lists(st.tuples(text, st.sampled_from(["pos", "neg", "1", "0"])), min_size=2, max_size=6))
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["text", "label"])
    writer.writerows(rows)
    return buf.getvalue().encode()


@given(data=st.data())
def test_classification_csv(data):
    content = mutate(data, data.draw(classification_csv()))
    with scratch() as folder:
        path = folder / "reviews.csv"
        path.write_bytes(content)
        dataset = outcome("classification CSV", path, lambda: load_classification_csv(path), InputError)
        if dataset is not None:
            assert len(dataset.texts) == len(dataset.labels) >= 1 and len(dataset.label_names) >= 2
            assert set(dataset.labels) <= set(range(len(dataset.label_names)))


@given(data=st.data())
def test_corpora(data):
    lines = data.draw(st.lists(st.text(max_size=30), min_size=1, max_size=8), label="lines")
    content, suffix = packed(data, "\n".join(lines).encode("utf-8", "surrogatepass"))
    with scratch() as folder:
        path = folder / f"corpus.txt{suffix}"
        path.write_bytes(content)
        sentences = outcome("corpora", path, lambda: list(TextCorpus(path)), EvalsuiteError)
        if sentences is not None:
            assert sentences and all(sentences) and all(isinstance(t, str) for s in sentences for t in s)
