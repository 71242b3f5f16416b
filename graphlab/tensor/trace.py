"""``TensorTrace``: the recorded graph of a tensor output, as plain data for renderers.

Each node carries its op, shape, dtype, name scope and a summary of its value
and gradient (mean/std/min/max, or the values themselves when there are at most
six). Values are pulled to the host in one transfer per backend: every array is
flattened into one buffer on its device, the buffer moves once, and is split
again on the host.

Node ids are positions in topological order (inputs first), following the
inputs' order, so the same computation gives the same trace on every run.
A node whose values were written over in place after it was made (its storage
changed by ``x[mask] = 0`` or ``add_``) shows no statistics, since its array no
longer holds them, and says where in ``params``; the in-place change itself is
the node that follows it.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from graphlab.tensor import autograd
from graphlab.tensor.function import as_seen
from graphlab.tensor.tensor import Tensor
from graphlab.trace import NodeKind

SMALL = 6
"""Arrays with at most this many elements are recorded value by value."""
FORMAT = "graphlab.tensor-trace/1"
"""What ``to_dict`` writes as ``format``, so a file says which kind of trace it holds."""


@dataclass
class Summary:
    """What a node shows instead of a number: shape, dtype, statistics, and the values when small."""

    shape: tuple[int, ...]
    dtype: str
    mean: float | None
    std: float | None
    min: float | None
    max: float | None
    values: list[float] | None = None


@dataclass
class TensorTraceNode:
    """One node: a leaf tensor, a constant, or an op, with its value and gradient summaries."""

    id: int
    kind: NodeKind  # INPUT: a leaf that needs a gradient; CONST: a leaf that needs none, or a number
    label: str  # the op's symbol, or the tensor's name
    value: Summary
    grad: Summary | None = None
    op: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    inputs: list[int] = field(default_factory=list)
    scope: str = ""
    where: str = ""  # file:line that created the node (recorded in anomaly mode)
    anomaly: bool = False  # the node whose value or gradient first became NaN/inf

    @property
    def shape(self) -> tuple[int, ...]:
        return self.value.shape


@dataclass
class TensorTrace:
    """A tensor computation's graph with value and gradient summaries per node."""

    nodes: list[TensorTraceNode]
    output: int

    @classmethod
    def from_tensor(cls, output: Tensor, backward: bool = False, gradient: Any = None) -> TensorTrace:
        """Record the graph ``output`` depends on.

        With ``backward=True`` the gradients of every node are computed too, as
        ``output.backward(gradient, retain_graph=True)`` would (leaves' ``.grad``
        accumulate); otherwise nodes show the ``.grad`` they already hold.
        """
        if output._ctx is not None and output._inputs is None:
            raise RuntimeError("TensorTrace: backward() already freed this graph; trace before it, "
                               "use backward(retain_graph=True), or TensorTrace.from_tensor(out, backward=True)")
        order, inputs_of = _graph(output)
        captured: dict[int, Any] = {}
        if backward:
            autograd.run([output], [gradient], True, captured)
        ids = {id(item): i for i, item in enumerate(order)}
        arrays = []
        for item in order:
            arrays.append(item.data if isinstance(item, Tensor) else item.value)
            grad = captured.get(id(item))
            if grad is None and isinstance(item, Tensor) and item.grad is not None:
                grad = item.grad.data
            arrays.append(grad)
        summaries = _summaries(arrays, order)
        nodes = []
        for i, item in enumerate(order):
            value, grad = summaries[2 * i], summaries[2 * i + 1]
            if not isinstance(item, Tensor):
                nodes.append(TensorTraceNode(i, NodeKind.CONST, f"{item.value:g}", value))
                continue
            ctx = item._ctx
            if ctx is None:
                kind = NodeKind.INPUT if item.requires_grad else NodeKind.CONST
                nodes.append(TensorTraceNode(i, kind, item.name, value, grad))
                continue
            params = _plain(ctx.params)
            changed = item._counter
            if changed is not None and changed.stamp > item._seq:  # its values were written over in place since
                value = Summary(value.shape, value.dtype, None, None, None, None)
                params["overwritten in place at"] = changed.where
            nodes.append(TensorTraceNode(
                i, NodeKind.OP, ctx.label, value, grad, op=ctx.name, params=params,
                inputs=[ids[id(x)] for x in inputs_of.get(id(item), ())], scope=item._scope or "",
                where=item._where, anomaly=item._anomaly))
        return cls(nodes, len(order) - 1)

    def to_dict(self) -> dict[str, Any]:
        """Plain dicts, lists and numbers, ready for ``json.dumps``."""
        return {"format": FORMAT, "output": self.output, "nodes": [asdict(n) for n in self.nodes]}

    def to_json(self, indent: int | None = 1) -> str:
        """The trace as JSON (NaN and infinities as JSON's ``NaN``/``Infinity``, which Python reads back)."""
        return json.dumps(self.to_dict(), indent=indent)

    def save(self, path: str | os.PathLike) -> Path:
        """Write ``to_json`` to ``path``, whole or not at all; ``graphlab tui PATH`` opens it."""
        from graphlab.atomic import write_atomic  # lazy: only to write a file

        return write_atomic(path, self.to_json().encode("utf-8"))

    @classmethod
    def from_dict(cls, data: Any) -> TensorTrace:
        """The trace ``to_dict`` wrote, checked whole (``TensorTraceError`` names the place otherwise)."""
        from graphlab.tensor.trace_file import tensor_trace_from_data  # lazy: the reader imports this module

        return tensor_trace_from_data(data)

    @classmethod
    def load(cls, path: str | os.PathLike) -> TensorTrace:
        """The trace in a file ``to_json`` wrote, checked whole."""
        from graphlab.tensor.trace_file import read_tensor_trace  # lazy: the reader imports this module

        return read_tensor_trace(path)

    @property
    def root(self) -> TensorTraceNode:
        return self.nodes[self.output]

    def explore(self) -> None:
        """Open the terminal explorer on this trace: one box per layer, a layer expands into its ops.

        It needs a terminal; in a notebook, the trace shows itself as its diagram instead.
        """
        from graphlab.render.notebook import in_notebook  # lazy: notebooks only; renderers import this

        if in_notebook():
            raise RuntimeError("TensorTrace.explore() opens the terminal explorer, which cannot draw in a notebook: "
                               "show the trace itself (its diagram, one box per layer), or save it with "
                               "trace.save('step.json') and run `graphlab tui step.json` in a terminal")
        from graphlab.tui import explore_tensor  # lazy: Textual loads only when the explorer opens

        explore_tensor(self)

    def __repr__(self) -> str:
        root = self.root
        shape = "×".join(map(str, root.shape)) or "scalar"
        return f"TensorTrace({len(self.nodes)} nodes; output {root.label}: {shape} {root.value.dtype})"

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        from graphlab.render.notebook import tensor_mimebundle  # lazy: notebooks only; renderers import this

        return tensor_mimebundle(self)


class _Constant:
    """One use of a Python number as an op's input: every use is its own node, as the code wrote it."""

    __slots__ = ("value",)

    def __init__(self, value: float) -> None:
        self.value = value


def _graph(output: Tensor) -> tuple[list[Any], dict[int, list[Any]]]:
    """Every tensor and constant ``output`` depends on, inputs first, in the inputs' order,
    and each op's inputs (tensors, and a fresh ``_Constant`` per number used)."""
    order: list[Any] = []
    inputs_of: dict[int, list[Any]] = {}
    visited: set[int] = set()  # ids of objects alive for the whole walk
    stack: list[tuple[Any, bool]] = [(output, False)]
    while stack:
        item, finished = stack.pop()
        if finished:
            order.append(item)
            continue
        if id(item) in visited:
            continue
        visited.add(id(item))
        stack.append((item, True))
        inputs = item._inputs if isinstance(item, Tensor) else None
        if inputs:
            entries = [(as_seen(x, item._seq) if x._seq > item._seq else x) if isinstance(x, Tensor)
                       else _Constant(x) for x in inputs]
            inputs_of[id(item)] = entries
            stack.extend((x, False) for x in reversed(entries) if id(x) not in visited)
    return order, inputs_of


def _summaries(arrays: list[Any], order: list[Any]) -> list[Summary | None]:
    """Summaries of ``arrays`` (a Python number, a backend array or None each), one transfer per backend."""
    import numpy

    owners = [item._backend if isinstance(item, Tensor) else None for item in order for _ in (0, 1)]
    host: list[Any] = [None] * len(arrays)
    groups: dict[Any, list[int]] = {}
    for i, (array, backend) in enumerate(zip(arrays, owners)):
        if array is None:
            continue
        if backend is None or isinstance(array, (int, float)):
            host[i] = numpy.asarray(float(array))
        else:
            groups.setdefault(backend, []).append(i)
    for backend, members in groups.items():
        xp = backend.xp
        flat = [xp.reshape(xp.astype(arrays[i], xp.float64), (-1,)) for i in members]
        buffer = backend.to_host(xp.concat(flat, axis=0))  # the one transfer
        start = 0
        for i, piece in zip(members, flat):
            size = piece.shape[0]
            host[i] = numpy.asarray(buffer[start:start + size]).reshape(tuple(arrays[i].shape))
            start += size
    dtypes = [_dtype(array, backend) for array, backend in zip(arrays, owners)]
    return [None if h is None else summarize(h, d) for h, d in zip(host, dtypes)]


def _dtype(array: Any, backend) -> str:
    if array is None or backend is None or isinstance(array, (int, float)):
        return "float64"
    return backend.dtype_name(array.dtype)


def summarize(values, dtype: str) -> Summary:
    """A host array's ``Summary``: its shape, dtype, statistics, and its values when it has at most ``SMALL``."""
    shape = tuple(int(n) for n in values.shape)
    if values.size == 0:
        return Summary(shape, dtype, None, None, None, None, [])
    small = [float(v) for v in values.reshape(-1)] if values.size <= SMALL else None
    return Summary(shape, dtype, float(values.mean()), float(values.std()), float(values.min()),
                   float(values.max()), small)


def _plain(params: dict[str, Any]) -> dict[str, Any]:
    """Parameters as JSON-friendly values (tuples become lists, arrays their shape)."""
    out = {}
    for key, value in params.items():
        if isinstance(value, tuple):
            value = list(value)
        elif hasattr(value, "shape"):
            value = f"array{tuple(value.shape)}"
        out[key] = value
    return out
