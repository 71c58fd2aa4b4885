"""The guard of compare and check: protocol, corpus fingerprint and vocabulary policy."""

import pytest

from evalsuite.analysis.compatibility import IncompatibleRunsError, mismatches, require_compatible
from evalsuite.core.results import RunResult, TaskResult
from evalsuite.evaluate.protocol import get_protocol


def run(run_id, protocol=None, fingerprint="f1", min_count=5, lowercase=True):
    protocol = protocol if protocol is not None else get_protocol("default").to_dict()
    result = TaskResult(task="ws353", kind="similarity", embedding="e", main_score=0.5, scores={}, n_items=1,
                        n_scored=1, protocol=protocol)
    record = {"name": "e", "group": "e", "source": "trained", "trainer": "torch-sgns",
              "corpus_fingerprint": fingerprint, "resolved_params": {"min_count": min_count, "window": 5}}
    return RunResult(run_id=run_id, name=run_id, task_results=(result,), embeddings=(record,),
                     config={"corpus": {"name": "imdb", "lowercase": lowercase}}, provenance={"protocol": protocol})


def test_identical_runs_are_compatible():
    assert mismatches(run("a"), run("b")) == []


def test_a_protocol_written_before_a_setting_existed_takes_its_default():
    old = {k: v for k, v in get_protocol("default").to_dict().items() if not k.startswith("min_similarity")}
    assert require_compatible(run("a", protocol=old), run("b")) == []


@pytest.mark.parametrize("changes, what, a, b", [
    ({"protocol": get_protocol("gensim").to_dict()}, "protocol", "'default v1.0'", "'gensim v1.0'"),
    ({"protocol": get_protocol("default").with_restrict_vocab(5).to_dict()},
     "protocol default v1.0 setting analogy_vocab", "30000", "5"),
    ({"fingerprint": "f2"}, "corpus fingerprint", "'f1'", "'f2'"),
    ({"min_count": 2}, "vocabulary policy of e", '{"min_count": 5}', '{"min_count": 2}'),
    ({"lowercase": False}, "corpus preprocessing", '{"lowercase": true}', '{"lowercase": false}'),
])
def test_each_difference_is_refused_naming_both_values(changes, what, a, b):
    with pytest.raises(IncompatibleRunsError) as e:
        require_compatible(run("A-run"), run("B-run", **changes))
    msg = str(e.value)
    assert msg.startswith(f"{what} differs: {a} in A (A-run), {b} in B (B-run)")
    assert msg.endswith("pass --allow-mismatch to compare them anyway")
    (found,) = [m for m in require_compatible(run("A-run"), run("B-run", **changes), allow=True) if m.what == what]
    assert found.a is not None and found.b is not None


def _glove(run_id, params):
    base = run(run_id)
    record = {**base.embeddings[0], "trainer": "torch-glove", "resolved_params": {"min_count": 5, **params}}
    return RunResult(run_id=run_id, name=run_id, task_results=base.task_results, embeddings=(record,),
                     config=base.config, provenance=base.provenance)


def test_a_run_stored_under_the_final_cuts_old_name_is_compatible():
    # torch-glove's max_vocab is now max_final_vocab: a baseline stored before still compares
    assert mismatches(_glove("old", {"max_vocab": 500}), _glove("new", {"max_final_vocab": 500})) == []
    assert [m.what for m in mismatches(_glove("old", {"max_vocab": 500}), _glove("new", {"max_final_vocab": 400}))] \
        == ["vocabulary policy of e"]
