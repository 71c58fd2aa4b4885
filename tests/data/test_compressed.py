"""Corrupt or truncated compressed input is an InputError naming the file and where it broke,
for vector files, corpora and task files alike."""

import bz2
import gzip
import lzma

import pytest

from evalsuite.core.errors import InputError
from evalsuite.data.compressed import compression, open_input
from evalsuite.data.corpus import TextCorpus
from evalsuite.data.datasets import load_dataset
from evalsuite.data.vectors import load_embeddings

VECTORS = b"3 2\ncat 1 0\ndog 1 1\ncar 0 3\n"
PAIRS = b"cat\tdog\t9\ncat\tcar\t1\ndog\tcar\t5\n"
CORPUS = b"the cat sat\nthe dog ran\n" * 50

READERS = {
    "vectors": (VECTORS, lambda p: load_embeddings(p)),
    "corpus": (CORPUS, lambda p: list(TextCorpus(p))),
    "task": (PAIRS, lambda p: load_dataset(str(p))),
}
BROKEN = {
    # the examples: a gzip header then garbage, "BZh9" then garbage
    "garbage.gz": (lambda data: b"\x1f\x8b\x08\x00garbage", "gzip data is"),
    "garbage.bz2": (lambda data: b"BZh9garbage", "bzip2 data is corrupt"),
    "cut.gz": (lambda data: gzip.compress(data)[:-12], "gzip data is truncated"),
    "cut.bz2": (lambda data: bz2.compress(data)[:-8], "bzip2 data is truncated"),
    "cut.xz": (lambda data: lzma.compress(data)[:-8], "xz data is"),
    "flipped.gz": (lambda data: _flip(gzip.compress(data), -6), "gzip data is corrupt"),  # CRC
}


def _flip(data: bytes, at: int) -> bytes:
    b = bytearray(data)
    b[at] ^= 0xFF
    return bytes(b)


@pytest.mark.parametrize("reader", sorted(READERS))
@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_compressed_input_is_an_input_error(tmp_path, reader, name):
    content, read = READERS[reader]
    damage, problem = BROKEN[name]
    p = tmp_path / f"{reader}.{name}"
    p.write_bytes(damage(content))
    with pytest.raises(InputError) as err:
        read(p)
    message = str(err.value)
    assert message.startswith(f"{p}, ") and problem in message
    assert ", line " in message or ", byte " in message


def test_the_break_is_located_by_line(tmp_path):
    text = b"".join(b"line %d with some words\n" % i for i in range(20000))
    p = tmp_path / "long.txt.gz"
    p.write_bytes(gzip.compress(text)[:-2000])
    with pytest.raises(InputError) as err:
        list(TextCorpus(p))
    assert 1 < err.value.line <= 20000


def test_binary_vectors_locate_the_break_by_decompressed_byte(tmp_path):
    p = tmp_path / "v.bin.gz"
    p.write_bytes(b"\x1f\x8b\x08\x00garbage")
    with pytest.raises(InputError) as err:
        load_embeddings(p, "word2vec-binary")
    assert err.value.offset == 0 and "decompressed" in str(err.value)


def test_compression_is_told_by_content_and_the_name_must_agree(tmp_path):
    plain = tmp_path / "plain.txt"
    plain.write_bytes(b"BZh9 is a word here\n")  # "BZh" alone is not taken for bzip2
    assert compression(plain) is None
    named = tmp_path / "named.gz"
    named.write_bytes(b"not gzip at all")
    with pytest.raises(InputError, match="not gzip data"):
        compression(named)
    packed = tmp_path / "packed.data"
    packed.write_bytes(bz2.compress(CORPUS))
    assert compression(packed) == "bzip2"
    with open_input(packed) as fh:
        assert fh.read() == CORPUS


def test_compressed_task_files_are_read(tmp_path):
    p = tmp_path / "pairs.txt.gz"
    p.write_bytes(gzip.compress(PAIRS))
    assert len(load_dataset(str(p))) == 3
