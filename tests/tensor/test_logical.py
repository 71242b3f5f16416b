"""``&``, ``|``, ``^``, ``~`` on masks and integers: PyTorch's values and dtypes, floats refused, no graph."""

from __future__ import annotations

import numpy as np
import pytest

import graphlab.tensor as gt

MASK, OTHER, INTS = [True, False, True], [False, False, True], [3, 4, 5]

CASES = {
    "mask & mask": lambda T: T(MASK) & T(OTHER),
    "mask | mask": lambda T: T(MASK) | T(OTHER),
    "mask ^ mask": lambda T: T(MASK) ^ T(OTHER),
    "~mask": lambda T: ~T(MASK),
    "ints & 1": lambda T: T(INTS) & 1,
    "ints | ints": lambda T: T(INTS) | T([1, 2, 8]),
    "~ints": lambda T: ~T(INTS),
    "mask & 1 (int64)": lambda T: T(MASK) & 1,
    "mask | True": lambda T: T(MASK) | True,
    "mask ^ ints": lambda T: T(MASK) ^ T(INTS),
    "True & mask": lambda T: True & T(MASK),
    "6 ^ ints": lambda T: 6 ^ T(INTS),
}


@pytest.mark.parametrize("name", CASES)
def test_values_and_dtypes_match_pytorch(name, device):
    torch = pytest.importorskip("torch")
    ours = CASES[name](lambda values: gt.tensor(values, device=device))
    theirs = CASES[name](torch.tensor)
    assert ours.dtype == str(theirs.dtype).removeprefix("torch.")
    assert ours.tolist() == theirs.tolist()


def test_floats_are_refused_with_the_way_to_a_mask(device):
    x = gt.tensor([0.5, -1.0], device=device)
    with pytest.raises(TypeError, match=r"&: works on bool or integer tensors, got float32 and float32; compare first"):
        x & x
    with pytest.raises(TypeError, match=r"\|: works on bool or integer tensors, got bool and float"):
        (x > 0) | 0.5
    with pytest.raises(TypeError, match=r"~: works on bool or integer tensors, got float32"):
        _ = ~x


def test_a_combined_mask_selects_and_records_no_graph(device):
    x = gt.tensor([-2.0, 0.25, 0.5, 3.0], requires_grad=True, device=device)
    inside = (x > 0) & ~(x > 1)
    assert inside.dtype == "bool" and not inside.requires_grad
    np.testing.assert_allclose(x[inside].numpy(), [0.25, 0.5])
    x[inside].sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [0.0, 1.0, 1.0, 0.0])


def test_a_numpy_mask_on_the_left_defers_to_the_tensor():
    assert (np.array([True, False, True]) & gt.tensor(OTHER)).tolist() == [False, False, True]
