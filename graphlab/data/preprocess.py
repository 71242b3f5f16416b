"""Preprocessing from the lecture, each fitted on the training set and applied unchanged to the test set.

``fit(train)`` learns the statistics, ``transform(x)`` applies them; fitting on the
test set would leak it. Inputs are NumPy arrays: ``(N, C, H, W)`` images or ``(N, D)``
feature rows.
"""

from __future__ import annotations

import numpy


class _Fitted:
    """``fit`` then ``transform``; ``fit_transform`` for the training set."""

    def fit(self, x: numpy.ndarray):
        raise NotImplementedError

    def transform(self, x: numpy.ndarray) -> numpy.ndarray:
        raise NotImplementedError

    def fit_transform(self, x: numpy.ndarray) -> numpy.ndarray:
        return self.fit(x).transform(x)

    def _require_fitted(self, *names: str) -> None:
        if any(getattr(self, name) is None for name in names):
            raise RuntimeError(f"{type(self).__name__}: call fit(train) before transform(x)")


class MeanImage(_Fitted):
    """Subtract the mean training image (AlexNet's centering): every pixel has its own mean."""

    def __init__(self):
        self.mean: numpy.ndarray | None = None

    def fit(self, x):
        self.mean = numpy.asarray(x, dtype=numpy.float64).mean(axis=0)
        return self

    def transform(self, x):
        self._require_fitted("mean")
        return (x - self.mean).astype(_float_dtype(x))


class ChannelNormalize(_Fitted):
    """Subtract each channel's mean and divide by its standard deviation (VGG/ResNet style)."""

    def __init__(self, eps: float = 1e-8):
        self.eps = eps
        self.mean: numpy.ndarray | None = None
        self.std: numpy.ndarray | None = None

    def fit(self, x):
        x = numpy.asarray(x, dtype=numpy.float64)
        if x.ndim < 2:
            raise ValueError(f"ChannelNormalize: got shape {x.shape}; expected (N, C, ...) or (N, D)")
        axes = (0,) + tuple(range(2, x.ndim))
        shape = (1, x.shape[1]) + (1,) * (x.ndim - 2)
        self.mean = x.mean(axis=axes).reshape(shape)
        self.std = x.std(axis=axes).reshape(shape)
        return self

    def transform(self, x):
        self._require_fitted("mean", "std")
        return ((x - self.mean) / (self.std + self.eps)).astype(_float_dtype(x))


class PCA(_Fitted):
    """Project centered data onto the top principal components; ``whiten`` also scales each to unit variance.

    With ``whiten=True`` the transformed training data has (near) identity covariance:
    the lecture's "decorrelated, then whitened" picture. ``eps`` keeps the division
    finite for components with almost no variance.
    """

    def __init__(self, components: int | None = None, whiten: bool = False, eps: float = 1e-5):
        self.components = components
        self.whiten = whiten
        self.eps = eps
        self.mean: numpy.ndarray | None = None
        self.basis: numpy.ndarray | None = None  # (D, k): principal directions, largest variance first
        self.variances: numpy.ndarray | None = None  # (k,): variance along each direction
        self.total_variance = 0.0

    def fit(self, x):
        rows = _rows(x).astype(numpy.float64)
        self.mean = rows.mean(axis=0)
        centered = rows - self.mean
        covariance = centered.T @ centered / len(rows)
        variances, vectors = numpy.linalg.eigh(covariance)
        order = numpy.argsort(variances)[::-1][: self.components]
        self.variances = numpy.clip(variances[order], 0.0, None)
        self.total_variance = float(numpy.clip(variances, 0.0, None).sum())
        self.basis = vectors[:, order]
        return self

    def transform(self, x):
        self._require_fitted("mean", "basis")
        projected = (_rows(x) - self.mean) @ self.basis
        if self.whiten:
            projected = projected / numpy.sqrt(self.variances + self.eps)
        return projected.astype(numpy.float32)

    def explained_variance_ratio(self) -> numpy.ndarray:
        """Fraction of the total variance each kept component carries."""
        self._require_fitted("variances")
        return self.variances / self.total_variance


def _float_dtype(x) -> numpy.dtype:
    """The input's float dtype, or float32 for integer images: centred pixels are negative and fractional."""
    return numpy.result_type(numpy.asarray(x).dtype, numpy.float32)


def _rows(x) -> numpy.ndarray:
    """``(N, ...)`` flattened to ``(N, D)`` rows, as PCA sees images."""
    x = numpy.asarray(x)
    return x.reshape(len(x), -1)
