"""Elementwise ops, taken from the operations table (``graphlab.ops``), never re-declared here.

One kind of node serves every table op: its backward evaluates the table's local
derivative of each input and multiplies it by the upstream gradient
("local gradient × upstream = downstream"), then ``unbroadcast`` sums it back
to the input's shape. Rules evaluate on the inputs as forward computed with them
(in the result's dtype); a local derivative is cast to the gradient's dtype,
since a table formula such as ``xp.where(a > 0, 1.0, slope)`` is float64 in
NumPy, and the input's gradient to the input's dtype.

This is the hot path of every graph. An elementwise node holds nothing of one
call: backward reads the input and output values through the output tensor
(which holds its inputs), so each op has a handful of nodes, one per choice of
which inputs need a gradient, made once and shared by all its outputs. What
backward reads is what the table declares each rule reads (``LocalRules``): a
rule that is a number, like add's 1, reads nothing; mul's ∂/∂a is ``b`` itself.
"""

from __future__ import annotations

import numbers
import operator
from collections.abc import Callable
from typing import Any

from graphlab import grad_mode
from graphlab.ops import OPS, PLACEHOLDERS, DtypeClass, Op
from graphlab.tensor import anomaly
from graphlab.tensor.function import ONE_NEEDS, TWO_NEEDS, Function, check_forward, join, same_backend, unbroadcast
from graphlab.tensor.promotion import is_float, operands
from graphlab.tensor.tensor import Tensor, new_tensor

_NUMBERS = (float, int, bool)


class LocalRules:
    """What backward needs of one table op: each input's local derivative, and which values it reads."""

    __slots__ = ("derivatives", "op", "reads")

    def __init__(self, op: Op) -> None:
        self.op = op
        values = ("out", *PLACEHOLDERS[:op.arity])
        self.reads = tuple(tuple(name in d.reads for name in values) for d in op.derivatives)
        """Per input's rule, whether it reads the output and each input: mul's ∂/∂a reads b; add's read nothing."""
        self.derivatives = tuple(d.rule if isinstance(d.rule, (float, str)) else d.fn for d in op.derivatives)
        """Per input, a number (add's 1.0), the name of the value it is (mul's ``"b"``, exp's ``"out"``),
        which backward uses directly, or the rule to call."""


_RULES: dict[int, LocalRules] = {}


def local_rules(op: Op) -> LocalRules:
    """``op``'s ``LocalRules``, worked out on its first use (keyed by identity: each holds its op)."""
    rules = _RULES.get(id(op))
    if rules is None:
        rules = _RULES[id(op)] = LocalRules(op)
    return rules


class Elementwise(Function):
    """The node of a table op, for outputs whose inputs' ``needs`` (and parameters ``args``) match."""

    __slots__ = ("args", "derivatives", "op", "reads_inputs", "reads_out")

    def __init__(self, rules: LocalRules, args: tuple, needs: tuple[bool, ...]) -> None:
        self.op = rules.op
        self.derivatives = rules.derivatives
        self.args = args
        self.needs = needs
        read = [reads for reads, need in zip(rules.reads, needs) if need]  # the rules backward runs
        self.reads_out = any(reads[0] for reads in read)
        self.reads_inputs = tuple(any(reads[1 + i] for reads in read) for i in range(len(needs)))
        """Per input, whether backward reads its values (``x * 2.0`` reads neither)."""

    @property
    def name(self) -> str:  # type: ignore[override]
        return self.op.name

    @property
    def label(self) -> str:
        return self.op.label(self.params)

    @property
    def params(self) -> dict[str, Any]:
        return dict(zip(self.op.params, self.args))

    def keeps(self, out: Tensor, x: Tensor) -> bool:
        return (x is out and self.reads_out) or any(
            x is given and reads for given, reads in zip(out._inputs, self.reads_inputs))


class UnaryNode(Elementwise):
    __slots__ = ()

    def gradients(self, out: Tensor, grad: Any) -> tuple[Any]:
        a = out._inputs[0].data
        local = self.derivatives[0]
        if local.__class__ is str:  # the rule is one of the values itself
            local = out.data if local == "out" else a
        elif local.__class__ is not float:
            local = local(out._backend.xp, out.data, a, *self.args)
        return (downstream(out._backend.xp, grad, local, a),)


class BinaryNode(Elementwise):
    """The hot path of a graph of small tensors: add, sub and mul skip the general rule; on inputs
    of one shape and dtype (``plain``, checked in forward, where one comparison covers both) they
    also skip fitting the gradients to the inputs."""

    __slots__ = ("crosses", "passes", "plain")

    def __init__(self, rules: LocalRules, needs: tuple[bool, bool], plain: bool) -> None:
        super().__init__(rules, (), needs)  # the table's two-input ops take no parameters
        self.plain = plain
        self.passes = all(local.__class__ is float for local in self.derivatives)
        """The gradient only passes through, times a number (add, sub): no value is read."""
        self.crosses = plain and self.derivatives == ("b", "a")
        """Each input's gradient is the gradient times the other input (mul)."""

    def gradients(self, out: Tensor, grad: Any) -> tuple[Any, Any]:
        if self.passes:
            local_a, local_b = self.derivatives
            need_a, need_b = self.needs
            ga = (grad if local_a == 1.0 else grad * local_a) if need_a else None
            gb = (grad if local_b == 1.0 else grad * local_b) if need_b else None
            if self.plain:
                return ga, gb
            a, b = out._inputs  # a bias, say: its gradient is summed back to its shape
            xp = out._backend.xp
            return fit(xp, ga, a.data) if need_a else None, fit(xp, gb, b.data) if need_b else None
        if self.crosses:
            a, b = out._inputs
            need_a, need_b = self.needs
            return (grad * (b.data if isinstance(b, Tensor) else b) if need_a else None,
                    grad * (a.data if isinstance(a, Tensor) else a) if need_b else None)
        xp, result = out._backend.xp, out.data
        a, b = out._inputs
        a = a.data if isinstance(a, Tensor) else a  # an input may be a Python number
        b = b.data if isinstance(b, Tensor) else b
        need_a, need_b = self.needs
        local_a, local_b = self.derivatives
        seen_a, seen_b = as_computed(xp, a, result), as_computed(xp, b, result)
        return (downstream(xp, grad, evaluated(local_a, xp, result, seen_a, seen_b), a) if need_a else None,
                downstream(xp, grad, evaluated(local_b, xp, result, seen_a, seen_b), b) if need_b else None)


def as_computed(xp, value: Any, result: Any) -> Any:
    """An input as forward computed with it: in the result's dtype. Rules then see what forward saw
    (a mask divided is 0s and 1s, not booleans), and a float32 input beside float64 ones has its local
    derivative in float64, as PyTorch's."""
    if value.__class__ in _NUMBERS or value.dtype is result.dtype:
        return value
    return xp.astype(value, result.dtype)


def evaluated(local: Any, xp, out: Any, a: Any, b: Any) -> Any:
    """A two-input rule's value here: a number as it is, a value's name that value, else the rule called."""
    if local.__class__ is float:
        return local
    if local.__class__ is str:
        return b if local == "b" else a if local == "a" else out
    return local(xp, out, a, b)


def downstream(xp, grad: Any, local: Any, a: Any) -> Any:
    """Local gradient × upstream, summed back to ``a``'s shape and cast to its dtype; a local array
    of another dtype than the gradient's is cast to the gradient's before it multiplies."""
    if local.__class__ is float:
        g = grad if local == 1.0 else grad * local
    else:
        if local.__class__ is not grad.__class__ or local.dtype is not grad.dtype:
            local = in_dtype(xp, local, grad.dtype)
        g = grad * local
    return fit(xp, g, a)


def in_dtype(xp, local: Any, dtype: Any) -> Any:
    """A local gradient array in ``dtype``, cast before it multiplies (a table rule such as
    ``xp.where(a > 0, 1.0, slope)`` is float64 in NumPy); a bool mask stays, an exact 0/1, and so does a number."""
    if local.__class__ in _NUMBERS or local.dtype is dtype or local.dtype == xp.bool:
        return local
    return xp.astype(local, dtype)


def fit(xp, g: Any, a: Any) -> Any:
    """``g`` summed back to ``a``'s shape and cast to its dtype."""
    if g.shape != a.shape:
        g = unbroadcast(xp, g, a.shape)
    if g.dtype is not a.dtype:
        g = xp.astype(g, a.dtype)
    return g


_UNARY: dict[int, UnaryNode] = {}
"""The shared node of each one-input op without parameters, keyed by the op's identity (the node holds its op)."""


def unary(op: Op, x: Tensor, args: tuple = ()) -> Tensor:
    """Apply table op ``op`` (one input, parameters ``args`` in the table's order) to ``x``."""
    backend = x._backend
    if x.requires_grad or is_float(backend, x.data):
        out_data = op.forward(backend.xp, x.data, *args)
    else:  # perhaps an integer or bool tensor: PyTorch's result dtype (promotion.py)
        (data,), wanted = operands(backend, op.name, op.dtypes, (x.data,), op.refuses_bool)
        out_data = op.forward(backend.xp, data, *args)
        if out_data.dtype != wanted:
            out_data = backend.xp.astype(out_data, wanted)
    if x.requires_grad and grad_mode.enabled:
        return join(_unary_node(op, args), out_data, backend, (x,))
    out = new_tensor(out_data, backend)
    if anomaly.enabled:
        check_forward(_unary_node(op, args), out, (x,))
    return out


def _unary_node(op: Op, args: tuple) -> UnaryNode:
    """The node of a one-input op: shared when it takes no parameters, else the call's own
    (made only where the output is recorded or checked, not for every call under no_grad)."""
    if args:
        return UnaryNode(local_rules(op), args, ONE_NEEDS[True])
    node = _UNARY.get(id(op))
    if node is None:
        node = _UNARY[id(op)] = UnaryNode(local_rules(op), (), ONE_NEEDS[True])
    return node


def binary(op: Op, a: Any, b: Any) -> Tensor:
    """Apply two-input table op ``op``; either side may be a Python number or a NumPy array."""
    return binary_op(op)(a, b)


_BINARY: dict[int, Callable[[Any, Any], Tensor]] = {}


def binary_op(op: Op) -> Callable[[Any, Any], Tensor]:
    """``op`` as a function of its two inputs, made once per op with its rules bound in:
    ``Tensor.__mul__`` is ``binary_op(OPS["mul"])``, the hot path of a graph of small tensors."""
    apply = _BINARY.get(id(op))
    if apply is None:
        apply = _BINARY[id(op)] = _make_binary(local_rules(op))
    return apply


def binary_function(op: Op) -> Callable[[Any, Any], Tensor]:
    """A new function applying ``op`` to its two inputs, for the methods and functions generated from
    the table (``binary_op``'s is shared, so it cannot carry one name and docstring per use)."""
    return _make_binary(local_rules(op))


def unary_function(op: Op) -> Callable[..., Tensor]:
    """A new function applying one-input ``op``: ``f(x)``, or ``f(x, values)`` when it takes parameters."""
    if op.params:
        return lambda x, values: unary(op, x, values)
    return lambda x: unary(op, x)


_BINARY_NODES: dict[int, dict[tuple[bool, bool, bool], BinaryNode]] = {}
"""Each two-input op's nodes, one per (first needs a gradient, second does, plain), shared by all its functions."""


def _make_binary(rules: LocalRules) -> Callable[[Any, Any], Tensor]:
    op = rules.op
    nodes = _BINARY_NODES.get(id(op))
    if nodes is None:
        nodes = _BINARY_NODES[id(op)] = {
            (ra, rb, plain): BinaryNode(rules, TWO_NEEDS[ra, rb], plain)
            for ra in (True, False) for rb in (True, False) for plain in (True, False)}
    refuses_bools = bool(op.refuses_bool)  # x - True: promotion.py refuses it even beside floats
    promotes_one_dtype = refuses_bools or op.dtypes is not DtypeClass.INTEGER
    """Whether operands of one non-float dtype still go to promotion.py: to become float32 (true
    division of integers) or to be refused (subtraction of bools)."""

    def apply(a: Any, b: Any) -> Tensor:
        if isinstance(a, Tensor):
            backend = a._backend
            ad, ra = a.data, a.requires_grad
            if b.__class__ is float:
                bd, rb = b, False
            elif isinstance(b, Tensor):
                if b._backend is not backend:
                    _device_mismatch(op, a, b)
                bd, rb = b.data, b.requires_grad
            else:
                b = constant_like(b, a)
                bd, rb = (b.data if isinstance(b, Tensor) else b), False
        else:
            backend = b._backend
            bd, rb = b.data, b.requires_grad
            if a.__class__ is not float:
                a = constant_like(a, b)
            ad, ra = (a.data if isinstance(a, Tensor) else a), False
        # NumPy's result dtype may not be PyTorch's where dtypes mix, or where an array that needs no
        # gradient (an integer one, say) is divided or meets a number: those follow promotion.py.
        wanted = None
        if ad.__class__ is bd.__class__:  # two arrays
            same = ad.dtype is bd.dtype
            if not same or (promotes_one_dtype and not (ra or rb or is_float(backend, ad))):
                (ad, bd), wanted = operands(backend, op.name, op.dtypes, (ad, bd), op.refuses_bool)
        elif bd.__class__ in _NUMBERS or ad.__class__ in _NUMBERS:  # a Python number beside an array
            if not (ra or rb or is_float(backend, bd if ad.__class__ in _NUMBERS else ad)) or (
                    refuses_bools and bool in (ad.__class__, bd.__class__)):
                (ad, bd), wanted = operands(backend, op.name, op.dtypes, (ad, bd), op.refuses_bool)
        elif ad.dtype is not bd.dtype or (promotes_one_dtype and not (ra or rb or is_float(backend, ad))):
            (ad, bd), wanted = operands(backend, op.name, op.dtypes, (ad, bd), op.refuses_bool)  # a NumPy scalar (a 0-d result's data)
        out_data = op.forward(backend.xp, ad, bd)
        if wanted is not None and out_data.dtype != wanted:
            out_data = backend.xp.astype(out_data, wanted)
        if not ((ra or rb) and grad_mode.enabled):
            out = new_tensor(out_data, backend)
            if anomaly.enabled:
                check_forward(nodes[False, False, True], out, (a, b))
            return out
        if ad.__class__ is bd.__class__:
            plain = same and ad.shape == bd.shape
        else:  # a Python number keeps the array's shape and float dtype (a NumPy scalar may not)
            plain = ad.__class__ in _NUMBERS or bd.__class__ in _NUMBERS
        return join(nodes[ra, rb, plain], out_data, backend, (a, b))
    return apply


def power(x: Tensor, exponent: Any) -> Tensor:
    """``x ** p``: the table's ``pow`` for a number ``p``, ``pow_var`` for a tensor exponent."""
    if isinstance(exponent, Tensor):
        return binary(OPS["pow_var"], x, exponent)
    if hasattr(exponent, "shape") and exponent.shape != ():
        return binary(OPS["pow_var"], x, constant_like(exponent, x))
    if x.dtype == "bool":
        x = x.to("int64")  # as in PyTorch: a power of booleans is a power of 0s and 1s
    if x.dtype == "int64":  # as in PyTorch: integers stay integers, a fractional power is float32
        if isinstance(exponent, numbers.Integral):
            if exponent < 0:
                raise ValueError(f"pow: an integer tensor to the negative power {exponent} is not an integer; "
                                 "convert it first with .float()")
            return new_tensor(x.data ** int(exponent), x._backend)
        x = x.float()
    return unary(OPS["pow"], x, (float(exponent),))


def rpower(base: Any, x: Tensor) -> Tensor:
    """``base ** x``: the base becomes a constant tensor, since ``pow_var``'s derivative takes its log."""
    if x.dtype == "bool":
        x = x.to("int64")  # a bool base would turn 2 into True
    if x.dtype == "int64" and not isinstance(base, numbers.Integral):
        x = x.float()  # 2.5 ** ints is float32, as in PyTorch (an int64 base would truncate 2.5 to 2)
    base = constant_like(base, x)
    if not isinstance(base, Tensor):
        base = Tensor(base, dtype=x.dtype, device=x._backend)
    return binary(OPS["pow_var"], base, x)


def constant_like(value: Any, like: Tensor) -> Any:
    """A Python number stays a number (cheapest); an array becomes a constant tensor on ``like``'s device.

    Beside a float tensor every array takes its dtype, as PyTorch promotes a float
    tensor with an integer one: a float64 NumPy constant does not turn a float32
    network into float64, and ``x + numpy.arange(3)`` stays float32.
    """
    if isinstance(value, Tensor):
        return value
    if value.__class__ is float or value.__class__ is int:
        return value
    if isinstance(value, (bool, int, float)) or (hasattr(value, "shape") and value.shape == () and
                                                  not like._backend.is_array(value)):
        return value.item() if hasattr(value, "item") else value  # a bool stays a bool, as in PyTorch
    floating = like.dtype in ("float32", "float64")
    return new_tensor(like._backend.asarray(value, like.dtype if floating else None), like._backend)


_COMPARE = {"lt": ("<", operator.lt), "le": ("<=", operator.le), "gt": (">", operator.gt),
            "ge": (">=", operator.ge), "eq": ("==", operator.eq), "ne": ("!=", operator.ne)}


def compare(kind: str, a: Tensor, b: Any) -> Tensor:
    """``a < b`` and friends: a bool tensor outside the graph (comparisons have no gradient)."""
    symbol, function = _COMPARE[kind]
    b = constant_like(b, a)
    if isinstance(b, Tensor):
        same_backend(symbol, (a, b))
    return new_tensor(function(a.data, b.data if isinstance(b, Tensor) else b), a._backend)


def clamp(x: Tensor, low: float | None, high: float | None) -> Tensor:
    """``clamp(x, min, max)``: gradient 1 where min ≤ x ≤ max, as in PyTorch."""
    if low is None and high is None:
        raise ValueError("clamp: give min, max or both")
    low, high = (bound.item() if hasattr(bound, "item") else bound for bound in (low, high))
    if not is_float(x._backend, x.data) and not all(bound is None or isinstance(bound, int) for bound in (low, high)):
        x = x.float()  # integers clamped to a fractional bound are float32, as in PyTorch
    return Clamp.apply(x, low=low, high=high)


class Clamp(Function):
    __slots__ = ("high", "low", "x")
    saved = ("x",)
    name = "clamp"

    @property
    def params(self) -> dict[str, Any]:
        return {"min": self.low, "max": self.high}

    def forward(self, x, low, high):
        self.x, self.low, self.high = x, low, high
        xp = self.xp
        out = x
        if low is not None:
            out = xp.maximum(out, low)  # a Python number: the array keeps its dtype
        if high is not None:
            out = xp.minimum(out, high)
        return out

    def backward(self, grad):
        xp, x = self.xp, self.x
        inside = None
        if self.low is not None:
            inside = x >= self.low
        if self.high is not None:
            below = x <= self.high
            inside = below if inside is None else xp.logical_and(inside, below)
        return (xp.where(inside, grad, 0.0),)


def _device_mismatch(op: Op, a: Tensor, b: Tensor):
    raise RuntimeError(f"{op.name}: tensors on different devices ({a.device} and {b.device}); "
                       "move them with .to(device) first")
