"""2-D max and average pooling over the last two axes of (N, C, H, W), windows as in ``window``.

Max pooling sends each output's gradient to the one input that won its window;
on a tie the first maximum in the window's row-major order wins, and a NaN
wins over any number (the window's last NaN, as PyTorch's ``val > max or
isnan(val)`` scan leaves it). The forward pass is a chain of ``maximum`` over
the kernel offsets; the backward pass finds the winners again by comparing
each offset's cells with the saved output, offset by offset, and looks for
NaNs only when the output has one. Padding is −∞ for max pooling, so a padded
cell never wins. Average pooling spreads each output's gradient evenly over
its window, dividing by the window's area or, with ``count_include_pad=False``,
by the number of cells inside the input. With ``ceil_mode`` the last window may
reach past the padding (the window's overhang): those cells are −∞ for max
pooling and are not counted by average pooling, as in PyTorch.
"""

from __future__ import annotations

from typing import Any

from graphlab.tensor.function import Function
from graphlab.tensor.tensor import Tensor
from graphlab.tensor.window import Window, pair


class _Pool(Function):
    __slots__ = ("window", "x_shape")

    @property
    def params(self) -> dict[str, Any]:
        w = self.window
        return {"kernel": w.kernel, "stride": w.stride, "padding": w.padding}

    def scatter(self, xp, pieces, dtype):
        """The input gradient: ``pieces(k, rows, columns)`` per kernel offset k, added back onto its cells.

        Windows that tile the input (stride = kernel, no padding or dilation)
        never share a cell, so each piece is stored rather than added.
        """
        window = self.window
        padded = xp.zeros(window.padded_shape(self.x_shape), dtype=dtype)
        tiles = window.stride == window.kernel and window.padding == (0, 0) and window.dilation == (1, 1)
        for k, (_, _, (rows, columns)) in enumerate(window.offsets()):
            if tiles:
                padded[..., rows, columns] = pieces(k, rows, columns)
            else:
                padded[..., rows, columns] += pieces(k, rows, columns)
        return window.unpad(padded)


class MaxPool2d(_Pool):
    __slots__ = ("out", "padded")
    saved = ("padded", "out")
    name = "max_pool2d"

    @property
    def label(self) -> str:
        kh, kw = self.window.kernel
        return f"max {kh}×{kw}"

    def forward(self, x, window):
        xp = self.xp
        self.window, self.x_shape = window, tuple(x.shape)
        padded = window.pad(xp, x, float("-inf"))
        out = None
        for _, _, (rows, columns) in window.offsets():
            cells = padded[..., rows, columns]
            out = cells if out is None else xp.maximum(out, cells)  # maximum keeps a NaN
        self.padded, self.out = padded, out
        return xp.copy(out) if window.area == 1 else out  # one offset: out would be a view of x

    def backward(self, grad):
        xp, padded, out = self.xp, self.padded, self.out
        offsets = list(self.window.offsets())
        last_nans = self.last_nans(offsets) if bool(xp.any(xp.isnan(out))) else None
        taken = None

        def winners(k: int, rows: slice, columns: slice):
            """Where offset k holds its window's maximum and no earlier offset did, times the gradient."""
            nonlocal taken
            hit = padded[..., rows, columns] == out  # never true in a NaN window
            if last_nans is not None:
                hit = xp.logical_or(hit, last_nans[k])
            if taken is not None:
                hit = xp.logical_and(hit, ~taken)
            if k < len(offsets) - 1:
                taken = hit if taken is None else xp.logical_or(taken, hit)
            return grad * xp.astype(hit, grad.dtype)

        return (self.scatter(xp, winners, grad.dtype),)

    def last_nans(self, offsets) -> list:
        """Per offset, where it holds its window's last NaN: PyTorch's winner in a window with NaNs."""
        xp, later = self.xp, None
        masks = []
        for _, _, (rows, columns) in reversed(offsets):
            nan = xp.isnan(self.padded[..., rows, columns])
            masks.append(nan if later is None else xp.logical_and(nan, ~later))
            later = nan if later is None else xp.logical_or(later, nan)
        return masks[::-1]


class AvgPool2d(_Pool):
    __slots__ = ("divisor",)
    name = "avg_pool2d"

    @property
    def label(self) -> str:
        kh, kw = self.window.kernel
        return f"avg {kh}×{kw}"

    def forward(self, x, window, count_include_pad):
        xp = self.xp
        self.window, self.x_shape = window, tuple(x.shape)
        padded = window.pad(xp, x)
        total = None
        for _, _, (rows, columns) in window.offsets():
            cells = padded[..., rows, columns]
            total = cells if total is None else total + cells
        if window.overhang == (0, 0) and (count_include_pad or window.padding == (0, 0)):
            self.divisor = float(window.area)
        else:
            self.divisor = self.counts(tuple(x.shape[-2:]), x.dtype, count_include_pad)
        return total / self.divisor

    def counts(self, size: tuple[int, int], dtype, count_include_pad: bool):
        """Per window, the cells its mean divides by, as PyTorch: those inside the input, or with
        ``count_include_pad`` inside the padded input; never the overhang of ``ceil_mode``."""
        xp, window = self.xp, self.window
        (h, w), (ph, pw) = size, window.padding
        inside = xp.zeros(window.padded_shape(size), dtype=dtype)
        if count_include_pad:
            inside[:h + 2 * ph, :w + 2 * pw] = 1.0
        else:
            inside[ph:ph + h, pw:pw + w] = 1.0
        count = None
        for _, _, (rows, columns) in window.offsets():
            count = inside[rows, columns] if count is None else count + inside[rows, columns]
        return count

    def backward(self, grad):
        share = grad / self.divisor
        return (self.scatter(self.xp, lambda k, rows, columns: share, grad.dtype),)


def _window(op: str, x: Tensor, kernel_size, stride, padding, dilation=1, ceil_mode: bool = False) -> Window:
    if x.ndim not in (3, 4):
        raise ValueError(f"{op}: input must be (N, C, H, W) or (C, H, W), got shape {x.shape}")
    kernel = pair(kernel_size, "kernel_size", op, 1)
    stride = kernel if stride is None else pair(stride, "stride", op, 1)
    padding = pair(padding, "padding", op, 0)
    dilation = pair(dilation, "dilation", op, 1)
    if any(2 * p > d * (k - 1) + 1 for p, k, d in zip(padding, kernel, dilation)):
        raise ValueError(f"{op}: padding {padding} must be at most half the kernel {kernel}")
    return Window.over(op, x.shape[-2:], kernel, stride, padding, dilation, ceil_mode)


def max_pool2d(x: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False) -> Tensor:
    """``torch.nn.functional.max_pool2d``: the maximum of each window; stride defaults to the kernel size,
    and ``ceil_mode`` keeps a last, partial window where the stride leaves cells over."""
    return MaxPool2d.apply(x, window=_window("max_pool2d", x, kernel_size, stride, padding, dilation, ceil_mode))


def avg_pool2d(x: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True) -> Tensor:
    """``torch.nn.functional.avg_pool2d``: the mean of each window; stride defaults to the kernel size.
    A partial window of ``ceil_mode`` divides by the cells it covers."""
    return AvgPool2d.apply(x, window=_window("avg_pool2d", x, kernel_size, stride, padding, ceil_mode=ceil_mode),
                           count_include_pad=count_include_pad)
