"""Scalar engine throughput against micrograd, and `graphlab solve` latency, in one run.

    .venv/bin/pip install micrograd   # the reference engine (karpathy/micrograd)
    .venv/bin/python bench/bench_scalar.py

Prints nodes built + backpropagated per second for both engines on the same
graph and their ratio, then the wall time of `graphlab solve` on the lecture's
exercise (interpreter start and imports included) next to a bare
`python -c pass`. Both engines run with Python's cycle collector on, as users run them.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

STEPS = 20_000  # each step adds 5 nodes: mul, add, relu, mul, add


def chain(value_type, steps: int):
    a, b, c = value_type(0.9), value_type(-0.1), value_type(-0.5)  # y stays bounded
    y = value_type(1.0)
    for _ in range(steps):
        y = (y * a + b).relu() * c + y
    return y


def nodes_per_second(value_type, steps: int = STEPS, repeats: int = 5) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        y = chain(value_type, steps)
        y.backward()
        best = min(best, time.perf_counter() - start)
        del y
    return 5 * steps / best


def command_seconds(argv: list[str], repeats: int = 7) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    sys.setrecursionlimit(1_000_000)  # micrograd's backward is recursive
    from graphlab import Value

    ours = nodes_per_second(Value)
    print(f"graphlab Value : {ours / 1e3:8.0f} k nodes/s (build + backward, {5 * STEPS} nodes)")
    try:
        from micrograd.engine import Value as MicrogradValue
    except ImportError:
        print("micrograd      : not installed (pip install micrograd) — no ratio")
    else:
        theirs = nodes_per_second(MicrogradValue)
        print(f"micrograd Value: {theirs / 1e3:8.0f} k nodes/s")
        print(f"ratio          : graphlab is {ours / theirs:.2f}× micrograd's throughput")

    graphlab = str(Path(sys.executable).with_name("graphlab"))
    solve = command_seconds([graphlab, "solve", "x0 / exp(-(x0*y0 + x1*y1))", "--at", "x0=1", "--at", "x1=-1",
                             "--at", "y0=1", "--at", "y1=-2", "--round", "2"])
    bare = command_seconds([sys.executable, "-c", "pass"])
    print(f"graphlab solve : {solve * 1e3:6.0f} ms to the printed table (python -c pass: {bare * 1e3:.0f} ms)")


if __name__ == "__main__":
    main()
