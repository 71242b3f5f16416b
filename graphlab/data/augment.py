"""Data augmentation on a batch of images ``(N, C, H, W)`` in ``[0, 1]``, drawn from a seeded NumPy ``Generator``.

Each augmentation is an object called as ``augmentation(images, rng)`` and returns
a new array of the same shape and dtype; ``Compose`` chains them, and ``DataLoader``
applies one to every training batch. Each image of a batch gets its own random draw.
``mixup`` also mixes the labels, so it is a function of images and labels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy

_LUMA = numpy.array([0.299, 0.587, 0.114])  # ITU-R 601 weights, as torchvision's grayscale


def _check_batch(images: numpy.ndarray, who: str) -> None:
    if images.ndim != 4:
        raise ValueError(f"{who}: got shape {images.shape}; expected a batch (N, C, H, W)")


@dataclass
class Compose:
    """Apply ``augmentations`` in order."""

    augmentations: list

    def __call__(self, images, rng):
        for augmentation in self.augmentations:
            images = augmentation(images, rng)
        return images


@dataclass
class HorizontalFlip:
    """Mirror each image left–right with probability ``p``."""

    p: float = 0.5

    def __call__(self, images, rng):
        _check_batch(images, "HorizontalFlip")
        flip = rng.random(len(images)) < self.p
        out = images.copy()
        out[flip] = images[flip][..., ::-1]
        return out


@dataclass
class RandomCrop:
    """Pad every side with ``padding`` zeros, then cut a ``size``×``size`` window at a random place."""

    size: int
    padding: int = 0

    def __call__(self, images, rng):
        _check_batch(images, "RandomCrop")
        n, _, height, width = images.shape
        pad = self.padding
        padded = numpy.pad(images, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
        if self.size > height + 2 * pad or self.size > width + 2 * pad:
            raise ValueError(f"RandomCrop: size {self.size} is larger than the padded image "
                             f"{height + 2 * pad}×{width + 2 * pad}")
        top = rng.integers(0, height + 2 * pad - self.size + 1, n)
        left = rng.integers(0, width + 2 * pad - self.size + 1, n)
        rows = top[:, None] + numpy.arange(self.size)
        cols = left[:, None] + numpy.arange(self.size)
        index = numpy.arange(n)[:, None, None, None]
        channel = numpy.arange(images.shape[1])[None, :, None, None]
        return padded[index, channel, rows[:, None, :, None], cols[:, None, None, :]]


@dataclass
class RandomScale:
    """Zoom each image about its centre by a factor drawn from ``scale``; the size stays, empty border is 0."""

    scale: tuple[float, float] = (0.9, 1.1)

    def __call__(self, images, rng):
        _check_batch(images, "RandomScale")
        n, _, height, width = images.shape
        factor = rng.uniform(*self.scale, n)[:, None]
        rows, row_ok = _source_positions(height, factor)
        cols, col_ok = _source_positions(width, factor)
        index = numpy.arange(n)[:, None, None, None]
        channel = numpy.arange(images.shape[1])[None, :, None, None]
        out = images[index, channel, rows[:, None, :, None], cols[:, None, None, :]]
        inside = row_ok[:, None, :, None] & col_ok[:, None, None, :]
        return numpy.where(inside, out, 0).astype(images.dtype)


def _source_positions(length: int, factor: numpy.ndarray):
    """Nearest source pixel for every output pixel of a zoom by ``factor`` (N, 1); and which exist."""
    centre = (length - 1) / 2
    source = numpy.rint((numpy.arange(length) - centre) / factor + centre).astype(numpy.int64)
    inside = (source >= 0) & (source < length)
    return numpy.clip(source, 0, length - 1), inside


@dataclass
class ColorJitter:
    """Scale brightness, contrast and (for RGB) saturation by factors drawn from ``[1 - s, 1 + s]``; clip to [0, 1]."""

    brightness: float = 0.0
    contrast: float = 0.0
    saturation: float = 0.0

    def __call__(self, images, rng):
        _check_batch(images, "ColorJitter")
        n = len(images)
        out = images.astype(numpy.float64)
        if self.brightness:
            out = out * _factors(rng, self.brightness, n)
        if self.contrast:
            mean = _gray(out).mean(axis=(1, 2, 3), keepdims=True)
            out = (out - mean) * _factors(rng, self.contrast, n) + mean
        if self.saturation and images.shape[1] == 3:
            gray = _gray(out)
            out = (out - gray) * _factors(rng, self.saturation, n) + gray
        return numpy.clip(out, 0.0, 1.0).astype(images.dtype)


def _factors(rng, strength: float, n: int) -> numpy.ndarray:
    return rng.uniform(1 - strength, 1 + strength, n)[:, None, None, None]


def _gray(images: numpy.ndarray) -> numpy.ndarray:
    if images.shape[1] != 3:
        return images.mean(axis=1, keepdims=True)
    return numpy.tensordot(images, _LUMA, axes=([1], [0]))[:, None]


@dataclass
class Cutout:
    """Zero a ``size``×``size`` square centred at a random pixel (clipped at the border), DeVries & Taylor 2017."""

    size: int

    def __call__(self, images, rng):
        _check_batch(images, "Cutout")
        n, _, height, width = images.shape
        cy, cx = rng.integers(0, height, n), rng.integers(0, width, n)
        top, left = cy - self.size // 2, cx - self.size // 2
        rows, cols = numpy.arange(height), numpy.arange(width)
        in_rows = (rows >= top[:, None]) & (rows < top[:, None] + self.size)
        in_cols = (cols >= left[:, None]) & (cols < left[:, None] + self.size)
        hole = in_rows[:, None, :, None] & in_cols[:, None, None, :]
        return numpy.where(hole, 0, images).astype(images.dtype)


def mixup(images, labels, rng, alpha: float = 0.2):
    """Blend each example with another of the batch: ``λx_i + (1−λ)x_j`` with ``λ ~ Beta(α, α)``.

    Returns ``(mixed, labels_a, labels_b, lam)``; the loss is
    ``lam · loss(out, labels_a) + (1 − lam) · loss(out, labels_b)``, or use
    ``mixup_targets`` for one soft target per example.
    """
    lam = float(rng.beta(alpha, alpha))
    partner = rng.permutation(len(images))
    mixed = (lam * images + (1 - lam) * images[partner]).astype(images.dtype)
    return mixed, labels, labels[partner], lam


def mixup_targets(labels_a, labels_b, lam: float, num_classes: int) -> numpy.ndarray:
    """The soft targets of a mixup batch: ``lam`` on ``labels_a``, ``1 − lam`` on ``labels_b``."""
    eye = numpy.eye(num_classes, dtype=numpy.float32)
    return lam * eye[labels_a] + (1 - lam) * eye[labels_b]
