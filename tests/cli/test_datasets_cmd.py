import json

from evalsuite.cli import main


def test_datasets_lists_every_bundled_dataset_as_json(capsys):
    assert main(["datasets", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["name"] for r in rows} >= {"ws353", "simlex999", "men", "rw", "mturk287", "rg65", "google", "msr"}
    assert all(r["licence"] for r in rows)


def test_datasets_table(capsys):
    assert main(["datasets", "--kind", "analogy"]) == 0
    out = capsys.readouterr().out
    assert "google" in out and "19544" in out and "ws353" not in out


def test_datasets_of_one_kind(capsys):
    assert main(["datasets", "--kind", "classification", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {(r["name"], r["rows"]) for r in rows} == {("mr", 8530), ("imdb", 25000)}
