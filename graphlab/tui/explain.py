"""What the inspector and the hints say about a node, read from the trace and the ops table.

Nothing here computes a derivative: the numbers are the trace's, and the
formulas are the ops table's (inputs called ``a`` and ``b``).
"""

from __future__ import annotations

from dataclasses import dataclass

from graphlab.ops import PLACEHOLDERS as ARGUMENTS
from graphlab.ops import Precedence, lookup, short
from graphlab.trace import NodeKind, Trace, TraceNode


def expression(node: TraceNode) -> str:
    """The node's op written on ``a`` and ``b``: ``a/b``, ``exp(a)``, ``a^2``."""
    op = lookup(node.op)
    return op.write([(argument, Precedence.ATOM) for argument in ARGUMENTS[:op.arity]], node.params)[0]


def parameters(node: TraceNode) -> str:
    """``p = 2``, ``slope = 0.1``: the op's parameters, for the derivative formulas."""
    return ", ".join(f"{k} = {short(v)}" for k, v in node.params.items())


@dataclass(frozen=True)
class LocalRule:
    """One input of an op: ∂out/∂input as a formula and a number, and its product with the upstream."""

    index: int
    source: int
    argument: str  # "a" or "b"
    formula: str  # "∂(a/b)/∂b = −a/b²"
    local: float | None  # None for a constant input: nothing flows back into it
    contribution: float | None


def local_rules(node: TraceNode) -> list[LocalRule]:
    """The local derivatives of an op node, one per input."""
    if node.kind != NodeKind.OP:
        return []
    op = lookup(node.op)
    expr = expression(node)
    wrapped = f"({expr})"
    rules = []
    for index, source in enumerate(node.inputs):
        argument = ARGUMENTS[index]
        formula = f"∂{wrapped}/∂{argument} = {op.derivatives[index].text}"
        rules.append(LocalRule(index, source, argument, formula, node.local[index], node.contributions[index]))
    return rules


@dataclass(frozen=True)
class Arrival:
    """Gradient arriving at a node from one consumer: upstream × local = contribution."""

    consumer: int
    index: int
    argument: str
    upstream: float | None
    local: float | None
    contribution: float | None


def arrivals(trace: Trace, node_id: int) -> list[Arrival]:
    """Every edge along which the node's gradient arrives; several are summed."""
    return [Arrival(e.dst, e.index, ARGUMENTS[e.index], trace.nodes[e.dst].grad, e.local, e.contribution)
            for e in trace.consumers(node_id)]


def value_hint(trace: Trace, node: TraceNode) -> str:
    """How to compute the node's forward value, without the number."""
    if node.kind != NodeKind.OP:
        return f"{node.name} is given: {'an input' if node.kind == NodeKind.INPUT else 'a constant'}."
    names = ", ".join(f"{ARGUMENTS[i]} = {trace.nodes[s].name}" for i, s in enumerate(node.inputs))
    extra = f", {parameters(node)}" if node.params else ""
    return (f"out = {expression(node)} with {names}{extra}: take the input values from the "
            f"forward pass. {_rounding_note(trace)}")


def grad_hint(trace: Trace, node: TraceNode) -> str:
    """How to compute the node's gradient, without the number."""
    if node.id == trace.output:
        return "The output's gradient is the initial gradient of the backward pass."
    if node.kind == NodeKind.CONST:
        return "No gradient flows into a constant."
    parts = []
    for edge in trace.consumers(node.id):
        consumer = trace.nodes[edge.dst]
        rule = local_rules(consumer)[edge.index].formula
        extra = f" ({parameters(consumer)})" if consumer.params else ""
        parts.append(f"from {consumer.symbol} [{consumer.name}]: upstream ∂f/∂out × {rule}{extra}")
    joined = "; ".join(parts)
    summed = " Add the contributions: the node feeds several consumers." if len(parts) > 1 else ""
    return f"∂f/∂{node.name} = upstream × local, {joined}.{summed} {_rounding_note(trace)}"


def _rounding_note(trace: Trace) -> str:
    policy = trace.policy
    return "Keep full precision." if policy.exact else f"Rounding: {policy.describe()}."
