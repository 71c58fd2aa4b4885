import math

import pytest

import historyruns
from evalsuite.analysis.history import HistoryError, history
from evalsuite.core.provenance import GitState


def _series(h, emb, task):
    return next(s for s in h.series if (s.embedding, s.task) == (emb, task))


def test_one_series_per_score_in_scoreboard_order_with_each_runs_score():
    runs = historyruns.runs(5)
    h = history(runs)
    assert h.name == "cfg" and [r.run_id for r in h.runs] == [r.run_id for r in runs]
    # similarity before analogy, the run's order of embeddings within a kind
    assert [(s.kind, s.task, s.embedding) for s in h.series] == [
        ("similarity", "ws353", "sgns"), ("similarity", "ws353", "glove"),
        ("analogy", "google", "sgns"), ("analogy", "google", "glove")]
    s = _series(h, "sgns", "ws353")
    assert [p.score for p in s.points] == pytest.approx([0.60 + w for w in historyruns.WIGGLE[:5]])
    assert s.points[0].ci95 == pytest.approx((0.55, 0.65)) and s.points[0].n_seeds == 1  # one seed: the items' CI
    assert all(p.status is None for p in s.points) and s.band is None  # no baseline, nothing checked
    assert [r.check for r in h.runs] == ["no baseline"] * 5
    assert h.segments == [range(0, 5)]
    assert h.runs[0].git == GitState("work tree", "0" * 40, False) and h.runs[-1].git.dirty


def test_an_injected_drop_is_a_check_failure_only_in_its_run():
    h = history(historyruns.runs(5, drop_in=3), historyruns.baseline(), baseline_name="cfg-baseline")
    assert h.baseline == "cfg-baseline" and h.level == 0.05 and h.margin == 0.0
    assert all(r.checked for r in h.runs)
    s = _series(h, "sgns", "ws353")
    assert s.failures == [3]
    assert s.points[3].status == "regression" and s.points[3].change == pytest.approx(-0.2, abs=0.01)
    assert [h.failures(i) for i in range(5)] == [0, 0, 0, 1, 0]
    assert all(not other.failures for other in h.series if other is not s)
    # the band: the baseline's mean ± what the gate tolerates, wide enough for the wiggle, not the drop
    band = s.band
    assert band.basis == "gate" and band.center == pytest.approx(0.60 + sum(historyruns.WIGGLE[:3]) / 3)
    assert band.low < min(p.score for i, p in enumerate(s.points) if i != 3) and band.low > s.points[3].score
    assert band.high - band.center == pytest.approx(band.center - band.low)


def test_a_score_the_run_lacks_is_a_missing_failure():
    from dataclasses import replace

    runs = historyruns.runs(3)
    runs[-1] = replace(runs[-1], task_results=tuple(t for t in runs[-1].task_results
                                                    if not (t.task == "google" and t.key.embedding == "glove")))
    h = history(runs, historyruns.baseline())
    p = _series(h, "glove", "google").points[-1]
    assert p.score is None and p.status == "missing" and p.failed


def test_a_corpus_change_is_a_break_not_a_joined_line():
    h = history(historyruns.runs(5, break_at=2), historyruns.baseline())
    assert [bool(r.break_before) for r in h.runs] == [False, False, True, False, False]
    assert "corpus fingerprint differs" in h.runs[2].break_before[0]
    assert h.segments == [range(0, 2), range(2, 5)]
    # runs on the other corpus are not comparable with the baseline: not checked, and said why
    assert [r.checked for r in h.runs] == [True, True, False, False, False]
    assert "corpus fingerprint" in h.runs[2].check


def test_a_protocol_change_is_a_break():
    from dataclasses import replace

    from evalsuite.evaluate.protocol import get_protocol

    runs = historyruns.runs(3)
    other = get_protocol("gensim").to_dict()
    runs[2] = replace(runs[2], provenance={**runs[2].provenance, "protocol": other},
                      task_results=tuple(replace(t, protocol=other) for t in runs[2].task_results))
    h = history(runs)
    assert [bool(r.break_before) for r in h.runs] == [False, False, True]
    assert "protocol" in h.runs[2].break_before[0]


def test_seed_spread_band_and_seed_interval():
    runs = [historyruns.run(f"r{i}", "cfg", i, seeds=(0, 1, 2)) for i in range(2)]
    h = history(runs)
    p = _series(h, "sgns", "ws353").points[0]
    assert p.n_seeds == 3 and p.ci95[0] < p.score < p.ci95[1]  # a t-interval across the seeds
    assert math.isclose(p.ci95[1] - p.score, p.score - p.ci95[0])


def test_filters_and_unknown_names():
    runs = historyruns.runs(2)
    h = history(runs, tasks=["ws353"], embeddings=["glove"])
    assert [(s.task, s.embedding) for s in h.series] == [("ws353", "glove")]
    with pytest.raises(HistoryError, match="--task 'ws35'.*did you mean 'ws353'"):
        history(runs, tasks=["ws35"])
    with pytest.raises(HistoryError, match="no runs"):
        history([])


def test_a_run_stored_before_runs_recorded_git_reads_as_unknown():
    run = historyruns.run("old", "cfg", 0)  # no "git" in its provenance
    assert history([run]).runs[0].git == GitState() and GitState().label == "unknown"
