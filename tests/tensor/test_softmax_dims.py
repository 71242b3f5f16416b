"""Softmax and friends work along one dim; several are refused rather than silently cut to the first."""

import pytest

from graphlab.tensor import randn


@pytest.mark.parametrize("method", ["softmax", "log_softmax", "logsumexp"])
def test_several_dims_are_refused(method):
    x = randn(2, 3, 4)
    with pytest.raises(TypeError, match="one dim"):
        getattr(x, method)((0, 1))
