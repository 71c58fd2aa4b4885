"""Size claims (header counts, .npy shapes) are checked before anything is allocated."""

import bz2
import gzip
import io
import struct
import tracemalloc
import zipfile
import zlib

import numpy as np
import pytest

from evalsuite.core.errors import InputError
from evalsuite.data.vectors import detect_format, load_embeddings

HUGE = b"1000000000000 3\nlove 0.1 0.2 0.3\n"  # 10^12 rows claimed: 10.9 TiB as float32


def peak_bytes(fn):
    """Largest amount of memory traced (numpy arrays included) while ``fn`` runs."""
    tracemalloc.start()
    try:
        fn()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


@pytest.mark.parametrize("name,pack,fmt", [
    ("huge.txt", bytes, None), ("huge.txt", bytes, "word2vec"), ("huge.txt.gz", gzip.compress, None),
    ("huge.txt.bz2", bz2.compress, "word2vec"), ("huge.vec", bytes, "fasttext"),
])
def test_a_huge_header_count_is_an_input_error(write, name, pack, fmt):
    p = write(pack(HUGE), name)
    with pytest.raises(InputError) as err:
        load_embeddings(p, fmt)
    assert str(err.value) == f"{p}, line 3: the header announces 1000000000000 vectors but the file ends after 1"


def test_a_compressed_claim_is_not_allocated_before_its_rows_arrive(write):
    # 5e7 x 100 float32 = 20 GB claimed, one row present: memory stays near the data
    p = write(gzip.compress(b"50000000 100\nw " + b"0.5 " * 99 + b"0.5\n"), "claim.txt.gz")
    with pytest.raises(InputError, match="ends after 1"):
        load_embeddings(p)
    assert peak_bytes(lambda: pytest.raises(InputError, load_embeddings, p)) < 32 << 20


def test_a_plain_claim_the_file_cannot_hold_is_not_allocated(write):
    p = write(b"50000000 100\nw " + b"0.5 " * 99 + b"0.5\n", "claim.txt")
    assert peak_bytes(lambda: pytest.raises(InputError, load_embeddings, p)) < 32 << 20


def test_compressed_rows_grow_the_matrix_to_the_exact_size(write):
    rows = b"".join(b"w%d %d %d\n" % (i, i, -i) for i in range(3000))
    e = load_embeddings(write(gzip.compress(b"3000 2\n" + rows), "ok.txt.gz"))
    assert e.matrix.shape == (3000, 2) and e.matrix[2999].tolist() == [2999, -2999]
    g = load_embeddings(write(gzip.compress(rows), "ok.glove.gz"), "glove")
    assert g.vocab == e.vocab and np.array_equal(g.matrix, e.matrix)


def test_a_huge_binary_dimension_compressed_is_an_input_error(write):
    p = write(gzip.compress(b"1 1000000000000\nw " + b"\0" * 64), "d.bin.gz")
    assert detect_format(p) == "word2vec-binary"
    with pytest.raises(InputError, match="dimension 1000000000000 is beyond"):
        load_embeddings(p)
    p = write(gzip.compress(b"1 16777216\nw " + b"\0" * 64), "d.bin.gz")  # 64 MiB a row: read as it comes
    with pytest.raises(InputError, match="truncated"):
        load_embeddings(p, "word2vec-binary")
    assert peak_bytes(lambda: pytest.raises(InputError, load_embeddings, p, "word2vec-binary")) < 32 << 20


@pytest.mark.parametrize("header", [b"0 99999999999999999999\n", b"1 99999999999999999999\nw 1\n"])
def test_a_dimension_beyond_numpy_is_an_input_error(write, header):
    with pytest.raises(InputError, match="dimension 99999999999999999999 is beyond"):
        load_embeddings(write(header, "v.txt"), "word2vec")


def _npz_with_shape(path, shape, compression=zipfile.ZIP_STORED):
    """An .npz whose 'matrix' header claims ``shape`` and holds 12 bytes of data."""
    matrix = io.BytesIO()
    np.lib.format.write_array_header_1_0(matrix, {"descr": "<f4", "fortran_order": False, "shape": shape})
    matrix.write(np.zeros(3, np.float32).tobytes())
    vocab = io.BytesIO()
    np.save(vocab, np.array(["love"]))
    with zipfile.ZipFile(path, "w", compression) as out:
        out.writestr("vocab.npy", vocab.getvalue())
        out.writestr("matrix.npy", matrix.getvalue())
    return path


def test_an_npy_shape_claim_beyond_the_archive_is_an_input_error(tmp_path):
    p = _npz_with_shape(tmp_path / "huge.npz", (10**12, 300))
    with pytest.raises(InputError) as err:
        load_embeddings(p)
    assert str(err.value).startswith(f"{p}: array 'matrix' claims shape (1000000000000, 300) of float32")
    assert "holds at most 12 bytes" in str(err.value)


def test_an_npy_shape_the_archive_holds_loads(tmp_path):
    e = load_embeddings(_npz_with_shape(tmp_path / "fine.npz", (1, 3)))
    assert e.vocab == ("love",) and e.matrix.tolist() == [[0, 0, 0]]


def test_a_deflated_shape_claim_beyond_what_deflate_can_hold_is_refused(tmp_path):
    # deflate expands at most 1032-fold: 10^6 x 10^3 float32 (4 GB) cannot come from this member
    p = _npz_with_shape(tmp_path / "bomb.npz", (10**6, 10**3), zipfile.ZIP_DEFLATED)
    with pytest.raises(InputError, match=r"'matrix' claims shape \(1000000, 1000\)"):
        load_embeddings(p)


def test_an_npy_member_with_the_wrong_kind_is_refused_before_loading(tmp_path):
    p = tmp_path / "k.npz"
    np.savez(p, vocab=np.array([1, 2]), matrix=np.zeros((2, 2), np.float32))
    with pytest.raises(InputError, match="'vocab' has dtype int64"):
        load_embeddings(p)


def test_a_header_dimension_that_disagrees_with_the_rows_is_text(write):
    # was taken for word2vec binary and called "truncated"
    p = write(b"3 3\nlove 0.1 0.2\nhate 0.3 0.4\n", "dimbad.txt")
    assert detect_format(p) == "word2vec"
    with pytest.raises(InputError) as err:
        load_embeddings(p)
    assert str(err.value) == f"{p}, line 2: expected 3 values after the word 'love', found 2"


def test_a_header_with_thousands_of_digits_is_no_header(write):
    p = write(b"1" * 5000 + b" 3\n", "digits.txt")
    with pytest.raises(InputError, match="bad header"):
        load_embeddings(p, "word2vec")


def _zip(path, members):
    """A zip of deflated ``members`` ({name: (raw deflate data, crc32, size)}), written by hand."""
    local, central = bytearray(), bytearray()
    for name, (data, crc, size) in members.items():
        fields = struct.pack("<HHHHHIIIHH", 20, 0, 8, 0, 0x21, crc, len(data), size, len(name), 0)
        central += b"PK\x01\x02" + struct.pack("<H", 20) + fields + struct.pack("<HHHII", 0, 0, 0, 0, len(local))
        central += name.encode()
        local += b"PK\x03\x04" + fields + name.encode() + data
    end = struct.pack("<HHHHIIH", 0, 0, len(members), len(members), len(central), len(local), 0)
    path.write_bytes(bytes(local + central) + b"PK\x05\x06" + end)
    return path


def _deflated(chunks):
    """Raw deflate of the concatenated ``chunks``, its crc32 and size; equal chunks cost once."""
    pack, out, crc, size, memo = zlib.compressobj(9, zlib.DEFLATED, -15), [], 0, 0, {}
    for chunk in chunks:
        if chunk not in memo:  # after a full flush equal input deflates to equal bytes
            memo[chunk] = pack.compress(chunk) + pack.flush(zlib.Z_FULL_FLUSH)
        out.append(memo[chunk])
        crc, size = zlib.crc32(chunk, crc), size + len(chunk)
    return b"".join(out) + pack.flush(), crc, size


def test_a_deflate_bomb_npz_is_refused_before_decompressing(tmp_path):
    # ~260 KB of deflated zeros holding a genuine 256 MiB float32 matrix: deflate can hold it
    # (1032-fold), no real matrix expands so much; the 0.96 MB one loaded at 3.4 GB
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f4", "fortran_order": False,
                                                  "shape": (1 << 16, 1 << 10)})
    vocab = io.BytesIO()
    np.save(vocab, np.array(["w%d" % i for i in range(1 << 16)]))
    p = _zip(tmp_path / "bomb.npz", {"vocab.npy": _deflated([vocab.getvalue()]),
                                      "matrix.npy": _deflated([header.getvalue()] + [bytes(1 << 20)] * 256)})
    assert p.stat().st_size < 1 << 20
    assert peak_bytes(lambda: pytest.raises(InputError, load_embeddings, p)) < 64 << 20
    with pytest.raises(InputError, match=r"'matrix' claims shape \(65536, 1024\).*at most 256 times"):
        load_embeddings(p)


def test_a_plain_one_line_file_is_refused_without_reading_it_whole(write):
    p = write(b"3 2 ", "one-line.txt")
    with open(p, "r+b") as fh:
        fh.truncate(200 << 20)  # 200 MB on one line (sparse: cheap to make)
    grab = lambda fmt: pytest.raises(InputError, load_embeddings, p, fmt)
    assert peak_bytes(lambda: grab("word2vec")) < 8 << 20  # the header line is read with a bound
    assert "bad header: line 1 runs past" in str(grab("word2vec").value)
    assert peak_bytes(lambda: grab("glove")) < 200 << 20  # a row: refused at the 64 MiB line bound
    assert "line 1: line longer than 67108864 bytes" in str(grab("glove").value)
