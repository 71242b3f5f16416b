"""The trace: per-node and per-edge numbers, JSON both ways, networkx."""

import json

import pytest

from graphlab import RoundingPolicy, Trace, Value, round_to

TWO_DECIMALS = RoundingPolicy(2)


def exercise_trace(policy=TWO_DECIMALS):
    with round_to(policy):
        x0, x1, y0, y1 = Value(1, "x0"), Value(-1, "x1"), Value(1, "y0"), Value(-2, "y1")
        f = x0 / (-(x0 * y0 + x1 * y1)).exp()
    f.backward()
    return f.trace(formula="x0 / exp(-(x0*y0 + x1*y1))")


def test_nodes_are_numbered_in_creation_order():
    trace = exercise_trace()
    assert [n.label for n in trace.nodes[:4]] == ["x0", "x1", "y0", "y1"]
    assert [n.op for n in trace.nodes[4:]] == ["mul", "mul", "add", "neg", "exp", "div"]
    assert trace.output == len(trace.nodes) - 1
    assert all(i < n.id for n in trace.nodes for i in n.inputs)


def test_edges_carry_local_derivative_and_contribution():
    trace = exercise_trace()
    div = trace.root
    numerator, denominator = trace.edges()[-2:]
    assert (numerator.src, numerator.dst) == (0, div.id)
    assert (numerator.local, numerator.contribution) == (20.0, 20.0)
    assert (denominator.local, denominator.contribution) == (-400.0, -400.0)
    # x0 is used twice: its gradient is the sum over its two consumers
    assert sorted(e.contribution for e in trace.consumers(0)) == [20.0, 20.0]
    assert trace.nodes[0].grad == 40.0


def test_json_prints_rounded_numbers_with_their_digits_and_round_trips():
    trace = exercise_trace()
    text = trace.to_json()
    assert '"value": 20.00' in text and '"x1": -40.00' in text
    data = json.loads(text)
    assert data["grads"] == {"x0": 40.0, "x1": -40.0, "y0": 20.0, "y1": -20.0}
    assert data["rounding"] == {"decimals": 2, "convention": "every_node", "ties": "away"}
    again = Trace.from_json(text)
    assert again.to_json() == text
    assert again.grads() == trace.grads()


def test_exact_json_keeps_full_precision():
    data = json.loads(exercise_trace(RoundingPolicy()).to_json())
    assert data["value"] == pytest.approx(20.085536923187668, rel=1e-15)


def test_same_formula_gives_the_same_trace_byte_for_byte():
    assert exercise_trace().to_json() == exercise_trace().to_json()


def test_grads_can_be_selected_and_unknown_names_are_named():
    trace = exercise_trace()
    assert trace.grads(["y1"]) == {"y1": -20.0}
    with pytest.raises(KeyError, match="no input named z"):
        trace.grads(["z"])


def test_networkx_export_keeps_both_edges_of_a_times_a():
    a = Value(3.0, "a")
    f = a * a
    f.backward()
    graph = f.trace().to_networkx()
    assert graph.number_of_edges(0, 1) == 2
    assert graph.nodes[0]["grad"] == 6.0
    exercise = exercise_trace().to_networkx()
    import networkx as nx

    assert isinstance(exercise, nx.DiGraph)
    assert next(iter(nx.topological_generations(exercise))) == [0, 1, 2, 3]


def test_generations_layer_the_graph():
    layers = exercise_trace().topological_generations()
    assert layers[0] == [0, 1, 2, 3] and layers[-1] == [9]


def test_two_inputs_with_one_label_are_refused():
    f = Value(1.0, "x") * Value(2.0, "x")
    f.backward()
    with pytest.raises(ValueError, match="both labelled x"):
        f.trace()
