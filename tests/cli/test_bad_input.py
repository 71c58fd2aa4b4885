"""Bad input through the command line: exit 2, one line naming the file, nothing written."""

import gzip
from pathlib import Path

import pytest

from evalsuite.cli import main

BASELINE = Path(__file__).resolve().parents[2] / "reports" / "baseline" / "results.json"
PAIRS = "cat\tdog\t9\ncat\tcar\t1\ndog\tcar\t5\n"


@pytest.fixture
def task(tmp_path):
    p = tmp_path / "pairs.txt"
    p.write_text(PAIRS, encoding="utf-8")
    return str(p)


def one_line_error(capsys, *needles):
    err = capsys.readouterr().err.strip()
    assert err.startswith("evalsuite: error: ") and "\n" not in err and "Traceback" not in err, err
    for needle in needles:
        assert needle in err, err
    return err


MALFORMED = {
    "huge.txt": b"1000000000000 3\nlove 0.1 0.2 0.3\n",
    "huge.txt.gz": gzip.compress(b"1000000000000 3\nlove 0.1 0.2 0.3\n", mtime=0),
    "b.txt.gz": b"\x1f\x8b\x08\x00garbage",
    "b.txt.bz2": b"BZh9garbage",
    "dimbad.txt": b"3 3\nlove 0.1 0.2\n",
}


@pytest.mark.parametrize("name,content", MALFORMED.items(), ids=list(MALFORMED))
def test_malformed_vector_files_exit_2(tmp_path, task, capsys, name, content):
    p = tmp_path / name
    p.write_bytes(content)
    assert main(["evaluate", str(p), "--task", task]) == 2
    one_line_error(capsys, f"{p}, line ")


def test_a_file_name_with_markup_is_shown_as_written(tmp_path, task, capsys):
    p = tmp_path / "[red]x[bold].txt"
    p.write_text("2 2\ncat 1 0\ndog 1 1\n", encoding="utf-8")
    assert main(["evaluate", str(p), "--task", task]) == 0
    assert str(p) in capsys.readouterr().out  # was shown as ".../x.txt"


def test_json_output_to_a_folder_exits_2_before_any_work(tmp_path, task, capsys):
    vec = tmp_path / "v.txt"
    vec.write_text("2 2\ncat 1 0\ndog 1 1\n", encoding="utf-8")
    assert main(["evaluate", str(vec), "--task", task, "--json", str(tmp_path)]) == 2
    one_line_error(capsys, f"--json {tmp_path}: is a folder")
    assert capsys.readouterr().out == ""


def test_check_against_a_folder_without_results_exits_2(tmp_path, capsys):
    rc = main(["check", str(BASELINE), "--baseline", str(tmp_path), "--store", str(tmp_path / "s.sqlite")])
    assert rc == 2
    one_line_error(capsys, f"{tmp_path}: is a folder without a results.json")


@pytest.mark.parametrize("fmt", [[], ["--format", "npz"], ["--format", "glove"]])
def test_a_named_pipe_or_a_device_as_vector_file_exits_2_at_once(tmp_path, task, capsys, fmt):
    import os

    from fuzz.limits import within

    fifo = tmp_path / "v.npz"
    os.mkfifo(fifo)
    for path in (fifo, "/dev/zero"):
        with within(5, f"evaluate {path}"):  # a named pipe was waited on forever
            assert main(["evaluate", str(path), "--task", task, *fmt]) == 2
        kind = "a named pipe (FIFO)" if path == fifo else "a character device"
        one_line_error(capsys, f"{path}: is {kind}, not a regular file")


def test_a_named_pipe_or_a_device_as_task_file_exits_2(tmp_path, capsys):
    import os

    fifo = tmp_path / "pairs.txt"
    os.mkfifo(fifo)
    vec = tmp_path / "v.txt"
    vec.write_text("2 2\ncat 1 0\ndog 1 1\n", encoding="utf-8")
    for path, kind in ((fifo, "a named pipe (FIFO)"), ("/dev/zero", "a character device")):
        assert main(["evaluate", str(vec), "--task", str(path)]) == 2  # was "unknown dataset"
        one_line_error(capsys, f"{path}: is {kind}, not a regular file")


def test_train_to_a_compressed_npz_name_exits_2_before_training(tmp_path, capsys):
    corpus = tmp_path / "c.txt"
    corpus.write_text("the cat sat\n" * 5, encoding="utf-8")
    out = tmp_path / "v.npz.gz"
    assert main(["train", "no-such-trainer", "--corpus", str(corpus), "--output", str(out)]) == 2
    one_line_error(capsys, f"{out}: .npz vectors are a zip archive")  # before the trainer is even looked up
    assert not out.exists()


@pytest.mark.parametrize("given", ["vectors", "corpus"])
def test_a_gzip_bomb_is_refused_within_10_s_in_little_memory(tmp_path, task, given):
    from fuzz.limits import assert_clean, run_cli

    chunk = b" 0" * (1 << 19) if given == "vectors" else b"\n" * (1 << 20)  # a GloVe row / blank lines
    member = gzip.compress(chunk, mtime=0)
    p = tmp_path / "bomb.txt.gz"
    with open(p, "wb") as fh:
        fh.write(gzip.compress(b"w 0", mtime=0))
        for _ in range(5):
            fh.write(member * 1024)  # 5 GiB, about 5 MB stored
    args = (["evaluate", p, "--task", task] if given == "vectors"  # was MemoryError at 5.4 GB
            else ["train", "torch-sgns", "--corpus", p, "--output", tmp_path / "v.npz"])  # ran for minutes
    outcome = run_cli(args, timeout=10)
    assert_clean(outcome, names=[p], memory=512 << 20)
    assert outcome.returncode == 2 and "decompression bomb" in outcome.stderr
