"""2-D convolution (cross-correlation, as PyTorch) by im2col and a batched matrix product.

Forward: gather every window of the padded input into columns
``cols[n, c, i, j, y, x] = x_pad[n, c, y·s + i·d, x·s + j·d]`` (one strided slice
per kernel offset, see ``window``), then per image and group ``out = W @ cols``
with W as (groups, out/groups, in/groups·k_h·k_w) and cols as
(N, groups, in/groups·k_h·k_w, OH·OW). The product comes out as (N, out, OH·OW):
the NCHW layout, with no transpose on the way in or out.

Backward, with g the output gradient as (N, groups, out/groups, OH·OW):
dW = Σ_n g @ colsᵀ, db = Σ g over batch and positions, dcols = Wᵀ @ g, and dx is
dcols scattered back onto the input (col2im: each offset's slice added in turn,
so overlapping windows sum).
"""

from __future__ import annotations

from typing import Any

from graphlab.tensor.function import Function
from graphlab.tensor.tensor import Tensor
from graphlab.tensor.window import Window, pair


class Conv2d(Function):
    __slots__ = ("cols", "groups", "has_bias", "weight", "window", "x_shape")
    saved = ("cols", "weight")
    name = "conv2d"

    @property
    def label(self) -> str:
        kh, kw = self.window.kernel
        return f"conv {kh}×{kw}"

    @property
    def params(self) -> dict[str, Any]:
        w = self.window
        return {"kernel": w.kernel, "stride": w.stride, "padding": w.padding, "dilation": w.dilation,
                "groups": self.groups}

    def forward(self, x, weight, *bias, window, groups):
        xp = self.xp
        n, c = x.shape[:2]
        o = weight.shape[0]
        (oh, ow) = window.out
        self.window, self.groups, self.weight = window, groups, weight
        self.x_shape, self.has_bias = tuple(x.shape), bool(bias)
        padded = window.pad(xp, x)
        cols = xp.stack([padded[:, :, rows, columns] for _, _, (rows, columns) in window.offsets()], axis=2)
        self.cols = xp.reshape(cols, (n, groups, c // groups * window.area, oh * ow))
        out = xp.matmul(xp.reshape(weight, (groups, o // groups, -1)), self.cols)
        out = xp.reshape(out, (n, o, oh, ow))
        if bias:
            out += xp.reshape(bias[0], (o, 1, 1))
        return out

    def backward(self, grad):
        xp, window, groups, weight = self.xp, self.window, self.groups, self.weight
        n, c, h, w = self.x_shape
        o = weight.shape[0]
        (kh, kw), (oh, ow) = window.kernel, window.out
        g = xp.reshape(grad, (n, groups, o // groups, oh * ow))
        dx = dweight = dbias = None
        if self.needs[0]:
            w_t = xp.matrix_transpose(xp.reshape(weight, (groups, o // groups, -1)))
            dcols = xp.reshape(xp.matmul(w_t, g), (n, c, kh * kw, oh, ow))
            (ph, pw) = window.padding
            padded = xp.zeros((n, c, h + 2 * ph, w + 2 * pw), dtype=grad.dtype)
            for k, (_, _, (rows, columns)) in enumerate(window.offsets()):
                padded[:, :, rows, columns] += dcols[:, :, k, ...]
            dx = window.unpad(padded)
        if self.needs[1]:
            per_image = xp.matmul(g, xp.matrix_transpose(self.cols))
            dweight = xp.reshape(xp.sum(per_image, axis=0), tuple(weight.shape))
        if self.has_bias and self.needs[2]:
            dbias = xp.sum(xp.reshape(grad, (n, o, oh * ow)), axis=(0, 2))
        return (dx, dweight, dbias) if self.has_bias else (dx, dweight)


def conv2d(x: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0, dilation=1,
           groups: int = 1) -> Tensor:
    """``torch.nn.functional.conv2d``: x (N, C, H, W), weight (O, C/groups, kH, kW), bias (O,)."""
    if x.ndim != 4:
        raise ValueError(f"conv2d: input must be (N, C, H, W), got shape {x.shape}")
    if weight.ndim != 4:
        raise ValueError(f"conv2d: weight must be (out_channels, in_channels/groups, kH, kW), "
                         f"got shape {weight.shape}")
    if not isinstance(groups, int) or groups < 1:
        raise ValueError(f"conv2d: groups must be a positive int, got {groups!r}")
    o, c_group = weight.shape[:2]
    if x.shape[1] != c_group * groups:
        raise ValueError(f"conv2d: input has {x.shape[1]} channels, but weight {weight.shape} with "
                         f"groups={groups} expects {c_group * groups}")
    if o % groups:
        raise ValueError(f"conv2d: {o} output channels do not split into groups={groups}")
    if x.dtype != weight.dtype:
        raise TypeError(f"conv2d: input is {x.dtype} but weight is {weight.dtype}; convert one with .to()")
    tensors = (x, weight)
    if bias is not None:
        if bias.shape != (o,):
            raise ValueError(f"conv2d: bias must have shape ({o},), got {bias.shape}")
        tensors += (bias,)
    window = Window.over("conv2d", x.shape[2:], weight.shape[2:], pair(stride, "stride", "conv2d", 1),
                         pair(padding, "padding", "conv2d", 0), pair(dilation, "dilation", "conv2d", 1))
    return Conv2d.apply(*tensors, window=window, groups=groups)
