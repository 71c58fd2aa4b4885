"""Configs of a hostile shape are refused at load, with one line naming the file and the key."""

import pytest

import runfakes
from evalsuite.cli import main
from evalsuite.config import load_config, parse_config
from evalsuite.core.errors import ConfigError
from fuzz.limits import within

# the fake trainers of runfakes, registered for each test
pytestmark = pytest.mark.usefixtures("fake_trainers")

HEAD = 'tasks = ["ws353"]\n[run]\nname = "x"\n[corpus]\nname = "lee"\n'
EMBEDDING = '[[embeddings]]\nname = "e"\ntrainer = "torch-sgns"\n'


def write(tmp_path, text: str):
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    return path


def refused(path, *fragments):
    with within(10), pytest.raises(ConfigError) as err:
        load_config(path)
    msg = str(err.value)
    assert msg.startswith(f"{path}: ") and "\n" not in msg, msg
    for fragment in fragments:
        assert fragment in msg, msg
    return msg


@pytest.mark.parametrize("opening, closing", [("[", "]"), ("{a=", "}")])
def test_deep_nesting_is_refused(tmp_path, opening, closing):
    for depth in (40, 5000):
        path = write(tmp_path, HEAD + EMBEDDING + "params = { window = " + opening * depth + "1" + closing * depth
                     + " }\n")
        refused(path, "nest more than 32 levels deep")


def test_a_huge_task_list_is_refused_before_it_is_read(tmp_path):
    path = write(tmp_path, "tasks = [" + '"a",' * 200_000 + "]\n" + HEAD.split("\n", 1)[1] + EMBEDDING)
    refused(path, "tasks: 200,000 entries; at most 1,000")
    path = write(tmp_path, "tasks = [" + '"ws353",' * 2_000_000 + "]\n" + HEAD.split("\n", 1)[1] + EMBEDDING)
    refused(path, "bytes is too large for a config file; at most 1,048,576")


def test_a_huge_sweep_under_a_huge_max_jobs_is_refused(tmp_path):
    window = "[" + ", ".join(map(str, range(1, 1001))) + "]"
    size = "[" + ", ".join(map(str, range(1, 1001))) + "]"
    path = write(tmp_path, HEAD.replace('name = "x"\n', 'name = "x"\nmax_jobs = 1000000000\n') + EMBEDDING
                 + f"params = {{ window = {window}, vector_size = {size} }}\n")
    refused(path, "run.max_jobs: must be an int in [1, 10000], got 1000000000")
    path = write(tmp_path, HEAD.replace('name = "x"\n', 'name = "x"\nmax_jobs = 10000\n') + EMBEDDING
                 + f"params = {{ window = {window}, vector_size = {size} }}\n")
    refused(path, "expands to 1,000,000 jobs", "max_jobs can be at most 10,000")


@pytest.mark.parametrize("name, problem", [
    ("x" * 300, "is 300 bytes long in UTF-8; at most 128"),
    ("é" * 100, "is 200 bytes long in UTF-8; at most 128"),
    ("a\nb", "U+000A"), ("a\tb", "U+0009"), ("a\u0000b", "U+0000"), ("a\x1b[2Jb", "U+001B"),
    ("a\u2028b", "U+2028"), ("a\u200bb", "U+200B"),
])
def test_run_names_unusable_as_folder_names(tmp_path, name, problem):
    raw = _raw(tmp_path)
    raw["run"]["name"] = name
    with pytest.raises(ConfigError, match="run.name: not usable as a folder name") as err:
        parse_config(raw, source="c.toml")
    assert problem in str(err.value) and "\n" not in str(err.value)
    raw = _raw(tmp_path)
    raw["baseline"] = {"name": name}
    with pytest.raises(ConfigError, match="baseline.name: not usable as a folder name"):
        parse_config(raw, source="c.toml")


def test_run_names_that_are_fine(tmp_path):
    for name in ("quick", "x" * 128, "sweep 2 (windows)", "café"):
        raw = _raw(tmp_path)
        raw["run"]["name"] = name
        assert parse_config(raw).name == name


@pytest.mark.parametrize("seeds", [[-1], [2**32], [0, 2**40]])
def test_config_seeds_follow_the_trainers_seed_rule(tmp_path, seeds):
    for table in ("run", "baseline"):
        raw = _raw(tmp_path)
        raw.setdefault(table, {})["seeds"] = seeds
        with pytest.raises(ConfigError, match=rf"{table}.seeds: expected a non-empty list of integers in \[0, 2\*\*32\)"):
            parse_config(raw)


@pytest.mark.parametrize("option, value, problem", [
    ("encoding", "bogus-enc", "corpus.encoding: must be a text encoding such as 'utf-8' or 'latin-1', got 'bogus-enc'"),
    ("encoding", "rot13", "corpus.encoding: must be a text encoding"),
    ("lowercase", "yes", "corpus.lowercase: must be true or false, got 'yes'"),
    ("strip_markup", 2, "corpus.strip_markup: must be true or false, got 2"),
    ("phrase_min_count", 0, "corpus.phrase_min_count: must be an int in"),
])
def test_corpus_options_are_checked(tmp_path, option, value, problem):
    raw = _raw(tmp_path)
    raw["corpus"][option] = value
    with pytest.raises(ConfigError, match="c.toml: ") as err:
        parse_config(raw, source="c.toml")
    assert problem in str(err.value)


def test_corpus_options_that_are_fine(tmp_path):
    raw = _raw(tmp_path)
    raw["corpus"].update(encoding="latin-1", lowercase=False, phrases=True, phrase_min_count=3)
    assert parse_config(raw).corpus.preprocessing["encoding"] == "latin-1"


@pytest.mark.parametrize("name", ["", "   "])
def test_empty_embedding_name(tmp_path, name):
    raw = _raw(tmp_path)
    raw["embeddings"][0]["name"] = name
    with pytest.raises(ConfigError, match=r"embeddings\[0\]\.name: empty"):
        parse_config(raw)


def test_a_bad_classification_csv_stops_the_run_before_training(tmp_path, capsys):
    bad = tmp_path / "reviews.csv"
    bad.write_text("text,label\ngood film,1\nbad film\n")
    path = write(tmp_path, HEAD + '[[embeddings]]\nname = "sg"\ntrainer = "fake-sgns"\n'
                 f'[finetune]\ndataset = "{bad}"\n')
    assert main(["run", str(path), "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert err == f"evalsuite: error: {path}: finetune.dataset: {bad}, line 3: expected 2 fields, found 1\n"
    bad.write_text("text,label\ngood film,1\nbad film,0\n")
    assert load_config(path).finetune["datasets"] == (str(bad),)


def _raw(tmp_path):
    return {"tasks": ["ws353"], "run": {"name": "x"}, "corpus": {"name": "lee"},
            "embeddings": [{"name": "sg", "trainer": "fake-sgns"}]}
