"""Bounds of the trainers' parameters, the seed range, and the memory check of the training matrices.

Each integer parameter of every trainer has an upper bound (declared in the trainer's
``_parameter_constraints`` from the ranges here), so that a typo such as
``epochs=1000000000000000000`` fails at construction instead of running for ever, and
a value never overflows the C integers of gensim or the compiled kernels. The bounds are
far beyond any useful setting:

- ``vector_size`` <= :data:`MAX_VECTOR_SIZE`, the largest dimension the vector readers
  accept, so that every trained matrix can be read back;
- ``window`` <= :data:`MAX_WINDOW`, the longest sentence gensim trains on (a wider window
  reaches nothing more);
- ``workers`` <= :data:`MAX_WORKERS`, a fixed cap rather than a multiple of this machine's
  cores, so that a config valid here is valid on a cluster node too; each worker thread
  holds its own buffers, so a runaway count multiplies memory;
- counts compared with the corpus' int64 counts (``min_count``, vocabulary cuts,
  ``max_buffer``) <= :data:`MAX_COUNT`.

Whether ``vector_size`` fits memory depends on the vocabulary, so :func:`check_matrices`
runs once the vocabulary is built, before the matrices are allocated.
"""

from __future__ import annotations

import os
import resource

from evalsuite.data.vectors.detect import MAX_DIM
from evalsuite.train.params import Integral, Interval, ParameterError, validate_value

MAX_VECTOR_SIZE = MAX_DIM
MAX_WINDOW = 10_000
MAX_NEGATIVE = 1_000
MAX_EPOCHS = 10_000
MAX_BATCH_SIZE = 1 << 24
MAX_WORKERS = 256
MAX_COUNT = 2**63 - 1
#: seeds are in [0, SEED_LIMIT): what every random generator used by the trainers accepts
SEED_LIMIT = 2**32

SEED = [Interval(Integral, 0, SEED_LIMIT - 1)]


def upto(high: int, low: int = 1) -> list:
    """The constraint list of an int in ``[low, high]``."""
    return [Interval(Integral, low, high)]


def check_seed(seed, name: str = "seed", *, owner: str | None = None) -> int:
    """``seed`` as an int, or a :class:`ParameterError` unless it is an int in ``[0, 2**32)``.

    The one rule for seeds: ``fit(seed=...)``, ``train --seed`` and the config's seeds use it.
    """
    return validate_value(name, seed, SEED, owner=owner)


def available_memory() -> tuple[int, str] | None:
    """Bytes this process may still allocate, and where the figure comes from (None: unknown).

    The smaller of the system's available memory (``MemAvailable`` of ``/proc/meminfo``, else
    ``os.sysconf``'s available pages) and what the address-space limit (``ulimit -v``) leaves.
    """
    found: list[tuple[int, str]] = []
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    found.append((int(line.split()[1]) * 1024, "MemAvailable in /proc/meminfo"))
                    break
    except (OSError, ValueError, IndexError):
        pass
    if not found:
        try:
            pages = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
            if pages > 0:
                found.append((pages, "available physical pages"))
        except (OSError, ValueError, AttributeError):
            pass
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft != resource.RLIM_INFINITY:
        found.append((max(soft - _address_space(), 0), "the address-space limit (ulimit -v)"))
    return min(found) if found else None


def _address_space() -> int:
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB", "PB"):
        if n < 1000 or unit == "PB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    return ""  # pragma: no cover


def check_matrices(owner: str, *, rows: int, columns: int, matrices: int, vector_size: int) -> None:
    """Refuse to train when the training matrices alone exceed the memory available.

    Parameters
    ----------
    owner : str
        The trainer's name, for the message.
    rows, columns : int
        Shape of each float32 matrix (vocabulary size x vector_size, plus any bias column).
    matrices : int
        How many such matrices training holds at once (weights, accumulators, the result).
    vector_size : int
        The parameter named in the message.

    Raises
    ------
    ParameterError
        Against ``vector_size``, with the estimate and the memory available.
    """
    need = 4 * rows * columns * matrices
    room = available_memory()
    if room is None or need <= room[0]:
        return
    raise ParameterError(
        "vector_size",
        f"{vector_size:,} dimensions x {rows:,} words need about {_size(need)} for the training matrices "
        f"({matrices} float32 matrices of {rows:,} x {columns:,}), more than the {_size(room[0])} of memory "
        f"available ({room[1]}); lower vector_size or shrink the vocabulary (min_count)",
        owner=owner,
    )


__all__ = ["MAX_BATCH_SIZE", "MAX_COUNT", "MAX_EPOCHS", "MAX_NEGATIVE", "MAX_VECTOR_SIZE", "MAX_WINDOW",
           "MAX_WORKERS", "SEED", "SEED_LIMIT", "available_memory", "check_matrices", "check_seed", "upto"]
