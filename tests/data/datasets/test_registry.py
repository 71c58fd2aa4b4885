import hashlib
import http.server
import threading

import pytest

from evalsuite.data.datasets import bundled, fetch, list_datasets, load_dataset, register_dataset, unregister_dataset
from evalsuite.core.errors import EvalsuiteError, InputError, UnknownNameError

EXPECTED_ROWS = {
    "ws353": 353, "ws353_sim": 203, "ws353_rel": 252, "simlex999": 999, "men": 3000,
    "rw": 2034, "mturk287": 287, "rg65": 65, "google": 19544, "msr": 8000,
}


def test_every_bundled_dataset_loads_with_published_size():
    names = {d["name"] for d in list_datasets()}
    assert names == set(EXPECTED_ROWS)
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
    root = bundled.data_root()
    for name, entry in bundled.manifest().items():
        assert hashlib.sha256((root / entry["file"]).read_bytes()).hexdigest() == entry["sha256"], name
        assert entry["licence"] and entry["source"] and entry["citation"]


def test_modified_bundled_file_is_detected(tmp_path, monkeypatch):
    root = bundled.data_root()
    copy = tmp_path / "datasets"
    (copy / "similarity").mkdir(parents=True)
    (copy / "MANIFEST.json").write_text((root / "MANIFEST.json").read_text())
    text = (root / "similarity" / "rg65.txt").read_text().replace("3.94", "3.95", 1)
    (copy / "similarity" / "rg65.txt").write_text(text)
    monkeypatch.setenv("EVALSUITE_DATASETS", str(copy))
    from evalsuite.data.datasets.registry import _load_bundled

    _load_bundled.cache_clear()
    try:
        with pytest.raises(EvalsuiteError, match="sha256"):
            load_dataset("rg65")
    finally:
        _load_bundled.cache_clear()


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


def test_fetch_downloads_verifies_and_caches(tmp_path):
    payload = b"cat dog 1\n"
    served = tmp_path / "www"
    served.mkdir()
    (served / "pairs.txt").write_bytes(payload)
    hits = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **k):
            super().__init__(*a, directory=str(served), **k)

        def log_message(self, *args):
            hits.append(args)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/pairs.txt"
        good = hashlib.sha256(payload).hexdigest()
        path = fetch.fetch(url, good, cache_dir=tmp_path / "cache")
        assert path.read_bytes() == payload
        fetch.fetch(url, good, cache_dir=tmp_path / "cache")
        assert len(hits) == 1  # second call served from the cache
        with pytest.raises(EvalsuiteError, match="does not match"):
            fetch.fetch(url, "0" * 64, cache_dir=tmp_path / "other")
        assert not list((tmp_path / "other").glob("*"))  # nothing half-written left behind
    finally:
        server.shutdown()
