import hashlib
import json

import pytest

from evalsuite.data.datasets import bundled, list_datasets, load_dataset, register_dataset, unregister_dataset
from evalsuite.core.errors import EvalsuiteError, InputError, UnknownNameError
from evalsuite.data.datasets.classification import BUNDLED

EXPECTED_ROWS = {
    "ws353": 353, "ws353_sim": 203, "ws353_rel": 252, "simlex999": 999, "men": 3000,
    "rw": 2034, "mturk287": 287, "rg65": 65, "google": 19544, "msr": 8000,
}


def test_every_bundled_dataset_loads_with_published_size():
    names = {d["name"] for d in list_datasets() if d["kind"] != "classification"}
    assert names == set(EXPECTED_ROWS)
    assert {d["name"] for d in list_datasets("classification")} == set(BUNDLED) == {"mr", "imdb"}
    for name, rows in EXPECTED_ROWS.items():
        assert len(load_dataset(name)) == rows


def test_google_has_14_sections_split_semantic_syntactic():
    google = load_dataset("google")
    assert len(google.sections) == 14
    counts = {}
    for q in google.questions:
        counts[google.families[q.section]] = counts.get(google.families[q.section], 0) + 1
    assert counts == {"semantic": 8869, "syntactic": 10675}  # Mikolov et al. (2013)


def test_msr_is_16_syntactic_relations():
    msr = load_dataset("msr")
    assert len(msr.sections) == 16 and set(msr.families.values()) == {"syntactic"}


def test_first_pairs_match_the_source_files():
    ws = load_dataset("ws353")
    assert (ws.pairs[0].word1, ws.pairs[0].word2, ws.pairs[0].score) == ("love", "sex", 6.77)
    q = load_dataset("google").questions[0]
    assert (q.a, q.b, q.c, q.d, q.section) == ("Athens", "Greece", "Baghdad", "Iraq", "capital-common-countries")


def test_manifest_checksums_match_files():
    for name, entry in bundled.manifest().items():
        assert hashlib.sha256(bundled.entry_path(entry).read_bytes()).hexdigest() == entry["sha256"], name
        assert entry["licence"] and entry["source"] and entry["citation"]


def _clear_caches():
    from evalsuite.data.datasets import classification
    from evalsuite.data.datasets.registry import _load_bundled

    for cached in (_load_bundled, classification.load_bundled_classification, classification._combined):
        cached.cache_clear()


@pytest.fixture
def tiny_bundle(tmp_path, monkeypatch):
    """A datasets folder with one similarity file and one classification CSV, both in MANIFEST."""
    root = tmp_path / "datasets"
    root.mkdir()
    files = {"pairs.txt": b"cat dog 3\ncar bus 2\n", "docs.csv": b"text,label,source\ngood,1,x\nbad,0,x\nmeh,0,y\n"}
    for name, data in files.items():
        (root / name).write_bytes(data)
    common = {"source": "test", "licence": "test", "citation": "test"}
    entries = [
        {"name": "pairs", "kind": "similarity", "file": "pairs.txt", "rows": 2,
         "sha256": hashlib.sha256(files["pairs.txt"]).hexdigest(), **common},
        {"name": "docs", "kind": "classification", "file": "docs.csv", "subset": "x", "rows": 2,
         "sha256": hashlib.sha256(files["docs.csv"]).hexdigest(), **common},
    ]
    (root / "MANIFEST.json").write_text(json.dumps({"version": 1, "datasets": entries}))
    monkeypatch.setenv("EVALSUITE_DATASETS", str(root))
    _clear_caches()
    yield root
    _clear_caches()


def test_similarity_and_classification_data_are_verified_by_one_rule(tiny_bundle):
    assert [p.score for p in load_dataset("pairs").pairs] == [3.0, 2.0]
    docs = load_dataset("docs")
    assert docs.texts == ("good", "bad") and docs.labels == (1, 0) and docs.ids == ("docs:0", "docs:1")
    _clear_caches()
    (tiny_bundle / "pairs.txt").write_bytes(b"cat dog 4\ncar bus 2\n")
    (tiny_bundle / "docs.csv").write_bytes(b"text,label,source\ngood,1,x\nbad,1,x\nmeh,0,y\n")
    for name, file in (("pairs", "pairs.txt"), ("docs", "docs.csv")):
        with pytest.raises(EvalsuiteError, match=rf"{file}: sha256 \w+… does not match the manifest"):
            load_dataset(name)


def test_row_count_is_checked_against_the_manifest(tiny_bundle):
    manifest = json.loads((tiny_bundle / "MANIFEST.json").read_text())
    for entry in manifest["datasets"]:
        entry["rows"] = 3
    (tiny_bundle / "MANIFEST.json").write_text(json.dumps(manifest))
    for name, file in (("pairs", "pairs.txt"), ("docs", "docs.csv")):
        with pytest.raises(EvalsuiteError, match=rf"{file}: 2 rows for '{name}' but the manifest records 3"):
            load_dataset(name)


def test_classification_entry_without_subset_is_rejected(tiny_bundle):
    manifest = json.loads((tiny_bundle / "MANIFEST.json").read_text())
    del manifest["datasets"][1]["subset"]
    (tiny_bundle / "MANIFEST.json").write_text(json.dumps(manifest))
    with pytest.raises(EvalsuiteError, match="entry 1 lacks subset"):
        bundled.manifest()


def test_unknown_name_suggests_closest():
    with pytest.raises(UnknownNameError, match="did you mean 'simlex999'"):
        load_dataset("simlex99")


def test_user_files_by_path_and_by_registered_name(tmp_path):
    sim = tmp_path / "mine.txt"
    sim.write_text("# comment\ncat dog 3.5\n\ncar truck 4\n")
    ana = tmp_path / "ana.txt"
    ana.write_text(": capitals\nparis france rome italy\n")
    ds = load_dataset(sim)
    assert ds.kind == "similarity" and [p.score for p in ds.pairs] == [3.5, 4.0]
    a = load_dataset(ana)
    assert a.kind == "analogy" and a.questions[0].section == "capitals"
    register_dataset("mine", sim)
    try:
        assert load_dataset("mine").pairs == ds.pairs
        assert any(d["name"] == "mine" for d in list_datasets())
        with pytest.raises(ValueError, match="already registered"):
            register_dataset("ws353", sim)
    finally:
        unregister_dataset("mine")


@pytest.mark.parametrize(
    "content, kind, problem, line",
    [
        ("cat dog 3\ncat dog\n", "similarity", "found 2 fields", 2),
        ("cat dog 3\nbird fish high\n", "similarity", "not a number", 2),
        ("cat dog nan\n", "similarity", "not finite", 1),
        (": s\na b c d\na b c\n", "analogy", "expected 4 words", 3),
        ("", "similarity", "no word pairs", None),
        (":\na b c d\n", "analogy", "without a name", 1),
    ],
)
def test_malformed_user_files_name_file_and_line(tmp_path, content, kind, problem, line):
    path = tmp_path / "bad.txt"
    path.write_text(content)
    with pytest.raises(InputError, match=problem) as info:
        load_dataset(path, kind=kind)
    assert info.value.path == str(path) and info.value.line == line


def test_invalid_utf8_names_line(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"cat dog 1\ncaf\xe9 tea 2\n")
    with pytest.raises(InputError, match="invalid UTF-8") as info:
        load_dataset(path, kind="similarity")
    assert info.value.line == 2
