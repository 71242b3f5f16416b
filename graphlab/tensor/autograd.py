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

In-place changes share the tensors' clock (``mode.sequence``): each bumps its
storage's ``Version`` with the time of the change. A tensor recorded before the
latest change checks that no value its node's backward reads was changed after
it was recorded (PyTorch's version counter: one comparison per saved tensor),
and follows its inputs that a recorded change has since rewritten back to the
history it used (``function.as_seen``). A tensor recorded after a recorded
change checks that none of its inputs is a view the change left behind.

As ``torch.autograd``, this module also offers ``backward`` and ``grad`` as
functions, ``Function`` (a custom op with its own backward) and ``detect_anomaly``.
"""

from __future__ import annotations

from collections.abc import Sequence
from heapq import heappop, heappush
from typing import Any

from graphlab.tensor import anomaly, mode
from graphlab.tensor.anomaly import detect_anomaly
from graphlab.tensor.custom_function import Function, FunctionCtx
from graphlab.tensor.function import FREED, as_seen
from graphlab.tensor.function import Function as Node
from graphlab.tensor.inplace import ViewOf
from graphlab.tensor.tensor import RETAIN_GRAD, Tensor, Version, bump, new_tensor

__all__ = ["Function", "FunctionCtx", "backward", "detect_anomaly", "grad"]

_NO_CREATE_GRAPH = ("create_graph=True (a graph of the backward pass, for higher-order gradients) is not "
                    "supported by graphlab: its backward computes on arrays and records nothing")


def backward(tensors: Tensor | Sequence[Tensor], grad_tensors: Any = None, retain_graph: bool | None = None,
             create_graph: bool = False, inputs: Tensor | Sequence[Tensor] | None = None) -> None:
    """``torch.autograd.backward``: accumulate the gradients of ``tensors`` (weighted by ``grad_tensors``)
    into every leaf's ``.grad``, or with ``inputs`` into those tensors' only."""
    if create_graph:
        raise RuntimeError(_NO_CREATE_GRAPH)
    roots = _as_list(tensors)
    gradients = [None] * len(roots) if grad_tensors is None else _as_list(grad_tensors)
    if inputs is None:
        run(roots, gradients, bool(retain_graph))
        return
    captured: dict[int, Any] = {}
    run(roots, gradients, bool(retain_graph), captured, accumulate=False)
    for x in _as_list(inputs):
        g = captured.get(id(x))
        if g is not None:
            _accumulate(x, g, {id(g)})


def grad(outputs: Tensor | Sequence[Tensor], inputs: Tensor | Sequence[Tensor], grad_outputs: Any = None,
         retain_graph: bool | None = None, create_graph: bool = False, only_inputs: bool = True,
         allow_unused: bool | None = None, is_grads_batched: bool = False,
         materialize_grads: bool = False) -> tuple[Tensor | None, ...]:
    """``torch.autograd.grad``: the gradients of ``outputs`` with respect to ``inputs``, as a tuple,
    leaving every ``.grad`` as it is."""
    if create_graph:
        raise RuntimeError(_NO_CREATE_GRAPH)
    if is_grads_batched:
        raise RuntimeError("is_grads_batched=True (torch.vmap over the gradients) is not supported by graphlab")
    roots, wanted = _as_list(outputs), _as_list(inputs)
    for x in wanted:
        if not isinstance(x, Tensor) or not x.requires_grad:
            raise RuntimeError("autograd.grad: one of the differentiated Tensors does not require grad")
    gradients = [None] * len(roots) if grad_outputs is None else _as_list(grad_outputs)
    captured: dict[int, Any] = {}
    run(roots, gradients, bool(retain_graph), captured, accumulate=False)
    found: list[Tensor | None] = []
    for x in wanted:
        g = captured.get(id(x))
        if g is None and materialize_grads:
            g = x._backend.xp.zeros(x.data.shape, dtype=x.data.dtype)
        elif g is None and not allow_unused:
            raise RuntimeError("autograd.grad: one of the differentiated Tensors appears to not have been used in "
                               "the graph; set allow_unused=True if this is the desired behavior")
        found.append(None if g is None else new_tensor(x._backend.xp.copy(g), x._backend))
    return tuple(found)


def _as_list(value: Any) -> list:
    return [value] if isinstance(value, Tensor) or value is None else list(value)


def run(roots: Sequence[Tensor], gradients: Sequence[Any], retain_graph: bool = False,
        capture: dict[int, Any] | None = None, accumulate: bool = True) -> None:
    """Propagate each root's gradient at once; leaves accumulate into ``.grad`` only if ``accumulate``."""
    waiting: list[tuple[int, Tensor]] = []  # heap of (−number, computed tensor): the newest first
    leaves: list[Tensor] = []
    handed: set[int] = set()  # arrays that the caller or a hook holds: never written to in place
    seeded: list[Tensor] = []
    try:
        for root, gradient in zip(roots, gradients):
            if not root.requires_grad:
                raise RuntimeError("backward(): this tensor does not require grad and has no graph (was it made "
                                   "under no_grad(), or from inputs without requires_grad=True?)")
            seed = _seed(root, gradient)
            handed.add(id(seed))
            if root._pending is not None:
                root._pending = root._pending + seed  # the same root twice
                continue
            root._pending = seed
            seeded.append(root)
            if root._ctx is None:
                leaves.append(root)
            else:
                heappush(waiting, (-root._seq, root))
        if waiting:
            _propagate(heappop(waiting)[1], waiting, leaves, handed, retain_graph, capture, accumulate)
        _finish_leaves(leaves, handed, capture, accumulate)
    except BaseException:
        for t in [t for _, t in waiting] + leaves + seeded:
            t._pending = None
        raise


def _propagate(root: Tensor, waiting: list[tuple[int, Tensor]], leaves: list[Tensor], handed: set[int],
               retain_graph: bool, capture: dict[int, Any] | None, accumulate: bool) -> None:
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
    first_rewrite = mode.first_rewrite
    bypassed: list[Tensor] = []  # views whose gradient goes through their base: held for nodes that used them
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
                raise RuntimeError(FREED)
            if t._seq < last_edit or t._seq > first_rewrite:
                inputs = _as_recorded(t, ctx, inputs, bypassed)
            g = _received(t, handed, capture, accumulate)
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


def _as_recorded(out: Tensor, ctx: Node, inputs: tuple, bypassed: list[Tensor]) -> tuple:
    """``out``'s inputs as its node used them, after checking that backward may still use them.

    Raises where a value the node's backward reads was changed in place after the
    node was recorded. An input that a recorded change gave a new history since is
    followed back to the history the node used (``as_seen``). An input whose storage
    a recorded change rewrote after the input was made, and before the node used
    it, is a view whose own history misses the change: its gradient goes to its
    base instead, as the base's history stood when the node used the view (PyTorch
    takes such a view again from its base; ``ViewOf`` does it here, in backward). The view itself
    is kept in ``bypassed`` for the rest of the walk: a node recorded before the change may still
    use it as its input.
    """
    seq = out._seq
    seen = []
    routed = ctx.__class__ is ViewOf  # its input is the base as the view's user saw it: up to date by making
    for i, x in enumerate(inputs):
        if isinstance(x, Tensor):
            made = x._counter
            if made is not None:
                if made.stamp > seq and ctx.keeps(out, x):
                    raise RuntimeError(_changed(out, ctx, made, f"its input of shape {x.shape}"))
                if x._seq > seq and ctx.needs[i]:
                    x = as_seen(x, seq)
                if made.rewrites is not None and ctx.needs[i] and x._ctx is not None and not routed:
                    where = _rewritten_since(out, x, made)
                    if where:
                        bypassed.append(x)
                        x = _through_base(out, ctx, x, where, (i + 1) / (len(inputs) + 1))
        seen.append(x)
    made = out._counter
    if made is not None and made.stamp > seq and ctx.keeps(out, out):
        raise RuntimeError(_changed(out, ctx, made, f"its output of shape {out.shape}"))
    for made in ctx.guards:
        if made.stamp > seq:
            raise RuntimeError(_changed(out, ctx, made, "a tensor it read besides its inputs (indices, a mask)"))
    return tuple(seen)


def _changed(out: Tensor, ctx: Node, made: Version, role: str) -> str:
    made_at = f" at {out._where}" if out._where else ""
    hint = "" if out._where else (
        f"; to see where {ctx.name} was made, run the forward pass under graphlab.tensor.detect_anomaly()")
    return (f"backward(): a tensor needed for the gradient of {ctx.name}{made_at} was modified in place at "
            f"{made.where or 'an unknown line'} ({role}, now at version {made.count}). Change a .clone() "
            f"instead, or make the change after backward(){hint}")


def _rewritten_since(out: Tensor, x: Tensor, made: Version) -> str:
    """Where a recorded change rewrote ``x``'s storage after ``x`` was made and before ``out`` used it
    (``""`` if none did); the change that gave ``out`` itself its history does not count."""
    for stamp, rewritten, where in reversed(made.rewrites):
        if stamp <= x._seq:
            break
        if stamp < out._seq and not (out._seq in rewritten and made.previous[out._seq][1]() is x):
            return where
    return ""


def _through_base(out: Tensor, ctx: Node, x: Tensor, where: str, before: float) -> Tensor:
    """``x`` (a view) taken again from its base's history as ``out`` saw it: a transient tensor of the walk,
    numbered ``before`` below ``out`` (a fraction: after the base, and before ``out`` as ``x`` was)."""
    if x._view is None:
        raise RuntimeError(f"backward(): {ctx.name} used a tensor of shape {x.shape} whose storage was changed in "
                           f"place at {where} after it was made, and its history misses the change; take it "
                           "again after the in-place change")
    base, take = x._view
    node = ViewOf.__new__(ViewOf)
    node.xp, node.needs, node.take, node.shape = x._backend.xp, (True,), take, base.shape
    again = new_tensor(x.data, x._backend, node, (as_seen(base, out._seq),))
    again._seq = out._seq - before
    return again


def _finish_leaves(leaves: list[Tensor], handed: set[int], capture: dict[int, Any] | None,
                   accumulate: bool) -> None:
    """Hand each leaf its total gradient: hooks first, then into ``.grad``."""
    for leaf in leaves:
        g = _received(leaf, handed, capture, accumulate)
        if accumulate:
            _accumulate(leaf, g, handed)


def _received(t: Tensor, handed: set[int], capture: dict[int, Any] | None, accumulate: bool) -> Any:
    """The gradient ``t`` received in all, taken from its ``_pending`` slot and passed through its hooks."""
    g = t._pending
    t._pending = None
    if g.__class__ is list:
        g = _total(t._backend.xp, g)
    if t._hooks:
        g = _run_hooks(t, g, handed, accumulate)
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


def _run_hooks(t: Tensor, g: Any, handed: set[int], accumulate: bool) -> Any:
    """The tensor's hooks in registration order, then ``retain_grad``'s store (last, as in PyTorch; not for
    ``autograd.grad``, which fills no ``.grad``)."""
    hooks = list(t._hooks)
    for hook in hooks:
        if hook is RETAIN_GRAD:
            continue
        replaced = hook(new_tensor(g, t._backend))
        if replaced is not None:
            g = replaced.data if isinstance(replaced, Tensor) else replaced
            handed.add(id(g))
    if accumulate and RETAIN_GRAD in hooks and t._ctx is not None:
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
    if t._grad is None:
        if id(g) in handed or not backend.owns(g):
            g = backend.xp.copy(g)
        handed.add(id(g))
        t._grad = new_tensor(g, backend)
    else:
        t._grad.data = t._grad.data + g
        bump(t._grad)  # new values: a graph recorded with the old ones as input must not read these
