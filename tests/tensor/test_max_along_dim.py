"""max(dim) / min(dim) send a tied gradient to the index they return, as PyTorch does."""

import numpy as np
import pytest

from graphlab.tensor import tensor


@pytest.mark.parametrize("method", ["max", "min"])
def test_the_returned_index_gets_the_whole_gradient(method):
    torch = pytest.importorskip("torch")
    data = np.array([[1.0, 1.0, 0.0], [2.0, 5.0, 5.0], [0.0, 0.0, 0.0]])
    ours = tensor(data, requires_grad=True)
    theirs = torch.tensor(data, requires_grad=True)
    values, indices = getattr(ours, method)(dim=1)
    expected_values, expected_indices = getattr(theirs, method)(dim=1)
    (values * tensor([1.0, 2.0, 3.0], dtype="float64")).sum().backward()
    (expected_values * torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)).sum().backward()
    assert values.numpy().tolist() == expected_values.tolist()
    assert indices.numpy().tolist() == expected_indices.tolist()
    assert ours.grad.numpy().tolist() == theirs.grad.tolist()


def test_amax_still_splits_a_tie():
    x = tensor([[1.0, 1.0, 0.0]], requires_grad=True)
    x.amax(1).sum().backward()
    assert x.grad.numpy().tolist() == [[0.5, 0.5, 0.0]]
