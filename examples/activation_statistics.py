"""The lecture's initialisation experiment: activation statistics layer by layer for each init scheme.

A deep stack of ``Linear`` (no bias) + activation sees a batch of unit-Gaussian
inputs. With too small weights the activations shrink toward zero layer after
layer (and so do the gradients); with too large ones tanh saturates at ±1; Xavier
keeps tanh's activations steady, Kaiming does the same for ReLU, where Xavier
halves the variance at every layer.

    python examples/activation_statistics.py              # the lecture's 6 layers of 4096 units
    python examples/activation_statistics.py --width 512  # quicker

The fixed scales (0.01, 0.05) ignore the fan-in, so their rows change with
``--width``; the Xavier and Kaiming rows do not.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

import numpy

import graphlab.tensor as gt
from graphlab import nn
from graphlab.nn import init

SCHEMES: dict[str, tuple[str, Callable]] = {
    "0.01·randn, tanh": ("tanh", lambda w, g: init.small_random_(w, 0.01, generator=g)),
    "0.05·randn, tanh": ("tanh", lambda w, g: init.small_random_(w, 0.05, generator=g)),
    "Xavier, tanh": ("tanh", lambda w, g: init.xavier_normal_(w, generator=g)),
    "Xavier, ReLU": ("relu", lambda w, g: init.xavier_normal_(w, generator=g)),
    "Kaiming, ReLU": ("relu", lambda w, g: init.kaiming_normal_(w, nonlinearity="relu", generator=g)),
}


def network(depth: int, width: int, activation: str, scheme: Callable, seed: int) -> nn.Sequential:
    generator = gt.Generator(seed)
    layers: list[nn.Module] = []
    for _ in range(depth):
        linear = nn.Linear(width, width, bias=False)
        scheme(linear.weight, generator)
        layers += [linear, nn.Tanh() if activation == "tanh" else nn.ReLU()]
    return nn.Sequential(*layers)


def layer_statistics(model: nn.Sequential, x: gt.Tensor) -> list[tuple[float, float, float]]:
    """(mean, std, fraction of units saturated or off) of each activation layer's output."""
    rows = []
    with gt.no_grad():
        for layer in model:
            x = layer(x)
            if isinstance(layer, (nn.Tanh, nn.ReLU)):
                values = x.numpy()
                stuck = numpy.abs(values) > 0.99 if isinstance(layer, nn.Tanh) else values == 0
                rows.append((float(values.mean()), float(values.std()), float(stuck.mean())))
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--depth", type=int, default=6)
    parser.add_argument("--width", type=int, default=4096)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    x = gt.randn(args.batch, args.width, generator=gt.Generator(args.seed + 1))
    print(f"{args.depth} layers of {args.width} units, {args.batch} unit-Gaussian inputs")
    print("stuck: |h| > 0.99 for tanh (saturated), h = 0 for ReLU (off)\n")
    for name, (activation, scheme) in SCHEMES.items():
        rows = layer_statistics(network(args.depth, args.width, activation, scheme, args.seed), x)
        print(name)
        print("  layer      mean       std    stuck")
        for i, (mean, std, stuck) in enumerate(rows, 1):
            print(f"  {i:>5}  {mean:>+8.4f}  {std:>8.2e}  {stuck:>6.1%}")
        print()


if __name__ == "__main__":
    main()
