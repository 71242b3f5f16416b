"""The trace: a recorded graph with every forward value and gradient, as plain data.

Renderers, the CLI, graders and the terminal explorer read a ``Trace``; none of
them computes a gradient. A trace round-trips through JSON, so an autograder
can read what a student's run produced, and exports to networkx for graph
algorithms.

Node ids are positions in creation order (0, 1, 2 …), so the same formula
gives the same trace, byte for byte, on every run.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from graphlab.ops import lookup
from graphlab.rounding import RoundingPolicy

if TYPE_CHECKING:
    import networkx

    from graphlab.value import Value


class NodeKind(StrEnum):
    """What a node of a graph is (a ``str``, so ``"op"`` in a JSON file reads back as ``NodeKind.OP``)."""

    INPUT = "input"
    """A leaf the gradient is asked for: a named input, or a tensor that requires grad."""
    CONST = "const"
    """A literal constant, or a tensor that needs no gradient: nothing flows into it."""
    OP = "op"
    """The result of an op of the graph."""


@dataclass
class TraceNode:
    """One node: an input, a literal constant or an op, with its numbers."""

    id: int
    kind: NodeKind
    label: str
    value: float
    grad: float | None = None  # None for constants: nothing flows into them
    op: str | None = None
    params: dict[str, float] = field(default_factory=dict)
    inputs: list[int] = field(default_factory=list)
    local: list[float | None] = field(default_factory=list)  # ∂node/∂input, per input
    contributions: list[float | None] = field(default_factory=list)  # grad × local, per input

    @property
    def symbol(self) -> str:
        """What a diagram writes in the node: the op's symbol, or the leaf's label."""
        return lookup(self.op).label(self.params) if self.op else self.label

    @property
    def name(self) -> str:
        """A name for the node that is never empty: its label, else ``#id``."""
        return self.label or f"#{self.id}"


@dataclass(frozen=True)
class Edge:
    """Input ``index`` of node ``dst`` is node ``src``: value flows src → dst, gradient back."""

    src: int
    dst: int
    index: int
    local: float | None
    contribution: float | None


@dataclass
class Trace:
    """A computational graph after its forward and backward pass."""

    nodes: list[TraceNode]
    output: int
    policy: RoundingPolicy
    gradient: float = 1.0
    formula: str | None = None

    # -- building ------------------------------------------------------------

    @classmethod
    def from_value(cls, root: Value, formula: str | None = None, gradient: float = 1.0,
                   policy: RoundingPolicy | None = None) -> Trace:
        """Record the graph ``root`` depends on, as it stands after ``root.backward()``.

        ``policy`` is the one the graph was built under (by default the root's own;
        a formula that is a bare input has no op node to carry it).
        """
        by_creation = sorted(root.topological_order(), key=lambda v: v.id)
        labels = Counter(v.label for v in by_creation if v.kind == NodeKind.INPUT and v.label)
        twice = sorted(name for name, uses in labels.items() if uses > 1)
        if twice:
            raise ValueError(f"two different inputs are both labelled {', '.join(twice)}; "
                             "give each input its own label")
        position = {v: i for i, v in enumerate(by_creation)}
        nodes = [
            TraceNode(
                id=position[v],
                kind=v.kind,
                label=v.label,
                value=v.data,
                grad=None if v.kind == NodeKind.CONST else v.grad,
                op=v.op.name if v.op else None,
                params=dict(v.params),
                inputs=[position[x] for x in v.inputs],
                local=list(v.local) or [None] * len(v.inputs),
                contributions=list(v.contributions) or [None] * len(v.inputs),
            )
            for v in by_creation
        ]
        return cls(nodes, position[root], policy or root.policy, gradient, formula)

    # -- reading ---------------------------------------------------------------

    @property
    def root(self) -> TraceNode:
        return self.nodes[self.output]

    @property
    def value(self) -> float:
        """The formula's value, rounded as the exercise reports it."""
        return self.policy.final(self.root.value)

    @property
    def inputs(self) -> dict[str, TraceNode]:
        """The input leaves by name, in creation order."""
        return {n.name: n for n in self.nodes if n.kind == NodeKind.INPUT}

    def grads(self, wrt: Iterable[str] | None = None) -> dict[str, float]:
        """∂f/∂input for the named inputs (all by default), rounded as reported."""
        inputs = self.inputs
        names = list(inputs) if wrt is None else list(wrt)
        unknown = [n for n in names if n not in inputs]
        if unknown:
            raise KeyError(f"no input named {', '.join(unknown)}; the inputs are {', '.join(inputs)}")
        return {n: self.policy.final(inputs[n].grad or 0.0) for n in names}

    def edges(self) -> list[Edge]:
        """Every edge, ordered by consumer then input position."""
        return [
            Edge(src, node.id, i, node.local[i], node.contributions[i])
            for node in self.nodes
            for i, src in enumerate(node.inputs)
        ]

    def consumers(self, node_id: int) -> list[Edge]:
        """The edges along which node ``node_id``'s gradient arrives (summed when several)."""
        return [Edge(src, node.id, i, node.local[i], node.contributions[i])
                for node in self.nodes
                for i, src in enumerate(node.inputs) if src == node_id]

    def topological_generations(self) -> list[list[int]]:
        """Nodes in layers: inputs and constants first, each layer using only earlier ones."""
        depth: dict[int, int] = {}
        for node in self.nodes:  # creation order already puts inputs first
            depth[node.id] = 1 + max((depth[i] for i in node.inputs), default=-1)
        layers: list[list[int]] = [[] for _ in range(max(depth.values()) + 1)]
        for node_id, d in depth.items():
            layers[d].append(node_id)
        return layers

    # -- export ----------------------------------------------------------------

    def to_dict(self, wrt: Iterable[str] | None = None) -> dict[str, Any]:
        """Plain data; rounded numbers are ``Decimal`` so they print with their exact digits."""
        p = self.policy
        fixed = p.decimals is not None

        def num(x: float | None, rounded: bool) -> float | Decimal | None:
            if x is None or not math.isfinite(x):  # NaN or inf only in a trace read from a file
                return x
            return p.as_decimal(x) if rounded else x + 0.0  # + 0.0: no "-0.0"

        return {
            "formula": self.formula,
            "value": num(self.root.value, fixed),
            "grads": {k: num(v, fixed) for k, v in self.grads(wrt).items()},
            "rounding": p.to_dict(),
            "gradient": self.gradient,
            "output": self.output,
            "nodes": [
                {
                    "id": n.id,
                    "kind": n.kind,
                    "label": n.label,
                    "op": n.op,
                    "params": n.params,
                    "inputs": n.inputs,
                    "value": num(n.value, p.rounds_forward and n.kind == NodeKind.OP),
                    "grad": num(n.grad, p.rounds_products and n.id != self.output),
                    "local": [num(x, p.rounds_local) for x in n.local],
                    "contributions": [num(x, p.rounds_products) for x in n.contributions],
                }
                for n in self.nodes
            ],
        }

    def to_json(self, wrt: Iterable[str] | None = None, indent: int = 2) -> str:
        return dumps(self.to_dict(wrt), indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Trace:
        """The trace ``to_dict`` wrote, checked whole (``TraceError`` names the place otherwise)."""
        from graphlab.trace_file import trace_from_data  # lazy: trace_file imports this module

        return trace_from_data(data)

    @classmethod
    def from_json(cls, text: str) -> Trace:
        """The trace ``to_json`` wrote, checked whole (see ``graphlab.trace_file``)."""
        from graphlab.trace_file import parse_trace  # lazy: trace_file imports this module

        return parse_trace(text)

    def to_networkx(self) -> networkx.MultiDiGraph:
        """A ``MultiDiGraph`` (a ``DiGraph`` that keeps both edges of ``a * a``)."""
        import networkx as nx

        graph = nx.MultiDiGraph(formula=self.formula, rounding=self.policy.describe())
        for n in self.nodes:
            graph.add_node(n.id, kind=n.kind, label=n.label, op=n.op, symbol=n.symbol,
                           value=n.value, grad=n.grad)
        for e in self.edges():
            graph.add_edge(e.src, e.dst, key=e.index, index=e.index,
                           local=e.local, contribution=e.contribution)
        return graph

    def explore(self):
        """In a notebook: step through the passes, inspect the nodes, switch rounding, answer as an exercise."""
        from graphlab.widget import explore  # lazy: the notebook widget imports this module

        return explore(self)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        from graphlab.render.notebook import mimebundle  # lazy: a renderer, for Jupyter's display only

        return mimebundle(self)


def dumps(data: Any, indent: int = 2, _level: int = 0) -> str:
    """JSON text in which a ``Decimal`` prints as the number it is (``20.00``, not ``20.0``)."""
    pad, inner = " " * indent * _level, " " * indent * (_level + 1)
    if isinstance(data, Decimal):
        return str(data)
    if isinstance(data, dict):
        if not data:
            return "{}"
        items = (f"{inner}{json.dumps(str(k))}: {dumps(v, indent, _level + 1)}" for k, v in data.items())
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(data, (list, tuple)):
        if not data:
            return "[]"
        if all(not isinstance(x, (dict, list, tuple)) for x in data):
            return "[" + ", ".join(dumps(x, indent, _level + 1) for x in data) + "]"
        return "[\n" + ",\n".join(inner + dumps(x, indent, _level + 1) for x in data) + "\n" + pad + "]"
    return json.dumps(data)  # NaN and Infinity only where a trace read from a file had them
