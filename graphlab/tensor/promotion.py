"""PyTorch's result dtypes for elementwise ops on mixed dtypes, where NumPy's differ.

NumPy promotes an int64 array with a float32 one, or with a Python float, to
float64, and divides integers into float64. PyTorch keeps its default float
dtype, float32, unless a float64 tensor takes part: ``images / 255.0`` on an
int64 tensor is float32, and stays so through a float32 network. Categories
rank bool < integer < float; a Python number takes part by its category only.
Only mixed dtypes, and arrays that need no gradient (which may be integers), come here.

What an op gives for integers is its dtype class, declared in the ops table
(``Op.dtypes``, and ``Op.refuses_bool`` where PyTorch refuses bools); ops
outside the table (``cat``, ``where``, ``clamp``, the bitwise ones) keep
integers too and say so by passing ``DtypeClass.INTEGER``.
"""

from __future__ import annotations

from typing import Any

from graphlab.ops import DtypeClass

_CATEGORY = {"bool": 0, "int64": 1, "float32": 2, "float64": 2}


def result_dtype(backend, name: str, dtypes: DtypeClass, values: tuple[Any, ...], refuses_bool: str = "") -> str:
    """The dtype PyTorch gives op ``name`` of class ``dtypes`` applied to ``values`` (backend arrays or Python
    numbers); a bool among them raises ``TypeError(name: refuses_bool)`` when the op refuses bools.

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
            dtype_name = backend.dtype_name(dtype)
            category = _CATEGORY.get(dtype_name, 2)
            ranked[0 if value.shape else 1].setdefault(category, set()).add(dtype_name)
        if category == 0 and refuses_bool:
            raise TypeError(f"{name}: {refuses_bool}")
        top = max(top, category)
    names = ranked[0].get(top) or ranked[1].get(top) or set()
    if top == 2:
        return "float64" if "float64" in names else "float32"
    if dtypes is not DtypeClass.INTEGER:
        return "float32"  # true division, exp, sqrt … of integers
    return "int64" if top == 1 else "bool"


def operands(backend, name: str, dtypes: DtypeClass, values: tuple[Any, ...],
             refuses_bool: str = "") -> tuple[tuple[Any, ...], Any]:
    """``values`` as PyTorch computes op ``name`` (of class ``dtypes``) on them, and the dtype of the result.

    Every array is converted to the result's dtype first: integer and bool arrays
    beside floats (NumPy would take the exp of a bool in float16, and the strict
    array API refuses integers there), a bool array beside integers (which the
    strict array API refuses to mix), and a float64 0-d value beside a float32
    batch, which PyTorch rounds to float32 first. A Python bool beside integers
    counts as 0 or 1. The caller casts the result if it still differs.
    """
    dtype = result_dtype(backend, name, dtypes, values, refuses_bool)
    wanted = backend.dtype(dtype)
    values = tuple(value if not hasattr(value, "dtype") or value.dtype == wanted
                   else backend.xp.astype(value, wanted) for value in values)
    if dtype == "int64":
        values = tuple(int(value) if isinstance(value, bool) else value for value in values)
    return values, wanted


def is_float(backend, array: Any) -> bool:
    return backend.dtype_names.get(array.dtype) in ("float32", "float64")
