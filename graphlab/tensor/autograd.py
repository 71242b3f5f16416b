"""Backpropagation: walk the graph from the output back to the leaves, once per node.

Nodes are numbered as they are recorded, and a node's inputs are always
recorded before it, so visiting the reachable nodes by decreasing number is a
topological order: one flat walk and one sort, no recursion. Gradients of
intermediate tensors live only in this walk; leaves accumulate theirs into
``.grad`` as in PyTorch. Unless ``retain_graph=True``, each node frees its saved
buffers and its links to its inputs as soon as its backward has run.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from graphlab.tensor import anomaly
from graphlab.tensor.tensor import RETAIN_GRAD, Tensor, new_tensor

_by_creation = attrgetter("_ctx.seq")

_FREED = ("backward(): the graph of this tensor was already freed by an earlier backward(); "
          "pass retain_graph=True to the first backward() to go through it twice")


def reachable(root: Tensor) -> tuple[list[Tensor], list[Tensor]]:
    """The computed tensors ``root`` depends on, earliest first, and the leaves that need gradients."""
    if root._ctx is None:
        return [], [root]
    computed = [root]
    seen = {root}  # tensors hash by identity, so the set never calls the elementwise ==
    leaves = []
    for t in computed:  # grows while it is walked
        ctx = t._ctx
        if ctx.inputs is None:
            raise RuntimeError(_FREED)
        for x, need in zip(ctx.inputs, ctx.needs):
            if need and x not in seen:
                seen.add(x)
                if x._ctx is None:
                    leaves.append(x)
                else:
                    computed.append(x)
    computed.sort(key=_by_creation)  # found from the root backwards: nearly sorted, one reversal
    return computed, leaves


def backward(root: Tensor, gradient: Any = None, retain_graph: bool = False,
             capture: dict[int, Any] | None = None) -> None:
    """Propagate ``gradient`` from ``root``; ``capture`` (id → array) collects every node's gradient."""
    if not root.requires_grad:
        raise RuntimeError("backward(): this tensor does not require grad and has no graph "
                           "(was it made under no_grad(), or from inputs without requires_grad=True?)")
    computed, leaves = reachable(root)
    seed = _seed(root, gradient)
    root._pending = seed
    try:
        _propagate(root, computed, leaves, seed, retain_graph, capture)
    except BaseException:
        for t in computed + leaves:
            t._pending = None
        raise


def _propagate(root: Tensor, computed: list[Tensor], leaves: list[Tensor], seed: Any, retain_graph: bool,
               capture: dict[int, Any] | None) -> None:
    """The walk itself: each tensor's incoming gradients wait in its ``_pending`` slot until its turn.

    In anomaly mode the graph is kept until the walk succeeds, so a trace of
    ``root`` can still show the node that failed.
    """
    handed: set[int] = {id(seed)}  # arrays that the caller or a .grad already holds
    check = anomaly.enabled
    release_now = not retain_graph and not check
    kept: list[Tensor] = []  # anomaly mode: the nodes to release once the walk has succeeded
    while computed:
        # Popped, not iterated: once its node has run, nothing here holds the tensor, so its
        # array is freed as soon as the user holds it no longer (as PyTorch frees buffers).
        t = computed.pop()
        if check:
            kept.append(t)
        g = t._pending
        if g is None:
            continue
        t._pending = None
        ctx = t._ctx
        if g.__class__ is list:
            g = _total(ctx.xp, g)
        if t._hooks:
            g = _run_hooks(t, g, handed)
        if capture is not None:
            capture[id(t)] = g
        for x, need, gx in zip(ctx.inputs, ctx.needs, ctx.backward(g)):
            if not need or gx is None:
                continue
            if check and not anomaly.all_finite(ctx.xp, gx):
                ctx.anomaly = True
                raise anomaly.AnomalyError(ctx, "backward", root)
            # x's gradients so far: none, the first one (kept as it is, never written to),
            # a list of small ones to sum in one call, or the running sum of large ones
            waiting = x._pending
            if waiting is None:
                x._pending = gx
            elif waiting.__class__ is list:
                waiting.append(gx)
            elif waiting.size <= _COLLECT_UP_TO:
                x._pending = [waiting, gx]
            else:
                x._pending = waiting + gx
        if release_now:
            ctx.release()
    t = ctx = x = None  # the last intermediate tensor may go before the leaves' hooks run
    if check and not retain_graph:
        for t in kept:
            t._ctx.release()
    for leaf in leaves:
        g = leaf._pending
        if g is None:
            continue
        leaf._pending = None
        if g.__class__ is list:
            g = _total(leaf._backend.xp, g)
        if leaf._hooks:
            g = _run_hooks(leaf, g, handed)
        if capture is not None:
            capture[id(leaf)] = g
        _accumulate(leaf, g, handed)


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
