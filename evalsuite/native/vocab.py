"""Binding of the compiled first-seen word table (``vocab.c``).

Tokens cross into C as one UTF-8 string per run, joined by ``"\\0"`` (one join and
one encode, both at C speed), instead of one dictionary lookup per token in Python.
"""

from __future__ import annotations

import ctypes

import numpy as np

from evalsuite.native import kernel_loader
from evalsuite.native.w2v import CFLAGS

_i64, _ptr = ctypes.c_int64, ctypes.c_void_p


def _declare(lib) -> None:
    lib.vocab_create.argtypes = []
    lib.vocab_create.restype = _ptr
    lib.vocab_add.argtypes = [_ptr, ctypes.c_char_p, _i64, _i64, _ptr]
    lib.vocab_add.restype = ctypes.c_int
    for fn in (lib.vocab_size, lib.vocab_bytes):
        fn.argtypes = [_ptr]
        fn.restype = _i64
    lib.vocab_words.argtypes = [_ptr, _ptr, _ptr, _ptr]
    lib.vocab_words.restype = None
    lib.vocab_free.argtypes = [_ptr]
    lib.vocab_free.restype = None


load_native = kernel_loader("vocab", CFLAGS, _declare, "The compiled word table")


class FirstSeen:
    """Words numbered in order of first appearance, with their counts.

    Parameters
    ----------
    lib
        The library from :func:`load_native`.
    """

    def __init__(self, lib):
        self.lib = lib
        self.handle = lib.vocab_create()
        if not self.handle:
            raise MemoryError("word table: out of memory")

    def ids(self, tokens: list) -> np.ndarray | None:
        """The int32 ids of ``tokens`` (counted), or ``None`` for tokens this table cannot take.

        It takes ``str`` tokens without ``"\\0"``; with ``None`` nothing was counted.
        """
        try:
            joined = "\0".join(tokens)
        except TypeError:
            return None
        if tokens and joined.count("\0") != len(tokens) - 1:
            return None
        raw = joined.encode("utf-8", "surrogatepass")
        out = np.empty(len(tokens), dtype=np.int32)
        status = self.lib.vocab_add(self.handle, raw, len(raw), len(tokens), out.ctypes.data)
        if status:
            raise MemoryError("word table: out of memory") if status == -1 else ValueError("word table: bad run")
        return out

    def words(self) -> tuple[list[str], np.ndarray]:
        """The words in id order and their counts."""
        n, size = self.lib.vocab_size(self.handle), self.lib.vocab_bytes(self.handle)
        raw = ctypes.create_string_buffer(max(size, 1))
        offsets = np.empty(n + 1, dtype=np.int64)
        counts = np.empty(n, dtype=np.int64)
        self.lib.vocab_words(self.handle, raw, offsets.ctypes.data, counts.ctypes.data)
        data, bounds = raw.raw, offsets.tolist()
        return [data[a:b].decode("utf-8", "surrogatepass") for a, b in zip(bounds, bounds[1:])], counts

    def close(self) -> None:
        """Free the table."""
        if self.handle:
            self.lib.vocab_free(self.handle)
            self.handle = None

    def __del__(self):
        self.close()


__all__ = ["FirstSeen", "load_native"]
