"""The command line itself, in a child process under time and memory limits: a damaged vector
file, task file or special file given to ``evalsuite evaluate`` ends in a result or one error
line, within :data:`limits.SECONDS` and :data:`limits.MEMORY`, never in a traceback or a hang."""

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from limits import assert_clean, run_cli
from mutate import EXAMPLES, REFUSED, packed, scratch

VECTORS = b"4 3\ncat 0.1 0.2 0.3\ndog 0.2 0.1 0.3\ncar 0.9 -0.1 0.0\nbus 0.8 0.0 0.1\n"
PAIRS = b"cat\tdog\t9\ncat\tcar\t1\ndog\tcar\t2\nbus\tcar\t8\n"
SPECIAL = ("fifo", "/dev/zero", "folder")


def _special(folder, kind):
    if kind == "fifo":
        os.mkfifo(folder / "pipe.txt")
        return folder / "pipe.txt"
    if kind == "folder":
        return folder
    return kind


@settings(max_examples=2)  # each is a new Python process (about 3 s)
@given(data=st.data(), target=st.sampled_from(["vectors", "task"]), special=st.sampled_from((None,) + SPECIAL))
def test_evaluate_in_a_child_process(data, target, special):
    EXAMPLES["command line (child process)"] += 1
    with scratch() as folder:
        files = {}
        for name, raw in (("vectors", VECTORS), ("task", PAIRS)):
            content, suffix = packed(data, raw) if name == target else (raw, "")
            files[name] = folder / f"{name}.txt{suffix}"
            files[name].write_bytes(content)
        if special:
            files[target] = _special(folder, special)
        result = run_cli(["evaluate", files["vectors"], "--task", files["task"]], timeout=30)
        assert_clean(result, names=[files[target]] if result.returncode == 2 and special else ())
        if result.returncode:
            REFUSED["command line (child process)"] += 1
