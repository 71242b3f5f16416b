"""The scalar engine: a ``Value`` records the graph of the formula that made it.

micrograd's API (``a * b + c``, ``.backward()``, ``.grad``, ``.label``) on top of
the operations table: every op's method and operator is generated from
``OPS`` (``graphlab.methods``), each calling ``apply`` with its table entry. A
node stores its op and its ordered inputs, never a closure, so the graph holds
no reference cycles and building it stays fast with Python's cycle collector
on. ``backward()`` looks each op's local derivatives up in the table.

Rounding: ops evaluated inside ``with round_to(2):`` round their forward values
as they are computed, and the node keeps the policy so ``backward()`` rounds the
gradients the same way (see ``graphlab.rounding``). Inside ``no_grad()``
(``graphlab.grad_mode``, shared with the tensor engine) nodes link no inputs.

``backward()`` twice without ``zero_grad()`` behaves as in PyTorch: the inputs'
``.grad`` accumulate the two passes, and every intermediate node's ``.grad``
holds the latest pass alone.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

from graphlab import grad_mode, methods, rounding, scalar_math
from graphlab.ops import OPS, Op, lookup
from graphlab.rounding import EXACT, RoundingPolicy
from graphlab.trace import NodeKind, Trace

_ids = itertools.count()
_INPUT, _CONST, _OP = NodeKind.INPUT, NodeKind.CONST, NodeKind.OP
_NO_PARAMS: dict[str, float] = {}


class EvaluationError(ArithmeticError):
    """A node whose value or derivative is undefined (log of −1, division by zero, overflow)."""

    def __init__(self, node: Value, problem: str):
        self.node = node
        self.problem = problem
        super().__init__(f"{node.describe()}: {problem}")


class Value:
    """A scalar node: an input, a literal constant, or the result of an op."""

    __slots__ = ("_pending", "contributions", "data", "grad", "id", "inputs", "kind", "label", "local", "op",
                 "params", "policy")

    def __init__(self, data: float, label: str = "", *, kind: NodeKind | str = _INPUT) -> None:
        self.data = float(data)
        self.grad = 0.0
        self.label = label
        self.kind = NodeKind(kind)
        self.op: Op | None = None
        self.inputs: tuple[Value, ...] = ()
        self.params: dict[str, float] = {}
        self.policy = EXACT
        self.id = next(_ids)
        self.local: tuple[float | None, ...] = ()
        self.contributions: tuple[float | None, ...] = ()

    # -- building the graph -------------------------------------------------

    @staticmethod
    def apply(name: str, *inputs: Value | float, label: str = "", **params: float) -> Value:
        """Evaluate op ``name`` of the table on ``inputs`` and record the node."""
        op = lookup(name)
        refusal = op.refusal({**op.params, **params})
        if refusal:
            raise ValueError(f"{op.name}: {refusal}")
        return _apply(op, inputs, params, label)

    def __pow__(self, exponent):
        """``x ** 2`` is one power node; ``x ** y`` with a Value exponent is ``pow_var``."""
        if isinstance(exponent, Value):
            return _apply(_POW_VAR, (self, exponent), _NO_PARAMS, "")
        return _apply(_POW, (self,), {"p": float(exponent)}, "")

    # -- backpropagation ----------------------------------------------------

    def topological_order(self) -> list[Value]:
        """Every node this one depends on, inputs before the nodes that use them.

        Iterative depth-first search, so a graph of any depth is fine; the
        order follows the inputs' order and is the same on every run.
        """
        order: list[Value] = []
        visited: set[Value] = set()
        stack: list[tuple[Value, bool]] = [(self, False)]
        while stack:
            node, finished = stack.pop()
            if finished:
                order.append(node)
            elif node not in visited:
                visited.add(node)
                stack.append((node, True))
                stack.extend((x, False) for x in reversed(node.inputs) if x not in visited)
        return order

    def backward(self, gradient: float = 1.0) -> None:
        """Propagate ``gradient`` (the initial gradient, 1 by default) to every node.

        A walk that fails (an undefined local derivative, an overflow) changes no
        ``.grad``: inputs keep what earlier passes accumulated.
        """
        order = self.topological_order()
        policy = self.policy
        for node in order:
            node._pending = 0.0
        self._pending = float(gradient)
        arrived = []  # (node, gradient), stored only once the whole walk has succeeded
        try:
            for node in reversed(order):
                upstream = node._pending
                if not math.isfinite(upstream):  # two finite contributions can add up to inf
                    raise EvaluationError(node, f"the gradient overflows to {upstream}")
                if node.kind == _OP:
                    node._propagate(upstream, policy)
                if node.kind != _CONST:
                    arrived.append((node, upstream))
        finally:
            for node in order:
                del node._pending
        for node, upstream in arrived:
            if node.kind == _OP:
                node.grad = upstream
            else:
                node.grad = policy.product(node.grad + upstream) if node.grad else upstream

    def _propagate(self, upstream: float, policy: RoundingPolicy) -> None:
        params = self.params
        datas = [x.data for x in self.inputs]
        local: list[float | None] = []
        contributions: list[float | None] = []
        for rule, node in zip(self.op.rules, self.inputs):
            if node.kind == _CONST:
                local.append(None)
                contributions.append(None)
                continue
            try:
                d = policy.local(float(rule(scalar_math, self.data, *datas, **params)))
            except (ArithmeticError, ValueError):
                raise EvaluationError(self, "its local derivative is undefined here") from None
            contribution = policy.product(upstream * d)
            if not math.isfinite(contribution):
                raise EvaluationError(self, f"the gradient overflows to {contribution}")
            local.append(d)
            contributions.append(contribution)
            node._pending = policy.product(node._pending + contribution) if node._pending else contribution
        self.local = tuple(local)
        self.contributions = tuple(contributions)

    def zero_grad(self) -> None:
        """Set ``.grad`` of this node and of everything it depends on to zero."""
        for node in self.topological_order():
            node.grad = 0.0

    # -- reading the graph ----------------------------------------------------

    def trace(self, formula: str | None = None) -> Trace:
        """The recorded graph with values and gradients, as a ``Trace`` data object."""
        return Trace.from_value(self, formula=formula)

    def explore(self):
        """In a notebook: step through this graph's passes, inspect its nodes, answer it as an exercise."""
        from graphlab.widget import explore  # lazy: the notebook widget imports this module

        return explore(self)

    def describe(self) -> str:
        """How an error message names this node: its op and its label or inputs."""
        if self.kind != _OP:
            return f"{self.kind} {self.label or self.data!r}"
        name = self.label or f"{self.op.name}({', '.join(x.label or repr(x.data) for x in self.inputs)})"
        return f"{self.op.name} node {name}"

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self.trace()._repr_mimebundle_(include, exclude)

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}{label})"


def _apply(op: Op, inputs: tuple[Any, ...], params: dict[str, float], label: str) -> Value:
    """Evaluate ``op`` on ``inputs`` (numbers become constant nodes) and record the node."""
    nodes = tuple(x if isinstance(x, Value) else Value(x, repr(x), kind=_CONST) for x in inputs)
    merged = {**op.params, **params} if op.params else params
    policy = rounding.active
    out = Value.__new__(Value)
    out.grad = 0.0
    out.label = label
    out.kind = _OP
    out.op = op
    out.inputs = nodes if grad_mode.enabled else ()
    out.params = merged
    out.policy = policy
    out.id = next(_ids)
    out.local = out.contributions = ()
    try:
        data = op.forward(scalar_math, *(n.data for n in nodes), **merged)
    except (ArithmeticError, ValueError):
        out.data = math.nan
        out.inputs = nodes
        raise EvaluationError(out, op.domain or "the input is outside the function's domain") from None
    if not math.isfinite(data):
        out.data = data
        out.inputs = nodes
        raise EvaluationError(out, f"the result overflows to {data}")
    out.data = policy.forward(data)
    return out


def _unary(op: Op):
    """How a generated method applies a one-input op: ``f(x)``, or ``f(x, values)`` with parameters."""
    if op.params:
        names = tuple(op.params)
        return lambda x, values: _apply(op, (x,), dict(zip(names, values)), "")
    return lambda x: _apply(op, (x,), _NO_PARAMS, "")


def _binary(op: Op):
    return lambda a, b: _apply(op, (a, b), _NO_PARAMS, "")


_POW, _POW_VAR = OPS["pow"], OPS["pow_var"]

methods.install(Value, methods.generate(lambda op: op.methods, _unary, _binary, ("self", "other")))
