"""``torch.cuda``'s questions about the GPU, answered by graphlab's CUDA backend (CuPy).

``is_available()`` is true where CuPy is installed and sees a GPU; asking
imports CuPy then, never at ``import graphlab``.
"""

from __future__ import annotations

from graphlab.backend import BackendError, get_backend
from graphlab.tensor.creation import Generator


def is_available() -> bool:
    try:
        get_backend("cuda")
    except BackendError:
        return False
    return True


def device_count() -> int:
    return get_backend("cuda").module.cuda.runtime.getDeviceCount() if is_available() else 0


def current_device() -> int:
    _needs_a_gpu("current_device")
    return 0


def get_device_name(device: object = None) -> str:
    _needs_a_gpu("get_device_name")
    properties = get_backend("cuda").module.cuda.runtime.getDeviceProperties(0)
    name = properties["name"]
    return name.decode() if isinstance(name, bytes) else str(name)


def synchronize(device: object = None) -> None:
    if is_available():
        get_backend("cuda").module.cuda.Device().synchronize()


def empty_cache() -> None:
    if is_available():
        get_backend("cuda").module.get_default_memory_pool().free_all_blocks()


def manual_seed(seed: int) -> Generator:
    """Seed the default generator, which gives the GPU's numbers too (one generator for every device)."""
    from graphlab.tensor.creation import manual_seed as seed_all  # lazy: the same function under torch.cuda's name

    return seed_all(seed)


manual_seed_all = manual_seed


def _needs_a_gpu(what: str) -> None:
    if not is_available():
        get_backend("cuda")  # raises the backend's own message: what is missing
        raise BackendError(f"torch.cuda.{what}: no GPU")
