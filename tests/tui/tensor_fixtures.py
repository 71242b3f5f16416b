"""Deterministic tensor traces for the tensor explorer's tests: a small MLP's training step, and a NaN."""

from __future__ import annotations

import numpy as np

import graphlab.tensor as gt


def mlp_trace() -> gt.TensorTrace:
    """A 6-4-3 ReLU network on 5 examples with fixed weights, under scopes fc1, fc2 and loss; backward done."""
    rng = np.random.default_rng(0)
    x = gt.tensor(rng.standard_normal((5, 6)).astype(np.float32))
    x.name = "x"
    labels = gt.tensor(np.array([0, 2, 1, 2, 0]))
    labels.name = "labels"
    h = x
    for i, (fan_in, fan_out) in enumerate(((6, 4), (4, 3)), start=1):
        weight = gt.tensor(rng.standard_normal((fan_in, fan_out)).astype(np.float32) * 0.5, requires_grad=True)
        bias = gt.tensor(np.zeros(fan_out, dtype=np.float32), requires_grad=True)
        weight.name, bias.name = f"fc{i}.weight", f"fc{i}.bias"
        with gt.scope(f"fc{i}"):
            h = h @ weight + bias
            if i == 1:
                h = h.relu()
    with gt.scope("loss"):
        loss = -h.log_softmax(dim=1)[gt.arange(5), labels].mean()
    return gt.TensorTrace.from_tensor(loss, backward=True)


def nan_trace() -> gt.TensorTrace:
    """A layer whose square root of a negative number is the first NaN, recorded in anomaly mode."""
    import pytest

    x = gt.tensor([[1.0, -1.0]])
    x.name = "x"
    w = gt.tensor([[1.0], [2.0]], requires_grad=True)
    w.name = "w"
    with pytest.warns(RuntimeWarning), gt.detect_anomaly(), pytest.raises(gt.AnomalyError) as caught, \
            gt.scope("layer"):
        (x @ w).sqrt()
    return gt.TensorTrace.from_tensor(caught.value.output)
