"""Reading a tensor trace back from its JSON: every field checked before a node is built.

``TensorTrace.to_json`` writes ``"format": "graphlab.tensor-trace/1"`` first, so
a file says which kind of trace it holds (``is_tensor_trace_file`` looks for it
at the start). A file that is not a tensor trace raises ``TensorTraceError``
(``file: where: what was expected``), as every graphlab loader does.
"""

from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path
from typing import Any

from graphlab.errors import FileFormatError
from graphlab.loading import read_text
from graphlab.tensor.trace import FORMAT, Summary, TensorTrace, TensorTraceNode
from graphlab.trace import NodeKind

KINDS = tuple(NodeKind)
MAX_BYTES = 64 << 20
"""Largest tensor trace file read (a network's graph has thousands of nodes, each a few hundred bytes)."""
MAX_NODES = 200_000
MAX_DIMENSIONS = 32
_MARK = re.compile(rb'"format"\s*:\s*"' + re.escape(FORMAT.encode()) + rb'"')
_PEEK = 4096


class TensorTraceError(FileFormatError):
    """A tensor trace file that cannot be shown: ``file: where: what was expected``."""


def is_tensor_trace_file(path: str | os.PathLike) -> bool:
    """Whether ``path`` names its format as a tensor trace near its start, as ``to_json`` writes it."""
    try:
        with open(path, "rb") as file:
            return bool(_MARK.search(file.read(_PEEK)))
    except OSError:
        return False


def read_tensor_trace(path: str | os.PathLike) -> TensorTrace:
    """The tensor trace in the JSON file ``path``, checked whole."""
    path = Path(path)
    text = read_text(path, lambda problem: TensorTraceError(path, None, problem), MAX_BYTES)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise TensorTraceError(path, f"line {err.lineno}", f"not valid JSON ({err.msg})") from None
    except (RecursionError, ValueError):
        raise TensorTraceError(path, None, "nested too deeply or a number too long for a tensor trace") from None
    return tensor_trace_from_data(data, path)


def tensor_trace_from_data(data: Any, source: str | os.PathLike = "<tensor trace>") -> TensorTrace:
    """The trace a ``TensorTrace.to_dict`` document describes, checked whole."""

    def expect(condition: bool, where: str | None, expected: str) -> None:
        if not condition:
            raise TensorTraceError(source, where, f"expected {expected}")

    expect(isinstance(data, dict), None, "a JSON object with format, nodes and output")
    expect(data.get("format") == FORMAT, "format", repr(FORMAT))
    nodes = data.get("nodes")
    expect(isinstance(nodes, list) and 0 < len(nodes) <= MAX_NODES, "nodes",
           f"a list of 1 to {MAX_NODES:,} nodes")
    read = [_node(entry, i, f"nodes[{i}]", expect) for i, entry in enumerate(nodes)]
    output = data.get("output")
    expect(_is_int(output) and 0 <= output < len(read), "output", f"a node id from 0 to {len(read) - 1}")
    return TensorTrace(read, output)


def _node(entry: Any, position: int, where: str, expect) -> TensorTraceNode:
    expect(isinstance(entry, dict), where, "an object")
    expect(_is_int(entry.get("id")) and entry["id"] == position, f"{where}.id",
           f"{position} (ids count up from 0 in file order)")
    kind = entry.get("kind")
    expect(kind in KINDS, f"{where}.kind", f"one of {', '.join(KINDS)}")
    inputs = entry.get("inputs", [])
    expect(isinstance(inputs, list) and all(_is_int(i) and 0 <= i < position for i in inputs), f"{where}.inputs",
           f"a list of ids of earlier nodes (below {position})")
    expect(kind == NodeKind.OP or not inputs, f"{where}.inputs", f"none for a {kind} node")
    op = entry.get("op")
    expect((isinstance(op, str) and op != "") if kind == NodeKind.OP else op is None, f"{where}.op",
           "an op name for an op node, null otherwise")
    text = {key: entry.get(key, "") for key in ("label", "scope", "where")}
    for key, value in text.items():
        expect(isinstance(value, str) and len(value) <= 10_000, f"{where}.{key}", "a string")
    params = entry.get("params", {})
    expect(isinstance(params, dict), f"{where}.params", "an object")
    anomaly = entry.get("anomaly", False)
    expect(isinstance(anomaly, bool), f"{where}.anomaly", "true or false")
    value = _summary(entry.get("value"), f"{where}.value", expect)
    grad = None if entry.get("grad") is None else _summary(entry["grad"], f"{where}.grad", expect)
    return TensorTraceNode(position, NodeKind(kind), text["label"], value, grad, op, params, list(inputs), text["scope"],
                           text["where"], anomaly)


def _summary(entry: Any, where: str, expect) -> Summary:
    expect(isinstance(entry, dict), where, "an object with shape, dtype and statistics")
    shape = entry.get("shape")
    expect(isinstance(shape, list) and len(shape) <= MAX_DIMENSIONS and all(_is_int(n) and n >= 0 for n in shape),
           f"{where}.shape", f"a list of at most {MAX_DIMENSIONS} sizes, each a whole number from 0 up")
    dtype = entry.get("dtype")
    expect(isinstance(dtype, str) and 0 < len(dtype) <= 32, f"{where}.dtype", "a dtype name such as 'float32'")
    stats = {}
    for key in ("mean", "std", "min", "max"):
        number = entry.get(key)
        expect(number is None or _is_number(number), f"{where}.{key}", "a number or null")
        stats[key] = None if number is None else float(number)
    values = entry.get("values")
    size = math.prod(shape)
    expect(values is None or (isinstance(values, list) and len(values) == size and all(map(_is_number, values))),
           f"{where}.values", f"null or a list of {size} numbers, one per element of shape {tuple(shape)}")
    return Summary(tuple(shape), dtype, stats["mean"], stats["std"], stats["min"], stats["max"],
                   None if values is None else [float(v) for v in values])


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)
