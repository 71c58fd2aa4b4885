import os
import sys

# The suite imports torch, scipy and gensim in several processes (test workers,
# subprocess tests). The test install skips pip's compile-everything step
# (--no-compile); instead each module the tests really import is compiled once and
# its bytecode cached, even where PYTHONDONTWRITEBYTECODE is set. Workers and
# subprocesses inherit the environment change.
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

import numpy as np  # noqa: E402
import pytest  # noqa: E402

os.environ.setdefault("EVALSUITE_NO_PROGRESS", "1")
# an internal error (exit 3 for a user) raises in the tests, and in their evalsuite subprocesses
os.environ["EVALSUITE_RAISE_INTERNAL"] = "1"
# wide enough that rich tables never truncate the cells the tests look for
os.environ["COLUMNS"] = "400"


@pytest.fixture
def rng():
    return np.random.default_rng(0)


@pytest.fixture
def fake_trainers():
    """The fake trainers of ``runfakes`` (fake-sgns, fake-glove) registered for one test;
    the trainer registry is restored afterwards."""
    import runfakes

    with runfakes.registered_fakes() as fakes:
        yield fakes


@pytest.fixture(scope="session")
def ray_cluster():
    """One local two-CPU Ray for every Ray test of a test process: where the Ray test modules
    run in one worker, Ray starts once for both, not once per module."""
    ray = pytest.importorskip("ray")
    import raycluster

    old = raycluster.start_local_cluster(num_cpus=2)
    try:
        yield ray.cluster_resources()
    finally:
        ray.shutdown()
        raycluster.restore_pythonpath(old)


def _tiny_png() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 30, 30)).save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture
def fast_plots(monkeypatch):
    """Replace the matplotlib figures by a tiny PNG (for tests of text and files, not plots)."""
    from evalsuite.report import score_plots, training_plots

    png = _tiny_png()
    for module, names in ((score_plots, ("analogy_heatmap", "throughput_bars", "similarity_scores")),
                          (training_plots, ("loss_curves", "learning_curves", "regularization_curves",
                                            "overfitting_curves", "regularizer_effect"))):
        for name in names:
            monkeypatch.setattr(module, name, lambda *a, **k: png)
    return png


# The Ray test modules share one session Ray (``ray_cluster``) only when they run in the
# same test process; xdist's --dist loadfile sends each file to whichever process is free,
# so they are given one scheduling unit here (a Ray start and its workers' imports cost
# seconds per test process).
RAY_TEST_FILES = ("tests/pipeline/test_ray_executor.py", "tests/train/glove/test_ray_counting.py")


def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadFileScheduling

    class RayTogether(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            scope = super()._split_scope(nodeid)
            return "ray tests" if scope in RAY_TEST_FILES else scope

    if config.getoption("dist") == "loadfile":
        return RayTogether(config, log)
    return None
