"""Sliding windows over the last two axes: the shared geometry of convolution and pooling.

A k_h × k_w window slid with a stride and a dilation visits, for each kernel
offset (i, j), a strided grid of the padded input: rows ``i·d_h, i·d_h + s_h, …``
and columns ``j·d_w, j·d_w + s_w, …``. That grid is one basic slice, so
pooling is a loop over the k_h·k_w offsets, never over pixels, and works on any
array library with strided slicing (NumPy, CuPy, the strict array-API stand-in).

Going back (col2im), the offsets' slices overlap when the stride is smaller
than the window. Within one offset the slice addresses each element at most
once, so ``target[slice] += values`` is an exact scatter-add for that offset;
the loop adds the offsets one after another, so overlapping windows sum.

With stride 1 the image can be flattened row by row instead: every window's
offset k then sits ``shifts[k]`` elements after the window's corner, so one
offset's cells for all windows of a row, and of all rows if each row also
keeps its last few (wrapped, unused) corners, are one contiguous slice.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


def pair(value: Any, name: str, op: str, minimum: int) -> tuple[int, int]:
    """``3`` or ``(3, 3)`` as a pair of ints at least ``minimum``, else a ValueError naming ``op``."""
    values = (value, value) if isinstance(value, int) else tuple(value) if isinstance(value, (tuple, list)) else None
    if values is None or len(values) != 2 or not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        raise ValueError(f"{op}: {name} must be an int or a pair of ints, got {value!r}")
    if min(values) < minimum:
        raise ValueError(f"{op}: {name} must be at least {minimum}, got {value!r}")
    return values


@dataclass(frozen=True)
class Window:
    """Kernel size, stride, padding and dilation along (height, width), and the output size."""

    kernel: tuple[int, int]
    stride: tuple[int, int]
    padding: tuple[int, int]
    dilation: tuple[int, int]
    out: tuple[int, int]
    overhang: tuple[int, int] = (0, 0)
    """Rows and columns past the bottom and right padding that the last window reaches (``ceil_mode``)."""

    @classmethod
    def over(cls, op: str, size: tuple[int, int], kernel, stride, padding, dilation,
             ceil_mode: bool = False) -> Window:
        """The window of ``kernel`` on an input of spatial ``size``; a clear error when nothing fits.

        With ``ceil_mode`` a last, partial window is kept where the stride leaves cells
        over, as in PyTorch, unless it would start in the right padding.
        """
        out, overhang, reach = [], [], tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation))
        for n, r, s, p in zip(size, reach, stride, padding):
            count = (n + 2 * p - r + (s - 1 if ceil_mode else 0)) // s + 1
            if ceil_mode and (count - 1) * s >= n + p:
                count -= 1
            out.append(count)
            overhang.append(max(0, (count - 1) * s + r - (n + 2 * p)))
        if min(out) < 1:
            raise ValueError(f"{op}: the {reach[0]}×{reach[1]} window (kernel with dilation) does not fit "
                             f"the {size[0]}×{size[1]} input padded by {padding}")
        return cls(kernel, stride, padding, dilation, tuple(out), tuple(overhang))

    def offsets(self) -> Iterator[tuple[int, int, tuple[slice, slice]]]:
        """Each kernel offset (i, j) with the slice of the padded input its window elements form."""
        (kh, kw), (sh, sw), (dh, dw), (oh, ow) = self.kernel, self.stride, self.dilation, self.out
        for i in range(kh):
            rows = slice(i * dh, i * dh + sh * (oh - 1) + 1, sh)
            for j in range(kw):
                yield i, j, (rows, slice(j * dw, j * dw + sw * (ow - 1) + 1, sw))

    def shifts(self, width: int) -> list[int]:
        """Each kernel offset's distance from its window's corner in a padded image of ``width`` columns
        flattened row by row: with stride 1, offset k of every window is ``flat[corner + shift_k]``."""
        (kh, kw), (dh, dw) = self.kernel, self.dilation
        return [i * dh * width + j * dw for i in range(kh) for j in range(kw)]

    def pad(self, xp, x, value: float = 0.0):
        """``x`` with ``padding`` rows/columns of ``value`` around its last two axes, and the overhang
        below and to the right (``x`` itself if neither)."""
        (ph, pw), (eh, ew) = self.padding, self.overhang
        if not (ph or pw or eh or ew):
            return x
        h, w = x.shape[-2:]
        out = xp.full(self.padded_shape(tuple(x.shape)), value, dtype=x.dtype)
        out[..., ph:ph + h, pw:pw + w] = x
        return out

    def padded_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        """The shape ``pad`` gives an array of ``shape``."""
        (ph, pw), (eh, ew) = self.padding, self.overhang
        *lead, h, w = shape
        return (*lead, h + 2 * ph + eh, w + 2 * pw + ew)

    def unpad(self, x):
        """The inside of a padded array (a view)."""
        (ph, pw), (eh, ew) = self.padding, self.overhang
        h, w = x.shape[-2] - 2 * ph - eh, x.shape[-1] - 2 * pw - ew
        return x[..., ph:ph + h, pw:pw + w]

    @property
    def area(self) -> int:
        return self.kernel[0] * self.kernel[1]
