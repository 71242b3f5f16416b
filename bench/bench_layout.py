"""Layout time of big graphs: the shared layered layout and the terminal explorer's, against networkx.

    .venv/bin/python bench/bench_layout.py [--nodes 100000]

Two graphs of about ``--nodes`` nodes, built as traces directly (the engine is
not timed): a *chain* (two inputs feeding every few layers, a constant per
step: tens of thousands of layers, long lines through pass-through rows) and a
*wide* graph (a product per pair of inputs summed by a balanced tree: few
layers of tens of thousands of nodes). For each it prints the CPU seconds
(best of ``--repeats``) of

* networkx: ``trace.to_networkx()`` and ``topological_generations`` — a
  linear-time reference measured in the same run;
* ``layered_layout``: layers, waypoints and barycentre order (all pictures);
* ``compute_layout``: the explorer's whole text layout (cells, tracks, lines);

and the two layouts' times as multiples of the networkx reference.
"""

from __future__ import annotations

import argparse
import time

from graphlab.rounding import RoundingPolicy
from graphlab.trace import Trace, TraceNode


def _builder():
    nodes: list[TraceNode] = []

    def add(kind: str, label: str, inputs: tuple[int, ...] = (), op: str | None = None, value: float = 0.5) -> int:
        nodes.append(TraceNode(len(nodes), kind, label, value, None if kind == "const" else 0.25, op=op,
                               inputs=list(inputs), local=[0.5] * len(inputs), contributions=[0.25] * len(inputs)))
        return len(nodes) - 1

    return nodes, add


def chain(size: int) -> Trace:
    """``node = node + node·0.5``, then ``tanh(node·y + x)``, and so on: x and y feed the whole chain."""
    nodes, add = _builder()
    x, y = add("input", "x"), add("input", "y")
    node, step = x, 0
    while len(nodes) < size:
        if step % 2:
            node = add("op", "", (add("op", "", (add("op", "", (node, y), "mul"), x), "add"),), "tanh")
        else:
            node = add("op", "", (node, add("op", "", (node, add("const", "", value=0.5)), "mul")), "add")
        step += 1
    return Trace(nodes, node, RoundingPolicy(3))


def wide(size: int) -> Trace:
    """Σ xᵢ·wᵢ over ``size / 4`` pairs, summed as a balanced tree."""
    nodes, add = _builder()
    terms = [add("op", "", (add("input", f"x{i}"), add("input", f"w{i}")), "mul") for i in range(size // 4)]
    while len(terms) > 1:
        terms = [add("op", "", (terms[i], terms[i + 1]), "add") if i + 1 < len(terms) else terms[i]
                 for i in range(0, len(terms), 2)]
    return Trace(nodes, terms[0], RoundingPolicy(3))


def cpu_seconds(work, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=100_000, help="size of each graph (default 100000)")
    parser.add_argument("--repeats", type=int, default=3, help="best of this many runs (default 3)")
    args = parser.parse_args()

    import networkx as nx

    from graphlab.render.layered import layered_layout
    from graphlab.tui.layout import compute_layout

    for name, build in (("chain", chain), ("wide", wide)):
        trace = build(args.nodes)
        constants = {n.id for n in trace.nodes if n.kind == "const"}
        reference = cpu_seconds(lambda trace=trace: list(nx.topological_generations(trace.to_networkx())),
                                args.repeats)
        core = cpu_seconds(lambda trace=trace, constants=constants: layered_layout(trace, constants), args.repeats)
        text = cpu_seconds(lambda trace=trace: compute_layout(trace), args.repeats)
        plan = layered_layout(trace, constants)
        print(f"{name}: {len(trace.nodes)} nodes, {len(trace.edges())} edges, {len(plan.layers)} layers, "
              f"{len(plan.source) - plan.nodes} waypoints")
        print(f"  networkx generations {reference:6.2f} s")
        print(f"  layered_layout       {core:6.2f} s  ({core / reference:.1f}× networkx)")
        print(f"  compute_layout (TUI) {text:6.2f} s  ({text / reference:.1f}× networkx)")


if __name__ == "__main__":
    main()
