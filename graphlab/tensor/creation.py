"""Making tensors: from data, filled, ranges, and seeded random numbers, with PyTorch's names.

Random numbers come from a ``Generator`` (PyTorch's name): NumPy's PCG64 on the
host for CPU tensors, CuPy's own generator on the GPU, so the same seed gives
the same numbers on every run of the same device.

dtypes are named by strings, PyTorch's names for the four a tensor can have:
``float32`` (also ``float``), ``float64`` (``double``), ``int64`` (``long``) and
``bool``. ``tensor`` copies its data; ``from_numpy`` and ``as_tensor`` share the
array's memory where they can, as in PyTorch.
"""

from __future__ import annotations

import secrets
import warnings
from collections.abc import Sequence
from typing import Any

from graphlab.backend import get_backend
from graphlab.tensor.tensor import Tensor, new_tensor

float32 = "float32"
float64 = "float64"
int64 = "int64"
bool_ = "bool"


class Generator:
    """A seeded source of random numbers: ``randn(3, generator=Generator(0))`` is reproducible."""

    def __init__(self, seed: int | None = None) -> None:
        self.manual_seed(secrets.randbits(63) if seed is None else seed)

    def manual_seed(self, seed: int) -> Generator:
        """Restart the sequence from ``seed``."""
        self.seed = int(seed)
        self._streams: dict[str, Any] = {}
        return self

    def stream(self, backend):
        """The backend's generator for this seed (NumPy's on the host for CPU-side backends)."""
        if backend.name not in self._streams:
            import numpy

            source = backend.module.random if backend.name == "cuda" else numpy.random
            self._streams[backend.name] = source.default_rng(self.seed)
        return self._streams[backend.name]


default_generator = Generator()


def manual_seed(seed: int) -> Generator:
    """Reseed the default generator (used when no ``generator=`` is given)."""
    return default_generator.manual_seed(seed)


def _size(size: Sequence) -> tuple[int, ...]:
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = size[0]
    return tuple(int(n) for n in size)


def _finish(data: Any, backend, requires_grad: bool) -> Tensor:
    t = new_tensor(data, backend)
    if requires_grad:
        t.requires_grad_()
    return t


def tensor(data: Any, dtype: str | None = None, requires_grad: bool = False, device: str | None = None) -> Tensor:
    """A new leaf tensor holding a copy of ``data`` (floats become float32 unless ``dtype`` says)."""
    return Tensor(data, dtype=dtype, requires_grad=requires_grad, device=device)


def from_numpy(array: Any) -> Tensor:
    """A CPU tensor sharing ``array``'s memory: a change to one is a change to the other, as in PyTorch.

    An array of a dtype graphlab has no tensors of (uint8 images, int32, float16) becomes an int64 or
    float32 copy, with a warning that it is no view."""
    import numpy

    if not isinstance(array, numpy.ndarray):
        raise TypeError(f"from_numpy: expected a NumPy array, got {type(array).__name__}")
    backend = get_backend("cpu")
    if backend.dtype_name(array.dtype) not in ("float32", "float64", "int64", "bool"):
        kind = array.dtype.kind
        if kind not in "biuf":
            raise TypeError(f"from_numpy: graphlab tensors hold real numbers, this array is {array.dtype}")
        wanted = "int64" if kind in "iu" else "float32"
        warnings.warn(f"from_numpy: graphlab has no {array.dtype} tensors, so this is a {wanted} copy of the "
                      "array, not a view of it: a change to one is not seen by the other", stacklevel=2)
        return new_tensor(numpy.asarray(array, dtype=wanted), backend)
    return new_tensor(array, backend)


def as_tensor(data: Any, dtype: str | None = None, device: str | None = None) -> Tensor:
    """``data`` as a tensor without a copy where it can be one (a tensor or NumPy array of that dtype on that
    device), else a new tensor, as PyTorch's ``as_tensor``."""
    if isinstance(data, Tensor):
        return data.to(device=device, dtype=dtype)
    backend = get_backend(device)
    if backend.name == "cpu" and hasattr(data, "__array_interface__") and hasattr(data, "dtype") and (
            dtype is None or backend.dtype_name(data.dtype) == dtype):
        return from_numpy(data)
    if backend.is_array(data):
        return new_tensor(backend.asarray(data, dtype), backend)
    return Tensor(data, dtype=dtype, device=device)


def is_tensor(value: Any) -> bool:
    return isinstance(value, Tensor)


def linspace(start: float, end: float, steps: int, dtype: str = "float32", requires_grad: bool = False,
             device: str | None = None) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end``, both included."""
    backend = get_backend(device)
    values = backend.xp.arange(steps, dtype=backend.dtype("float64"))
    step = (end - start) / (steps - 1) if steps > 1 else 0.0
    half = steps // 2  # as PyTorch: the second half counts back from the end, so the end is exact
    ramp = backend.xp.where(values < half, start + step * values, end - step * (steps - 1 - values))
    return _finish(backend.xp.astype(ramp, backend.dtype(dtype)), backend, requires_grad)


def eye(n: int, m: int | None = None, dtype: str = "float32", requires_grad: bool = False,
        device: str | None = None) -> Tensor:
    backend = get_backend(device)
    xp = backend.xp
    m = n if m is None else m
    rows = xp.reshape(xp.arange(n), (n, 1))
    columns = xp.reshape(xp.arange(m), (1, m))
    return _finish(xp.astype(rows == columns, backend.dtype(dtype)), backend, requires_grad)


def empty(*size, dtype: str = "float32", requires_grad: bool = False, device: str | None = None) -> Tensor:
    """A new tensor of ``size`` (zeros: graphlab never hands out uninitialised memory)."""
    return zeros(*size, dtype=dtype, requires_grad=requires_grad, device=device)


def empty_like(t: Tensor, dtype: str | None = None, requires_grad: bool = False) -> Tensor:
    return zeros_like(t, dtype=dtype, requires_grad=requires_grad)


def randint(low: int, high: int | None = None, size: Sequence[int] = (), *, dtype: str = "int64",
            generator: Generator | None = None, device: str | None = None) -> Tensor:
    """Integers drawn uniformly from ``[low, high)`` (``randint(high, size)`` starts at 0)."""
    if high is None:
        low, high = 0, low
    backend = get_backend(device)
    rng = (generator or default_generator).stream(backend)
    data = rng.integers(low, high, size=_size((size,)))
    return _finish(backend.asarray(data, dtype) if backend.name != "cuda" else backend.xp.astype(
        data, backend.dtype(dtype)), backend, False)


def randperm(n: int, *, dtype: str = "int64", generator: Generator | None = None, device: str | None = None) -> Tensor:
    """``0 … n−1`` in random order."""
    backend = get_backend(device)
    data = (generator or default_generator).stream(backend).permutation(n)
    return _finish(backend.asarray(data, dtype) if backend.name != "cuda" else backend.xp.astype(
        data, backend.dtype(dtype)), backend, False)


def zeros(*size, dtype: str = "float32", requires_grad: bool = False, device: str | None = None) -> Tensor:
    backend = get_backend(device)
    return _finish(backend.xp.zeros(_size(size), dtype=backend.dtype(dtype)), backend, requires_grad)


def ones(*size, dtype: str = "float32", requires_grad: bool = False, device: str | None = None) -> Tensor:
    backend = get_backend(device)
    return _finish(backend.xp.ones(_size(size), dtype=backend.dtype(dtype)), backend, requires_grad)


def full(size: Sequence[int], fill_value: float, dtype: str = "float32", requires_grad: bool = False,
         device: str | None = None) -> Tensor:
    backend = get_backend(device)
    data = backend.xp.full(_size((size,)), fill_value, dtype=backend.dtype(dtype))
    return _finish(data, backend, requires_grad)


def arange(start: float, end: float | None = None, step: float = 1, dtype: str | None = None,
           requires_grad: bool = False, device: str | None = None) -> Tensor:
    """``start, start+step, …`` below ``end``; int64 for integer arguments, as in PyTorch."""
    if end is None:
        start, end = 0, start
    if dtype is None:
        dtype = "int64" if all(isinstance(v, int) for v in (start, end, step)) else "float32"
    backend = get_backend(device)
    return _finish(backend.xp.arange(start, end, step, dtype=backend.dtype(dtype)), backend, requires_grad)


def zeros_like(t: Tensor, dtype: str | None = None, requires_grad: bool = False) -> Tensor:
    return zeros(t.shape, dtype=dtype or t.dtype, requires_grad=requires_grad, device=t.device)


def ones_like(t: Tensor, dtype: str | None = None, requires_grad: bool = False) -> Tensor:
    return ones(t.shape, dtype=dtype or t.dtype, requires_grad=requires_grad, device=t.device)


def full_like(t: Tensor, fill_value: float, dtype: str | None = None, requires_grad: bool = False) -> Tensor:
    return full(t.shape, fill_value, dtype=dtype or t.dtype, requires_grad=requires_grad, device=t.device)


def _random(kind: str, size, dtype: str, generator: Generator | None, device, requires_grad) -> Tensor:
    backend = get_backend(device)
    rng = (generator or default_generator).stream(backend)
    if dtype not in ("float32", "float64"):
        raise TypeError(f"{kind}: dtype must be float32 or float64, got {dtype!r}")
    if backend.name == "cuda":
        host_dtype = backend.dtype(dtype)
    else:
        import numpy

        host_dtype = numpy.dtype(dtype)
    data = rng.standard_normal(size, dtype=host_dtype) if kind == "randn" else rng.random(size, dtype=host_dtype)
    if backend.name != "cuda":
        data = backend.from_host(data)
    return _finish(data, backend, requires_grad)


def randn(*size, dtype: str = "float32", generator: Generator | None = None, requires_grad: bool = False,
          device: str | None = None) -> Tensor:
    """Standard normal samples of shape ``size``."""
    return _random("randn", _size(size), dtype, generator, device, requires_grad)


def rand(*size, dtype: str = "float32", generator: Generator | None = None, requires_grad: bool = False,
         device: str | None = None) -> Tensor:
    """Uniform samples in [0, 1) of shape ``size``."""
    return _random("rand", _size(size), dtype, generator, device, requires_grad)


def normal(mean: Any = 0.0, std: Any = 1.0, size: Sequence[int] | None = None, *,
           generator: Generator | None = None, dtype: str = "float32", requires_grad: bool = False,
           device: str | None = None) -> Tensor:
    """Normal samples: of shape ``size`` for numbers ``mean`` and ``std``, or one per element of tensor ones."""
    tensors = [v for v in (mean, std) if isinstance(v, Tensor)]
    if size is None:
        if not tensors:
            raise TypeError("normal: give size= for a number mean and std, or a tensor mean or std")
        like = tensors[0]
        size, dtype, device = like.shape, like.dtype, like.device
    out = randn(size, dtype=dtype, generator=generator, device=device) * std + mean
    if requires_grad:
        out.requires_grad_()
    return out


def randn_like(t: Tensor, dtype: str | None = None, generator: Generator | None = None,
               requires_grad: bool = False) -> Tensor:
    return randn(t.shape, dtype=dtype or t.dtype, generator=generator, requires_grad=requires_grad,
                 device=t.device)


def rand_like(t: Tensor, dtype: str | None = None, generator: Generator | None = None,
              requires_grad: bool = False) -> Tensor:
    return rand(t.shape, dtype=dtype or t.dtype, generator=generator, requires_grad=requires_grad,
                device=t.device)
