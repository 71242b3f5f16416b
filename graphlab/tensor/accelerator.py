"""``torch.accelerator``: the one accelerator graphlab knows is an NVIDIA GPU through CuPy."""

from __future__ import annotations

from graphlab.tensor import cuda
from graphlab.tensor.tensor import device


def is_available() -> bool:
    return cuda.is_available()


def current_accelerator() -> device | None:
    """``device("cuda")`` where a GPU is available, else ``None`` (as PyTorch without an accelerator)."""
    return device("cuda") if cuda.is_available() else None


def device_count() -> int:
    return cuda.device_count()
