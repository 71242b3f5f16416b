"""The lecture's MLP 784-256-128-10 on Fashion-MNIST: ≥ 88 % test accuracy on the CPU in minutes.

    .venv/bin/python examples/train_fashion_mlp.py            # graphlab
    .venv/bin/python examples/train_fashion_mlp.py --torch    # the same network with PyTorch

The IDX files come from the Debian package dataset-fashion-mnist; nothing is
downloaded. Inputs are normalised per channel with the training set's mean and
standard deviation.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import argument_parser, train_and_test

from graphlab.data import ChannelNormalize, load_fashion_mnist


def mlp(nn):
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
                         nn.Linear(128, 10))


def adam(optim, parameters):
    return optim.Adam(parameters, lr=1e-3)


def main() -> None:
    args = argument_parser(__doc__.splitlines()[0], epochs=12).parse_args()
    train, test = load_fashion_mnist()
    normalize = ChannelNormalize().fit(train.x)
    train, test = replace(train, x=normalize.transform(train.x)), replace(test, x=normalize.transform(test.x))
    train_and_test(mlp, adam, lambda s, o: s.CosineAnnealingLR(o, T_max=args.epochs), train, test,
                   epochs=args.epochs, batch_size=128, seed=args.seed, use_torch=args.torch,
                   device=args.device, progress=not args.quiet)


if __name__ == "__main__":
    main()
