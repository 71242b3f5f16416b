"""Methods and functions generated from the ops table, for both engines.

PyTorch generates its ``Tensor`` methods and ``torch.*`` functions from one
declaration (``native_functions.yaml``); a loop over ``OPS`` does the same here
at import time. An engine says how it applies an op — ``unary(op)`` gives
``f(x)``, or ``f(x, values)`` for an op with parameters; ``binary(op)`` gives
``f(a, b)`` — and ``generate`` returns every name the table declares for it:
the op's method or function names and its Python operators, each with the
op's docstring and signature.

An op without parameters is bound to the engine's function itself, so a
generated method adds no call on the hot path. An op with parameters gets one
wrapper that takes them by position or by keyword, with the table's defaults.
Operators of ops with parameters (``**`` of ``pow``) are written by the
engines, which choose between ``pow`` and ``pow_var`` by the exponent's type.
"""

from __future__ import annotations

import inspect
import numbers
from collections.abc import Callable
from typing import Any

from graphlab.ops import OPS, PLACEHOLDERS, Op, short

Apply = Callable[..., Any]
DEFAULT_CHOICE = "none"
"""What the keyword that picks a variant (GELU's ``approximate``) is by default: the op itself."""


def generate(names: Callable[[Op], tuple[str, ...]], unary: Callable[[Op], Apply], binary: Callable[[Op], Apply],
             arguments: tuple[str, str], operators: bool = True) -> dict[str, Apply]:
    """Every generated name for one engine: ``names(op)`` of each op, and its operators if ``operators``.

    ``arguments`` name the inputs in signatures: ``("self", "other")`` for methods,
    ``("input", "other")`` for functions.
    """
    generated: dict[str, Apply] = {}
    for op in OPS.values():
        if operators and not op.params:
            for dunder in op.dunders:
                generated[dunder] = _operator(op, dunder, unary, binary)
        for name in names(op):
            generated[name] = _public(op, name, unary, binary, arguments)
    return generated


def install(cls: type, generated: dict[str, Apply]) -> None:
    """Put the generated methods on ``cls``, except those its body writes out itself."""
    for name, function in generated.items():
        if name not in vars(cls):
            setattr(cls, name, function)


def docstring(op: Op) -> str:
    """The op's one docstring: what it is, its local derivatives, its parameters and variants."""
    rules = ", ".join(f"∂/∂{p} = {d.text}" for p, d in zip(PLACEHOLDERS, op.derivatives))
    lines = [op.doc, "", f"Local derivative{'s' if op.arity > 1 else ''}: {rules}."]
    if op.params:
        lines.append("Parameters (defaults): " + ", ".join(f"{k} = {short(v)}" for k, v in op.params.items()) + ".")
    for variant in variants(op):
        _, keyword, value = variant.variant_of
        lines.append(f"{keyword}={value!r}: {variant.doc}")
    return "\n".join(lines)


def variants(op: Op) -> list[Op]:
    """The ops that ``op``'s method gives for another value of a keyword (GELU's tanh form)."""
    return [other for other in OPS.values() if other.variant_of and other.variant_of[0] == op.name]


def _public(op: Op, name: str, unary, binary, arguments: tuple[str, str]) -> Apply:
    """The function that ``name`` stands for: the engine's own, or a wrapper that takes parameters."""
    inputs = [inspect.Parameter(a, inspect.Parameter.POSITIONAL_OR_KEYWORD) for a in arguments[:op.arity]]
    options: list[inspect.Parameter] = []
    if op.arity == 2:
        function = binary(op)
    elif variants(op):
        function, options = _choosing(op, name, unary)
    elif op.params:
        function = _taking_params(op, name, unary(op))
        options = [inspect.Parameter(k, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=v)
                   for k, v in op.params.items()]
    else:
        function = unary(op)
    function.__name__ = function.__qualname__ = name
    function.__doc__ = docstring(op)
    function.__signature__ = inspect.Signature(inputs + options)
    return function


def _operator(op: Op, dunder: str, unary, binary) -> Apply:
    """``__add__`` is the op itself; a reflected one (``__radd__``) takes its operands swapped."""
    if op.arity == 1:
        function = unary(op)
    elif dunder.startswith("__r"):
        apply = binary(op)

        def function(self, other):
            return apply(other, self)
    else:
        function = binary(op)
    function.__name__ = function.__qualname__ = dunder
    function.__doc__ = docstring(op)
    return function


def _taking_params(op: Op, name: str, apply: Apply) -> Apply:
    def with_params(x, *args, **kwargs):
        return apply(x, parameter_values(op, name, args, kwargs))
    return with_params


def parameter_values(op: Op, name: str, args: tuple, kwargs: dict[str, Any]) -> tuple[float, ...]:
    """The op's parameters from a call's extra arguments, in the table's order, defaults filled in."""
    params = op.params
    if len(args) > len(params):
        raise TypeError(f"{name}() takes {len(params)} parameter{'s' if len(params) != 1 else ''} "
                        f"({', '.join(params)}) after its input, got {len(args)}")
    given = dict(zip(params, args))
    for key, value in kwargs.items():
        if key not in params:
            raise TypeError(f"{name}() got an unexpected keyword argument {key!r}; "
                            f"its parameters are {', '.join(params)}")
        if key in given:
            raise TypeError(f"{name}() got multiple values for {key!r}")
        given[key] = value
    values = tuple(_number(name, key, given.get(key, default)) for key, default in params.items())
    refusal = op.refusal(dict(zip(params, values)))
    if refusal:
        raise ValueError(f"{name}: {refusal}")
    return values


def _number(name: str, key: str, value: Any) -> float:
    if isinstance(value, numbers.Real):
        return float(value)
    raise TypeError(f"{name}(): {key} must be a number, got {value!r}")


def _choosing(op: Op, name: str, unary) -> tuple[Apply, list[inspect.Parameter]]:
    """A method whose keyword picks the op or one of its variants: ``gelu(x, approximate="tanh")``."""
    keyword = variants(op)[0].variant_of[1]
    choices = {DEFAULT_CHOICE: unary(op), **{v.variant_of[2]: unary(v) for v in variants(op)}}
    allowed = " or ".join(repr(choice) for choice in choices)

    def choosing(x, *args, **kwargs):
        if len(args) > 1 or set(kwargs) - {keyword} or (args and kwargs):
            raise TypeError(f"{name}() takes one option after its input, {keyword}={allowed}")
        choice = args[0] if args else kwargs.get(keyword, DEFAULT_CHOICE)
        if choice not in choices:
            raise ValueError(f"{name}: {keyword} must be {allowed}, got {choice!r}")
        return choices[choice](x)
    return choosing, [inspect.Parameter(keyword, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=DEFAULT_CHOICE)]
