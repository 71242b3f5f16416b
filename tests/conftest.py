"""Fixtures for every test folder."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

from graphlab.backend import BackendError, get_backend

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    # CI draws the same examples on every run, so a red build always reproduces; a
    # developer's run draws new ones and keeps looking for bugs.
    settings.load_profile("ci")


@pytest.fixture(params=["array_api_strict", pytest.param("cuda", marks=pytest.mark.gpu)])
def other_device(request) -> str:
    """A backend besides NumPy whose results must equal the CPU's: the strict stand-in, which refuses
    NumPy-only calls as CuPy would, and CuPy itself on a machine with a GPU (skipped elsewhere)."""
    try:
        get_backend(request.param)
    except BackendError as error:
        pytest.skip(str(error))
    return request.param
