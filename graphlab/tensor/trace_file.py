"""Reading a tensor trace back from its JSON: every field checked before a node is built.

A file names the place of its first problem (``nodes[3].value.shape``) and what
was expected there, so the explorer can refuse it with one clear line.
"""

from __future__ import annotations

import math
from typing import Any

from graphlab.tensor.trace import FORMAT, Summary, TensorTrace, TensorTraceNode

KINDS = ("input", "const", "op")
MAX_NODES = 1_000_000


def is_tensor_trace(data: Any) -> bool:
    """Whether parsed JSON is meant as a tensor trace (rather than a scalar one)."""
    if not isinstance(data, dict):
        return False
    if data.get("format") == FORMAT:
        return True
    nodes = data.get("nodes")
    return isinstance(nodes, list) and bool(nodes) and isinstance(nodes[0], dict) \
        and isinstance(nodes[0].get("value"), dict)


def read_trace(data: Any) -> TensorTrace:
    """``TensorTrace.to_dict``'s output as a trace; ``ValueError("where: what was expected")`` otherwise."""
    _expect(isinstance(data, dict), "the file", "a JSON object with 'nodes' and 'output'")
    if "format" in data:
        _expect(data["format"] == FORMAT, "format", f"{FORMAT!r}, not {data['format']!r}")
    nodes = data.get("nodes")
    _expect(isinstance(nodes, list) and nodes, "nodes", "a non-empty list")
    _expect(len(nodes) <= MAX_NODES, "nodes", f"at most {MAX_NODES:,} nodes, not {len(nodes):,}")
    read = [_node(entry, i, f"nodes[{i}]") for i, entry in enumerate(nodes)]
    output = data.get("output")
    _expect(_is_int(output) and 0 <= output < len(read), "output", f"a node id from 0 to {len(read) - 1}")
    return TensorTrace(read, output)


def _node(entry: Any, position: int, where: str) -> TensorTraceNode:
    _expect(isinstance(entry, dict), where, "an object")
    _expect(entry.get("id") == position and _is_int(entry.get("id")), f"{where}.id",
            f"{position} (ids count up from 0 in file order)")
    kind = entry.get("kind")
    _expect(kind in KINDS, f"{where}.kind", f"one of {', '.join(KINDS)}")
    label = entry.get("label", "")
    _expect(isinstance(label, str), f"{where}.label", "a string")
    inputs = entry.get("inputs", [])
    _expect(isinstance(inputs, list) and all(_is_int(i) and 0 <= i < position for i in inputs),
            f"{where}.inputs", f"a list of ids of earlier nodes (below {position})")
    _expect(kind == "op" or not inputs, f"{where}.inputs", f"none for a {kind} node")
    op = entry.get("op")
    _expect(op is None or isinstance(op, str), f"{where}.op", "a string or null")
    _expect((op is not None) == (kind == "op"), f"{where}.op", "an op name exactly when kind is 'op'")
    params = entry.get("params", {})
    _expect(isinstance(params, dict), f"{where}.params", "an object")
    text = {key: entry.get(key, "") for key in ("scope", "where")}
    for key, value in text.items():
        _expect(isinstance(value, str), f"{where}.{key}", "a string")
    anomaly = entry.get("anomaly", False)
    _expect(isinstance(anomaly, bool), f"{where}.anomaly", "true or false")
    value = _summary(entry.get("value"), f"{where}.value")
    grad = None if entry.get("grad") is None else _summary(entry["grad"], f"{where}.grad")
    return TensorTraceNode(position, kind, label, value, grad, op, params, list(inputs), text["scope"],
                           text["where"], anomaly)


def _summary(entry: Any, where: str) -> Summary:
    _expect(isinstance(entry, dict), where, "an object with shape, dtype and statistics")
    shape = entry.get("shape")
    _expect(isinstance(shape, list) and len(shape) <= 32 and all(_is_int(n) and n >= 0 for n in shape),
            f"{where}.shape", "a list of at most 32 sizes, each a whole number ≥ 0")
    dtype = entry.get("dtype")
    _expect(isinstance(dtype, str) and dtype, f"{where}.dtype", "a dtype name such as 'float32'")
    stats = {}
    for key in ("mean", "std", "min", "max"):
        number = entry.get(key)
        _expect(number is None or _is_number(number), f"{where}.{key}", "a number or null")
        stats[key] = None if number is None else float(number)
    values = entry.get("values")
    size = math.prod(shape)
    _expect(values is None or (isinstance(values, list) and len(values) == size and all(map(_is_number, values))),
            f"{where}.values", f"null or a list of {size} numbers (one per element of shape {tuple(shape)})")
    return Summary(tuple(shape), dtype, stats["mean"], stats["std"], stats["min"], stats["max"],
                   None if values is None else [float(v) for v in values])


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _expect(condition: bool, where: str, expected: str) -> None:
    if not condition:
        raise ValueError(f"{where}: expected {expected}")
