"""A tensor's text, laid out as PyTorch prints it (``torch/_tensor_str.py``).

Four decimals in fixed notation (``0.1235``), whole floats with a trailing point
(``1.``), scientific notation when the magnitudes span more than 1000× or
leave [1e-4, 1e8); every element padded to one width; lines wrapped at 80
columns; more than 1000 elements summarised with ``...`` and three at each
edge. The dtype is named unless it is a default (float32, int64, bool).
"""

from __future__ import annotations

import math
from typing import Any

PRECISION = 4
LINE_WIDTH = 80
THRESHOLD = 1000
EDGE_ITEMS = 3
DEFAULT_DTYPES = ("float32", "int64", "bool")


def tensor_text(values: Any, dtype: str, extras: list[str]) -> str:
    """``tensor([...], extras...)`` for the host array ``values``."""
    import numpy

    values = numpy.asarray(values)
    summarize = values.size > THRESHOLD
    formatter = _formatter(_summarized(values) if summarize else values.reshape(-1), dtype)
    body = _nested(values, len("tensor("), formatter, summarize)
    if dtype not in DEFAULT_DTYPES:
        extras = [f"dtype={dtype}"] + extras
    return "tensor(" + body + "".join(", " + e for e in extras) + ")"


def _nested(values: Any, indent: int, formatter, summarize: bool) -> str:
    if values.ndim == 0:
        return formatter(values.item())
    count = values.shape[0]
    edges = summarize and count > 2 * EDGE_ITEMS
    if values.ndim == 1:
        texts = [formatter(v) for v in values.tolist()]
        if edges:
            texts = texts[:EDGE_ITEMS] + [" ..."] + texts[-EDGE_ITEMS:]
        per_line = max(1, (LINE_WIDTH - indent) // (len(formatter(0)) + 2))
        lines = [", ".join(texts[i:i + per_line]) for i in range(0, len(texts), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    rows = [_nested(values[i], indent + 1, formatter, summarize)
            for i in (list(range(EDGE_ITEMS)) + list(range(count - EDGE_ITEMS, count)) if edges else range(count))]
    if edges:
        rows = rows[:EDGE_ITEMS] + ["..."] + rows[EDGE_ITEMS:]
    return "[" + ("," + "\n" * (values.ndim - 1) + " " * (indent + 1)).join(rows) + "]"


def _summarized(values: Any) -> Any:
    """The elements a summary shows: the first and last ``EDGE_ITEMS`` along every dimension, flattened."""
    import numpy

    if values.ndim == 0:
        return values.reshape(-1)
    count = values.shape[0]
    parts = [values[:EDGE_ITEMS], values[-EDGE_ITEMS:]] if count > 2 * EDGE_ITEMS else [values]
    return numpy.concatenate([_summarized(row) for part in parts for row in part] or [values.reshape(-1)])


def backward_name(op: str) -> str:
    """``mul`` → ``MulBackward``, ``log_softmax`` → ``LogSoftmaxBackward``: how ``grad_fn`` is printed."""
    return "".join(part.capitalize() for part in op.split("_")) + "Backward"


def _formatter(shown: Any, dtype: str):
    import numpy

    if dtype == "bool":
        width = 5 if not shown.all() else 4
        return lambda v: str(bool(v)).rjust(width)
    if not dtype.startswith(("float", "complex")):
        width = max((len(str(int(v))) for v in shown), default=1)
        return lambda v: str(int(v)).rjust(width)
    finite = shown[numpy.isfinite(shown)].astype(numpy.float64)
    nonzero = numpy.abs(finite[finite != 0])
    whole = bool(numpy.all(finite == numpy.ceil(finite)))
    scientific = nonzero.size > 0 and (nonzero.max() / nonzero.min() > 1000.0 or nonzero.max() > 1e8
                                       or (not whole and nonzero.min() < 1e-4))

    def text(v: float) -> str:
        if not math.isfinite(v):
            return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
        if scientific:
            return f"{v:.{PRECISION}e}"
        return f"{v:.0f}." if whole else f"{v:.{PRECISION}f}"

    width = max((len(text(float(v))) for v in shown), default=1)
    return lambda v: text(float(v)).rjust(width)
