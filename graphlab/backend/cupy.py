"""The GPU backend: CuPy, imported the first time a tensor asks for ``"cuda"``."""

from __future__ import annotations

from graphlab.backend.base import (
    GPU_CHUNK_ELEMENTS,
    Backend,
    BackendError,
    below_unsigned,
    element_strides,
    index,
    indicator_where,
    namespace,
)


def backend() -> Backend:
    try:
        import cupy
    except ImportError:
        raise BackendError("device 'cuda' needs CuPy and an NVIDIA GPU: pip install cupy-cuda12x "
                           "(CuPy is not installed)") from None
    try:
        count = cupy.cuda.runtime.getDeviceCount()
    except cupy.cuda.runtime.CUDARuntimeError as error:  # no driver, or a broken one
        raise BackendError(f"device 'cuda' needs an NVIDIA GPU: CuPy is installed but CUDA "
                           f"reports {error}") from None
    if count == 0:
        raise BackendError("device 'cuda' needs an NVIDIA GPU: CuPy is installed but no GPU was found")
    import cupyx.scipy.special

    def as_strided(x, shape, strides):
        x = cupy.ascontiguousarray(x)
        return cupy.lib.stride_tricks.as_strided(x, shape, element_strides(x, strides))

    xp = namespace(
        cupy, pow=cupy.power, erf=cupyx.scipy.special.erf, concat=cupy.concatenate,
        permute_dims=cupy.transpose, astype=lambda x, dtype: x.astype(dtype, copy=False),
        matrix_transpose=lambda x: x.swapaxes(-1, -2), scatter_add=cupy.add.at,
        cumulative_prod=cupy.cumprod, where=indicator_where(cupy.where), copy=cupy.array, index=index,
        as_strided=as_strided, below=below_unsigned(cupy.max, cupy.uint64), chunk_elements=GPU_CHUNK_ELEMENTS,
        shares_memory=cupy.shares_memory, may_share_memory=cupy.may_share_memory)
    return Backend("cuda", xp, cupy, cupy.ndarray, to_host=cupy.asnumpy, from_host=cupy.asarray,
                   owns=lambda a: a.base is None)
