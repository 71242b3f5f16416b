"""Every number of a worked backprop exercise, by name, and each one as it follows from a student's own numbers.

A student working the lecture's exercise by hand writes, node by node, the
forward value, then on the way back each local derivative, each product
upstream × local, and each node's gradient as the sum of what arrives. Each
of these is a *quantity* with a short key, the same in answers files, keys,
gradebooks and feedback:

==========================  ===============================================
``f``                       the formula's value
``df/dx0``                  ∂f/∂x0, the gradient of input x0
``#5``                      the forward value of node 5 (numbered as in the key's table)
``df/d#5``                  the gradient of node 5: the sum of what arrives
``d#9/db``                  node 9's local derivative with respect to its second input (``a``, ``b``)
``df/d#9*d#9/db``           the product upstream × local that node 9 sends back to its input ``b``
==========================  ===============================================

(``∂`` for ``d`` and ``·`` or ``×`` for ``*`` read the same; ``d#9/d#8`` or
``d#9/dx0`` name an input of node 9 by its node or its name.)

``replay`` walks the graph as the engine does, forward then backward, but
wherever the student gave a number it carries on with the student's number.
So each quantity also has the value it should have *for the student's own
inputs to that step*: a student who slipped at the sum and then took exp of
their −3.10 correctly is right for their −3.10 — error carried forward. With no
numbers given, ``replay`` is the trace itself (a test checks every bundled
exercise under every rounding convention).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from graphlab import scalar_math
from graphlab.ops import lookup
from graphlab.trace import NodeKind, Trace

ARGUMENTS = ("a", "b")
"""How a local derivative names an op's inputs, as the ops table and the explorer do."""
GROUPS = {"value": "values", "local": "locals", "product": "products", "grad": "gradients"}
"""Each kind of quantity and the group name a ``[grading]`` weight or tolerance may use for it."""

_D = r"(?:d|∂)"
_NODE = r"#(\d+)"
_PATTERNS = [
    ("value", re.compile(r"^f$|^#(\d+)$")),
    ("grad", re.compile(rf"^{_D}\s*f\s*/\s*{_D}\s*(#\d+|[^\s/#*·×]+)$")),
    ("local", re.compile(rf"^{_D}\s*{_NODE}\s*/\s*{_D}\s*(#\d+|[^\s/#*·×]+)$")),
    ("product", re.compile(rf"^{_D}\s*f\s*/\s*{_D}\s*{_NODE}\s*[*·×]\s*{_D}\s*{_NODE}\s*/\s*{_D}\s*(#\d+|[^\s/#*·×]+)$")),
]


@dataclass(frozen=True)
class Key:
    """A quantity key as written, before it is matched to a graph: its kind and what it names."""

    kind: str  # "value", "grad", "local" or "product"
    node: int | None = None  # the node (value, grad, local, product), None for f and an input's gradient
    input: str | None = None  # an input's name (df/dx0), or what a local or product names: a, b, #8 or x0


def parse_key(text: str) -> Key | None:
    """The key ``text`` writes (``∂f/∂x0``, ``#5``, ``d#9/db`` …), None if it names no quantity."""
    text = text.strip()
    for kind, pattern in _PATTERNS:
        match = pattern.match(text)
        if match is None:
            continue
        if kind == "value":
            return Key("value", int(match.group(1)) if match.group(1) else None)
        if kind == "grad":
            named = match.group(1)
            return Key("grad", int(named[1:])) if named.startswith("#") else Key("grad", None, named)
        if kind == "local":
            return Key("local", int(match.group(1)), match.group(2))
        if match.group(1) != match.group(2):  # df/d#9 * d#9/db: one node, upstream × its local derivative
            return None
        return Key("product", int(match.group(1)), match.group(3))
    return None


@dataclass(frozen=True)
class Quantity:
    """One number of the worked exercise: its key, how it is shown, its value in the trace, and where it is."""

    key: str
    label: str
    value: float
    kind: str = "value"  # "value", "local", "product" or "grad"
    node: int | None = None
    index: int | None = None  # the op's input (0 for a, 1 for b) of a local derivative or a product

    @property
    def group(self) -> str:
        return GROUPS[self.kind]


def every_quantity(trace: Trace) -> list[Quantity]:
    """Every number a student may write for ``trace``, in the order they are worked: forward, then backward."""
    found = []
    for node in trace.nodes:
        if node.kind == NodeKind.OP:
            key, label = ("f", "f") if node.id == trace.output else (f"#{node.id}", f"#{node.id} {node.label}".strip())
            found.append(Quantity(key, label, trace.value if node.id == trace.output else node.value,
                                  "value", node.id))
    for node in reversed(trace.nodes):
        if node.kind == NodeKind.CONST:
            continue
        if node.id != trace.output:
            found.append(gradient_quantity(trace, node.id))
        for index, local in enumerate(node.local):
            if local is None:
                continue
            argument = ARGUMENTS[index]
            found.append(Quantity(f"d#{node.id}/d{argument}", f"∂#{node.id}/∂{argument} ({node.symbol})",
                                  node.local[index], "local", node.id, index))
            found.append(Quantity(f"df/d#{node.id}*d#{node.id}/d{argument}",
                                  f"∂f/∂#{node.id}·∂#{node.id}/∂{argument}", node.contributions[index] or 0.0,
                                  "product", node.id, index))
    return found


def gradient_quantity(trace: Trace, node_id: int) -> Quantity:
    """∂f/∂ of a node: ``df/dx0`` for an input (rounded as reported), ``df/d#5`` for an op node."""
    node = trace.nodes[node_id]
    if node.kind == NodeKind.INPUT:
        return Quantity(f"df/d{node.name}", f"∂f/∂{node.name}", trace.policy.final(node.grad or 0.0), "grad", node.id)
    return Quantity(f"df/d#{node.id}", f"∂f/∂#{node.id}", node.grad or 0.0, "grad", node.id)


def resolve(trace: Trace, text: str) -> str | None:
    """The canonical key of ``text`` for this graph (``∂f/∂#0`` → ``df/dx0``, ``d#9/d#8`` → ``d#9/db``), or None.

    None when ``text`` names no quantity of the graph: an unknown input or
    node, a constant's gradient, an input's value (it is given), the output's
    gradient (the initial one), or a local derivative of a node it does not feed.
    """
    key = parse_key(text)
    if key is None:
        return None
    nodes = trace.nodes
    if key.node is not None and not 0 <= key.node < len(nodes):
        return None
    if key.kind == "value":
        if key.node is None or key.node == trace.output:
            return "f"
        return f"#{key.node}" if nodes[key.node].kind == NodeKind.OP else None
    if key.kind == "grad":
        node_id = key.node if key.node is not None else _input_id(trace, key.input)
        if node_id is None or node_id == trace.output or nodes[node_id].kind == NodeKind.CONST:
            return None
        return gradient_quantity(trace, node_id).key
    node = nodes[key.node]
    index = _argument(trace, key.node, key.input)
    if node.kind != NodeKind.OP or index is None or node.local[index] is None:
        return None
    argument = ARGUMENTS[index]
    return f"d#{node.id}/d{argument}" if key.kind == "local" else f"df/d#{node.id}*d#{node.id}/d{argument}"


def _input_id(trace: Trace, name: str | None) -> int | None:
    node = trace.inputs.get(name or "")
    return None if node is None else node.id


def _argument(trace: Trace, node_id: int, named: str | None) -> int | None:
    """Which input of node ``node_id`` ``named`` is: ``a``/``b``, ``#8`` or an input's name (the first match)."""
    node = trace.nodes[node_id]
    if named in ARGUMENTS:
        index = ARGUMENTS.index(named)
        return index if index < len(node.inputs) else None
    source = int(named[1:]) if named and named.startswith("#") and named[1:].isdigit() else _input_id(trace, named)
    return node.inputs.index(source) if source in node.inputs else None


@dataclass(frozen=True)
class Replay:
    """Each quantity as it follows from the student's own numbers, and the quantities it was computed from."""

    own: dict[str, float]
    sources: dict[str, tuple[str, ...]]
    carried: dict[str, float]
    """Every quantity as the walk went on with it: the student's number where given, else ``own``."""
    given: frozenset[str] = frozenset()
    """The quantities the student wrote."""


def replay(trace: Trace, given: Mapping[str, float]) -> Replay:
    """Walk ``trace``'s graph with the student's numbers ``given`` (canonical keys) wherever there is one.

    A step whose own inputs make it undefined (the student's divisor is 0) has
    no expected value: it is left out of ``own``.
    """
    policy = trace.policy
    own: dict[str, float] = {}
    sources: dict[str, tuple[str, ...]] = {}
    carried: dict[str, float] = {}
    values: dict[int, float] = {}
    value_key: dict[int, str] = {}

    def carry(key: str, expected: float | None, inputs: tuple[str, ...]) -> float | None:
        sources[key] = inputs
        if expected is not None and math.isfinite(expected):
            own[key] = expected
        number = given.get(key, expected)
        if number is not None:
            carried[key] = number
        return number

    for node in trace.nodes:
        if node.kind != NodeKind.OP:
            values[node.id] = node.value
            continue
        key = "f" if node.id == trace.output else f"#{node.id}"
        value_key[node.id] = key
        args = [values.get(i) for i in node.inputs]
        forward = None
        if all(a is not None for a in args):
            forward = _evaluate(policy.forward, lookup(node.op).forward, *args, **node.params)
        reported = policy.final(forward) if forward is not None and node.id == trace.output else forward
        number = carry(key, reported, tuple(value_key[i] for i in node.inputs if i in value_key))
        if key in given or node.id != trace.output:  # the output flows on unrounded unless the student wrote f
            values[node.id] = number
        elif forward is not None:
            values[node.id] = forward

    pending: dict[int, float] = {trace.output: trace.gradient}
    arrived: dict[int, list[str]] = {}
    for node in reversed(trace.nodes):
        if node.kind == NodeKind.CONST:
            continue
        if node.id == trace.output:
            upstream = trace.gradient
        else:
            key = gradient_quantity(trace, node.id).key
            total = pending.get(node.id)
            if total is not None and node.kind == NodeKind.INPUT:
                total = policy.final(total)
            upstream = carry(key, total, tuple(arrived.get(node.id, ())))
        if node.kind != NodeKind.OP:
            continue
        op = lookup(node.op)
        args = [values.get(i) for i in node.inputs]
        out = values.get(node.id)
        upstream_key = "" if node.id == trace.output else gradient_quantity(trace, node.id).key
        for index, source in enumerate(node.inputs):
            if node.local[index] is None:
                continue
            argument = ARGUMENTS[index]
            local_key = f"d#{node.id}/d{argument}"
            local = None
            if out is not None and all(a is not None for a in args):
                local = _evaluate(policy.local, op.rules[index], out, *args, **node.params)
            reads = (node.id, *node.inputs) if "out" in op.derivatives[index].reads else node.inputs
            local_sources = tuple(value_key[i] for i in reads if i in value_key)
            local = carry(local_key, local, local_sources)
            product_key = f"df/d#{node.id}*d#{node.id}/d{argument}"
            product = None if upstream is None or local is None else policy.product(upstream * local)
            product = product if product is None or math.isfinite(product) else None
            product = carry(product_key, product, tuple(k for k in (upstream_key, local_key) if k))
            arrived.setdefault(source, []).append(product_key)
            if source in pending and pending[source] is None:
                continue
            if product is None:
                pending[source] = None
            else:
                before = pending.get(source)
                pending[source] = policy.product(before + product) if before else product
    return Replay(own, sources, carried, frozenset(given))


def _evaluate(rounded, function, *args, **params) -> float | None:
    """``rounded(function(scalar_math, *args))`` — an op's forward or local derivative, called as the engine
    calls it — or None where the student's numbers make the step undefined (log of −1, 1/0)."""
    try:
        result = rounded(float(function(scalar_math, *args, **params)))
    except (ArithmeticError, ValueError):
        return None
    return result if math.isfinite(result) else None
