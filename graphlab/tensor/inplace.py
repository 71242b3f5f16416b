"""In-place changes, as PyTorch makes them: the tensor keeps its identity and its storage, and
its history is rewritten where a gradient flows through the change.

Every in-place op (``add_``, ``+=``, ``x[mask] = 0``, ``copy_`` …) is its
out-of-place op plus ``change``:

* Outside the graph (under ``no_grad()``, or where neither the tensor nor the
  values written need a gradient) the array is written in place and its
  storage's version counter is bumped. A leaf stays a leaf: this is how an
  optimizer steps its parameters.
* Inside it, the op is recorded from a stand-in that takes over the tensor's
  old history (``_stand_in``: the same storage, the tensor's number and node),
  its result is written into the storage, and the tensor adopts the result's
  node, with a new number. Nodes recorded before the change still name the
  tensor among their inputs; backward follows each in-place node's first input
  back to the history they saw (``function.as_seen``). Where the new node's
  backward reads the values it overwrites (``x.mul_(y)`` reads x for y's
  gradient), it reads a clone instead, as PyTorch keeps the original.
* A view written in place rewrites its base's history too (``CopySlices``, as
  PyTorch names it), so ``x[:, 1].mul_(2)`` and ``x[0] = y`` reach ``x``'s users.

A leaf that requires grad refuses a recorded change (PyTorch's error), and so
does a view of one. Other views of the same storage, taken before a recorded
change and used after it, would carry a history that misses the change:
backward refuses them (``autograd``) rather than give a wrong gradient.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from graphlab import grad_mode
from graphlab.tensor import mode
from graphlab.tensor.function import Function
from graphlab.tensor.tensor import Tensor, bump, counter, new_tensor

_LEAF = "a leaf Variable that requires grad is being used in an in-place operation ({name})"
_VIEW_OF_LEAF = "a view of a leaf Variable that requires grad is being used in an in-place operation ({name})"
_LEAF_HINT = ("; change it under no_grad() (as an optimizer's step does), or change a .clone() of it")


class Clone(Function):
    """A copy that passes its gradient through: ``clone()``, and the original values an in-place op's
    backward reads."""

    __slots__ = ()
    name = "clone"

    def forward(self, x):
        return self.xp.copy(x)

    def backward(self, grad):
        return (grad,)


class CopySlices(Function):
    """A base whose view was written in place: the view's part of the gradient goes to the view's new
    history, the rest to the base's old one (PyTorch's ``CopySlices``)."""

    __slots__ = ("view_of",)
    name = "copy_slices"

    def backward(self, grad):
        xp = self.xp
        rest = xp.copy(grad)
        self.view_of(rest)[...] = 0
        return rest, self.view_of(grad)


class ViewOf(Function):
    """A view taken again from its base, in backward: the view's gradient goes to the base's part it views.

    Backward routes through it a view whose storage a recorded change rewrote after
    the view was made (its own history misses the change; ``autograd``)."""

    __slots__ = ("shape", "take")
    name = "view"

    def backward(self, grad):
        whole = self.xp.zeros(self.shape, dtype=grad.dtype)
        try:
            self.take(whole)[...] = grad
        except ValueError:  # a broadcast view: several of its elements are one element of the base
            raise RuntimeError("backward(): an expanded view was used after an in-place change of its base's "
                               "storage; expand again after the change") from None
        return (whole,)


def change(target: Tensor, name: str, out_of_place: Callable[..., Tensor], others: tuple = (),
           write: Callable[[Any], None] | None = None) -> Tensor:
    """Change ``target`` in place to ``out_of_place(target, *others)``; ``write(array)`` does it on the
    array directly when nothing is recorded (faster, and no temporary)."""
    if grad_mode.enabled:
        if target.requires_grad or any(isinstance(o, Tensor) and o.requires_grad for o in others):
            return _recorded(target, name, out_of_place, others)
        view = target._view
        if view is not None and view[0].requires_grad:
            raise RuntimeError(f"{name}: this view was taken under no_grad() of a tensor that requires grad, and "
                               "is being changed in place with grad enabled; change it under no_grad() too, "
                               "or take the view with grad enabled")
    if write is None:
        result = out_of_place(target.detach(), *others)
        fits(name, target, result)
        write_into(target, result.data)
    else:
        try:
            write(target.data)
        except (TypeError, ValueError) as error:
            raise _unwritable(name, error) from None
    bump(target)
    return target


def change_by(target: Tensor, name: str, combine: Callable[[Tensor, Any], Tensor],
              combine_in_place: Callable[[Any, Any], Any], other: Any, value: Any) -> Tensor:
    """``change`` for ``target ∘= other`` (``+=``, ``sub_`` …), whose array ``value`` the array's own
    in-place operator takes: an optimizer's step on a parameter, kept as quick as before."""
    if grad_mode.enabled and (target.requires_grad or target._view is not None or (
            other.__class__ is not float and isinstance(other, Tensor) and other.requires_grad)):
        return change(target, name, combine, (other,), lambda array: combine_in_place(array, value))
    try:
        combine_in_place(target.data, value)
    except (TypeError, ValueError) as error:
        raise _unwritable(name, error) from None
    bump(target)
    return target


def _recorded(target: Tensor, name: str, out_of_place: Callable[..., Tensor], others: tuple) -> Tensor:
    if target._ctx is None and target.requires_grad:
        raise RuntimeError(_LEAF.format(name=name) + _LEAF_HINT)
    view = target._view
    base = None if view is None else view[0]
    if base is not None and base._ctx is None and base.requires_grad:
        raise RuntimeError(_VIEW_OF_LEAF.format(name=name) + _LEAF_HINT)
    old = _stand_in(target)
    result = out_of_place(old, *(old if o is target else o for o in others))
    if result._ctx is not None and result._ctx.keeps(result, old):  # its backward reads the values overwritten
        original = Clone.apply(old)
        result = out_of_place(original, *(original if o is target else o for o in others))
    fits(name, target, result)
    write_into(target, result.data)
    bump(target)
    made = counter(target)
    if made.rewrites is None:
        made.rewrites, made.previous = [], {}
        mode.kept()
        weakref.finalize(made, mode.gone)
    made.previous[_adopt(target, result._ctx, result._inputs, result)] = (old._seq, weakref.ref(old))
    rewritten = [target._seq]
    if base is not None:
        node = CopySlices.__new__(CopySlices)
        node.xp, node.needs, node.view_of = base._backend.xp, (base.requires_grad, True), view[1]
        old_base = _stand_in(base)
        made.previous[_adopt(base, node, (old_base, target))] = (old_base._seq, weakref.ref(old_base))
        rewritten.append(base._seq)
    made.rewrites.append((made.stamp, tuple(rewritten), made.where))
    mode.rewritten(made.stamp)
    return target


def _stand_in(t: Tensor) -> Tensor:
    """A tensor holding ``t``'s history so far (its node, inputs and number) on ``t``'s storage, a view of
    the same base if ``t`` is one."""
    old = new_tensor(t.data, t._backend)
    old._ctx, old._inputs, old._seq, old._scope = t._ctx, t._inputs, t._seq, t._scope
    old.requires_grad, old.name, old._where = t.requires_grad, t.name, t._where
    old._counter, old._view = counter(t), t._view
    return old


def _adopt(t: Tensor, node: Function, inputs: tuple, made: Tensor | None = None) -> int:
    """Give ``t`` a new history: ``node`` from ``inputs`` (the first one holding its old history), numbered now."""
    t._ctx, t._inputs, t.requires_grad = node, inputs, True
    if made is not None:
        t._scope, t._where = made._scope, made._where
    else:
        t._scope = mode.scope
    t._seq = next(mode.sequence)
    return t._seq


def fits(name: str, target: Tensor, result: Tensor) -> None:
    """Refuse a result that cannot be written back: another shape (broadcast to more), or a kind of
    number the target's dtype cannot hold (PyTorch's rules)."""
    if result.shape != target.shape:
        raise RuntimeError(f"{name}: output with shape {target.shape} doesn't match the broadcast shape "
                           f"{result.shape}")
    if KINDS[result.dtype] > KINDS[target.dtype]:
        raise RuntimeError(f"{name}: result type {result.dtype} can't be cast to the desired output type "
                           f"{target.dtype}")


KINDS = {"bool": 0, "int64": 1, "float32": 2, "float64": 2}
"""The kinds of number, in the order PyTorch casts a result to an output in place (up, never down)."""


def write_into(target: Tensor, values: Any) -> None:
    """Copy ``values`` into ``target``'s array (its storage, seen by every view of it)."""
    array = target.data
    if values.__class__ is array.__class__ and values.dtype != array.dtype:
        values = target._backend.xp.astype(values, array.dtype)
    try:
        array[...] = values
    except ValueError as error:
        raise _unwritable("in place", error) from None


def _unwritable(name: str, error: Exception) -> RuntimeError:
    """The error of a write the array refused: a broadcast (expanded) view is read-only, as PyTorch
    refuses to write one; anything else (a cast NumPy refuses) as NumPy says it."""
    if "read-only" in str(error):
        return RuntimeError(f"{name}: unsupported operation: more than one element of the written-to tensor "
                            "refers to a single memory location (an expanded view); .clone() it first")
    return RuntimeError(f"{name}: {error}")
