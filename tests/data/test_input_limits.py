"""Bounded reads: decompression bombs, over-long lines and special files are refused quickly,
in little memory, by the one opener every reader uses."""

import bz2
import gzip
import lzma
import os
from pathlib import Path

import pytest

from evalsuite.core.errors import InputError
from evalsuite.data import compressed
from evalsuite.data.compressed import open_input
from evalsuite.data.corpus import TextCorpus
from evalsuite.data.corpus.readers import iter_lines
from evalsuite.data.datasets import load_dataset
from evalsuite.data.vectors import load_embeddings
from data.vectors.test_size_claims import peak_bytes as peak
from fuzz.limits import within

GIB = 1 << 30
# what each reader's bomb starts with, so that the reader goes on to read the bomb's bulk
READERS = {
    "vectors": (b"w 0", lambda p: load_embeddings(p)),  # a GloVe row: counted, then read
    "corpus": (b"w", lambda p: list(TextCorpus(p))),
    "task": (b"a b 1", lambda p: load_dataset(str(p))),
}
BULK = {"long line": b" 0" * (1 << 19), "spaces": b" " * (1 << 20), "newlines": b"\n" * (1 << 20)}
PACK = {"gz": gzip.compress, "bz2": bz2.compress, "xz": lzma.compress}


def bomb(path: Path, head: bytes, chunk: bytes, pack=gzip.compress, gib: int = 5) -> Path:
    """A file of concatenated compressed streams (gzip members, bzip2 and xz streams), which
    the readers take as one: ``head`` then ``chunk`` repeated to ``gib`` GiB, a few MB stored."""
    member = pack(chunk)
    with open(path, "wb") as fh:
        fh.write(pack(head))
        for _ in range(gib * GIB // len(chunk) // 1024):
            fh.write(member * 1024)
    return path


def refused(read, path, needle: str, seconds: float = 30) -> int:
    """Memory peak of ``read(path)``, which must raise an InputError naming ``path`` and ``needle``.

    The time limit catches a read that runs on through the bomb; it is loose because memory
    tracing slows the reading threefold (the slowest bomb, newlines read as a corpus, is refused
    in about 1.5 s untraced) and the suite may share the machine."""
    def attempt():
        with within(seconds, f"reading {path.name}"), pytest.raises(InputError) as err:
            read(path)
        message = str(err.value)
        assert message.startswith(str(path)) and needle in message and "\n" not in message, message

    return peak(attempt)


@pytest.mark.parametrize("reader", sorted(READERS))
@pytest.mark.parametrize("bulk", sorted(BULK))
def test_a_gzip_bomb_is_refused_quickly_in_little_memory(tmp_path, reader, bulk):
    head, read = READERS[reader]
    p = bomb(tmp_path / f"{reader}.txt.gz", head, BULK[bulk])
    assert p.stat().st_size < 8 << 20
    assert refused(read, p, "refused as a decompression bomb") < 64 << 20


@pytest.mark.parametrize("pack", ["bz2", "xz"])
def test_bzip2_and_xz_bombs_are_refused(tmp_path, pack):
    p = bomb(tmp_path / f"v.txt.{pack}", b"w 0", BULK["spaces"], PACK[pack])
    assert refused(READERS["vectors"][1], p, "expands more than 100 times") < 64 << 20


def test_real_compressed_text_is_far_below_the_ratio(tmp_path):
    rows = b"".join(b"word%d %d.25 -%d.5 0.%d\n" % (i, i, i % 97, i * 7) for i in range(60000))
    p = tmp_path / "v.txt.gz"
    p.write_bytes(gzip.compress(b"60000 3\n" + rows))
    assert len(load_embeddings(p)) == 60000


def test_a_line_beyond_the_bound_is_refused_by_name(tmp_path, monkeypatch):
    monkeypatch.setattr(compressed, "MAX_LINE", 1000)
    p = tmp_path / "c.txt"
    p.write_bytes(b"short line\n" + b"x" * 1500 + b"\nlast\n")
    with pytest.raises(InputError, match=r", line 2: a token longer than 1000 bytes"):
        list(TextCorpus(p))
    with open_input(p) as fh:
        assert fh.readline() == b"short line\n"
        with pytest.raises(InputError, match="line 2: line longer than 1000 bytes"):
            fh.readline()
    p.write_bytes(b"a\n" * 400 + b"y" * 999 + b"\n")  # up to the bound is fine
    assert len(list(TextCorpus(p))) == 401


def test_a_corpus_on_one_long_line_is_read_in_pieces_cut_at_whitespace(tmp_path, monkeypatch):
    # text8 is one 100 MB line: its tokens are all read, none cut in two
    monkeypatch.setattr(compressed, "MAX_LINE", 64)
    words = [f"w{i}" for i in range(200)]
    p = tmp_path / "one-line.txt.gz"
    p.write_bytes(gzip.compress(("first\n" + " ".join(words) + "\nlast").encode()))
    lines = list(iter_lines(p))
    assert lines[0] == (1, "first") and lines[-1] == (3, "last")
    assert {n for n, _ in lines[1:-1]} == {2} and len(lines) > 3
    assert [w for _, text in lines[1:-1] for w in text.split()] == words
    assert all(len(text) <= 64 for _, text in lines)


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    return path


def test_a_named_pipe_is_refused_before_it_is_opened(fifo, tmp_path):
    link = tmp_path / "link.txt"
    link.symlink_to(fifo)
    for path in (fifo, link):
        for read in (lambda p: compressed.check_regular(p), open_input, *[r for _, r in READERS.values()]):
            with within(5, f"reading {path.name}"), pytest.raises(InputError) as err:
                read(path)
            assert str(err.value) == f"{path}: is a named pipe (FIFO), not a regular file"


@pytest.mark.parametrize("reader", sorted(READERS))
def test_dev_zero_and_a_folder_are_refused(tmp_path, reader):
    read = READERS[reader][1]
    with within(5, "reading /dev/zero"), pytest.raises(InputError, match="^/dev/zero: is a character device, not a regular file$"):
        read(Path("/dev/zero"))
    if reader != "corpus":  # a folder is a corpus of its files
        with pytest.raises(InputError, match="is a folder, not a file"):
            read(tmp_path)
