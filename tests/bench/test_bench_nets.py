"""The benchmark's contenders compute the same step: same loss, same updated parameters."""

from __future__ import annotations

import numpy as np
import pytest

from bench import bench_tensor


@pytest.fixture
def mlp():
    return bench_tensor.mlp_data(np.random.default_rng(0))


def test_graphlab_and_numpy_by_hand_take_the_same_mlp_steps(mlp):
    ours, hand = bench_tensor.graphlab_mlp_step("cpu", *mlp), bench_tensor.numpy_mlp_step(*mlp)
    for _ in range(3):  # later losses differ unless the updates agree
        assert ours().item() == pytest.approx(float(hand()), rel=1e-5)


def test_graphlab_and_torch_take_the_same_mlp_steps(mlp):
    torch = pytest.importorskip("torch")
    ours, theirs = bench_tensor.graphlab_mlp_step("cpu", *mlp), bench_tensor.torch_mlp_step(torch, "cpu", *mlp)
    for _ in range(3):
        assert ours().item() == pytest.approx(theirs().item(), rel=1e-5)
