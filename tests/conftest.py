"""Fixtures for every test folder."""

from __future__ import annotations

import pytest

from graphlab.backend import BackendError, get_backend


@pytest.fixture(params=["array_api_strict", pytest.param("cuda", marks=pytest.mark.gpu)])
def other_device(request) -> str:
    """A backend besides NumPy whose results must equal the CPU's: the strict stand-in, which refuses
    NumPy-only calls as CuPy would, and CuPy itself on a machine with a GPU (skipped elsewhere)."""
    try:
        get_backend(request.param)
    except BackendError as error:
        pytest.skip(str(error))
    return request.param
