"""The command line's top level: one line per problem, an internal error is exit 3 with its
traceback in a file, warnings are one line, names print as text."""

import types
import warnings
from pathlib import Path

import numpy as np
import pytest

from evalsuite.cli import evaluate_cmd, main
from evalsuite.core.errors import InputError

HOSTILE = "\x1b[2J\x1b]8;;http://e.x\x1b\\a\nb\tc\x00d"
SHOWN = "\\x1b[2J\\x1b]8;;http://e.x\\x1b\\a\\nb\\tc\\x00d"  # its visible form


def _lines(text):
    return [line for line in text.splitlines() if line]


@pytest.fixture
def user(monkeypatch, tmp_path):
    """As a user runs it: internal errors reported, not raised; tracebacks saved under tmp_path."""
    monkeypatch.delenv("EVALSUITE_RAISE_INTERNAL", raising=False)
    monkeypatch.setenv("EVALSUITE_CRASH_DIR", str(tmp_path / "crash"))
    return tmp_path / "crash"


def _fail_with(monkeypatch, exc):
    def run(args):
        raise exc
    monkeypatch.setattr(evaluate_cmd, "run", run)


def test_internal_error_is_one_line_exit_3_with_the_traceback_saved(user, monkeypatch, capsys):
    _fail_with(monkeypatch, RuntimeError(f"boom {HOSTILE}"))
    assert main(["evaluate", "v.txt"]) == 3
    err = capsys.readouterr().err
    [line] = _lines(err)
    assert line.startswith(f"evalsuite: internal error: RuntimeError: boom {SHOWN} (traceback saved to ")
    assert "\x1b" not in err and "Traceback" not in err
    [saved] = user.glob("crash-*.txt")
    assert str(saved) in line and "Traceback" in saved.read_text() and "boom" in saved.read_text()


def test_a_traceback_that_cannot_be_saved_is_said_on_the_same_line(user, monkeypatch, capsys, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("EVALSUITE_CRASH_DIR", str(blocker / "crash"))
    _fail_with(monkeypatch, ValueError("bad"))
    assert main(["evaluate", "v.txt"]) == 3
    [line] = _lines(capsys.readouterr().err)
    assert line.startswith("evalsuite: internal error: ValueError: bad (traceback not saved: ")


def test_tests_see_internal_errors_raised(monkeypatch):
    _fail_with(monkeypatch, RuntimeError("boom"))  # EVALSUITE_RAISE_INTERNAL=1 from conftest
    with pytest.raises(RuntimeError, match="boom"):
        main(["evaluate", "v.txt"])


def test_interrupt_is_130_and_system_exit_passes(user, monkeypatch, capsys):
    _fail_with(monkeypatch, KeyboardInterrupt())
    assert main(["evaluate", "v.txt"]) == 130
    assert capsys.readouterr().err == "evalsuite: interrupted\n"
    _fail_with(monkeypatch, SystemExit(7))
    with pytest.raises(SystemExit):
        main(["evaluate", "v.txt"])


def test_help_documents_exit_3(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "3    internal error" in capsys.readouterr().out


def test_an_error_naming_a_hostile_path_is_one_visible_line(monkeypatch, capsys):
    _fail_with(monkeypatch, InputError(f"{HOSTILE}.txt", "not a vector file", line=3))
    assert main(["evaluate", "v.txt"]) == 2
    err = capsys.readouterr().err
    assert err == f"evalsuite: error: {SHOWN}.txt, line 3: not a vector file\n"


def test_a_missing_file_with_escape_codes_in_its_name(tmp_path, capsys):
    task = tmp_path / "pairs.txt"
    task.write_text("cat\tdog\t9\n", encoding="utf-8")
    assert main(["evaluate", str(tmp_path / "\x1b[2Ja\nb\tc.vec"), "--task", str(task)]) == 2
    err = capsys.readouterr().err
    assert len(_lines(err)) == 1 and "\x1b" not in err and "\\x1b[2Ja\\nb\\tc.vec" in err


def test_a_usage_error_with_escape_codes_is_visible(capsys):
    with pytest.raises(SystemExit):
        main(["evaluate", "v.txt", "--protocol", "x", f"--{HOSTILE}"])
    err = capsys.readouterr().err
    assert len(_lines(err)) == 1 and "\x1b" not in err


def test_warnings_are_one_line_each(monkeypatch, capsys):
    from evalsuite.train.cache import CacheWarning

    def run(args):
        with np.errstate(invalid="warn"):
            np.array([0.0]) / np.array([0.0])
        warnings.warn(f"cache entry {HOSTILE} is corrupt; retraining", CacheWarning)
        return 0

    monkeypatch.setattr(evaluate_cmd, "run", run)
    assert main(["evaluate", "v.txt"]) == 0
    lines = _lines(capsys.readouterr().err)
    assert lines == ["evalsuite: warning: RuntimeWarning: invalid value encountered in divide",
                     f"evalsuite: warning: cache entry {SHOWN} is corrupt; retraining"]


def test_failed_jobs_line_prints_the_run_name_as_text(monkeypatch, capsys):
    import evalsuite.config
    import evalsuite.pipeline.runner
    from evalsuite.core import progress

    run_id = "x[blink]y[/blink][link=http://e.x]z\x1b[5m-20260101"
    out = types.SimpleNamespace(failures=[{}, {}], run=types.SimpleNamespace(run_id=run_id))
    monkeypatch.setattr(evalsuite.config, "load_config", lambda path: types.SimpleNamespace(address=None, executor=None))
    monkeypatch.setattr(evalsuite.pipeline.runner, "run_benchmark", lambda *a, **k: out)
    monkeypatch.setattr(progress, "_console", None)
    assert main(["run", str(Path("c.toml"))]) == 1
    err = capsys.readouterr().err
    assert "2 job(s) failed; results of the others were stored" in err
    assert "(run x[blink]y[/blink][link=http://e.x]z\\x1b[5m-20260101 marked failed)" in err
