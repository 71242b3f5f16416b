"""``ResidualBlock``: ``out = activation(x + branch(x))``, the building block of ResNets."""

from __future__ import annotations

from graphlab.nn import init
from graphlab.nn.activation import ReLU
from graphlab.nn.container import Sequential
from graphlab.nn.conv import Conv2d
from graphlab.nn.linear import Identity, Linear
from graphlab.nn.module import Module
from graphlab.nn.normalization import BatchNorm1d, BatchNorm2d
from graphlab.tensor import Tensor

__all__ = ["ResidualBlock"]


class ResidualBlock(Module):
    """The branch learns a correction to the identity; the shortcut carries the gradient past it unchanged.

    ``ResidualBlock(branch)`` wraps any module whose output has its input's shape;
    ``ResidualBlock.conv(channels)`` and ``ResidualBlock.mlp(features)`` build the
    usual two-layer branches. ``zero_init=True`` zeroes the branch's last layer, so
    the block starts as the identity.
    """

    def __init__(self, branch: Module, activation: Module | None = None, zero_init: bool = False) -> None:
        super().__init__()
        self.branch = branch
        self.activation = activation if activation is not None else Identity()
        if zero_init:
            init.zero_residual_branch_(self)

    @classmethod
    def conv(cls, channels: int, zero_init: bool = False) -> ResidualBlock:
        """conv3×3 → BN → ReLU → conv3×3 → BN, added to the input, then ReLU (ResNet's basic block)."""
        branch = Sequential(Conv2d(channels, channels, 3, padding=1, bias=False), BatchNorm2d(channels), ReLU(),
                            Conv2d(channels, channels, 3, padding=1, bias=False), BatchNorm2d(channels))
        return cls(branch, ReLU(), zero_init)

    @classmethod
    def mlp(cls, features: int, zero_init: bool = False) -> ResidualBlock:
        """Linear → BN → ReLU → Linear → BN, added to the input, then ReLU."""
        branch = Sequential(Linear(features, features), BatchNorm1d(features), ReLU(),
                            Linear(features, features), BatchNorm1d(features))
        return cls(branch, ReLU(), zero_init)

    def forward(self, x: Tensor) -> Tensor:
        return self.activation(x + self.branch(x))
