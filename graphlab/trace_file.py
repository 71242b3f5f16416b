"""Reading a trace back from JSON: every field and the graph's shape checked before anything uses it.

A trace file may come from another version, another tool or a student's
editor, so ``parse_trace`` checks the whole document first — sizes, types,
ids 0 … n−1 (listed in any order), known ops with their arity and parameters,
inputs that exist and come before the node that uses them (no cycles), one
name per input, numbers for every value — and raises ``TraceError``
(``file: where: what was expected``) on the first problem. Values may be NaN
or infinite (the explorer marks such nodes); the ``value`` and ``grads`` a
file states must agree with its nodes.
"""

from __future__ import annotations

import json
import math
import os
import sys
from pathlib import Path
from typing import Any

from graphlab.errors import FileFormatError
from graphlab.loading import read_text
from graphlab.ops import OPS
from graphlab.rounding import RoundingPolicy
from graphlab.trace import NodeKind, Trace, TraceNode

MAX_TRACE_BYTES = 128 << 20
"""Largest trace file read (128 MiB: a 200,000-node trace as `graphlab solve --format json` writes it)."""
MAX_NODES = 200_000
"""Most nodes a trace may have."""
MAX_TEXT = 10_000
"""Longest formula or node label (as long as a formula may be)."""
TOP_FIELDS = {"formula", "value", "grads", "rounding", "gradient", "output", "nodes"}
NODE_FIELDS = {"id", "kind", "label", "op", "params", "inputs", "value", "grad", "local", "contributions"}
KINDS = tuple(NodeKind)


class TraceError(FileFormatError):
    """A trace file that cannot be shown: ``file: where: what was expected``."""


def read_trace(path: str | os.PathLike) -> Trace:
    """The trace in the JSON file ``path``, checked whole."""
    path = Path(path)
    text = read_text(path, lambda problem: TraceError(path, None, problem), MAX_TRACE_BYTES)
    return parse_trace(text, path)


def parse_trace(text: str, source: str | os.PathLike = "<trace>") -> Trace:
    """The trace in JSON ``text``; ``source`` names it in errors."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise TraceError(source, f"line {err.lineno}", f"not valid JSON ({err.msg})") from None
    except RecursionError:
        raise TraceError(source, None, "JSON nested too deeply; a trace is a few levels deep") from None
    except ValueError:  # Python's own limit on the digits of an int
        raise TraceError(source, None, f"a number written with more than {sys.get_int_max_str_digits():,} "
                                       "digits; a trace holds ids and floats") from None
    return trace_from_data(data, source)


def trace_from_data(data: Any, source: str | os.PathLike = "<trace>") -> Trace:
    """The trace a ``Trace.to_dict`` document describes, checked whole."""
    def fail(where: str | None, problem: str) -> TraceError:
        return TraceError(source, where, problem)

    if not isinstance(data, dict):
        raise fail(None, f"expected a JSON object with nodes, output and rounding, got {_kind(data)}")
    _fields(data, TOP_FIELDS, {"nodes", "output", "rounding"}, None, fail)
    raw = data["nodes"]
    if not isinstance(raw, list) or not raw:
        raise fail("nodes", f"expected a non-empty list of nodes, got {_kind(raw)}")
    if len(raw) > MAX_NODES:
        raise fail("nodes", f"{len(raw):,} nodes; the explorer and the renderers read at most {MAX_NODES:,}")
    nodes = _nodes(raw, fail)
    output = data["output"]
    if not _is_int(output) or not 0 <= output < len(nodes):
        raise fail("output", f"expected the id of a node, 0 to {len(nodes) - 1}, got {_shown(output)}")
    policy = _policy(data["rounding"], fail)
    gradient = _number(data.get("gradient", 1.0), "gradient", fail)
    if not math.isfinite(gradient):
        raise fail("gradient", f"expected a finite number, got {gradient}")
    formula = data.get("formula")
    if formula is not None and (not isinstance(formula, str) or len(formula) > MAX_TEXT):
        raise fail("formula", f"expected the formula as text of at most {MAX_TEXT:,} characters, or null")
    trace = Trace(nodes, output, policy, gradient, formula)
    _check_stated_results(trace, data, fail)
    return trace


def _nodes(raw: list, fail) -> list[TraceNode]:

    nodes: list[TraceNode | None] = [None] * len(raw)
    for position, item in enumerate(raw):
        where = f"nodes[{position}]"
        if not isinstance(item, dict):
            raise fail(where, f"expected a node object, got {_kind(item)}")
        _fields(item, NODE_FIELDS, NODE_FIELDS - {"params"}, where, fail)
        node_id = item["id"]
        if not _is_int(node_id) or not 0 <= node_id < len(raw):
            raise fail(f"{where}.id", f"expected a whole number from 0 to {len(raw) - 1} (ids number the nodes), "
                                      f"got {_shown(node_id)}")
        if nodes[node_id] is not None:
            raise fail(f"{where}.id", f"id {node_id} is used twice")
        nodes[node_id] = _node(item, node_id, len(raw), fail)
    _check_order(nodes, fail)
    names: dict[str, int] = {}
    for node in nodes:
        if node.kind == NodeKind.INPUT:
            if node.name in names:
                raise fail(f"node {node.id}", f"two inputs are named {_shown(node.name)} (nodes {names[node.name]} "
                                              f"and {node.id}); each input has its own name")
            names[node.name] = node.id
    return nodes


def _node(item: dict, node_id: int, count: int, fail) -> TraceNode:
    def at(field: str = "") -> str:  # built only for a message: 100,000 nodes are checked in a second
        return f"node {node_id}.{field}" if field else f"node {node_id}"

    kind, label, op_name, inputs = item["kind"], item["label"], item["op"], item["inputs"]
    params = item.get("params", {})
    if kind not in KINDS:
        raise fail(at("kind"), f"expected one of {', '.join(KINDS)}, got {_shown(kind)}")
    if type(label) is not str or len(label) > MAX_TEXT:
        raise fail(at("label"), f"expected text of at most {MAX_TEXT:,} characters, got {_kind(label)}")
    if type(inputs) is not list or any(type(i) is not int for i in inputs):
        raise fail(at("inputs"), f"expected a list of node ids, got {_shown(inputs)}")
    if not all(0 <= i < count for i in inputs):
        bad = next(i for i in inputs if not 0 <= i < count)
        raise fail(at("inputs"), f"node {bad} does not exist; ids go from 0 to {count - 1}")
    if type(params) is not dict:
        raise fail(at("params"), f"expected an object of numbers, got {_kind(params)}")
    if kind == NodeKind.OP:
        op = OPS.get(op_name) if type(op_name) is str else None
        if op is None:
            raise fail(at("op"), f"expected an operation of graphlab's table, got {_shown(op_name)}")
        if len(inputs) != op.arity:
            raise fail(at("inputs"), f"{op_name} takes {op.arity} input{'s' * (op.arity > 1)}, got {len(inputs)}")
        if params.keys() != op.params.keys():
            expected = ", ".join(op.params) or "none"
            raise fail(at("params"), f"{op_name} has the parameters {expected}, got {', '.join(params) or 'none'}")
        for key, number in params.items():
            if not _is_number(number) or not math.isfinite(number):
                raise fail(at(f"params.{key}"), f"expected a finite number, got {_shown(number)}")
    elif op_name is not None or inputs or params:
        raise fail(at(), f"an {kind} node has no op, inputs or params (op is null, the lists empty)")
    value, grad = item["value"], item["grad"]
    if not _is_number(value):
        raise fail(at("value"), f"expected a number, got {_shown(value)}")
    if kind == NodeKind.CONST and grad is not None:
        raise fail(at("grad"), "a constant has no gradient: expected null")
    if kind != NodeKind.CONST and not _is_number(grad):
        raise fail(at("grad"), f"expected a number, got {_shown(grad)}")
    local, contributions = item["local"], item["contributions"]
    for field, numbers in (("local", local), ("contributions", contributions)):
        if type(numbers) is not list or len(numbers) != len(inputs) or not all(
                x is None or _is_number(x) for x in numbers):
            raise fail(at(field), f"expected a list of {len(inputs)} numbers (one per input, null where none), "
                                  f"got {_shown(numbers)}")
    return TraceNode(node_id, NodeKind(kind), label, float(value), None if grad is None else float(grad), op_name,
                     {key: float(number) for key, number in params.items()}, inputs,
                     [None if x is None else float(x) for x in local],
                     [None if x is None else float(x) for x in contributions])


def _is_number(value: Any) -> bool:
    """A float or an int a float holds (NaN and infinities too: the explorer marks them)."""
    if type(value) is float:
        return True
    return type(value) is int and abs(value) <= 1 << 1023


def _check_order(nodes: list[TraceNode], fail) -> None:
    """Each node's inputs come before it (ids in creation order); a cycle is named as one."""
    for node in nodes:
        later = [i for i in node.inputs if i >= node.id]
        if not later:
            continue
        cycle = _cycle(nodes)
        if cycle:
            path = " → ".join(str(i) for i in cycle)
            raise fail(f"node {cycle[0]}", "the node uses itself as its input" if len(cycle) == 2
                       else f"the nodes {path} form a cycle; a computational graph has none")
        raise fail(f"node {node.id}.inputs", f"node {later[0]} comes after it; a trace numbers its nodes "
                                              "in creation order, each after its inputs")


def _cycle(nodes: list[TraceNode]) -> list[int]:
    """A cycle of the graph as ids, first id repeated at the end; empty if there is none (iterative DFS)."""
    state = [0] * len(nodes)  # 0 unvisited, 1 on the current path, 2 done
    for start in range(len(nodes)):
        if state[start]:
            continue
        path, stack = [], [(start, iter(nodes[start].inputs))]
        state[start] = 1
        path.append(start)
        while stack:
            node_id, pending = stack[-1]
            nxt = next(pending, None)
            if nxt is None:
                state[node_id] = 2
                stack.pop()
                path.pop()
            elif state[nxt] == 1:
                return path[path.index(nxt):] + [nxt]
            elif state[nxt] == 0:
                state[nxt] = 1
                path.append(nxt)
                stack.append((nxt, iter(nodes[nxt].inputs)))
    return []


def _check_stated_results(trace: Trace, data: dict, fail) -> None:
    """The file's ``value`` and ``grads`` are the output's value and the inputs' gradients, as reported."""
    if data.get("value") is not None:
        stated = _number(data["value"], "value", fail)
        if not _same(stated, trace.value):
            raise fail("value", f"states {stated!r}, but the output node {trace.output} has {trace.value!r}")
    grads = data.get("grads")
    if grads is None:
        return
    if not isinstance(grads, dict):
        raise fail("grads", f"expected an object of input names and gradients, got {_kind(grads)}")
    inputs = trace.inputs
    for name, stated in grads.items():
        if name not in inputs:
            raise fail(f"grads.{_shown(name)}", "not an input of the trace")
        stated = _number(stated, f"grads.{name}", fail)
        actual = trace.policy.final(inputs[name].grad)
        if not _same(stated, actual):
            raise fail(f"grads.{name}", f"states {stated!r}, but input node {inputs[name].id} has {actual!r}")


def _fields(item: dict, allowed: set[str], required: set[str], where: str | None, fail) -> None:
    unknown = sorted(item.keys() - allowed)
    if unknown:
        raise fail(where, f"unknown field {_shown(unknown[0])}; expected {', '.join(sorted(allowed))}")
    missing = sorted(required - item.keys())
    if missing:
        raise fail(where, f"{', '.join(missing)} missing")


def _policy(value: Any, fail) -> RoundingPolicy:
    if not isinstance(value, dict) or not set(value) <= {"decimals", "convention", "ties"}:
        raise fail("rounding", f"expected an object with decimals, convention and ties, got {_shown(value)}")
    try:
        return RoundingPolicy(**value)
    except (TypeError, ValueError) as err:
        raise fail("rounding", str(err).removeprefix("rounding: ")) from None


def _number(value: Any, where: str, fail) -> float:
    """A number (NaN and infinities too: the explorer marks them)."""
    if type(value) is float:
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise fail(where, f"expected a number, got {_shown(value)}")
    try:
        return float(value)
    except OverflowError:
        raise fail(where, f"{_shown(value)} is too large for a float") from None


def _same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-12)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", type(None): "null", bool: "true/false"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__)


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, (str, list, dict)) else repr(value)
    return text if len(text) <= 60 else text[:60] + "…"
