"""Fully connected layers and the layers that only reshape: ``Linear``, ``Flatten``, ``Identity``."""

from __future__ import annotations

from graphlab.nn import functional as F
from graphlab.nn import init
from graphlab.nn.module import Module
from graphlab.nn.parameter import Parameter
from graphlab.tensor import Tensor, zeros

__all__ = ["Flatten", "Identity", "Linear"]


class Linear(Module):
    """``y = x @ Wᵀ + b`` with W of shape (out_features, in_features), initialised as PyTorch's default."""

    def __init__(self, in_features: int, out_features: int, bias: bool = True, dtype: str = "float32",
                 device: str | None = None) -> None:
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        self.weight = Parameter(zeros(out_features, in_features, dtype=dtype, device=device))
        self.bias = Parameter(zeros(out_features, dtype=dtype, device=device)) if bias else None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """U(−1/√in, 1/√in) for weight and bias: how a re-initialised head starts again."""
        init.default_linear_(self.weight, self.bias)

    def forward(self, x: Tensor) -> Tensor:
        return F.linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


class Flatten(Module):
    """(N, C, H, W) → (N, C·H·W): between the conv layers and the classifier."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, x: Tensor) -> Tensor:
        return x.flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Identity(Module):
    """Passes its input through: a placeholder, e.g. for a removed head."""

    def forward(self, x: Tensor) -> Tensor:
        return x
