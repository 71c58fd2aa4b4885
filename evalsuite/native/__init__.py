"""Compiled kernels: C sources shipped with the package, built on first use.

Each kernel (``w2v.c`` for the Word2Vec trainers, ``glove.c``, ``cooccur.c`` and
``vocab.c`` for GloVe's training, counting and vocabulary, ``analogy.c`` for
analogy scoring) is compiled with the system C compiler into a per-user cache
(``$EVALSUITE_NATIVE_CACHE``, else ``$XDG_CACHE_HOME/evalsuite`` or
``~/.cache/evalsuite``), keyed by the source, the flags, the compiler and the CPU,
and loaded with :mod:`ctypes`, which releases the interpreter lock during calls so
that threads run kernels in parallel. Without a working compiler
:func:`load_library` raises :class:`NativeKernelError`, and callers fall back to
their numpy / PyTorch implementations.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import platform
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import threading
from pathlib import Path
from typing import Callable, Sequence

HERE = Path(__file__).resolve().parent

_lock = threading.Lock()
_loaded: dict[str, object] = {}


class NativeKernelError(RuntimeError):
    """A kernel could not be compiled or loaded."""


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


def _source_text(source: Path) -> str:
    """The source with the text of the package headers it includes (``#include "x.h"``), for the cache key."""
    text = source.read_text()
    headers = re.findall(r'^\s*#\s*include\s+"([^"]+)"', text, flags=re.MULTILINE)
    return "\0".join([text, *((source.parent / h).read_text() for h in headers)])


def _build(cc: str, source: Path, cflags: Sequence[str]) -> Path:
    version = subprocess.run([cc, "--version"], capture_output=True, text=True, timeout=60).stdout
    key = hashlib.sha256("\0".join([_source_text(source), " ".join(cflags), version, _cpu_signature(),
                                    sys.platform]).encode()).hexdigest()[:16]
    target = cache_dir() / f"{source.stem}-{key}.so"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".so", dir=target.parent)
    os.close(fd)
    try:
        proc = subprocess.run([cc, *cflags, "-o", tmp, str(source), "-lm"], capture_output=True, text=True,
                              timeout=300)
        if proc.returncode != 0:
            raise NativeKernelError(f"{cc} failed on {source}:\n{proc.stderr.strip()[-2000:]}")
        os.replace(tmp, target)  # atomic: a concurrent build never sees half a library
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def load_library(name: str, cflags: Sequence[str], declare: Callable[[ctypes.CDLL], None], *,
                 required: bool = True) -> ctypes.CDLL | None:
    """Build (once per key) and load ``name``.c; later calls return the same library.

    Parameters
    ----------
    name : str
        Kernel source in this package, without ``.c``.
    cflags : sequence of str
        Compiler flags (part of the cache key).
    declare : callable
        Sets ``argtypes`` and ``restype`` of the library's functions.
    required : bool
        Raise when the library cannot be had; otherwise return ``None``.

    Raises
    ------
    NativeKernelError
        When ``required`` and there is no compiler or the build fails (the error
        is remembered, so a failed build is not retried in the same process).
    """
    with _lock:
        if name not in _loaded:
            try:
                cc = _compiler()
                if cc is None:
                    raise NativeKernelError("no C compiler found (set CC, or install gcc)")
                lib = ctypes.CDLL(str(_build(cc, HERE / f"{name}.c", cflags)))
                declare(lib)
                _loaded[name] = lib
            except (OSError, subprocess.SubprocessError, NativeKernelError) as exc:
                _loaded[name] = exc if isinstance(exc, NativeKernelError) else NativeKernelError(str(exc))
        result = _loaded[name]
    if isinstance(result, NativeKernelError):
        if required:
            raise result
        return None
    return result


def kernel_loader(name: str, cflags: Sequence[str], declare: Callable[[ctypes.CDLL], None],
                  what: str) -> Callable[..., ctypes.CDLL | None]:
    """A ``load_native(required=False)`` function for the kernel ``name``.c.

    Parameters
    ----------
    name, cflags, declare
        As for :func:`load_library`.
    what : str
        The kernel, as the loader's docstring names it ("The compiled GloVe kernel").
    """

    def load_native(required: bool = False) -> ctypes.CDLL | None:
        return load_library(name, cflags, declare, required=required)

    load_native.__doc__ = (f"{what}, or ``None`` when it cannot be built.\n\n"
                           "Parameters\n----------\nrequired : bool\n"
                           "    Raise :class:`~evalsuite.native.NativeKernelError` instead of returning ``None``.\n")
    return load_native


__all__ = ["NativeKernelError", "cache_dir", "kernel_loader", "load_library"]
