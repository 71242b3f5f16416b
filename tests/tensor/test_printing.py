"""A tensor prints as PyTorch prints it: the same numbers, layout, wrapping and summary."""

from __future__ import annotations

import numpy as np
import pytest

import graphlab.tensor as gt

rng = np.random.default_rng(0)
ARRAYS = {
    "fixed": np.array([[0.123456789, 2.5], [3.0, -4.25]], dtype=np.float32),
    "whole": np.array([1.0, -2.0, 30.0], dtype=np.float32),
    "tiny": (rng.standard_normal((3, 20)) * 1e-5).astype(np.float32),
    "wide range": np.array([1e-5, 1.0], dtype=np.float32),
    "wrapped": rng.standard_normal((2, 30)).astype(np.float32),
    "summarised": np.arange(3000.0, dtype=np.float32).reshape(3, 1000),
    "float64 scalar": np.float64(3.14159),
    "int64": np.arange(5),
    "int32": np.arange(3, dtype=np.int32),
    "bool": np.array([True, False]),
    "non-finite": np.array([np.nan, 1.5, np.inf, -np.inf], dtype=np.float32),
}


@pytest.mark.parametrize("name", ARRAYS)
def test_the_text_is_pytorchs(name):
    torch = pytest.importorskip("torch")
    array = ARRAYS[name]
    expected = repr(torch.tensor(array)).replace("torch.", "")
    assert repr(gt.tensor(array)) == expected


def test_what_made_it_and_whether_it_learns():
    t = gt.tensor([1.0, 2.0], requires_grad=True)
    assert repr(t) == "tensor([1., 2.], requires_grad=True)"
    assert repr(t.log_softmax(dim=0)).endswith("grad_fn=<LogSoftmaxBackward>)")
    with gt.no_grad():
        assert repr(t * 2) == "tensor([2., 4.])"
