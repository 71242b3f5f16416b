"""PyTorch's result dtypes for elementwise ops on mixed dtypes, where NumPy's differ.

NumPy promotes an int64 array with a float32 one, or with a Python float, to
float64, and divides integers into float64. PyTorch keeps its default float
dtype, float32, unless a float64 tensor takes part: ``images / 255.0`` on an
int64 tensor is float32, and stays so through a float32 network. Categories
rank bool < integer < float; a Python number takes part by its category only.
Only mixed dtypes, and arrays that need no gradient (which may be integers), come here.
"""

from __future__ import annotations

from typing import Any

_CATEGORY = {"bool": 0, "int64": 1, "float32": 2, "float64": 2}

INTEGER_OPS = frozenset({"add", "sub", "mul", "max", "min", "pow_var", "neg", "abs", "square", "relu", "clamp",
                         "cat", "stack", "where", "bitwise"})
"""Ops whose result PyTorch keeps integer (or bool) for integer (or bool) inputs; the others give float32."""

REFUSES_BOOL = {
    "sub": "subtraction (-) with a bool is not supported, as in PyTorch; to invert a mask use ~, "
           "to compare two masks use ^",
    "neg": "negation (-) of a bool tensor is not supported, as in PyTorch; to invert a mask use ~",
    "abs": "abs() of a bool tensor is not supported, as in PyTorch; convert it first with .to('int64')",
}
"""Ops that PyTorch refuses on bool tensors (and, for subtraction, beside a Python bool), with the message."""


def result_dtype(backend, op_name: str, values: tuple[Any, ...]) -> str:
    """The dtype PyTorch gives ``op_name`` applied to ``values`` (backend arrays or Python numbers).

    As PyTorch ranks them: the highest category among all values wins, and its dtype
    comes from the arrays with dimensions if one of them is in that category, else
    from the 0-d arrays, else it is the default (float32, int64): a float64 0-d
    tensor does not turn a float32 batch into float64.
    """
    top = 0
    ranked: list[dict[int, set[str]]] = [{}, {}]  # dimensioned, then 0-d: category → dtype names
    for value in values:
        dtype = getattr(value, "dtype", None)  # NumPy's scalars have one (numpy.float64 is a Python float too)
        if dtype is None:
            category = 0 if isinstance(value, bool) else 1 if isinstance(value, int) else 2
        else:
            name = backend.dtype_name(dtype)
            category = _CATEGORY.get(name, 2)
            ranked[0 if value.shape else 1].setdefault(category, set()).add(name)
        if category == 0 and op_name in REFUSES_BOOL:
            raise TypeError(f"{op_name}: {REFUSES_BOOL[op_name]}")
        top = max(top, category)
    names = ranked[0].get(top) or ranked[1].get(top) or set()
    if top == 2:
        return "float64" if "float64" in names else "float32"
    if op_name not in INTEGER_OPS:
        return "float32"  # true division, exp, sqrt … of integers
    return "int64" if top == 1 else "bool"


def operands(backend, op_name: str, values: tuple[Any, ...]) -> tuple[tuple[Any, ...], Any]:
    """``values`` as PyTorch computes ``op_name`` on them, and the dtype of the result.

    Every array is converted to the result's dtype first: integer and bool arrays
    beside floats (NumPy would take the exp of a bool in float16, and the strict
    array API refuses integers there), a bool array beside integers (which the
    strict array API refuses to mix), and a float64 0-d value beside a float32
    batch, which PyTorch rounds to float32 first. A Python bool beside integers
    counts as 0 or 1. The caller casts the result if it still differs.
    """
    name = result_dtype(backend, op_name, values)
    wanted = backend.dtype(name)
    values = tuple(value if not hasattr(value, "dtype") or value.dtype == wanted
                   else backend.xp.astype(value, wanted) for value in values)
    if name == "int64":
        values = tuple(int(value) if isinstance(value, bool) else value for value in values)
    return values, wanted


def is_float(backend, array: Any) -> bool:
    return backend.dtype_names.get(array.dtype) in ("float32", "float64")
