"""Losses of class indices, each one node: ``nll_loss`` and softmax ``cross_entropy``.

``nll_loss`` picks each row's true class, ``−log p[i, target_i]``, as
PyTorch's: ``nll_loss(log_softmax(s), y)`` is two nodes. ``cross_entropy(s, y)``
is the same number as one node, whose backward is the lecture's result for
softmax followed by cross-entropy: ``softmax(s) − onehot(y)`` per row, times
the upstream gradient (divided by N for the mean). Both save the picked
positions, the class indices copied: an edit of the target after the loss, in
place or through a view or ``.numpy()``, cannot move where backward puts each
row's gradient. Each row has its own position, so no entry receives two.
"""

from __future__ import annotations

from typing import Any

from graphlab.tensor.function import Function
from graphlab.tensor.promotion import is_float
from graphlab.tensor.tensor import Tensor

REDUCTIONS = ("mean", "sum", "none")


class _ClassLoss(Function):
    __slots__ = ("picks", "reduction", "shape")
    saved = ("picks",)

    @property
    def params(self) -> dict[str, Any]:
        return {"reduction": self.reduction}

    def pick(self, scores, target, reduction):
        """Each row's entry at its class; the positions are kept for backward."""
        xp = self.xp
        self.shape, self.reduction = tuple(scores.shape), reduction
        self.picks = (xp.arange(scores.shape[0]), xp.copy(target))
        return xp.index(scores, self.picks)

    def per_row(self, grad):
        """The upstream gradient of each row's loss: the reduced loss's one number (divided by N for the
        mean), or ``none``'s own (N,)."""
        if self.reduction == "mean":
            return grad / float(self.shape[0] or float("nan"))
        return grad

    def nll(self, log_probs, target, reduction):
        """``−log_probs`` at each row's class, reduced: nll_loss's forward, and cross_entropy's last step."""
        picked = self.pick(log_probs, target, reduction)
        return -picked if reduction == "none" else self.reduced(-self.xp.sum(picked))  # one number negated

    def reduced(self, total):
        """The sum of the per-row losses as the reduction wants it: as it is, or averaged (NaN for an
        empty batch, as PyTorch)."""
        return total if self.reduction == "sum" else total / float(self.shape[0] or float("nan"))


class NllLoss(_ClassLoss):
    __slots__ = ()
    name = "nll_loss"

    def forward(self, log_probs, target, reduction):
        return self.nll(log_probs, target, reduction)

    def backward(self, grad):
        full = self.xp.zeros(self.shape, dtype=grad.dtype)
        self.xp.scatter_add(full, self.picks, -self.per_row(grad))
        return full, None


class CrossEntropy(_ClassLoss):
    """log_softmax then nll_loss's pick, in one node. Backward computes ``softmax·g − one-hot·g`` in
    the order log-softmax's backward after ``nll_loss`` takes (softmax as ``exp(log_softmax)``, times
    the row's gradient, then the one-hot part): values and float32 gradients are those of the two-node
    graph, PyTorch's, bit for bit."""

    __slots__ = ("log_probs",)
    saved = ("log_probs", "picks")
    name = "cross_entropy"

    def forward(self, scores, target, reduction):
        xp = self.xp
        shifted = scores - xp.max(scores, axis=1, keepdims=True)  # no overflow, whatever the scores
        self.log_probs = shifted - xp.log(xp.sum(xp.exp(shifted), axis=1, keepdims=True))
        return self.nll(self.log_probs, target, reduction)

    def backward(self, grad):
        xp = self.xp
        share = self.per_row(grad)
        gradient = xp.exp(self.log_probs)  # softmax
        gradient *= share if self.reduction != "none" else xp.reshape(share, (-1, 1))
        xp.scatter_add(gradient, self.picks, -share)  # minus the one-hot part
        return gradient, None


def class_scores(scores: Tensor, reduction: str, caller: str, noun: str) -> None:
    """Refuse a reduction other than mean, sum or none, and anything but (N, C) float ``scores``;
    errors name ``caller`` and call the scores ``noun``."""
    if reduction not in REDUCTIONS:
        raise ValueError(f"{caller}: reduction must be one of {', '.join(REDUCTIONS)}, got {reduction!r}")
    if scores.data.ndim != 2:
        raise ValueError(f"{caller}: {noun} must be (N, C), got shape {scores.shape}")
    if not is_float(scores._backend, scores.data):
        raise TypeError(f"{caller}: {noun} must be float32 or float64, got {scores.dtype}")


def class_indices(scores: Tensor, target: Tensor, reduction: str, caller: str, noun: str,
                  ignore_index: int | None = None) -> Any:
    """``class_scores``' checks, and one int64 class index in [0, C) per row of ``target``, or
    ``ignore_index`` where the row counts for nothing (as in PyTorch, whatever its value).

    Returns where ``target`` equals ``ignore_index`` (a bool array), or None when no row does: the
    common case, which costs the one reduction of ``xp.below`` and no more.
    """
    class_scores(scores, reduction, caller, noun)
    indices = target.data
    if target._backend.dtype_names.get(indices.dtype) != "int64" or indices.shape != scores.data.shape[:1]:
        raise ValueError(f"{caller}: {scores.shape[0]} rows of {noun} but target has shape {target.shape} "
                         f"and dtype {target.dtype}; expected one int64 class index per row")
    if not indices.size:
        return None
    classes = scores.data.shape[1]
    xp = target._backend.xp
    in_range = xp.below(indices, classes)
    if in_range and not (ignore_index is not None and 0 <= ignore_index < classes):
        return None  # every row counts: the usual case, decided by one reduction
    ignored = indices == ignore_index if ignore_index is not None else None
    if ignored is not None and not bool(xp.any(ignored)):
        ignored = None
    if not in_range:
        kept = indices if ignored is None else xp.where(ignored, xp.zeros_like(indices), indices)
        if ignored is None or not xp.below(kept, classes):
            low, high = xp.bounds(kept)
            if ignored is None:
                raise IndexError(f"{caller}: class indices must lie in [0, {classes}), got {low} … {high}")
            raise IndexError(f"{caller}: class indices must lie in [0, {classes}) or equal ignore_index "
                             f"({ignore_index}), got {low if low < 0 else high}")  # ignored ones became 0
    return ignored


def nll_loss(log_probs: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """``−log_probs[i, target[i]]`` per row of (N, C) ``log_probs``, reduced by ``reduction``."""
    class_indices(log_probs, target, reduction, "nll_loss", "log-probabilities")
    return NllLoss.apply(log_probs, target, reduction=reduction)


def cross_entropy(scores: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """``−log softmax(scores)[i, target[i]]`` per row, reduced by ``reduction``: one node."""
    class_indices(scores, target, reduction, "cross_entropy", "logits")
    return CrossEntropy.apply(scores, target, reduction=reduction)
