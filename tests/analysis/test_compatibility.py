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
