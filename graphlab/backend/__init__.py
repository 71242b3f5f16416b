"""Array backends, chosen in one place: NumPy (``"cpu"``), CuPy (``"cuda"``), and a strict stand-in.

The tensor engine never imports NumPy or CuPy in an op: each op receives
``backend.xp`` (``base.py`` says what it holds). ``get_backend`` below is the
one place a device name becomes a backend; each backend is built once, on
first use:

* ``numpy.py`` — the CPU;
* ``cupy.py`` — an NVIDIA GPU (CuPy is imported only then);
* ``strict.py`` — ``"array_api_strict"``, the tests' CPU backend that fails on
  any quiet NumPy call or host copy, as CuPy would.

``import graphlab`` imports neither CuPy nor SciPy: the CUDA backend is built
the first time a tensor asks for ``"cuda"``, SciPy's ``erf`` on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from graphlab.backend import cupy as cupy_backend
from graphlab.backend import numpy as numpy_backend
from graphlab.backend import strict as strict_backend
from graphlab.backend.base import DTYPES, Backend, BackendError

__all__ = ["DTYPES", "Backend", "BackendError", "default_device", "get_backend", "get_default_device",
           "set_default_device"]

_FACTORIES: dict[str, Callable[[], Backend]] = {
    "cpu": numpy_backend.backend, "cuda": cupy_backend.backend, "array_api_strict": strict_backend.backend}
_BACKENDS: dict[str, Backend] = {}
_default = "cpu"


def get_backend(device: str | Backend | None = None) -> Backend:
    """The backend for ``device`` (``"cpu"``, ``"cuda"``, ``"cuda:0"``, ``"array_api_strict"``)."""
    if isinstance(device, Backend):
        return device
    name = _default if device is None else str(device).split(":", 1)[0]
    backend = _BACKENDS.get(name)
    if backend is None:
        if name not in _FACTORIES:
            raise ValueError(f"unknown device {device!r}: expected 'cpu', 'cuda' or 'array_api_strict'")
        backend = _BACKENDS[name] = _FACTORIES[name]()
    return backend


def set_default_device(device: str | None) -> None:
    """Create tensors on ``device`` from now on when no ``device=`` is given (``None``: the CPU again)."""
    global _default
    _default = get_backend("cpu" if device is None else device).name


def get_default_device() -> str:
    return _default


@contextmanager
def default_device(device: str) -> Iterator[Backend]:
    """Create tensors on ``device`` when no ``device=`` is given (tests run a suite per backend)."""
    global _default
    backend = get_backend(device)
    previous, _default = _default, backend.name
    try:
        yield backend
    finally:
        _default = previous
