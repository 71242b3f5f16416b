"""Dead ReLUs: count the hidden units that output zero for every training example.

A ReLU unit whose input is negative for all the data gets no gradient, so it
never recovers. Two ways to get there from the lecture: a bias that starts
negative, and a learning rate so large that one update throws the unit's
weights far into the negative. The same network with Kaiming init and a sane
rate keeps (almost) all its units alive.

    python examples/dead_relu.py
"""

from __future__ import annotations

import argparse

import numpy

import graphlab.tensor as gt
from graphlab import nn, optim
from graphlab.data import make_spirals
from graphlab.nn import functional as F
from graphlab.nn import init

SETTINGS = {
    "Kaiming, lr 0.5": {"lr": 0.5, "bias": 0.0},
    "Kaiming, lr 20 (too high)": {"lr": 20.0, "bias": 0.0},
    "bias starts at -1, lr 0.5": {"lr": 0.5, "bias": -1.0},
}


def network(width: int, bias: float, seed: int) -> nn.Sequential:
    generator = gt.Generator(seed)
    model = nn.Sequential(nn.Linear(2, width), nn.ReLU(), nn.Linear(width, width), nn.ReLU(), nn.Linear(width, 3))
    for layer in (model[0], model[2], model[4]):
        init.kaiming_normal_(layer.weight, generator=generator)
        init.constant_(layer.bias, bias if layer is not model[4] else 0.0)
    return model


def dead_units(model: nn.Sequential, x: gt.Tensor) -> list[int]:
    """Per ReLU layer: how many units are zero for every example of ``x``."""
    counts = []
    with gt.no_grad():
        for layer in model:
            x = layer(x)
            if isinstance(layer, nn.ReLU):
                counts.append(int((x.numpy() == 0).all(axis=0).sum()))
    return counts


def accuracy(model: nn.Module, x: gt.Tensor, y: gt.Tensor) -> float:
    with gt.no_grad():
        return float((model(x).argmax(1).numpy() == y.numpy()).mean())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=100)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    data = make_spirals(points_per_class=100, seed=args.seed)
    x, y = gt.tensor(data.x), gt.tensor(data.y)
    print(f"spirals, 2-{args.width}-{args.width}-3 ReLU network, full-batch SGD for {args.steps} steps\n")
    print(f"{'setting':<28}{'dead at start':>16}{'dead after':>14}{'accuracy':>10}")
    for name, setting in SETTINGS.items():
        model = network(args.width, setting["bias"], args.seed)
        before = dead_units(model, x)
        opt = optim.SGD(model.parameters(), lr=setting["lr"])
        for _ in range(args.steps):
            opt.zero_grad()
            loss = F.cross_entropy(model(x), y)
            if not numpy.isfinite(loss.item()):
                break
            loss.backward()
            opt.step()
        after = dead_units(model, x)
        print(f"{name:<28}{' + '.join(map(str, before)):>16}{' + '.join(map(str, after)):>14}"
              f"{accuracy(model, x, y):>10.0%}")
    print(f"\n(units dead in layer 1 + layer 2, out of {args.width} each)")


if __name__ == "__main__":
    main()
