"""Time per epoch of graphlab against PyTorch (CPU) on Fashion-MNIST, and memory over a training run.

    .venv/bin/python bench/bench_training.py                 # about 5 minutes on 2 cores
    .venv/bin/python bench/bench_training.py --rounds 3      # quicker, noisier

Both engines train the same networks (``examples/train_fashion_mlp.py`` and
``examples/train_fashion_cnn.py``: each architecture is written once for both
``nn`` namespaces) with Adam on the same batches in this process. Timing
alternates: ``--chunk`` batches with graphlab, the same batches with PyTorch,
``--rounds`` times; the fastest chunk of each, scaled to the 469 batches of an
epoch, is the time per epoch (the minimum is the least disturbed by other load
on the machine; the median is printed too). Then the MLP trains several full
epochs under ``tracemalloc``: the memory held after each epoch must stay flat
(no graph or gradient kept alive across steps).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
import tracemalloc
from dataclasses import replace
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))

import torch
from train_fashion_cnn import cnn
from train_fashion_mlp import mlp

import graphlab.nn as gnn
import graphlab.optim as goptim
from graphlab.data import ChannelNormalize, DataLoader, load_fashion_mnist
from graphlab.tensor import manual_seed


def graphlab_trainer(build):
    manual_seed(0)
    model = build(gnn)
    optimizer = goptim.Adam(model.parameters(), lr=1e-3)

    def step(x, y):
        loss = gnn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss.item()
    return step


def torch_trainer(build):
    torch.manual_seed(0)
    model = build(torch.nn)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step(x, y):
        loss = torch.nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss.item()
    return step


def timed(step, batches) -> float:
    start = time.perf_counter()
    for x, y in batches:
        step(x, y)
    return time.perf_counter() - start


def compare(build, loader, chunk: int, rounds: int) -> tuple[list[float], list[float]]:
    """Seconds per epoch, graphlab and PyTorch, one value per round (chunks scaled to an epoch)."""
    ours, theirs = graphlab_trainer(build), torch_trainer(build)
    scale = len(loader) / chunk
    batches = iter(_forever(loader))
    ours_times, theirs_times = [], []
    for _ in range(rounds):
        chunk_batches = list(islice(batches, chunk))
        torch_batches = [(torch.from_numpy(x.numpy()), torch.from_numpy(y.numpy())) for x, y in chunk_batches]
        ours_times.append(timed(ours, chunk_batches) * scale)
        theirs_times.append(timed(theirs, torch_batches) * scale)
    return ours_times, theirs_times


def _forever(loader):
    while True:
        yield from loader


def resident_mib() -> float:
    """Resident set size of this process (Linux ``/proc``), MiB."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2 ** 20


def memory_over_epochs(loader, epochs: int, batches: int | None) -> tuple[list[float], list[float]]:
    """MiB traced and resident after each epoch of MLP training (after a collection)."""
    step = graphlab_trainer(mlp)
    held, resident = [], []
    tracemalloc.start()
    for _ in range(epochs):
        for x, y in islice(loader, batches):
            step(x, y)
        del x, y
        gc.collect()
        held.append(tracemalloc.get_traced_memory()[0] / 2 ** 20)
        resident.append(resident_mib())
    tracemalloc.stop()
    return held, resident


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunk", type=int, default=40, help="batches per timed chunk")
    parser.add_argument("--rounds", type=int, default=6, help="alternating chunks per engine")
    parser.add_argument("--memory-epochs", type=int, default=3)
    parser.add_argument("--memory-batches", type=int, default=None, help="batches per epoch there (default: all)")
    args = parser.parse_args()

    train, _ = load_fashion_mnist()
    train = replace(train, x=ChannelNormalize().fit_transform(train.x))
    loader = DataLoader(train, batch_size=128, shuffle=True, seed=0)
    print(f"Fashion-MNIST, batch 128, Adam; {len(loader)} batches per epoch; PyTorch {torch.__version__} "
          f"with {torch.get_num_threads()} threads; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}")
    for name, build in (("MLP 784-256-128-10", mlp), ("CNN conv16-conv32-fc128", cnn)):
        ours, theirs = compare(build, loader, args.chunk, args.rounds)
        print(f"{name:24s} s/epoch  graphlab {min(ours):6.2f} (median {statistics.median(ours):6.2f})   "
              f"PyTorch {min(theirs):6.2f} (median {statistics.median(theirs):6.2f})   "
              f"ratio {min(ours) / min(theirs):4.2f}×")

    held, resident = memory_over_epochs(loader, args.memory_epochs, args.memory_batches)
    growth = held[-1] - held[0]
    print("MLP memory held after each epoch (tracemalloc, MiB): " + ", ".join(f"{m:.2f}" for m in held))
    print("resident set size after each epoch (MiB):            " + ", ".join(f"{m:.0f}" for m in resident))
    print(f"growth from epoch 1 to {len(held)}: {growth:+.3f} MiB ({'flat' if abs(growth) < 1.0 else 'GROWING'})")


if __name__ == "__main__":
    main()
