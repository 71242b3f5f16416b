"""Babysitting the learning process on the digits, step by step as the lecture does it.

    .venv/bin/python examples/babysit_digits.py

1. Initial loss with regularisation off: about ln 10 = 2.30; it rises when L2 is turned up.
2. Overfit 20 training examples to 100 % (no regularisation): the model and loss work.
3. Learning-rate range test: where the loss falls fastest, where it explodes.
4. Random search in log space for the rate and the L2 strength: coarse (2 epochs
   each, wide ranges), then fine (around the best three), with a results table.
"""

from __future__ import annotations

from dataclasses import replace

from rich.console import Console

from graphlab import nn, optim
from graphlab.data import ChannelNormalize, DataLoader, load_digits
from graphlab.tensor import Tensor, manual_seed, no_grad
from graphlab.train import (
    LogUniform,
    check_initial_loss,
    coarse_to_fine,
    fit,
    l2_penalty,
    lr_range_test,
    overfit_small_subset,
)


def mlp(seed: int = 0):
    manual_seed(seed)
    model = nn.Sequential(nn.Flatten(), nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 10))
    with no_grad():
        model[-1].weight.mul_(0.01)  # small last layer: every class equally likely at the start
    return model


def main() -> None:
    console = Console()
    train, test = load_digits(seed=0)
    normalize = ChannelNormalize().fit(train.x)
    train, test = replace(train, x=normalize.transform(train.x)), replace(test, x=normalize.transform(test.x))
    val, train = train.subset(300), replace(train, x=train.x[300:], y=train.y[300:])
    x, y = Tensor(train.x), Tensor(train.y)

    console.rule("1. initial loss")
    console.print(str(check_initial_loss(mlp(), x, y, num_classes=10, strengths=(0.0, 1e-3, 1e-2, 1e-1))))

    console.rule("2. overfit 20 examples")
    model = mlp()
    console.print(str(overfit_small_subset(model, optim.Adam(model.parameters(), lr=1e-3), x, y, count=20)))

    console.rule("3. learning-rate range test")
    loader = DataLoader(train, batch_size=64, shuffle=True, seed=0)
    console.print(str(lr_range_test(mlp(), None, loader, start_lr=1e-5, end_lr=10.0, num_iters=100)))

    console.rule("4. random search, coarse then fine")
    val_loader = DataLoader(val, batch_size=300)

    def two_epochs(params):
        model = mlp()
        optimizer = optim.SGD(model.parameters(), lr=params["lr"], momentum=0.9)
        history = fit(model, optimizer, loader, val_loader, epochs=2, progress=False,
                      penalty=lambda m: l2_penalty(m) * params["l2"])
        return float("nan") if history.stopped else history["val_acc"][-1]

    space = {"lr": LogUniform(1e-5, 1e0), "l2": LogUniform(1e-6, 1e-1)}
    coarse, fine = coarse_to_fine(two_epochs, space, coarse_trials=12, fine_trials=8, top=3, seed=0)
    console.print(coarse.table("coarse: lr 1e-5…1, l2 1e-6…0.1"))
    narrowed = coarse.narrowed(space)
    console.print(f"fine ranges: lr {narrowed['lr'].low:.2g}…{narrowed['lr'].high:.2g}, "
                  f"l2 {narrowed['l2'].low:.2g}…{narrowed['l2'].high:.2g}")
    console.print(fine.table("fine"))
    best = max(coarse.best, fine.best, key=lambda trial: trial.score)
    console.print(f"best: lr {best.params['lr']:.3g}, l2 {best.params['l2']:.3g}, "
                  f"validation accuracy {best.score:.2%} after 2 epochs")


if __name__ == "__main__":
    main()
