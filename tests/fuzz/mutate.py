"""Shared pieces of the fuzz tests: hypothesis profiles, byte mutations, the outcome check.

Every property builds a valid file, damages it with :func:`mutate` (truncations, byte
flips, huge numbers, NaN, empty fields, odd encodings ...) and reads it. The only
acceptable outcomes are a correct load or an evalsuite error whose one-line message names
the file; any other exception, a MemoryError included, fails the property, and so does a
read whose memory peak is far beyond the size of the input.

Profiles: ``ci`` (default; a few examples per property, derandomized so the suite is
repeatable) and ``long`` (``scripts/fuzz.py``: random, many examples). The environment
variable ``EVALSUITE_FUZZ_PROFILE`` selects one.
"""

from __future__ import annotations

import bz2
import gzip
import os
import re
import tempfile
import tracemalloc
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from limits import SECONDS, within

_SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile("ci", max_examples=12, deadline=None, derandomize=True, database=None,
                          suppress_health_check=_SLOW, print_blob=True)
settings.register_profile("long", max_examples=1000, deadline=None, suppress_health_check=_SLOW,
                          print_blob=True)
settings.load_profile(os.environ.get("EVALSUITE_FUZZ_PROFILE", "ci"))

#: examples run per property, and how many of them were refused with an error (for scripts/fuzz.py)
EXAMPLES: Counter = Counter()
REFUSED: Counter = Counter()

MEMORY_SLACK = 32 << 20  # bytes a read may use whatever its input (buffers, chunks)
MEMORY_PER_BYTE = 64  # and per byte of input

INTERESTING = [
    b"1000000000000", b"99999999999999999999999", b"18446744073709551616", b"-1", b"0", b"00",
    b"nan", b"NaN", b"inf", b"-inf", b"1e39", b"-1e39", b"1e-50", b"1e400", b"0x1p3", b"1_0",
    b"", b" ", b"  ", b"\t", b"\n", b"\n\n", b"\r\n", b"\r", b"\x00", b"\xff", b"\xfe\xff",
    b"\xef\xbb\xbf", b"\xc3", b"\xe2\x80\xa8", b"\xed\xa0\x80", b"\x85", b"\x0b\x0c",
    b",", b'"', b"'", b"#", b":", b"=", b"[", b"]", b"{", b"}", b"\\", b";", b"|",
    b"[/bad]", b"<script>", b"PK\x03\x04", b"\x1f\x8b", b"BZh9", b"\x93NUMPY",
    "é日本".encode(), "Ωmega".encode("utf-16"), "ça".encode("latin-1"),
]
_NUMBER = re.compile(rb"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def _op(data, raw: bytes) -> bytes:
    """One mutation of ``raw``, drawn from ``data``."""
    n = len(raw)
    kind = data.draw(st.sampled_from(["truncate", "flip", "insert", "delete", "repeat", "number",
                                      "replace"]))
    at = data.draw(st.integers(0, n))
    if kind == "truncate":
        return raw[:at]
    if kind == "flip" and n:
        at = min(at, n - 1)
        return raw[:at] + bytes([raw[at] ^ data.draw(st.integers(1, 255))]) + raw[at + 1:]
    if kind in ("insert", "replace"):
        token = data.draw(st.one_of(st.sampled_from(INTERESTING), st.binary(max_size=8)))
        end = at + (data.draw(st.integers(0, 8)) if kind == "replace" else 0)
        return raw[:at] + token + raw[end:]
    if kind == "delete":
        return raw[:at] + raw[at + data.draw(st.integers(1, 16)):]
    if kind == "repeat":
        piece = raw[at:at + data.draw(st.integers(1, 64))]
        return raw[:at] + piece * data.draw(st.integers(2, 4)) + raw[at:]
    numbers = list(_NUMBER.finditer(raw))
    if not numbers:
        return raw
    m = numbers[data.draw(st.integers(0, len(numbers) - 1))]
    return raw[:m.start()] + data.draw(st.sampled_from(INTERESTING[:19])) + raw[m.end():]


def mutate(data, raw: bytes, *, max_ops: int = 4) -> bytes:
    """``raw`` after 0 to ``max_ops`` mutations drawn from ``data`` (``st.data()``)."""
    for _ in range(data.draw(st.integers(0, max_ops), label="mutations")):
        raw = _op(data, raw)
    return raw


COMPRESSORS = {"": lambda b: b, ".gz": lambda b: gzip.compress(b, mtime=0), ".bz2": bz2.compress}


def packed(data, raw: bytes) -> tuple[bytes, str]:
    """``raw`` mutated, maybe compressed, and maybe mutated again after compression.

    Returns the bytes and the compression suffix (``""``, ``".gz"``, ``".bz2"``).
    """
    suffix = data.draw(st.sampled_from(sorted(COMPRESSORS)), label="compression")
    out = COMPRESSORS[suffix](mutate(data, raw))
    if suffix and data.draw(st.booleans(), label="damage the compressed bytes"):
        out = mutate(data, out, max_ops=2)
    return out, suffix


@contextmanager
def scratch():
    """A fresh folder for one example (hypothesis runs many examples per test call)."""
    with tempfile.TemporaryDirectory(prefix="evalsuite-fuzz-") as folder:
        yield Path(folder)


def outcome(name: str, path, read, errors):
    """Run ``read()``; return its value, or None after an allowed error that names ``path``.

    Fails on any other exception, on a message that does not name the file or spans
    several lines, on a memory peak beyond ``MEMORY_SLACK + MEMORY_PER_BYTE * size``, and
    on a read that runs past :data:`limits.SECONDS`.
    """
    EXAMPLES[name] += 1
    size = Path(path).stat().st_size if Path(path).is_file() else 0
    tracemalloc.start()
    try:
        with within(SECONDS, f"reading {name}"):
            value, error = read(), None
    except errors as exc:
        value, error = None, exc
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    limit = MEMORY_SLACK + MEMORY_PER_BYTE * size
    assert peak <= limit, f"reading {size} bytes took {peak} bytes of memory"
    if error is not None:
        REFUSED[name] += 1
        message = str(error)
        assert str(path) in message, f"the message does not name the file: {message}"
        assert "\n" not in message, f"the message spans several lines: {message!r}"
    return value
