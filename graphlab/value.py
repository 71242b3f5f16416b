"""The scalar engine: a ``Value`` records the graph of the formula that made it.

micrograd's API (``a * b + c``, ``.backward()``, ``.grad``, ``.label``) on top of
the operations table. A node stores its op and its ordered inputs, never a
closure, so the graph holds no reference cycles and building it stays fast with
Python's cycle collector on. ``backward()`` looks each op's local derivatives up
in the table.

Rounding: ops evaluated inside ``with rounding(2):`` round their forward values
as they are computed, and the node keeps the policy so ``backward()`` rounds the
gradients the same way (see ``graphlab.rounding``).

``backward()`` twice without ``zero_grad()`` behaves as in PyTorch: the inputs'
``.grad`` accumulate the two passes, and every intermediate node's ``.grad``
holds the latest pass alone.
"""

from __future__ import annotations

import itertools
import math
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator

from graphlab import scalar_math
from graphlab.ops import Op, lookup
from graphlab.rounding import EXACT, RoundingPolicy

if TYPE_CHECKING:
    from graphlab.trace import Trace

_ids = itertools.count()
_grad_enabled = True
_policy: RoundingPolicy = EXACT


class EvaluationError(ArithmeticError):
    """A node whose value or derivative is undefined (log of −1, division by zero, overflow)."""

    def __init__(self, node: "Value", problem: str):
        self.node = node
        self.problem = problem
        super().__init__(f"{node.describe()}: {problem}")


@contextmanager
def no_grad() -> Iterator[None]:
    """Evaluate without recording the graph (nothing to backpropagate through)."""
    global _grad_enabled
    previous, _grad_enabled = _grad_enabled, False
    try:
        yield
    finally:
        _grad_enabled = previous


@contextmanager
def rounding(policy: RoundingPolicy | int | None) -> Iterator[RoundingPolicy]:
    """Build the graph under ``policy`` (an int ``n`` means "round every node to n decimals")."""
    global _policy
    if not isinstance(policy, RoundingPolicy):
        policy = RoundingPolicy(decimals=policy)
    previous, _policy = _policy, policy
    try:
        yield policy
    finally:
        _policy = previous


class Value:
    """A scalar node: an input, a literal constant, or the result of an op."""

    __slots__ = ("data", "grad", "label", "kind", "op", "inputs", "params", "policy",
                 "id", "local", "contributions", "_pending")

    def __init__(self, data: float, label: str = "", *, kind: str = "input") -> None:
        self.data = float(data)
        self.grad = 0.0
        self.label = label
        self.kind = kind  # "input", "const" or "op"
        self.op: Op | None = None
        self.inputs: tuple[Value, ...] = ()
        self.params: dict[str, float] = {}
        self.policy = EXACT
        self.id = next(_ids)
        self.local: tuple[float | None, ...] = ()
        self.contributions: tuple[float | None, ...] = ()

    # -- building the graph -------------------------------------------------

    @staticmethod
    def apply(name: str, *inputs: "Value | float", label: str = "", **params: float) -> "Value":
        """Evaluate op ``name`` of the table on ``inputs`` and record the node."""
        op = lookup(name)
        nodes = tuple(x if isinstance(x, Value) else Value(x, repr(x), kind="const") for x in inputs)
        merged = {**op.params, **params} if op.params else params
        out = Value.__new__(Value)
        out.grad = 0.0
        out.label = label
        out.kind = "op"
        out.op = op
        out.inputs = nodes if _grad_enabled else ()
        out.params = merged
        out.policy = _policy
        out.id = next(_ids)
        out.local = out.contributions = ()
        try:
            data = op.forward(scalar_math, *(n.data for n in nodes), **merged)
        except (ArithmeticError, ValueError):
            out.data = math.nan
            out.inputs = nodes
            raise EvaluationError(out, op.domain) from None
        if not math.isfinite(data):
            out.data = data
            out.inputs = nodes
            raise EvaluationError(out, f"the result overflows to {data}")
        out.data = _policy.forward(data)
        return out

    def __add__(self, other): return Value.apply("add", self, other)
    def __radd__(self, other): return Value.apply("add", other, self)
    def __sub__(self, other): return Value.apply("sub", self, other)
    def __rsub__(self, other): return Value.apply("sub", other, self)
    def __mul__(self, other): return Value.apply("mul", self, other)
    def __rmul__(self, other): return Value.apply("mul", other, self)
    def __truediv__(self, other): return Value.apply("div", self, other)
    def __rtruediv__(self, other): return Value.apply("div", other, self)
    def __neg__(self): return Value.apply("neg", self)
    def __abs__(self): return Value.apply("abs", self)

    def __pow__(self, exponent):
        """``x ** 2`` is one power node; ``x ** y`` with a Value exponent is ``pow_var``."""
        if isinstance(exponent, Value):
            return Value.apply("pow_var", self, exponent)
        return Value.apply("pow", self, p=float(exponent))

    def __rpow__(self, base): return Value.apply("pow_var", base, self)

    def exp(self): return Value.apply("exp", self)
    def log(self): return Value.apply("log", self)
    def sqrt(self): return Value.apply("sqrt", self)
    def abs(self): return Value.apply("abs", self)
    def square(self): return Value.apply("square", self)
    def reciprocal(self): return Value.apply("reciprocal", self)
    def sin(self): return Value.apply("sin", self)
    def cos(self): return Value.apply("cos", self)
    def max(self, other): return Value.apply("max", self, other)
    def min(self, other): return Value.apply("min", self, other)
    def sigmoid(self): return Value.apply("sigmoid", self)
    def tanh(self): return Value.apply("tanh", self)
    def relu(self): return Value.apply("relu", self)
    def leaky_relu(self, slope: float = 0.01): return Value.apply("leaky_relu", self, slope=slope)
    def elu(self, alpha: float = 1.0): return Value.apply("elu", self, alpha=alpha)
    def selu(self): return Value.apply("selu", self)
    def softplus(self): return Value.apply("softplus", self)
    def silu(self, beta: float = 1.0): return Value.apply("silu", self, beta=beta)
    swish = silu

    def gelu(self, approximate: str = "none"):
        """GELU, exact (``"none"``) or with PyTorch's ``"tanh"`` approximation."""
        return Value.apply("gelu_tanh" if approximate == "tanh" else "gelu", self)

    # -- backpropagation ----------------------------------------------------

    def topological_order(self) -> list["Value"]:
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
                if node.kind == "op":
                    node._propagate(upstream, policy)
                if node.kind != "const":
                    arrived.append((node, upstream))
        finally:
            for node in order:
                del node._pending
        for node, upstream in arrived:
            if node.kind == "op":
                node.grad = upstream
            else:
                node.grad = policy.product(node.grad + upstream) if node.grad else upstream

    def _propagate(self, upstream: float, policy: RoundingPolicy) -> None:
        op, params = self.op, self.params
        datas = [x.data for x in self.inputs]
        local: list[float | None] = []
        contributions: list[float | None] = []
        for derivative, node in zip(op.derivatives, self.inputs):
            if node.kind == "const":
                local.append(None)
                contributions.append(None)
                continue
            try:
                d = policy.local(float(derivative(scalar_math, self.data, *datas, **params)))
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
        from graphlab.trace import Trace

        return Trace.from_value(self, formula=formula)

    def explore(self):
        """In a notebook: step through this graph's passes, inspect its nodes, answer it as an exercise."""
        from graphlab.widget import explore

        return explore(self)

    def describe(self) -> str:
        """How an error message names this node: its op and its label or inputs."""
        if self.kind != "op":
            return f"{self.kind} {self.label or self.data!r}"
        name = self.label or f"{self.op.name}({', '.join(x.label or repr(x.data) for x in self.inputs)})"
        return f"{self.op.name} node {name}"

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self.trace()._repr_mimebundle_(include, exclude)

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}{label})"
