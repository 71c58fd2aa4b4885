"""Versions, machine facts and the project's git state recorded with every result."""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from typing import Mapping

PACKAGES = ("evalsuite", "numpy", "scipy", "torch", "gensim", "scikit-learn", "rich")


@lru_cache(maxsize=1)
def package_versions() -> dict[str, str]:
    """Installed versions of the packages that affect results."""
    out = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def machine() -> dict[str, str]:
    """Platform, Python and processor description."""
    import os

    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "processor": platform.machine(),
        "cpus": str(os.cpu_count()),
    }


def stable_hash(obj) -> str:
    """sha256 of a JSON-serialisable object with sorted keys (first 16 hex digits)."""
    text = json.dumps(obj, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


#: seconds each git command may take before the state is recorded as unknown
GIT_TIMEOUT = 5.0


@dataclass(frozen=True)
class GitState:
    """The git commit and dirty state of the work tree a run ran in.

    Parameters
    ----------
    status : {"work tree", "no git", "unknown"}
        ``"work tree"``: the run ran inside a git work tree (``commit`` and ``dirty`` say which
        state); ``"no git"``: outside one, or without a git binary; ``"unknown"``: not recorded
        (a run stored before runs recorded it) or git did not answer.
    commit : str or None
        The full hash of ``HEAD`` (None in a repository without a commit).
    dirty : bool or None
        Whether ``git status --porcelain`` listed any change (untracked files included).
    """

    status: str = "unknown"
    commit: str | None = None
    dirty: bool | None = None

    @property
    def label(self) -> str:
        """``"1a2b3c4"``, ``"1a2b3c4 (dirty)"``, ``"no commit"``, ``"no git"`` or ``"unknown"``."""
        if self.status != "work tree":
            return self.status
        text = self.commit[:7] if self.commit else "no commit"
        return f"{text} (dirty)" if self.dirty else text

    def to_dict(self) -> dict:
        return {"status": self.status, "commit": self.commit, "dirty": self.dirty}

    @classmethod
    def from_provenance(cls, provenance: Mapping | None) -> "GitState":
        """The state a run's provenance records under ``"git"``; ``"unknown"`` where it records none
        (or a damaged one)."""
        found = provenance.get("git") if isinstance(provenance, Mapping) else None
        if not isinstance(found, Mapping) or found.get("status") not in ("work tree", "no git"):
            return cls()
        commit, dirty = found.get("commit"), found.get("dirty")
        return cls(str(found["status"]), commit if isinstance(commit, str) else None,
                   dirty if isinstance(dirty, bool) else None)


def _git(args: list[str], cwd, timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def git_state(cwd=None, *, timeout: float = GIT_TIMEOUT) -> GitState:
    """The commit and dirty state of the git work tree holding ``cwd`` (default: the current folder).

    ``"no git"`` outside a work tree or without a git binary; ``"unknown"`` when git fails
    otherwise or takes longer than ``timeout`` seconds for a command.
    """
    try:
        inside = _git(["rev-parse", "--is-inside-work-tree"], cwd, timeout)
        if inside.returncode != 0 or inside.stdout.strip() != "true":
            return GitState("no git")
        head = _git(["rev-parse", "--verify", "--quiet", "HEAD"], cwd, timeout)
        status = _git(["status", "--porcelain"], cwd, timeout)
    except (FileNotFoundError, NotADirectoryError, PermissionError):  # no git binary (or not runnable)
        return GitState("no git")
    except (OSError, subprocess.SubprocessError):  # a timeout, or git could not be started
        return GitState()
    if status.returncode != 0:
        return GitState()
    commit = head.stdout.strip() if head.returncode == 0 and head.stdout.strip() else None
    return GitState("work tree", commit, bool(status.stdout.strip()))
