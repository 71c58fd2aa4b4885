"""Helpers for the Ray tests: a local loopback cluster and evaluate functions that
misbehave on purpose. Ray workers import this module (and ``runfakes``) by name,
so the tests folder goes on the workers' PYTHONPATH."""

from __future__ import annotations

import os
from pathlib import Path

import runfakes

TESTS_DIR = Path(__file__).resolve().parent
REPO_DIR = TESTS_DIR.parent


#: set to a running cluster's address (``127.0.0.1:6379``) to test on it instead
#: set (as CI does) to make a local Ray that does not come up fail the tests, not skip them
REQUIRE_VARIABLE = "EVALSUITE_REQUIRE_RAY"
ADDRESS_VARIABLE = "EVALSUITE_TEST_RAY_ADDRESS"


def start_local_cluster(num_cpus: int = 2):
    """Start Ray on loopback with ``num_cpus`` CPUs; returns the previous PYTHONPATH.

    The workers of a Ray started here inherit this process's environment, so the
    tests folder is put on PYTHONPATH before Ray starts; the workers of a cluster
    named by ``EVALSUITE_TEST_RAY_ADDRESS`` get it through the runtime environment.
    Skips the calling test module when Ray cannot start a node on this machine
    (after a second try).
    """
    import pytest
    import ray

    old = os.environ.get("PYTHONPATH")
    paths = [str(TESTS_DIR), str(REPO_DIR)] + ([old] if old else [])
    os.environ["PYTHONPATH"] = os.pathsep.join(paths)
    address = os.environ.get(ADDRESS_VARIABLE)
    for attempt in (1, 2):  # on a slow, busy machine the node's start-up can time out once
        try:
            if address:
                ray.init(address=address, log_to_driver=False,
                         runtime_env={"env_vars": {"PYTHONPATH": os.environ["PYTHONPATH"]}})
            else:
                ray.init(num_cpus=num_cpus, include_dashboard=False, log_to_driver=False,
                         _node_ip_address="127.0.0.1")
            return old
        except Exception as exc:  # a node that does not come up is an environment problem
            if ray.is_initialized():
                ray.shutdown()
            if address:  # a cluster was asked for by name: not finding it is an error
                restore_pythonpath(old)
                raise
            if attempt == 2:
                restore_pythonpath(old)
                if os.environ.get(REQUIRE_VARIABLE):  # CI: a Ray test that cannot run is a failure
                    raise
                pytest.skip(f"could not start a local Ray node: {type(exc).__name__}: {exc}")
    return old


def restore_pythonpath(old) -> None:
    if old is None:
        os.environ.pop("PYTHONPATH", None)
    else:
        os.environ["PYTHONPATH"] = old


class DieOnce:
    """Evaluate like ``runfakes.fake_evaluate``, but the first time it sees embedding
    ``label`` it creates ``marker`` and kills its own worker process."""

    def __init__(self, label: str, marker):
        self.label, self.marker = label, str(marker)

    def __call__(self, emb, tasks, protocol):
        if emb.name == self.label and not os.path.exists(self.marker):
            Path(self.marker).write_text(str(os.getpid()))
            os._exit(1)
        return runfakes.fake_evaluate(emb, tasks, protocol)


class AlwaysFail:
    """Evaluate like ``runfakes.fake_evaluate``, except that embedding ``label``
    always raises; each attempt appends a line to ``attempts``."""

    def __init__(self, label: str, attempts):
        self.label, self.attempts = label, str(attempts)

    def __call__(self, emb, tasks, protocol):
        if emb.name == self.label:
            with open(self.attempts, "a", encoding="utf-8") as f:
                f.write(f"{os.getpid()}\n")
            raise RuntimeError(f"evaluation of {self.label} always fails")
        return runfakes.fake_evaluate(emb, tasks, protocol)
