"""The git state recorded with a run: commit and dirty flag inside a work tree, "no git" outside."""

import shutil
import subprocess

import pytest

from evalsuite.core import provenance
from evalsuite.core.provenance import GitState, git_state

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture
def outside(tmp_path, monkeypatch):
    """A folder outside any git work tree (git searches no higher than its parent)."""
    for var in ("GIT_DIR", "GIT_WORK_TREE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    folder = tmp_path / "plain"
    folder.mkdir()
    return folder


def _git(folder, *args):
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false",
                    *args], cwd=folder, check=True, capture_output=True)


@needs_git
def test_outside_a_work_tree_is_no_git(outside, monkeypatch):
    assert git_state(outside) == GitState("no git")
    monkeypatch.chdir(outside)  # the default: the current folder
    assert git_state().to_dict() == {"status": "no git", "commit": None, "dirty": None}
    assert GitState("no git").label == "no git"


@needs_git
def test_inside_a_work_tree_commit_and_dirty_flag(outside):
    _git(outside, "init", "-q")
    assert git_state(outside) == GitState("work tree", None, False)  # no commit yet
    (outside / "a.txt").write_text("a\n")
    assert git_state(outside).dirty is True  # an untracked file counts
    _git(outside, "add", "a.txt")
    _git(outside, "commit", "-q", "-m", "a")
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=outside, capture_output=True, text=True).stdout.strip()
    clean = git_state(outside)
    assert clean == GitState("work tree", head, False) and clean.label == head[:7]
    (outside / "a.txt").write_text("b\n")
    assert git_state(outside).label == f"{head[:7]} (dirty)"


def test_without_a_git_binary_is_no_git(outside, monkeypatch):
    monkeypatch.setenv("PATH", str(outside))
    assert git_state(outside).status == "no git"


def test_a_git_that_does_not_answer_is_unknown(monkeypatch):
    def slow(*args, **kwargs):
        raise subprocess.TimeoutExpired(args[0], kwargs.get("timeout"))

    monkeypatch.setattr(provenance.subprocess, "run", slow)
    assert git_state() == GitState()


@pytest.mark.parametrize("stored", [None, {}, {"git": "weird"}, {"git": {"status": "?"}}])
def test_a_run_without_a_recorded_state_reads_as_unknown(stored):
    assert GitState.from_provenance(stored).label == "unknown"


def test_the_recorded_state_round_trips():
    state = GitState("work tree", "f" * 40, True)
    assert GitState.from_provenance({"git": state.to_dict()}) == state
