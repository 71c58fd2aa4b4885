"""``evalsuite.compare``: the same paired tests and verdict as ``evalsuite compare`` on the two
vector sets' ``evaluate --json`` files."""

import json

import pytest

import evalsuite
from evalsuite.analysis.compatibility import IncompatibleRunsError
from evalsuite.cli import main
from evalsuite.core.errors import ConfigError
from lee_vectors import TASKS, train_lee

KEYS = ("task", "kind", "metric", "score_a", "score_b", "diff", "ci95", "test", "p_value", "p_adjusted",
        "significant", "n")


@pytest.fixture(scope="module")
def other_model():
    return train_lee(seed=1, epochs=1)


@pytest.fixture(scope="module")
def comparison(lee_model, other_model):
    return evalsuite.compare(lee_model.wv, other_model, TASKS)


@pytest.fixture(scope="module")
def cli_files(lee_model, other_model, tmp_path_factory):
    """``evaluate --json`` of each model's vectors, saved as ``vectors.bin`` in its own folder (one
    embedding name in both files, so that ``compare`` pairs them), and ``compare --json`` of the two."""
    import os

    root = tmp_path_factory.mktemp("cmp")
    tasks = [arg for t in TASKS for arg in ("--task", t)]
    for side, model in (("a", lee_model), ("b", other_model)):
        (root / side).mkdir()
        model.wv.save_word2vec_format(str(root / side / "vectors.bin"), binary=True)
        here = os.getcwd()
        os.chdir(root / side)
        try:
            assert main(["evaluate", "vectors.bin", *tasks, "--json", str(root / f"{side}.json")]) == 0
        finally:
            os.chdir(here)
    store = str(root / "none.sqlite")
    assert main(["compare", str(root / "a.json"), str(root / "b.json"), "--store", store,
                 "--json", str(root / "cmp.json")]) == 0
    return root


def _tests(comparisons):
    return {c["task"]: {k: c[k] for k in KEYS} for c in comparisons}


def test_the_same_paired_tests_and_verdict_as_the_command(comparison, cli_files, capsys):
    cli = json.loads((cli_files / "cmp.json").read_text(encoding="utf-8"))
    api = json.loads(json.dumps(comparison.analysis.to_dict()))
    assert len(cli["comparisons"]) == len(TASKS)
    assert _tests(api["comparisons"]) == _tests(cli["comparisons"])
    # the verdict counts the command's significant rows, each by its sign
    overall = comparison.verdicts[0]
    assert [v.kind for v in comparison.verdicts] == ["overall", "similarity", "analogy"]
    assert (overall.a, overall.b) == ("A", "B")
    assert overall.wins_a == sum(c["significant"] and c["diff"] > 0 for c in cli["comparisons"])
    assert overall.wins_b == sum(c["significant"] and c["diff"] < 0 for c in cli["comparisons"])
    assert overall.ties == sum(not c["significant"] for c in cli["comparisons"])
    # the two files compared through the API: the command's analysis, and the same verdicts
    files = evalsuite.compare(evalsuite.load_run(cli_files / "a.json"), evalsuite.load_run(cli_files / "b.json"))
    assert json.loads(json.dumps(files.analysis.to_dict())) == cli
    assert [(v.kind, v.wins_a, v.wins_b, v.ties, v.median_diff) for v in files.verdicts] == [
        (v.kind, v.wins_a, v.wins_b, v.ties, v.median_diff) for v in comparison.verdicts]
    assert (files.verdicts[0].a, files.verdicts[0].b) == ("a.json", "b.json")


def test_printed_as_the_command_prints_it_then_the_verdicts(comparison):
    text = str(comparison)
    assert text.startswith("## A vs B\n\n| embedding | task | metric | A | B | A - B |")
    assert text.startswith(comparison.markdown())
    assert "| vectors | ws353 | spearman |" in text
    lines = text[len(comparison.markdown()):].strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["overall", "similarity", "analogy"]
    assert "Significant wins (Holm-corrected across tasks, α = 0.05): A " in lines[0] and "**" not in text


def test_the_notebook_shows_the_verdicts_and_the_reports_table(comparison):
    html = comparison._repr_html_()
    assert html.startswith('<div class="evalsuite-report">') and 'class="callout' in html
    assert "95% CI of A − B" in html and "ws353" in html


def test_records_and_frame(comparison):
    records = comparison.to_records()
    assert [r["task"] for r in records] == TASKS and records[0]["embedding"] == "vectors"
    c = comparison.comparisons[0]
    assert (records[0]["diff"], records[0]["ci_low"], records[0]["p_adjusted"]) == (c.diff, c.ci95[0], c.p_adjusted)
    assert comparison.to_frame().shape == (len(TASKS), len(evalsuite.api.comparison.COMPARISON_FIELDS))


def test_names_label_the_sides(lee_model, other_model):
    named = evalsuite.compare(lee_model, other_model, "ws353", names=("sg", "sg-1"))
    assert named.comparisons[0].a == "vectors (sg)" and named.verdicts[0].a == "sg"
    with pytest.raises(ConfigError, match="names: expected two different strings"):
        evalsuite.compare(lee_model, other_model, "ws353", names=("x", "x"))


def test_two_protocols_are_refused_unless_allowed(lee_model):
    gensim = evalsuite.evaluate({"vectors": lee_model}, "ws353", protocol="gensim", run_id="g")
    default = evalsuite.evaluate({"vectors": lee_model}, "ws353", run_id="d")
    with pytest.raises(IncompatibleRunsError, match="protocol differs"):
        evalsuite.compare(default, gensim)
    allowed = evalsuite.compare(default, gensim, allow_mismatch=True)
    assert allowed.mismatches and str(allowed).startswith("**Warning: these runs are not comparable")
    assert "Not strictly comparable" in allowed._repr_html_()
