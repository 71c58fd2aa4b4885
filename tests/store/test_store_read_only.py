"""A results store on a read-only disk: the reading commands read it, ``run`` says so before any
training. Uses a real read-only mount (tmpfs), where this machine lets the tests mount one."""

import shutil
import subprocess

import pytest

from evalsuite.store.sqlite import ResultStore
from store.test_store_damage import a_run, cli, digest, one_error


@pytest.fixture
def read_only_store(tmp_path):
    """A store (in WAL mode, as evalsuite leaves it) in a folder on a read-only file system."""
    source = tmp_path / "src" / "results.sqlite"
    with ResultStore(source) as store:
        store.save_run(a_run())
    mount = tmp_path / "ro"
    mount.mkdir()
    if shutil.which("mount") is None or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True).returncode:
        pytest.skip("mounting a tmpfs is not permitted here")
    try:
        shutil.copy(source, mount / "results.sqlite")
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True, capture_output=True)
        yield mount / "results.sqlite"
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_a_store_on_a_read_only_disk_can_be_read(read_only_store, capsys):
    before = digest(read_only_store)
    code, out, err = cli(capsys, "runs", "--store", read_only_store)
    assert code == 0 and "r1" in out and not err
    code, out, err = cli(capsys, "report", "r1", "--store", read_only_store, "--output", read_only_store.parent.parent / "rep")
    assert code == 0, err
    assert digest(read_only_store) == before


def test_run_on_a_read_only_disk_says_so_before_training(read_only_store, tmp_path, capsys, fake_trainers):
    import runfakes

    cfg = runfakes.write_config(tmp_path, seeds=(0,))
    runfakes.CALLS.clear()
    code, _, err = cli(capsys, "run", cfg, "--store", read_only_store)
    assert code == 2
    assert "read-only: results cannot be stored here" in one_error(err, read_only_store)
    assert runfakes.CALLS == []
