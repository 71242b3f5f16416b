"""Draw one training step of a small MLP on the digits, collapsed and expanded, into docs/.

Run from the repository root with graphlab importable (``PYTHONPATH=. python
docs/make_tensor_graphs.py``); needs Graphviz's ``dot``.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import graphlab.tensor as gt
from graphlab.data.datasets import load_digits
from graphlab.render import write

DOCS = Path(__file__).resolve().parent
SIZES = (64, 32, 16, 10)
BATCH = 16


def training_step_trace() -> gt.TensorTrace:
    """Forward, backward and an SGD update of a 64-32-16-10 ReLU MLP on 16 digits; the trace of the loss."""
    train, _ = load_digits()
    x = gt.tensor(train.x[:BATCH].reshape(BATCH, -1))
    x.name = "digits"
    labels = gt.tensor(train.y[:BATCH])
    generator = gt.Generator(0)
    layers = []
    for i, (fan_in, fan_out) in enumerate(itertools.pairwise(SIZES), start=1):
        weight = gt.randn(fan_in, fan_out, generator=generator) * (2.0 / fan_in) ** 0.5
        weight = weight.detach().requires_grad_()
        bias = gt.zeros(fan_out, requires_grad=True)
        weight.name, bias.name = f"W{i}", f"b{i}"
        layers.append((weight, bias))
    h = x
    with gt.scope("mlp"):
        for i, (weight, bias) in enumerate(layers, start=1):
            with gt.scope(f"fc{i}"):
                h = h @ weight + bias
                if i < len(layers):
                    h = h.relu()
    with gt.scope("cross_entropy"):
        loss = -h.log_softmax(dim=1)[gt.arange(BATCH), labels].mean()
    trace = gt.TensorTrace.from_tensor(loss, backward=True)
    with gt.no_grad():
        for weight, bias in layers:
            weight.sub_(0.1 * weight.grad)
            bias.sub_(0.1 * bias.grad)
    return trace


def main() -> None:
    trace = training_step_trace()
    for stem, collapsed in (("tensor-mlp-collapsed", True), ("tensor-mlp-expanded", False)):
        for suffix in (".svg", ".png"):
            print(write(trace, DOCS / f"{stem}{suffix}", collapsed=collapsed,
                        title="MLP 64-32-16-10 on 16 digits: one training step"))


if __name__ == "__main__":
    main()
