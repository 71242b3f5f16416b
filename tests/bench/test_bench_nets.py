"""The benchmark's contenders compute the same step: same loss, same updated parameters."""

from __future__ import annotations

import numpy as np
import pytest

from bench import bench_tensor
from graphlab.backend import BackendError, get_backend


@pytest.fixture
def mlp():
    return bench_tensor.mlp_data(np.random.default_rng(0))


@pytest.mark.parametrize("device", ["cpu", pytest.param("cuda", marks=pytest.mark.gpu)])
def test_graphlab_and_the_step_by_hand_take_the_same_mlp_steps(mlp, device):
    try:
        library = get_backend(device).module
    except BackendError as error:
        pytest.skip(str(error))
    ours, hand = bench_tensor.graphlab_mlp_step(device, *mlp), bench_tensor.by_hand_mlp_step(library, *mlp)
    for _ in range(3):  # later losses differ unless the updates agree
        assert ours().item() == pytest.approx(float(hand()), rel=1e-5)


def test_graphlab_and_torch_take_the_same_mlp_steps(mlp):
    torch = pytest.importorskip("torch")
    ours, theirs = bench_tensor.graphlab_mlp_step("cpu", *mlp), bench_tensor.torch_mlp_step(torch, "cpu", *mlp)
    for _ in range(3):
        assert ours().item() == pytest.approx(theirs().item(), rel=1e-5)
