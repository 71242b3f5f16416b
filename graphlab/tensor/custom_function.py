"""``autograd.Function`` in PyTorch's form: an op whose forward and backward the user writes.

    class LegendrePolynomial3(Function):
        @staticmethod
        def forward(ctx, input):
            ctx.save_for_backward(input)
            return 0.5 * (5 * input ** 3 - 3 * input)

        @staticmethod
        def backward(ctx, grad_output):
            input, = ctx.saved_tensors
            return grad_output * 1.5 * (5 * input ** 2 - 1)

    y = LegendrePolynomial3.apply(x)

``apply`` runs ``forward`` on tensors under ``no_grad()`` and records one node
(``Custom``) whose backward calls the user's, also on tensors. ``ctx`` is a
``FunctionCtx``: ``save_for_backward`` records the clock's time, and
``saved_tensors`` checks in backward that no saved tensor was changed in place
since (each one's version counter: one comparison). A forward may return several
tensors: they are recorded as parts of one joint output, so the user's backward
receives all their gradients at once, zeros for those that got none, as PyTorch
gives them.
"""

from __future__ import annotations

from typing import Any

from graphlab import grad_mode
from graphlab.tensor import mode
from graphlab.tensor.function import Function as Node
from graphlab.tensor.function import join, unbroadcast
from graphlab.tensor.tensor import Tensor, Version, counter, new_tensor


class FunctionCtx:
    """What ``forward`` leaves for ``backward`` (PyTorch's ``ctx``); any other attribute may be set on it too."""

    def __init__(self, name: str, needs_input_grad: tuple[bool, ...]) -> None:
        self._name = name
        self._saved: tuple[Tensor | None, ...] | None = ()
        self._saved_counters: tuple[Version | None, ...] = ()
        self._saved_at = 0
        self._non_differentiable: set[int] = set()
        self.needs_input_grad = needs_input_grad
        self.materialize_grads = True

    def save_for_backward(self, *tensors: Tensor | None) -> None:
        """Keep ``tensors`` for ``backward``, which gets them from ``saved_tensors``, checked unchanged."""
        for i, t in enumerate(tensors):
            if t is not None and not isinstance(t, Tensor):
                raise TypeError(f"save_for_backward can only save tensors (or None), but argument {i} is of type "
                                f"{type(t).__name__}; keep other values as attributes of ctx")
        self._saved = tensors
        self._saved_counters = tuple(None if t is None else counter(t) for t in tensors)
        self._saved_at = next(mode.sequence)

    @property
    def saved_tensors(self) -> tuple[Tensor | None, ...]:
        if self._saved is None:
            raise RuntimeError(f"{self._name}: its saved tensors were freed by an earlier backward(); pass "
                               "retain_graph=True to the first backward() to go through it twice")
        for t, made in zip(self._saved, self._saved_counters):
            if made is not None and made.stamp > self._saved_at:
                raise RuntimeError(f"backward(): a tensor needed for the gradient of {self._name} was modified in "
                                   f"place at {made.where or 'an unknown line'} (saved by save_for_backward, of "
                                   f"shape {t.shape}, now at version {made.count}). Change a .clone() instead, "
                                   "or make the change after backward()")
        return self._saved

    def mark_non_differentiable(self, *tensors: Tensor) -> None:
        """These outputs get no gradient (indices, masks): they are returned outside the graph."""
        self._non_differentiable.update(id(t) for t in tensors)

    def mark_dirty(self, *tensors: Tensor) -> None:
        raise RuntimeError("ctx.mark_dirty (a custom Function changing its input in place) is not supported by "
                           "graphlab: return a new tensor from forward instead")

    def set_materialize_grads(self, value: bool) -> None:
        """With ``False``, backward receives ``None`` instead of zeros for an output that got no gradient."""
        self.materialize_grads = value


class Function:
    """``torch.autograd.Function``: subclass it with static ``forward(ctx, …)`` and ``backward(ctx, …)``,
    and call ``YourFunction.apply(…)``."""

    @staticmethod
    def forward(ctx: FunctionCtx, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("a custom Function defines forward(ctx, ...) as a staticmethod")

    @staticmethod
    def backward(ctx: FunctionCtx, *grad_outputs: Tensor) -> Any:
        raise NotImplementedError("a custom Function defines backward(ctx, ...) as a staticmethod")

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        """Run ``forward`` and, where an input tensor requires grad, record it as one node of the graph."""
        needs = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
        ctx = FunctionCtx(cls.__name__, needs)
        with grad_mode.no_grad():
            result = cls.forward(ctx, *args, **kwargs)
        if not (grad_mode.enabled and any(needs)):
            return result
        outputs = result if isinstance(result, tuple) else (result,)
        parts = [i for i, o in enumerate(outputs) if isinstance(o, Tensor) and id(o) not in ctx._non_differentiable
                 and o.dtype in ("float32", "float64")]
        if not parts:
            return result
        inputs = tuple(a for a in args if isinstance(a, Tensor))
        node = Custom(cls, ctx, args, outputs, parts)
        node.needs = tuple(t.requires_grad for t in inputs)
        node.xp = inputs[0]._backend.xp
        recorded = list(outputs)
        if len(parts) == 1:
            made = outputs[parts[0]]
            recorded[parts[0]] = _joined(node, made.data, made._backend, inputs, made)
        else:
            whole = _joined(node, node.flat([outputs[i].data for i in parts]), outputs[parts[0]]._backend, inputs)
            for k, i in enumerate(parts):
                recorded[i] = Part.apply(whole, k=k, node=node)
        return recorded[0] if not isinstance(result, tuple) else tuple(recorded)


def _joined(node: Node, data: Any, backend, inputs: tuple, made: Tensor | None = None) -> Tensor:
    out = join(node, data, backend, inputs)
    if made is not None:
        out._counter = counter(made)  # what forward saved of its output is this tensor's storage
    return out


class Custom(Node):
    """The node of one ``Function.apply``: its backward is the user's, on tensors."""

    __slots__ = ("arguments", "ctx", "function", "layout", "outputs")

    def __init__(self, function: type[Function], ctx: FunctionCtx, arguments: tuple, outputs: tuple,
                 parts: list[int]) -> None:
        self.function, self.ctx, self.arguments = function, ctx, arguments
        self.outputs = [(outputs[i].shape, outputs[i].data.dtype) for i in parts]
        """The shape and dtype of each output that takes a gradient, in order."""
        self.layout = [parts.index(i) if i in parts else (o.shape, o.data.dtype) if isinstance(o, Tensor) else None
                       for i, o in enumerate(outputs)]
        """Per output of forward: its place among ``outputs``, else (for an output without a gradient) its
        shape and dtype, or ``None`` for what is not a tensor."""

    @property
    def name(self) -> str:  # type: ignore[override]
        return self.function.__name__

    def flat(self, arrays: list) -> Any:
        """Several outputs as one vector, in one dtype: the joint output's values (and its gradient's)."""
        xp = self.xp
        dtype = self.outputs[0][1] if all(d == self.outputs[0][1] for _, d in self.outputs) else xp.float64
        return xp.concat([xp.reshape(xp.astype(a, dtype), (-1,)) for a in arrays])

    def backward(self, grad):
        xp, ctx = self.xp, self.ctx
        if len(self.outputs) == 1:
            grads = [grad]
        else:
            grads, start = [], 0
            for shape, dtype in self.outputs:
                size = 1
                for n in shape:
                    size *= n
                grads.append(xp.astype(xp.reshape(grad[start:start + size], shape), dtype))
                start += size
        backend = self._backend()
        every = []
        for place in self.layout:  # one gradient per output of forward, as PyTorch hands them
            if place is None or (place.__class__ is tuple and not ctx.materialize_grads):
                every.append(None)
            elif place.__class__ is tuple:
                every.append(new_tensor(xp.zeros(place[0], dtype=place[1]), backend))
            else:
                every.append(new_tensor(grads[place], backend))
        with grad_mode.no_grad():
            returned = self.function.backward(ctx, *every)
        returned = returned if isinstance(returned, tuple) else (returned,)
        if len(returned) != len(self.arguments):
            raise RuntimeError(f"function {self.name}Backward returned an incorrect number of gradients (expected "
                               f"{len(self.arguments)}, got {len(returned)})")
        gradients = []
        for i, (argument, g) in enumerate(zip(self.arguments, returned)):
            if not isinstance(argument, Tensor):
                if g is not None:
                    raise RuntimeError(f"function {self.name}Backward returned a gradient for argument {i}, which "
                                       "is not a tensor; return None there")
                continue
            gradients.append(None if g is None or not argument.requires_grad else self._fitted(i, argument, g))
        return gradients

    def _fitted(self, i: int, argument: Tensor, g: Any) -> Any:
        """The returned gradient as the argument's array: summed over broadcast dimensions, in its dtype."""
        array = g.data if isinstance(g, Tensor) else argument._backend.asarray(g, argument.dtype)
        shape = tuple(array.shape)
        if shape != argument.shape:
            lead = len(shape) - argument.ndim
            fits = (lead >= 0 and all(n in (m, 1) for n, m in zip(argument.shape, shape[lead:]))) or not argument.shape
            if not fits:
                raise RuntimeError(f"function {self.name}Backward returned an invalid gradient at index {i} - got "
                                   f"{list(shape)} but expected shape compatible with {list(argument.shape)}")
            array = unbroadcast(self.xp, array, argument.shape)
        return array if array.dtype == argument.data.dtype else self.xp.astype(array, argument.data.dtype)

    def _backend(self):
        return next(a._backend for a in self.arguments if isinstance(a, Tensor))

    def release(self) -> None:
        self.ctx._saved = None


class Part(Node):
    """Output ``k`` of a custom Function with several outputs: its slice of the joint output."""

    __slots__ = ("k", "shape", "size", "start", "whole")

    @property
    def name(self) -> str:  # type: ignore[override]
        return "output"

    def forward(self, whole, k, node):
        start = 0
        for shape, _ in node.outputs[:k]:
            size = 1
            for n in shape:
                size *= n
            start += size
        self.k, (self.shape, dtype) = k, node.outputs[k]
        self.size = 1
        for n in self.shape:
            self.size *= n
        self.start, self.whole = start, (whole.shape[0], whole.dtype)
        return self.xp.astype(self.xp.reshape(whole[start:start + self.size], self.shape), dtype)

    def backward(self, grad):
        xp = self.xp
        size, dtype = self.whole
        whole = xp.zeros((size,), dtype=dtype)
        whole[self.start:self.start + self.size] = xp.reshape(grad, (-1,))
        return (whole,)
