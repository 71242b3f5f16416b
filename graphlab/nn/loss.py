"""Losses as modules (``nn.CrossEntropyLoss()(logits, target)``), each calling its function in ``F``."""

from __future__ import annotations

from typing import Any

from graphlab.nn import functional as F
from graphlab.nn.module import Module
from graphlab.tensor import Tensor

__all__ = ["BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss", "L1Loss", "MSELoss", "MultiClassHingeLoss",
           "MultiMarginLoss", "NLLLoss"]


class _Loss(Module):
    def __init__(self, reduction: str = "mean") -> None:
        super().__init__()
        self.reduction = reduction

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """The loss function records its nodes under its own name (``cross_entropy``); no second scope."""
        return self.forward(*args, **kwargs)

    def extra_repr(self) -> str:
        return f"reduction={self.reduction!r}" if self.reduction != "mean" else ""


class CrossEntropyLoss(_Loss):
    """Softmax cross-entropy from logits, with optional class weights, ignored index and label smoothing."""

    def __init__(self, weight: Tensor | None = None, ignore_index: int = -100, reduction: str = "mean",
                 label_smoothing: float = 0.0) -> None:
        super().__init__(reduction)
        self.weight, self.ignore_index, self.label_smoothing = weight, ignore_index, label_smoothing

    def forward(self, logits: Tensor, target: Tensor) -> Tensor:
        return F.cross_entropy(logits, target, weight=self.weight, ignore_index=self.ignore_index,
                               reduction=self.reduction, label_smoothing=self.label_smoothing)

    def extra_repr(self) -> str:
        return _options(self, ignore_index=-100, label_smoothing=0.0)


class NLLLoss(_Loss):
    """``−log p[true class]`` from log-probabilities, with optional class weights and ignored index."""

    def __init__(self, weight: Tensor | None = None, ignore_index: int = -100, reduction: str = "mean") -> None:
        super().__init__(reduction)
        self.weight, self.ignore_index = weight, ignore_index

    def forward(self, log_probs: Tensor, target: Tensor) -> Tensor:
        return F.nll_loss(log_probs, target, weight=self.weight, ignore_index=self.ignore_index,
                          reduction=self.reduction)

    def extra_repr(self) -> str:
        return _options(self, ignore_index=-100)


def _options(loss: _Loss, **defaults: Any) -> str:
    """The loss's options that differ from their defaults, as ``repr`` shows them (weights as "weight=…")."""
    shown = [f"{name}={getattr(loss, name)!r}" for name, default in defaults.items() if getattr(loss, name) != default]
    if loss.weight is not None:
        shown.insert(0, "weight=…")
    return ", ".join(shown + ([_Loss.extra_repr(loss)] if loss.reduction != "mean" else []))


class BCEWithLogitsLoss(_Loss):
    def forward(self, logits: Tensor, target: Tensor) -> Tensor:
        return F.binary_cross_entropy_with_logits(logits, target, reduction=self.reduction)


class BCELoss(_Loss):
    def forward(self, probs: Tensor, target: Tensor) -> Tensor:
        return F.binary_cross_entropy(probs, target, reduction=self.reduction)


class MSELoss(_Loss):
    def forward(self, prediction: Tensor, target: Tensor) -> Tensor:
        return F.mse_loss(prediction, target, reduction=self.reduction)


class L1Loss(_Loss):
    def forward(self, prediction: Tensor, target: Tensor) -> Tensor:
        return F.l1_loss(prediction, target, reduction=self.reduction)


class MultiClassHingeLoss(_Loss):
    """The lecture's multiclass SVM loss, Σ_{j≠y} max(0, s_j − s_y + Δ)."""

    def __init__(self, margin: float = 1.0, reduction: str = "mean") -> None:
        super().__init__(reduction)
        self.margin = margin

    def forward(self, scores: Tensor, target: Tensor) -> Tensor:
        return F.multiclass_hinge_loss(scores, target, margin=self.margin, reduction=self.reduction)


class MultiMarginLoss(MultiClassHingeLoss):
    """PyTorch's form of the SVM loss (divided by the number of classes)."""

    def forward(self, scores: Tensor, target: Tensor) -> Tensor:
        return F.multi_margin_loss(scores, target, margin=self.margin, reduction=self.reduction)
