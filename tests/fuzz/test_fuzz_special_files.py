"""Special files and decompression bombs given to every reader: refused at once, in little memory.

Special files: a named pipe, ``/dev/zero``, a folder, a symbolic link to a pipe, a corpus folder
holding a pipe. Bombs: gzip, bzip2 or xz data of a repeated chunk (spaces, newlines, a long row,
random bytes) expanding hundreds of MiB from a few KB. Each read runs under a time limit and a
memory check (:func:`mutate.outcome`); a hang or a runaway read fails the property.
"""

import bz2
import gzip
import lzma
import os
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from evalsuite.core.errors import EvalsuiteError
from evalsuite.data.corpus import TextCorpus
from evalsuite.data.datasets import load_dataset
from evalsuite.data.vectors import load_embeddings
from limits import within
from mutate import outcome, scratch

VECTOR_FORMATS = [None, "word2vec", "word2vec-binary", "glove", "fasttext", "npz"]
READERS = {
    "vectors": lambda p, fmt: load_embeddings(p, fmt),
    "task": lambda p, fmt: load_dataset(str(p)),
    "corpus": lambda p, fmt: list(TextCorpus(p)),
}
PACK = {".gz": lambda b: gzip.compress(b, mtime=0), ".bz2": bz2.compress, ".xz": lzma.compress}
CHUNKS = [b" ", b"\n", b" 0", b"a", b"\x00", b"\r\n", b"w 0.5\n"]


def _special(kind: str, folder: Path) -> Path:
    if kind == "/dev/zero":
        return Path("/dev/zero")
    if kind == "folder":
        return folder
    fifo = folder / "pipe.txt"
    os.mkfifo(fifo)
    if kind == "link to a pipe":
        (folder / "link.txt").symlink_to(fifo)
        return folder / "link.txt"
    if kind == "folder holding a pipe":
        (folder / "a.txt").write_text("the cat sat\n", encoding="utf-8")
        return folder
    return fifo


@settings(max_examples=10)
@given(kind=st.sampled_from(["pipe", "/dev/zero", "folder", "link to a pipe", "folder holding a pipe"]),
       reader=st.sampled_from(sorted(READERS)), fmt=st.sampled_from(VECTOR_FORMATS))
def test_special_files_are_refused_at_once(kind, reader, fmt):
    with scratch() as folder:
        path = _special(kind, folder)
        with within(5, f"{reader} reading {kind}"):
            loaded = outcome("special files", path, lambda: READERS[reader](path, fmt), EvalsuiteError)
        assert loaded is None, f"{kind} was read as {reader}"


@settings(max_examples=6)
@given(reader=st.sampled_from(sorted(READERS)), fmt=st.sampled_from(VECTOR_FORMATS),
       suffix=st.sampled_from(sorted(PACK)), head=st.sampled_from([b"", b"w 0", b"3 2\n", b"a b 1\n"]),
       chunk=st.one_of(st.sampled_from(CHUNKS), st.binary(min_size=1, max_size=16)),
       mib=st.integers(32, 512))
def test_decompression_bombs_are_refused_in_little_memory(reader, fmt, suffix, head, chunk, mib):
    member = PACK[suffix](chunk * ((1 << 20) // len(chunk)))  # about 1 MiB expanded
    with scratch() as folder:
        path = folder / f"bomb.txt{suffix}"
        with open(path, "wb") as fh:  # concatenated streams read as one: head, then the bulk
            fh.write(PACK[suffix](head) + member * mib)
        with within(10, f"{reader} reading a {mib} MiB bomb"):
            loaded = outcome("decompression bombs", path, lambda: READERS[reader](path, fmt), EvalsuiteError)
        assert loaded is None, "a bomb was read whole"
