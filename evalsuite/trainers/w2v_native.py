"""The compiled per-example Word2Vec kernel (``w2v_native.c``): build, cache, call.

The C source ships with the package and is compiled on first use with the
system C compiler into a per-user cache (``$EVALSUITE_NATIVE_CACHE``, else
``$XDG_CACHE_HOME/evalsuite`` or ``~/.cache/evalsuite``), keyed by the source,
the flags, the compiler and the CPU, and loaded with :mod:`ctypes`. ctypes
releases the interpreter lock during the call, so Hogwild worker threads run
the kernel in parallel on shared weights. Without a working compiler
:func:`load_native` returns ``None`` and the trainers use the batched PyTorch
kernel instead.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import platform
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import threading
from pathlib import Path

import numpy as np
import torch

SOURCE = Path(__file__).with_name("w2v_native.c")
#: -fassociative-math and friends let the compiler vectorise the dot products; the
#: summation order is fixed in the binary, so results stay reproducible
CFLAGS = ("-O3", "-march=native", "-fPIC", "-shared", "-fno-math-errno", "-fno-trapping-math",
          "-fassociative-math", "-fno-signed-zeros")

_lock = threading.Lock()
_loaded: dict[str, object] = {}

_i64, _f32, _u64, _i32 = ctypes.c_int64, ctypes.c_float, ctypes.c_uint64, ctypes.c_int32
_ptr = ctypes.c_void_p
_COMMON = [_ptr, _ptr, _i64, _ptr, _ptr, _i64, _i64, _i64, _ptr, _ptr, _ptr, _i64, _i64, _f32]


class NativeKernelError(RuntimeError):
    """The C kernel could not be compiled or loaded."""


def cache_dir() -> Path:
    """Where compiled kernels are kept."""
    if os.environ.get("EVALSUITE_NATIVE_CACHE"):
        return Path(os.environ["EVALSUITE_NATIVE_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "evalsuite"


def _compiler() -> str | None:
    for name in (os.environ.get("CC"), sysconfig.get_config_var("CC"), "cc", "gcc", "clang"):
        exe = name.split()[0] if name else None
        if exe and shutil.which(exe):
            return exe
    return None


def _cpu_signature() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            flags = next((line for line in f if line.startswith(("flags", "Features"))), "")
    except OSError:
        flags = ""
    return f"{platform.machine()} {flags}"


def _build(cc: str) -> Path:
    version = subprocess.run([cc, "--version"], capture_output=True, text=True, timeout=60).stdout
    key = hashlib.sha256("\0".join([SOURCE.read_text(), " ".join(CFLAGS), version, _cpu_signature(),
                                    sys.platform]).encode()).hexdigest()[:16]
    target = cache_dir() / f"w2v_native-{key}.so"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".so", dir=target.parent)
    os.close(fd)
    try:
        proc = subprocess.run([cc, *CFLAGS, "-o", tmp, str(SOURCE), "-lm"], capture_output=True, text=True,
                              timeout=300)
        if proc.returncode != 0:
            raise NativeKernelError(f"{cc} failed on {SOURCE}:\n{proc.stderr.strip()[-2000:]}")
        os.replace(tmp, target)  # atomic: a concurrent build never sees half a library
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def load_native(required: bool = False):
    """The compiled kernel library, or ``None`` when it cannot be built.

    Parameters
    ----------
    required : bool
        Raise :class:`NativeKernelError` instead of returning ``None``.
    """
    with _lock:
        if "lib" not in _loaded:
            try:
                cc = _compiler()
                if cc is None:
                    raise NativeKernelError("no C compiler found (set CC, or install gcc)")
                lib = ctypes.CDLL(str(_build(cc)))
                lib.sgns_chunk.argtypes = [*_COMMON, _u64, ctypes.POINTER(_i64)]
                lib.cbow_chunk.argtypes = [*_COMMON, _i32, _u64, ctypes.POINTER(_i64)]
                for fn in (lib.sgns_chunk, lib.cbow_chunk):
                    fn.restype = ctypes.c_double
                _loaded["lib"] = lib
            except (OSError, subprocess.SubprocessError, NativeKernelError) as exc:
                _loaded["lib"] = None
                _loaded["error"] = exc if isinstance(exc, NativeKernelError) else NativeKernelError(str(exc))
        if _loaded["lib"] is None and required:
            raise _loaded["error"]
        return _loaded["lib"]


def _check(array: np.ndarray, dtype) -> int:
    if array.dtype != dtype or not array.flags.c_contiguous:
        raise TypeError(f"expected a contiguous {np.dtype(dtype)} array, got {array.dtype}")
    return array.ctypes.data


def train_chunk(lib, arch: str, W: torch.Tensor, C: torch.Tensor, tokens: np.ndarray, sent: np.ndarray,
                start: int, stop: int, eff: np.ndarray, noise: tuple[np.ndarray, np.ndarray], negative: int,
                lr: float, seed: int, mean: bool = True) -> tuple[float, int]:
    """Train the centres ``start..stop-1`` of ``tokens`` in place; returns (summed loss, examples).

    Parameters
    ----------
    lib
        The library from :func:`load_native`.
    arch : {"sgns", "cbow"}
    W, C : Tensor (V, d)
        Contiguous float32 input and output weights, updated in place.
    tokens, sent : ndarray of int32
        Token ids and sentence ids of the subsampled stream.
    eff : ndarray of int32
        Effective half-window of each centre in ``start..stop-1``.
    noise : (ndarray of float32, ndarray of int32)
        Alias tables of the noise distribution (:meth:`NoiseSampler.alias_tables`).
    negative : int
        Noise words per example (at most 64).
    seed : int
        Seed of the chunk's noise-word generator.
    mean : bool
        CBOW only: average the context vectors instead of summing them.
    """
    for m in (W, C):
        if m.dtype != torch.float32 or not m.is_contiguous():
            raise TypeError("weights must be contiguous float32 tensors")
    if len(eff) != stop - start:
        raise ValueError(f"{len(eff)} window sizes for {stop - start} centres")
    keep, alias = noise
    if len(keep) != W.shape[0] or len(alias) != W.shape[0]:
        raise ValueError(f"noise tables cover {len(keep)} words, the weights {W.shape[0]}")
    if not 1 <= negative <= 64:
        raise ValueError(f"negative={negative}: the compiled kernel takes 1 to 64 noise words")
    n_examples = _i64(0)
    args = [W.data_ptr(), C.data_ptr(), W.shape[1], _check(tokens, np.int32), _check(sent, np.int32),
            len(tokens), start, stop, _check(eff, np.int32), _check(keep, np.float32), _check(alias, np.int32),
            len(keep), negative, lr]
    seed_arg = int(seed) & 0xFFFFFFFFFFFFFFFF
    if arch == "sgns":
        loss = lib.sgns_chunk(*args, seed_arg, ctypes.byref(n_examples))
    elif arch == "cbow":
        loss = lib.cbow_chunk(*args, int(bool(mean)), seed_arg, ctypes.byref(n_examples))
    else:
        raise ValueError(f"unknown architecture {arch!r}")
    if n_examples.value < 0:
        raise MemoryError("w2v_native: could not allocate a scratch vector")
    return float(loss), int(n_examples.value)


__all__ = ["NativeKernelError", "cache_dir", "load_native", "train_chunk"]
