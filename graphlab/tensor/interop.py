"""Tensors and state dicts between graphlab and PyTorch (or any array library that speaks DLPack).

    from graphlab.tensor.interop import state_dict_from_torch, state_dict_to_torch

    graphlab_model.load_state_dict(state_dict_from_torch(torch_model.state_dict()))
    torch_model.load_state_dict(state_dict_to_torch(graphlab_model.state_dict()))

Models of the same layout (the same layer names and shapes, as a graphlab model
written with PyTorch's names has) take each other's weights this way, on the
CPU or the GPU. ``from_dlpack`` shares memory with the array it is given, as
PyTorch's does; the state-dict helpers copy, so the two models never share a
weight. PyTorch is imported only by the functions that return its tensors.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphlab.backend import get_backend
from graphlab.tensor.tensor import Tensor, new_tensor

_DLPACK_DEVICES = {1: "cpu", 2: "cuda", 3: "cpu"}
"""DLPack device types (kDLCPU, kDLCUDA, kDLCUDAHost) and the graphlab device that reads them."""
TENSOR_DTYPES = ("float32", "float64", "int64", "bool")


def from_dlpack(array: Any) -> Tensor:
    """A tensor sharing the memory of ``array`` (anything with ``__dlpack__``: a PyTorch, NumPy or CuPy
    array), as ``torch.from_dlpack``."""
    if not hasattr(array, "__dlpack_device__"):
        raise TypeError(f"from_dlpack: expected an array with __dlpack__ (PyTorch, NumPy, CuPy), got "
                        f"{type(array).__name__}")
    kind, _ = array.__dlpack_device__()
    if kind not in _DLPACK_DEVICES:
        raise RuntimeError(f"from_dlpack: arrays on DLPack device type {kind} are not supported by graphlab "
                           "(only the CPU and CUDA)")
    backend = get_backend(_DLPACK_DEVICES[kind])
    data = backend.module.from_dlpack(array)
    if backend.dtype_name(data.dtype) not in TENSOR_DTYPES:
        raise TypeError(f"from_dlpack: graphlab tensors are float32, float64, int64 or bool, this array is "
                        f"{data.dtype}; convert it first (e.g. .float() in PyTorch)")
    return new_tensor(data, backend)


def from_torch(t: Any) -> Tensor:
    """A graphlab copy of PyTorch tensor ``t``, on its device (detached: gradients do not cross)."""
    return from_dlpack(t.detach().clone())


def to_torch(t: Tensor) -> Any:
    """A PyTorch copy of graphlab tensor ``t``, on its device."""
    import torch  # lazy: graphlab never needs PyTorch, except to hand it tensors

    return torch.from_dlpack(t._backend.xp.copy(t.data))


def state_dict_from_torch(state_dict: Mapping[str, Any]) -> dict[str, Tensor]:
    """A PyTorch model's ``state_dict()`` as graphlab tensors (copies), for a graphlab model's ``load_state_dict``."""
    return {name: from_torch(value) for name, value in state_dict.items()}


def state_dict_to_torch(state_dict: Mapping[str, Any]) -> dict[str, Any]:
    """A graphlab model's ``state_dict()`` as PyTorch tensors (copies), for a PyTorch model's ``load_state_dict``."""
    return {name: to_torch(value) for name, value in state_dict.items()}
