"""Convolution and pooling layers over (N, C, H, W) images."""

from __future__ import annotations

from graphlab.nn import functional as F
from graphlab.nn import init
from graphlab.nn.module import Module
from graphlab.nn.parameter import Parameter
from graphlab.tensor import Tensor, zeros
from graphlab.tensor.conv import check_same_stride

__all__ = ["AvgPool2d", "Conv2d", "MaxPool2d"]


def _pair(value, name: str) -> tuple[int, int]:
    if isinstance(value, int):
        return (value, value)
    if isinstance(value, (tuple, list)) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return (value[0], value[1])
    raise ValueError(f"{name} must be an int or a pair of ints, got {value!r}")


class Conv2d(Module):
    """Cross-correlation with ``out_channels`` learned filters of shape (in_channels/groups, kH, kW)."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0, dilation=1,
                 groups: int = 1, bias: bool = True, dtype: str = "float32", device: str | None = None) -> None:
        super().__init__()
        if in_channels % groups or out_channels % groups:
            raise ValueError(f"Conv2d: in_channels {in_channels} and out_channels {out_channels} must both "
                             f"split into groups={groups}")
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size = _pair(kernel_size, "Conv2d kernel_size")
        self.stride = _pair(stride, "Conv2d stride")
        self.padding = padding if padding in ("same", "valid") else _pair(padding, "Conv2d padding")
        self.dilation, self.groups = _pair(dilation, "Conv2d dilation"), groups
        if padding == "same":
            check_same_stride(self.stride, "Conv2d")
        shape = (out_channels, in_channels // groups) + self.kernel_size
        self.weight = Parameter(zeros(shape, dtype=dtype, device=device))
        self.bias = Parameter(zeros(out_channels, dtype=dtype, device=device)) if bias else None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """PyTorch's default: U(−1/√fan_in, 1/√fan_in), fan_in = in_channels/groups · kH · kW."""
        init.default_linear_(self.weight, self.bias)

    def forward(self, x: Tensor) -> Tensor:
        return F.conv2d(x, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)

    def extra_repr(self) -> str:
        text = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}")
        if self.padding not in ((0, 0), "valid"):
            text += f", padding={self.padding!r}"
        if self.dilation != (1, 1):
            text += f", dilation={self.dilation}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        return text + ("" if self.bias is not None else ", bias=False")


class MaxPool2d(Module):
    """The largest value of each window (stride defaults to the window's size)."""

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False) -> None:
        super().__init__()
        self.kernel_size, self.stride, self.padding, self.dilation = kernel_size, stride, padding, dilation
        self.ceil_mode = ceil_mode

    def forward(self, x: Tensor) -> Tensor:
        return F.max_pool2d(x, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode)

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, stride={self.stride or self.kernel_size}, padding={self.padding}, "
                f"ceil_mode={self.ceil_mode}")


class AvgPool2d(Module):
    """The mean of each window (stride defaults to the window's size)."""

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
                 count_include_pad: bool = True) -> None:
        super().__init__()
        self.kernel_size, self.stride, self.padding = kernel_size, stride, padding
        self.ceil_mode, self.count_include_pad = ceil_mode, count_include_pad

    def forward(self, x: Tensor) -> Tensor:
        return F.avg_pool2d(x, self.kernel_size, self.stride, self.padding, self.ceil_mode, self.count_include_pad)

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, stride={self.stride or self.kernel_size}, padding={self.padding}, "
                f"ceil_mode={self.ceil_mode}")
