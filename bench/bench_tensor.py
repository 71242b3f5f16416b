"""Tensor engine against PyTorch and hand-written NumPy (CuPy on a GPU), ratios measured in one run.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_WAIT_POLICY=PASSIVE .venv/bin/python bench/bench_tensor.py
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python bench/bench_tensor.py --threads 1 --clock cpu
    .venv/bin/python bench/bench_tensor.py --device cuda     # CuPy against PyTorch CUDA

The second form is the steady one on a small machine that other work shares:
one thread each and CPU time instead of wall time. In the first, OMP_WAIT_POLICY
stops PyTorch's OpenMP workers from spinning on the cores NumPy's BLAS needs.

Unset the two OpenBLAS variables for fair numbers: they pin NumPy's BLAS to an
older kernel than the CPU has, while PyTorch brings its own. The script prints
the BLAS kernel and thread counts it ran with.

Workloads (targets from the tensor engine's issue):

* graph overhead: 10,000 chained elementwise ops on 1-element tensors, forward +
  backward, µs per op (target: at most half of PyTorch's). Also shown: the mean
  over runs back to back, which includes Python's full cycle-collector passes;
  a median leaves them out, and a graph of Python objects triggers them where
  PyTorch's C++ graph does not;
* MLP 784-256-128-10, ReLU, softmax cross-entropy, batch 128, float32: forward,
  backward and a plain SGD update (targets: ≤ 1.2× PyTorch, ≤ 1.1× NumPy by hand).
  Also shown: forward and backward alone against NumPy by hand, without the update;
* CNN conv3×3 1→16, ReLU, maxpool 2, conv3×3 16→32, ReLU, maxpool 2, linear → 10
  on 28×28, batch 64, same step (target: ≤ 2× PyTorch, aim 1.5×);
* memory of the MLP step: growth over 1,000 steps after 1,000 warm-up steps (target: none) and peak
  (target: ≤ 1.5× PyTorch's). NumPy allocations are counted by tracemalloc,
  PyTorch's by its profiler's allocation events (at op granularity), both as
  the peak of live bytes during one step above what was live before it. On a
  GPU, CuPy's pool is watched by a memory hook and PyTorch's caching allocator
  reports its own peak.

Every net is built from tensor ops directly. Times are medians over repeated
steps after a warm-up, the contenders taking turns in blocks so that other load
on the machine slows them alike.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np

import graphlab.tensor as gt
from graphlab.backend import BackendError, get_backend
from graphlab.nn.functional import cross_entropy
from graphlab.tensor.conv import conv2d
from graphlab.tensor.pool import max_pool2d

CHAIN_OPS = 10_000
MLP_SIZES = (784, 256, 128, 10)
MLP_BATCH = 128
CNN_BATCH = 64
LEARNING_RATE = 0.01
MEMORY_STEPS = 1_000
WARM_STEPS = 1_000
GROWTH_LIMIT = 64_000  # bytes: a tenth of one MLP step's saved activations
MLP_ROUNDS = 30  # blocks per contender for the MLP step (see main)
CHAIN_ROUNDS = 10  # and for the chain of ops: three blocks moved its ratio by ±0.05 between runs


# -- timing ------------------------------------------------------------------------------------

PAUSE = 0.3  # seconds before each timed block: long enough for spinning worker threads to sleep
CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}
clock = time.perf_counter


def mean_seconds(step: Callable[[], None], sync: Callable[[], None], runs: int) -> float:
    """Mean time of ``runs`` calls of ``step`` back to back: whatever the runs leave behind counts."""
    time.sleep(PAUSE)
    gc.collect()
    step()
    sync()
    start = clock()
    for _ in range(runs):
        step()
    sync()
    return (clock() - start) / runs


def median_seconds(steps: list[Callable[[], None]], sync: Callable[[], None], repeats: int,
                   rounds: int = 3, warmup: int = 2) -> list[float]:
    """Median time of each step over ``repeats`` runs, in ``rounds`` blocks that take turns.

    Taking turns lets other load on the machine slow every contender alike. Each block
    starts after a pause, because PyTorch's OpenMP workers and OpenBLAS's threads
    spin for a while after their work: on a few cores, a block that followed another
    library's block directly would share the cores with those spinning threads. It
    also starts with a full collection, so that Python's cycle collector charges the
    objects one contender left behind to that contender, not to the next block.
    """
    times: list[list[float]] = [[] for _ in steps]
    for _ in range(rounds):
        for step, record in zip(steps, times):
            time.sleep(PAUSE)
            gc.collect()
            for _ in range(warmup):
                step()
            sync()
            for _ in range(max(1, repeats // rounds)):
                start = clock()
                step()
                sync()
                record.append(clock() - start)
    return [statistics.median(record) for record in times]


# -- graph overhead ------------------------------------------------------------------------------

def chain_graphlab(device: str) -> None:
    a = gt.tensor([0.999], requires_grad=True, device=device)
    b = gt.tensor([0.001], requires_grad=True, device=device)
    y = gt.tensor([1.0], requires_grad=True, device=device)
    for _ in range(CHAIN_OPS // 2):
        y = y * a + b
    y.backward(gt.ones(1, device=device))


def chain_torch(torch, device: str) -> None:
    a = torch.tensor([0.999], requires_grad=True, device=device)
    b = torch.tensor([0.001], requires_grad=True, device=device)
    y = torch.tensor([1.0], requires_grad=True, device=device)
    for _ in range(CHAIN_OPS // 2):
        y = y * a + b
    y.backward(torch.ones(1, device=device))


def sgd_update(tensors: list) -> None:
    """A plain SGD step on graphlab tensors, in place, as the step by hand writes it: the gradient
    scaled in place, then subtracted (no temporary the size of the weights)."""
    with gt.no_grad():
        for p in tensors:
            p.sub_(p.grad.mul_(LEARNING_RATE))
            p.grad = None


# -- the MLP, three ways ----------------------------------------------------------------------------

def mlp_data(rng: np.random.Generator):
    x = rng.standard_normal((MLP_BATCH, MLP_SIZES[0])).astype(np.float32)
    labels = rng.integers(0, MLP_SIZES[-1], MLP_BATCH)
    params = []
    for fan_in, fan_out in itertools.pairwise(MLP_SIZES):
        params.append((rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in)).astype(np.float32))
        params.append(np.zeros(fan_out, dtype=np.float32))
    return x, labels, params


def graphlab_mlp_step(device: str, x, labels, params, update: bool = True) -> Callable[[], gt.Tensor]:
    """Forward, softmax cross-entropy, backward and (unless ``update`` is false) an SGD step on
    graphlab tensors; returns the step function."""
    x = gt.tensor(x, device=device)
    labels = gt.tensor(labels, device=device)
    tensors = [gt.tensor(p, requires_grad=True, device=device) for p in params]

    def step() -> gt.Tensor:
        h = x
        for i in range(0, len(tensors), 2):
            h = h @ tensors[i] + tensors[i + 1]
            if i + 2 < len(tensors):
                h = h.relu()
        loss = cross_entropy(h, labels)
        loss.backward()
        if update:
            sgd_update(tensors)
        else:
            for p in tensors:
                p.grad = None
        return loss

    return step


def torch_mlp_step(torch, device: str, x, labels, params) -> Callable[[], Any]:
    x = torch.tensor(x, device=device)
    labels = torch.tensor(labels, device=device)
    tensors = [torch.tensor(p, requires_grad=True, device=device) for p in params]
    functional = torch.nn.functional

    def step():
        h = x
        for i in range(0, len(tensors), 2):
            h = h @ tensors[i] + tensors[i + 1]
            if i + 2 < len(tensors):
                h = h.relu()
        loss = functional.cross_entropy(h, labels)
        loss.backward()
        with torch.no_grad():
            for p in tensors:
                p.sub_(p.grad, alpha=LEARNING_RATE)
                p.grad = None
        return loss

    return step


def by_hand_mlp_step(xp, x, labels, params, update: bool = True) -> Callable[[], Any]:
    """The same step written out by hand in NumPy (or CuPy: ``xp``), the loss's value included as
    the engines give it (a training loop logs it): the floor an engine on that library can reach."""
    x, labels = xp.asarray(x), xp.asarray(labels)
    params = [xp.array(p) for p in params]
    onehot = xp.eye(MLP_SIZES[-1], dtype=xp.float32)[labels]
    rows = xp.arange(MLP_BATCH)

    def step():
        w1, b1, w2, b2, w3, b3 = params
        z1 = x @ w1 + b1
        h1 = xp.maximum(z1, 0)
        z2 = h1 @ w2 + b2
        h2 = xp.maximum(z2, 0)
        z3 = h2 @ w3 + b3
        shifted = z3 - z3.max(axis=1, keepdims=True)
        exp = xp.exp(shifted)
        sums = exp.sum(axis=1, keepdims=True)
        loss = (xp.log(sums).sum() - shifted[rows, labels].sum()) / MLP_BATCH
        probabilities = exp / sums
        dz3 = (probabilities - onehot) / MLP_BATCH
        dw3, db3 = h2.T @ dz3, dz3.sum(axis=0)
        dz2 = (dz3 @ w3.T) * (z2 > 0)
        dw2, db2 = h1.T @ dz2, dz2.sum(axis=0)
        dz1 = (dz2 @ w2.T) * (z1 > 0)
        dw1, db1 = x.T @ dz1, dz1.sum(axis=0)
        if update:
            for p, g in zip(params, (dw1, db1, dw2, db2, dw3, db3)):
                g *= LEARNING_RATE
                p -= g
        return loss

    return step


# -- the CNN -----------------------------------------------------------------------------------------

CNN_SHAPES = ((16, 1, 3, 3), (16,), (32, 16, 3, 3), (32,), (32 * 7 * 7, 10), (10,))


def cnn_data(rng: np.random.Generator):
    x = rng.standard_normal((CNN_BATCH, 1, 28, 28)).astype(np.float32)
    labels = rng.integers(0, 10, CNN_BATCH)
    params = [(rng.standard_normal(s) * (0.1 if len(s) > 1 else 0.0)).astype(np.float32) for s in CNN_SHAPES]
    return x, labels, params


def graphlab_cnn_step(device: str, x, labels, params) -> Callable[[], None]:
    x = gt.tensor(x, device=device)
    labels = gt.tensor(labels, device=device)
    tensors = [gt.tensor(p, requires_grad=True, device=device) for p in params]

    def step() -> None:
        k1, c1, k2, c2, w, b = tensors
        h = max_pool2d(conv2d(x, k1, c1, padding=1).relu(), 2)
        h = max_pool2d(conv2d(h, k2, c2, padding=1).relu(), 2)
        logits = h.reshape(CNN_BATCH, -1) @ w + b
        loss = cross_entropy(logits, labels)
        loss.backward()
        sgd_update(tensors)

    return step


def torch_cnn_step(torch, device: str, x, labels, params) -> Callable[[], None]:
    x = torch.tensor(x, device=device)
    labels = torch.tensor(labels, device=device)
    tensors = [torch.tensor(p, requires_grad=True, device=device) for p in params]
    functional = torch.nn.functional

    def step() -> None:
        k1, c1, k2, c2, w, b = tensors
        h = functional.max_pool2d(functional.conv2d(x, k1, c1, padding=1).relu(), 2)
        h = functional.max_pool2d(functional.conv2d(h, k2, c2, padding=1).relu(), 2)
        loss = functional.cross_entropy(h.reshape(CNN_BATCH, -1) @ w + b, labels)
        loss.backward()
        with torch.no_grad():
            for p in tensors:
                p.sub_(p.grad, alpha=LEARNING_RATE)
                p.grad = None

    return step


# -- memory --------------------------------------------------------------------------------------------

def numpy_peak_bytes(step: Callable[[], None]) -> tuple[int, int]:
    """(peak live bytes during one step above the bytes live before it, growth over MEMORY_STEPS steps).

    A warm-up of WARM_STEPS steps comes first. What remains is NumPy's own bounded cache of
    small shape buffers (0-20 kB, its entries recycled), far below one step's saved
    activations (about 600 kB), which a graph kept alive would add every step.
    """
    tracemalloc.start()
    for _ in range(WARM_STEPS):
        step()
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    step()
    peak = tracemalloc.get_traced_memory()[1] - before
    for _ in range(MEMORY_STEPS - 1):
        step()
    gc.collect()
    growth = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return peak, growth


def torch_peak_bytes(torch, step: Callable[[], None]) -> int:
    """Peak live bytes of one step, replayed from the profiler's per-op allocations and frees in time order."""
    step()
    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU], profile_memory=True) as profile:
        step()
    changes = sorted((e.time_range.start, e.self_cpu_memory_usage) for e in profile.events()
                     if e.self_cpu_memory_usage)
    live = peak = 0
    for _, change in changes:
        live += change
        peak = max(peak, live)
    return peak


def cupy_peak_bytes(cupy, step: Callable[[], None]) -> tuple[int, int]:
    """(peak bytes CuPy's pool handed out during one step above those live before it, growth over MEMORY_STEPS).

    A memory hook sees every block the pool hands out and takes back, at its
    rounded size; the pool's own cache of free blocks is not counted.
    """
    class Peak(cupy.cuda.MemoryHook):
        name = "bench-peak"

        def __init__(self) -> None:
            self.live = self.peak = 0

        def malloc_postprocess(self, **block: Any) -> None:
            self.live += block["mem_size"]
            self.peak = max(self.peak, self.live)

        def free_postprocess(self, **block: Any) -> None:
            self.live -= block["mem_size"]

    pool = cupy.get_default_memory_pool()
    for _ in range(WARM_STEPS):
        step()
    gc.collect()
    cupy.cuda.Device().synchronize()
    before = pool.used_bytes()
    hook = Peak()
    with hook:
        step()
    for _ in range(MEMORY_STEPS - 1):
        step()
    gc.collect()
    cupy.cuda.Device().synchronize()
    return hook.peak, pool.used_bytes() - before


def torch_cuda_peak_bytes(torch, step: Callable[[], None]) -> tuple[int, int]:
    """The same two figures from PyTorch's CUDA caching allocator."""
    for _ in range(WARM_STEPS):
        step()
    gc.collect()
    torch.cuda.synchronize()
    before = torch.cuda.memory_allocated()
    torch.cuda.reset_peak_memory_stats()
    step()
    torch.cuda.synchronize()
    peak = torch.cuda.max_memory_allocated() - before
    for _ in range(MEMORY_STEPS - 1):
        step()
    gc.collect()
    torch.cuda.synchronize()
    return peak, torch.cuda.memory_allocated() - before


# -- report -----------------------------------------------------------------------------------------------

def blas_description() -> str:
    from threadpoolctl import threadpool_info

    parts = []
    for pool in threadpool_info():
        if pool["user_api"] == "blas":
            parts.append(f"NumPy BLAS {pool['internal_api']} {pool.get('version')} kernel "
                         f"{pool.get('architecture')}, {pool['num_threads']} threads")
    return "; ".join(parts) or "NumPy BLAS: threadpoolctl found none"


def verdict(ratio: float, target: float | None) -> str:
    """Whether ``ratio`` meets ``target``; without one, the figure is for information."""
    if target is None:
        return "for information"
    return f"{'meets' if ratio <= target else 'MISSES'} ≤ {target}×"


def ratio_line(label: str, ours: float, theirs: float, target: float | None, unit: str = "ms",
               scale: float = 1e3) -> str:
    """One line of the report."""
    return (f"{label:<34} graphlab {ours * scale:8.2f} {unit}   reference {theirs * scale:8.2f} {unit}   "
            f"ratio {ours / theirs:5.2f}× ({verdict(ours / theirs, target)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    parser.add_argument("--repeats", type=int, default=30,
                        help="how much each workload is timed (default 30: 30 chain runs, 600 MLP steps, 10 CNN steps)")
    parser.add_argument("--threads", type=int, default=None,
                        help="threads for NumPy's BLAS and PyTorch alike (default: each library's own)")
    parser.add_argument("--clock", choices=tuple(CLOCKS), default="wall",
                        help="wall time, or the process's CPU time (steadier on a busy machine with --threads 1)")
    args = parser.parse_args()
    global clock
    clock = CLOCKS[args.clock]
    if args.threads is not None:
        from threadpoolctl import threadpool_limits

        threadpool_limits(args.threads)
    device = args.device
    try:
        backend = get_backend(device)
    except BackendError as error:
        print(f"skipped: {error}")
        return
    try:
        import torch
    except ImportError:
        print("skipped: PyTorch is not installed (pip install torch); every figure here is a ratio to it")
        return
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    if device == "cuda":
        if not torch.cuda.is_available():
            print("skipped: PyTorch sees no CUDA device, so there is nothing to compare CuPy with")
            return
        card = torch.cuda.get_device_name()
        device_sync = backend.module.cuda.Device().synchronize

        def sync() -> None:
            device_sync()
            torch.cuda.synchronize()

        print(f"device: {card} (CuPy {backend.module.__version__}, PyTorch {torch.__version__})")
    else:
        def sync() -> None:
            """NumPy and PyTorch on the CPU finish each call before returning."""

        print(f"device: CPU; {blas_description()}; PyTorch {torch.__version__} with "
              f"{torch.get_num_threads()} threads; {args.clock} clock")
    rng = np.random.default_rng(0)

    def target(ratio: float) -> float | None:
        """The time targets are for the CPU; on a GPU those ratios are reported for information."""
        return ratio if device == "cpu" else None

    ours, theirs = median_seconds([lambda: chain_graphlab(device), lambda: chain_torch(torch, device)], sync,
                                  repeats=CHAIN_ROUNDS * max(1, args.repeats // 10), rounds=CHAIN_ROUNDS)
    print(f"{'graph overhead (µs per op)':<34} graphlab {ours / CHAIN_OPS * 1e6:8.2f} µs   "
          f"PyTorch   {theirs / CHAIN_OPS * 1e6:8.2f} µs   ratio {ours / theirs:5.2f}× "
          f"({verdict(ours / theirs, target(0.5))})")
    runs = max(10, args.repeats)
    ours = mean_seconds(lambda: chain_graphlab(device), sync, runs)
    theirs = mean_seconds(lambda: chain_torch(torch, device), sync, runs)
    print(f"{f'  mean of {runs} runs, GC passes in':<34} graphlab {ours / CHAIN_OPS * 1e6:8.2f} µs   "
          f"PyTorch   {theirs / CHAIN_OPS * 1e6:8.2f} µs   ratio {ours / theirs:5.2f}× (for information)")

    data = mlp_data(rng)
    library = "NumPy" if device == "cpu" else "CuPy"
    steps = [graphlab_mlp_step(device, *data), torch_mlp_step(torch, device, *data),
             by_hand_mlp_step(backend.module, *data)]
    # A step takes about a millisecond and a shared machine has slow spells of a second or so: many
    # short blocks taking turns (MLP_ROUNDS of them) put such a spell into every contender's blocks
    # alike. With six blocks of ten steps, the ratio to the step by hand moved by ±5 % between runs.
    mlp_steps = MLP_ROUNDS * max(1, args.repeats * 2 // 3)
    ours, theirs, by_hand = median_seconds(steps, sync, mlp_steps, rounds=MLP_ROUNDS)
    print(ratio_line("MLP step vs PyTorch", ours, theirs, target(1.2)))
    print(ratio_line(f"MLP step vs {library} by hand", ours, by_hand, target(1.1)))
    ours, by_hand = median_seconds([graphlab_mlp_step(device, *data, update=False),
                                    by_hand_mlp_step(backend.module, *data, update=False)], sync,
                                   mlp_steps, rounds=MLP_ROUNDS)
    print(ratio_line("  forward + backward alone", ours, by_hand, None))

    data = cnn_data(rng)
    ours, theirs = median_seconds([graphlab_cnn_step(device, *data), torch_cnn_step(torch, device, *data)], sync,
                                  max(5, args.repeats // 3))
    print(ratio_line("CNN step vs PyTorch", ours, theirs, target(2.0)) + ("  (aim 1.5×)" if device == "cpu" else ""))

    ours = graphlab_mlp_step(device, *mlp_data(np.random.default_rng(1)))
    theirs = torch_mlp_step(torch, device, *mlp_data(np.random.default_rng(1)))
    if device == "cpu":
        (peak, growth), torch_peak = numpy_peak_bytes(ours), torch_peak_bytes(torch, theirs)
    else:
        (peak, growth), (torch_peak, _) = cupy_peak_bytes(backend.module, ours), torch_cuda_peak_bytes(torch, theirs)
    print(ratio_line("MLP step peak memory", peak, torch_peak, 1.5, unit="MB", scale=1e-6))
    print(f"{'MLP memory growth':<34} {growth / 1e3:+.1f} kB over {MEMORY_STEPS:,} steps after "
          f"{WARM_STEPS:,} warm-up steps ({'meets' if abs(growth) < GROWTH_LIMIT else 'MISSES'}: "
          f"< {GROWTH_LIMIT // 1000} kB expected)")

if __name__ == "__main__":
    main()
