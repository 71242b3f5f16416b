"""What checking a file costs, and how fast variants are drawn, in one run.

    .venv/bin/python bench/bench_loaders.py

Prints the time to read a 100,000-node trace with every check (`read_trace`)
next to `json.loads` of the same text alone, and their ratio; then the time of
drawing 1,000 variants of the lecture's exercise and of one variant numbered
1,000 (what grading a file that says `variant = 1000` draws).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graphlab import Value
from graphlab.exercise import load
from graphlab.exercise.variants import draw, variant
from graphlab.trace_file import read_trace


def best_of(repeats: int, work) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def chain_trace(nodes: int) -> str:
    x = Value(0.5, "x")
    total = x
    for i in range(nodes // 3):
        total = (total * 0.999 + x) if i % 2 else (total + 0.001).tanh()
    total.backward()
    return total.trace().to_json()


def main() -> None:
    text = chain_trace(100_000)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "trace.json"
        path.write_text(text)
        nodes = len(read_trace(path).nodes)
        checked = best_of(3, lambda: read_trace(path))
        parsed = best_of(3, lambda: json.loads(path.read_text()))
    print(f"trace of {nodes:,} nodes ({len(text) / 1e6:.0f} MB): read_trace {checked:.2f} s, "
          f"json.loads alone {parsed:.2f} s, ratio {checked / parsed:.1f}")
    exercise = load("variant-2")
    print(f"variants of variant-2: 1,000 drawn in {best_of(1, lambda: draw(exercise, 1000, 2026)):.2f} s, "
          f"variant 1,000 alone in {best_of(3, lambda: variant(exercise, 1000, 2026)):.3f} s")


if __name__ == "__main__":
    main()
