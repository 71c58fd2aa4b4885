"""Connecting this process to Ray, shared by the Ray executor and sharded counting.

Ray is an optional dependency: it is imported when :func:`connect` is called.
"""

from __future__ import annotations

from evalsuite.core.errors import EvalsuiteError


def connect(address: str | None = None, *, num_cpus: int | None = None, runtime_env: dict | None = None) -> bool:
    """Make sure this process is connected to Ray; True if this call did the connecting.

    Parameters
    ----------
    address : str, optional
        ``"auto"``, ``"HOST:6379"`` or ``"ray://HOST:10001"``; None starts a
        local Ray instance (unless one is already initialised).
    num_cpus : int, optional
        CPUs of the local instance (default: all of this machine's).
    runtime_env : dict, optional
        Ray runtime environment for the workers (``env_vars``, ``py_modules`` ...).

    Returns
    -------
    bool
        False when Ray was already initialised (then it is used as it is).

    Raises
    ------
    EvalsuiteError
        When the cluster cannot be reached or the local instance does not start.
    """
    import ray

    if ray.is_initialized():
        return False
    kwargs = {"log_to_driver": False}
    if runtime_env:
        kwargs["runtime_env"] = dict(runtime_env)
    try:
        if address:
            ray.init(address=address, **kwargs)
        else:
            ray.init(num_cpus=num_cpus, include_dashboard=False, **kwargs)
    except Exception as exc:
        if ray.is_initialized():
            ray.shutdown()
        where = f"connect to the Ray cluster at {address}" if address else "start a local Ray instance"
        raise EvalsuiteError(f"ray: could not {where}: {type(exc).__name__}: {exc}") from exc
    return True
