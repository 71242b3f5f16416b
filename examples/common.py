"""What the training examples share: train one architecture with graphlab, or with PyTorch (``--torch``).

An example describes its network once, as a function of an ``nn`` namespace;
graphlab's ``nn`` and ``torch.nn`` share the names, so ``build(graphlab.nn)`` and
``build(torch.nn)`` are the same architecture. The optimizer and schedule are
given the same way (``graphlab.optim`` / ``torch.optim``). Both read the same
batches, in the same order, from graphlab's ``DataLoader``.
"""

from __future__ import annotations

import argparse
import time
from types import SimpleNamespace

import numpy

from graphlab.data import DataLoader


def argument_parser(description: str, epochs: int) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--torch", action="store_true", help="train the same network with PyTorch instead")
    parser.add_argument("--epochs", type=int, default=epochs)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default="cpu", help="cpu or cuda")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def engine(use_torch: bool) -> SimpleNamespace:
    """``nn``, ``optim``, ``lr_scheduler`` and ``manual_seed`` of graphlab or of PyTorch."""
    if use_torch:
        import torch

        return SimpleNamespace(name="PyTorch", nn=torch.nn, optim=torch.optim,
                               lr_scheduler=torch.optim.lr_scheduler, manual_seed=torch.manual_seed)
    import graphlab.nn
    import graphlab.optim
    from graphlab.optim import lr_scheduler
    from graphlab.tensor import manual_seed

    return SimpleNamespace(name="graphlab", nn=graphlab.nn, optim=graphlab.optim, lr_scheduler=lr_scheduler,
                           manual_seed=manual_seed)


def loaders(train, test, batch_size: int, seed: int, use_torch: bool, device: str):
    on = "cpu" if use_torch else device  # PyTorch moves its own copies
    return (DataLoader(train, batch_size=batch_size, shuffle=True, seed=seed, device=on),
            DataLoader(test, batch_size=1000, device=on))


def train(model, optimizer, loader, epochs: int, scheduler=None, use_torch: bool = False,
          device: str = "cpu", progress: bool = True, checkpoint: str | None = None) -> float:
    """Train for ``epochs`` (``scheduler`` stepped per epoch); returns seconds per epoch."""
    if not use_torch:
        from graphlab.train import fit

        history = fit(model, optimizer, loader, epochs=epochs, scheduler=scheduler, progress=progress,
                      checkpoint=checkpoint)
        if history.stopped:
            raise SystemExit(history.stopped)
        return float(numpy.mean(history["seconds"]))
    import torch

    seconds = []
    for epoch in range(1, epochs + 1):
        model.train()
        started = time.perf_counter()
        total = 0.0
        for x, y in loader:
            x, y = _to_torch(x, device), _to_torch(y, device)
            loss = torch.nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(y)
        if scheduler is not None:
            scheduler.step()
        seconds.append(time.perf_counter() - started)
        if progress:
            print(f"epoch {epoch:>3}/{epochs}  train loss {total / loader.num_examples:.4f}  {seconds[-1]:.1f} s")
    return float(numpy.mean(seconds))


def test_accuracy(model, loader, use_torch: bool = False, device: str = "cpu") -> float:
    if not use_torch:
        from graphlab.train import evaluate

        return evaluate(model, loader)["acc"]
    import torch

    model.eval()
    correct = 0
    with torch.no_grad():
        for x, y in loader:
            correct += (model(_to_torch(x, device)).argmax(1) == _to_torch(y, device)).sum().item()
    return correct / loader.num_examples


def train_and_test(build, make_optimizer, make_scheduler, train_set, test_set, *, epochs: int,
                   batch_size: int, seed: int, use_torch: bool = False, device: str = "cpu",
                   progress: bool = True, checkpoint: str | None = None):
    """Build, train, test and print one line; returns ``(model, test accuracy, seconds per epoch)``."""
    lib = engine(use_torch)
    lib.manual_seed(seed)
    model = build(lib.nn).to(device)
    optimizer = make_optimizer(lib.optim, model.parameters())
    scheduler = make_scheduler(lib.lr_scheduler, optimizer)
    train_loader, test_loader = loaders(train_set, test_set, batch_size, seed, use_torch, device)
    per_epoch = train(model, optimizer, train_loader, epochs, scheduler, use_torch, device, progress, checkpoint)
    accuracy = test_accuracy(model, test_loader, use_torch, device)
    print(f"{lib.name}: test accuracy {accuracy:.2%} after {epochs} epochs, {per_epoch:.2f} s per epoch")
    return model, accuracy, per_epoch


def _to_torch(tensor, device):
    import torch

    return torch.from_numpy(tensor.numpy()).to(device)
