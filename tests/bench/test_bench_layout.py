"""The layout benchmark's graphs are what it says: a deep chain fed by two inputs, and a wide sum of products."""

from __future__ import annotations

import math

from bench import bench_layout
from graphlab.render.layered import layered_layout


def test_the_chain_is_deep_and_its_inputs_feed_every_few_layers():
    trace = bench_layout.chain(300)
    layout = layered_layout(trace, {n.id for n in trace.nodes if n.kind == "const"})
    assert 300 <= len(trace.nodes) < 310 and len(layout.layers) > 200
    assert layout.reach[0] >= len(layout.layers) - 2  # x's lines run through almost every layer


def test_the_wide_graph_is_a_balanced_sum_of_products():
    trace = bench_layout.wide(400)
    assert len(trace.nodes) == 399 and len(trace.topological_generations()) == 2 + math.ceil(math.log2(100))
    assert max(len(layer) for layer in trace.topological_generations()) == 200
