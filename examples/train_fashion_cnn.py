"""A small CNN on Fashion-MNIST: ≥ 90 % test accuracy on the CPU in minutes.

    .venv/bin/python examples/train_fashion_cnn.py            # graphlab
    .venv/bin/python examples/train_fashion_cnn.py --torch    # the same network with PyTorch

conv 3×3 (16) → ReLU → max-pool 2 → conv 3×3 (32) → ReLU → max-pool 2 → linear 128 → linear 10.
The best epoch's weights are saved to ``fashion_cnn.npz`` (graphlab only), which
``transfer_fashion_to_digits.py`` starts from.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import argument_parser, train_and_test

from graphlab.data import ChannelNormalize, load_fashion_mnist


def cnn(nn):
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10))


def adam(optim, parameters):
    return optim.Adam(parameters, lr=2e-3)


def main() -> None:
    args = argument_parser(__doc__.splitlines()[0], epochs=6).parse_args()
    train, test = load_fashion_mnist()
    normalize = ChannelNormalize().fit(train.x)
    train, test = replace(train, x=normalize.transform(train.x)), replace(test, x=normalize.transform(test.x))
    train_and_test(cnn, adam, lambda s, o: s.CosineAnnealingLR(o, T_max=args.epochs), train, test,
                   epochs=args.epochs, batch_size=128, seed=args.seed, use_torch=args.torch,
                   device=args.device, progress=not args.quiet,
                   checkpoint=None if args.torch else "fashion_cnn.npz")


if __name__ == "__main__":
    main()
