"""Losses as modules (``nn.CrossEntropyLoss()(logits, target)``), each calling its function in ``F``."""

from __future__ import annotations

from typing import Any

from graphlab.nn import functional as F
from graphlab.nn.module import Module
from graphlab.tensor import Tensor


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
    """Softmax cross-entropy from logits, with optional label smoothing."""

    def __init__(self, label_smoothing: float = 0.0, reduction: str = "mean") -> None:
        super().__init__(reduction)
        self.label_smoothing = label_smoothing

    def forward(self, logits: Tensor, target: Tensor) -> Tensor:
        return F.cross_entropy(logits, target, reduction=self.reduction, label_smoothing=self.label_smoothing)


class NLLLoss(_Loss):
    def forward(self, log_probs: Tensor, target: Tensor) -> Tensor:
        return F.nll_loss(log_probs, target, reduction=self.reduction)


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
