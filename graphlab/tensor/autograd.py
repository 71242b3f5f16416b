"""Backpropagation: walk the graph from the output back to the leaves, once per recorded tensor.

Recorded tensors are numbered as they are made, and a tensor's inputs are
always made before it, so taking the waiting tensor with the highest number
first is a topological order: when a tensor's turn comes, every consumer has
already handed it its gradient. The tensors waiting for their turn sit in a
heap keyed by negated number, so the walk touches only the tensors that receive
a gradient, in one pass, without recursion. Gradients of intermediate tensors
live only in this walk; leaves accumulate theirs into ``.grad`` as in PyTorch,
after the walk has succeeded. Unless ``retain_graph=True``, each tensor drops
its links to its inputs, and its node its saved buffers, as soon as its
backward has run.

In-place edits share the tensors' clock (``mode.sequence``): a tensor recorded
before the latest edit first checks that no value its node's backward reads was
changed after it (PyTorch's version counter, at one comparison per tensor).
"""

from __future__ import annotations

from heapq import heappop, heappush
from typing import Any

from graphlab.tensor import anomaly, mode
from graphlab.tensor.tensor import RETAIN_GRAD, Tensor, new_tensor

_FREED = ("backward(): the graph of this tensor was already freed by an earlier backward(); "
          "pass retain_graph=True to the first backward() to go through it twice")


def backward(root: Tensor, gradient: Any = None, retain_graph: bool = False,
             capture: dict[int, Any] | None = None) -> None:
    """Propagate ``gradient`` from ``root``; ``capture`` (id → array) collects every node's gradient."""
    if not root.requires_grad:
        raise RuntimeError("backward(): this tensor does not require grad and has no graph "
                           "(was it made under no_grad(), or from inputs without requires_grad=True?)")
    seed = _seed(root, gradient)
    waiting: list[tuple[int, Tensor]] = []  # heap of (−number, computed tensor): the newest first
    leaves: list[Tensor] = []
    handed = {id(seed)}  # arrays that the caller or a hook holds: never written to in place
    root._pending = seed
    try:
        if root._ctx is None:
            leaves.append(root)
        else:
            _propagate(root, waiting, leaves, handed, retain_graph, capture)
        _finish_leaves(leaves, handed, capture)
    except BaseException:
        for t in [t for _, t in waiting] + leaves:
            t._pending = None
        raise


def _propagate(root: Tensor, waiting: list[tuple[int, Tensor]], leaves: list[Tensor], handed: set[int],
               retain_graph: bool, capture: dict[int, Any] | None) -> None:
    """The walk itself: each tensor's incoming gradients wait in its ``_pending`` slot until its turn.

    The next tensor in line is kept out of the heap (``upcoming``, numbered above
    every waiting one): along a chain, where each tensor hands its gradient to the
    one before, the heap is never touched. In anomaly mode the graph is kept until
    the walk succeeds, so a trace of ``root`` can still show the node that failed.
    """
    check = anomaly.enabled
    release_now = not retain_graph and not check
    kept: list[Tensor] = []  # anomaly mode: the tensors to release once the walk has succeeded
    last_edit = mode.last_edit
    upcoming = root
    try:
        while upcoming is not None or waiting:
            # Taken, not iterated: once its node has run, nothing here holds the tensor, so its
            # array is freed as soon as the user holds it no longer (as PyTorch frees buffers).
            if upcoming is not None:
                t, upcoming = upcoming, None
            else:
                t = heappop(waiting)[1]
            ctx = t._ctx
            inputs = t._inputs
            if inputs is None:
                raise RuntimeError(_FREED)
            if t._seq < last_edit:
                _check_unchanged(t, ctx)
            g = _received(t, handed, capture)
            if check:
                kept.append(t)
            for x, need, gx in zip(inputs, ctx.needs, ctx.gradients(t, g)):
                if not need or gx is None:
                    continue
                if check and not anomaly.all_finite(t._backend.xp, gx):
                    t._anomaly = True
                    raise anomaly.AnomalyError(ctx, "backward", t, inputs, output=root)
                # x's gradients so far: none (then x joins the walk), the first one (kept as it is,
                # never written to), a list of small ones to sum in one call, or the running sum
                received = x._pending
                if received is None:
                    x._pending = gx
                    if x._ctx is None:
                        leaves.append(x)
                    elif upcoming is None and (not waiting or x._seq > -waiting[0][0]):
                        upcoming = x
                    elif upcoming is not None and x._seq > upcoming._seq:
                        heappush(waiting, (-upcoming._seq, upcoming))
                        upcoming = x
                    else:
                        heappush(waiting, (-x._seq, x))  # numbers are unique: tensors are never compared
                elif received.__class__ is list:
                    received.append(gx)
                elif received.size <= _COLLECT_UP_TO:
                    x._pending = [received, gx]
                else:
                    x._pending = received + gx
            if release_now:
                t._inputs = None
                if ctx.saved:
                    ctx.release()
    except BaseException:
        if upcoming is not None:
            waiting.append((-upcoming._seq, upcoming))  # so that backward() clears its gradient too
        raise
    if check and not retain_graph:
        for t in kept:
            t._inputs = None
            t._ctx.release()


def _check_unchanged(out: Tensor, ctx) -> None:
    """Refuse to go on when a value ``ctx`` saved for backward was changed in place after it was recorded."""
    for x in (out, *out._inputs):
        if isinstance(x, Tensor) and x._edited > out._seq and ctx.keeps(out, x):
            role = "its output" if x is out else f"its input of shape {x.shape}"
            raise RuntimeError(f"backward(): {ctx.name}'s backward needs the values of {role}, which were "
                               f"changed in place after {ctx.name} was recorded; change a copy instead, or "
                               "change it after backward()")


def _finish_leaves(leaves: list[Tensor], handed: set[int], capture: dict[int, Any] | None) -> None:
    """Hand each leaf its total gradient: hooks first, then into ``.grad``."""
    for leaf in leaves:
        _accumulate(leaf, _received(leaf, handed, capture), handed)


def _received(t: Tensor, handed: set[int], capture: dict[int, Any] | None) -> Any:
    """The gradient ``t`` received in all, taken from its ``_pending`` slot and passed through its hooks."""
    g = t._pending
    t._pending = None
    if g.__class__ is list:
        g = _total(t._backend.xp, g)
    if t._hooks:
        g = _run_hooks(t, g, handed)
    if capture is not None:
        capture[id(t)] = g
    return g


_COLLECT_UP_TO = 1024
"""Gradients of at most this many elements are collected and summed once: for them each NumPy
call costs far more than its arithmetic. Larger ones are added as they arrive, so a tensor
used many times (a shared weight) holds one buffer, not one per use."""


def _total(xp, gradients: list) -> Any:
    """The sum of the gradients a tensor received, in as few array calls as possible.

    They all have the tensor's shape, so joining them end to end and viewing the
    result as (count, *shape) stacks them without stack's per-array Python work.
    """
    if len(gradients) == 2:
        return gradients[0] + gradients[1]
    shape = tuple(gradients[0].shape)
    stacked = xp.stack(gradients) if not shape else xp.reshape(xp.concat(gradients), (len(gradients), *shape))
    return xp.sum(stacked, axis=0)


def _run_hooks(t: Tensor, g: Any, handed: set[int]) -> Any:
    """The tensor's hooks in registration order, then ``retain_grad``'s store (last, as in PyTorch)."""
    hooks = list(t._hooks)
    for hook in hooks:
        if hook is RETAIN_GRAD:
            continue
        replaced = hook(new_tensor(g, t._backend))
        if replaced is not None:
            g = replaced.data if isinstance(replaced, Tensor) else replaced
            handed.add(id(g))
    if RETAIN_GRAD in hooks and t._ctx is not None:
        _accumulate(t, g, handed)
    return g


def _seed(root: Tensor, gradient: Any) -> Any:
    backend = root._backend
    xp = backend.xp
    if gradient is None:
        if root.numel() != 1:
            raise RuntimeError(f"backward(): the output has shape {root.shape}; pass gradient= "
                               "(a tensor of that shape) or reduce it to one element first")
        return xp.ones(root.data.shape, dtype=root.data.dtype)
    data = gradient.data if isinstance(gradient, Tensor) else backend.asarray(gradient, root.dtype)
    if tuple(data.shape) != root.shape:
        raise RuntimeError(f"backward(): gradient has shape {tuple(data.shape)}, expected {root.shape}")
    return xp.astype(data, root.data.dtype)


def _accumulate(t: Tensor, g: Any, handed: set[int]) -> None:
    """Add ``g`` into ``t.grad``; the first time, store it without a copy when nothing else holds it."""
    backend = t._backend
    if g.dtype != t.data.dtype:
        g = backend.xp.astype(g, t.data.dtype)
    if t.grad is None:
        if id(g) in handed or not backend.owns(g):
            g = backend.xp.copy(g)
        handed.add(id(g))
        t.grad = new_tensor(g, backend)
    else:
        t.grad.data = t.grad.data + g
        mode.mark_edited(t.grad)  # new values: a graph recorded with the old ones as input must not read these
