"""Every tensor test runs once per backend: NumPy, the strict array-API stand-in, and CuPy on a GPU."""

from __future__ import annotations

import pytest

from graphlab.backend import BackendError, get_backend


@pytest.fixture(params=["cpu", "array_api_strict", pytest.param("cuda", marks=pytest.mark.gpu)])
def device(request) -> str:
    """The device name a test creates its tensors on."""
    if request.param == "cuda":
        try:
            get_backend("cuda")
        except BackendError as error:
            pytest.skip(str(error))
    return request.param
