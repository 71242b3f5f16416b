"""Normalisation layers: batch, layer, instance and group norm, each a learned scale γ and shift β.

They differ only in which values share a mean and variance (for an (N, C, H, W) input):
batch norm over N, H, W per channel; layer norm over C, H, W per example; instance norm
over H, W per example and channel; group norm over H, W and a group of channels.
Only batch norm depends on the other examples, so only it behaves differently in
training (batch statistics) and evaluation (running statistics).
"""

from __future__ import annotations

from graphlab.nn import functional as F
from graphlab.nn.module import Module
from graphlab.nn.parameter import Parameter
from graphlab.tensor import Tensor, ones, tensor, zeros

__all__ = ["BatchNorm1d", "BatchNorm2d", "GroupNorm", "InstanceNorm2d", "LayerNorm"]


class _BatchNorm(Module):
    """Shared by ``BatchNorm1d`` and ``BatchNorm2d``; they differ only in the input shapes they accept."""

    input_ndims: tuple[int, ...] = ()

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1, affine: bool = True,
                 track_running_stats: bool = True, dtype: str = "float32", device: str | None = None) -> None:
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        self.weight = Parameter(ones(num_features, dtype=dtype, device=device)) if affine else None
        self.bias = Parameter(zeros(num_features, dtype=dtype, device=device)) if affine else None
        if track_running_stats:
            self.register_buffer("running_mean", zeros(num_features, dtype=dtype, device=device))
            self.register_buffer("running_var", ones(num_features, dtype=dtype, device=device))
            self.register_buffer("num_batches_tracked", tensor(0, dtype="int64", device=device))
        else:
            self.running_mean = self.running_var = self.num_batches_tracked = None

    def forward(self, x: Tensor) -> Tensor:
        name = type(self).__name__
        if x.ndim not in self.input_ndims or x.shape[1] != self.num_features:
            dims = " or ".join(f"{n}-d" for n in self.input_ndims)
            raise ValueError(f"{name}({self.num_features}): expected {dims} input with {self.num_features} "
                             f"channels on dim 1, got shape {x.shape}")
        use_batch_stats = self.training or self.running_mean is None
        momentum = self.momentum or 0.0
        if self.training and self.num_batches_tracked is not None:
            self.num_batches_tracked.add_(1)
            if self.momentum is None:  # a cumulative average of all batches so far
                momentum = 1.0 / float(self.num_batches_tracked.item())
        return F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias, use_batch_stats,
                            momentum, self.eps)

    def reset_running_stats(self) -> None:
        if self.running_mean is not None:
            self.running_mean.zero_()
            self.running_var.fill_(1.0)
            self.num_batches_tracked.zero_()

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
                f"track_running_stats={self.track_running_stats}")


class BatchNorm1d(_BatchNorm):
    """Batch norm for (N, C) features or (N, C, L) sequences."""

    input_ndims = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Batch norm for (N, C, H, W) images: one mean and variance per channel."""

    input_ndims = (4,)


class LayerNorm(Module):
    """Normalise each example over its last dimensions (``normalized_shape``); the same in train and eval."""

    def __init__(self, normalized_shape, eps: float = 1e-5, elementwise_affine: bool = True,
                 dtype: str = "float32", device: str | None = None) -> None:
        super().__init__()
        shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
        self.normalized_shape, self.eps = shape, eps
        self.weight = Parameter(ones(shape, dtype=dtype, device=device)) if elementwise_affine else None
        self.bias = Parameter(zeros(shape, dtype=dtype, device=device)) if elementwise_affine else None

    def forward(self, x: Tensor) -> Tensor:
        return F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.weight is not None}"


class InstanceNorm2d(Module):
    """Normalise each channel of each image over its positions (no γ, β unless ``affine=True``, as PyTorch)."""

    def __init__(self, num_features: int, eps: float = 1e-5, affine: bool = False, dtype: str = "float32",
                 device: str | None = None) -> None:
        super().__init__()
        self.num_features, self.eps = num_features, eps
        self.weight = Parameter(ones(num_features, dtype=dtype, device=device)) if affine else None
        self.bias = Parameter(zeros(num_features, dtype=dtype, device=device)) if affine else None

    def forward(self, x: Tensor) -> Tensor:
        if x.ndim != 4 or x.shape[1] != self.num_features:
            raise ValueError(f"InstanceNorm2d({self.num_features}): expected (N, {self.num_features}, H, W) "
                             f"input, got shape {x.shape}")
        return F.instance_norm(x, weight=self.weight, bias=self.bias, eps=self.eps)

    def extra_repr(self) -> str:
        return f"{self.num_features}, eps={self.eps}, affine={self.weight is not None}"


class GroupNorm(Module):
    """Normalise groups of channels of each example; γ and β per channel."""

    def __init__(self, num_groups: int, num_channels: int, eps: float = 1e-5, affine: bool = True,
                 dtype: str = "float32", device: str | None = None) -> None:
        super().__init__()
        if num_channels % num_groups:
            raise ValueError(f"GroupNorm: {num_channels} channels do not split into {num_groups} groups")
        self.num_groups, self.num_channels, self.eps = num_groups, num_channels, eps
        self.weight = Parameter(ones(num_channels, dtype=dtype, device=device)) if affine else None
        self.bias = Parameter(zeros(num_channels, dtype=dtype, device=device)) if affine else None

    def forward(self, x: Tensor) -> Tensor:
        return F.group_norm(x, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.weight is not None}"
