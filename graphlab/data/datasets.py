"""Datasets that load offline: scikit-learn's digits, (Fashion-)MNIST from IDX files, spirals, moons.

Images come as float32 in ``[0, 1]`` with shape ``(N, C, H, W)``, labels as int64:
the layout ``nn.Conv2d`` expects; an MLP starts with ``nn.Flatten()``.
Nothing here downloads anything.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy

from graphlab.data.idx import IDXError, read_idx

FASHION_MNIST_DIR = Path("/usr/share/datasets/fashion-mnist")
"""Where the Debian package ``dataset-fashion-mnist`` installs the IDX files."""

FASHION_MNIST_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                         "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")


_IDX_FILES = ("train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and "
              "t10k-labels-idx1-ubyte (each raw or .gz)")


@dataclass(frozen=True)
class ArrayDataset:
    """Inputs ``x`` and integer labels ``y`` as NumPy arrays; ``dataset[i]`` is ``(x[i], y[i])``."""

    x: numpy.ndarray
    y: numpy.ndarray
    classes: tuple[str, ...] = ()

    def __post_init__(self):
        if len(self.x) != len(self.y):
            raise ValueError(f"ArrayDataset: {len(self.x)} inputs but {len(self.y)} labels; "
                             f"expected one label per input")

    def __len__(self) -> int:
        return len(self.x)

    def __getitem__(self, index):
        return self.x[index], self.y[index]

    def subset(self, count: int) -> ArrayDataset:
        """The first ``count`` examples (a tiny subset to overfit, a quick experiment)."""
        return ArrayDataset(self.x[:count], self.y[:count], self.classes)

    @property
    def num_classes(self) -> int:
        return len(self.classes) or int(self.y.max()) + 1


def load_digits(test_fraction: float = 0.2, seed: int = 0) -> tuple[ArrayDataset, ArrayDataset]:
    """scikit-learn's bundled 8×8 digits (1797 images, no download), split stratified and seeded."""
    try:
        from sklearn.datasets import load_digits as sklearn_digits
        from sklearn.model_selection import train_test_split
    except ModuleNotFoundError as err:
        raise ModuleNotFoundError("load_digits reads the digits that scikit-learn ships, and scikit-learn is not "
                                  "installed: pip install 'graphlab[data]'", name=err.name) from None

    bunch = sklearn_digits()
    images = (bunch.images / 16.0).astype(numpy.float32)[:, None, :, :]
    labels = bunch.target.astype(numpy.int64)
    x_train, x_test, y_train, y_test = train_test_split(
        images, labels, test_size=test_fraction, random_state=seed, stratify=labels)
    classes = tuple(str(d) for d in range(10))
    return ArrayDataset(x_train, y_train, classes), ArrayDataset(x_test, y_test, classes)


def load_idx_pair(images_path: str | os.PathLike, labels_path: str | os.PathLike,
                  classes: tuple[str, ...] = ()) -> ArrayDataset:
    """Images and labels from two IDX files (MNIST's layout: ``(N, H, W)`` uint8 and ``(N,)``)."""
    images, labels = read_idx(images_path), read_idx(labels_path)
    if images.ndim != 3 or images.dtype != numpy.uint8:
        raise IDXError(f"{images_path}: holds {images.dtype} of shape {images.shape}; "
                       f"expected uint8 images of shape (N, H, W)")
    if labels.ndim != 1 or len(labels) != len(images):
        raise IDXError(f"{labels_path}: holds shape {labels.shape}; expected one label per image "
                       f"of {images_path}, shape ({len(images)},)")
    x = (images.astype(numpy.float32) / 255.0)[:, None, :, :]
    return ArrayDataset(x, labels.astype(numpy.int64), classes)


def load_mnist_format(root: str | os.PathLike, classes: tuple[str, ...] = ()
                      ) -> tuple[ArrayDataset, ArrayDataset]:
    """Train and test sets from ``root/{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]``."""
    root = Path(root)
    if not root.is_dir():
        raise IDXError(f"{root}: no such folder; expected a folder holding the four IDX files {_IDX_FILES}")

    def find(stem: str) -> Path:
        for name in (f"{stem}.gz", stem):
            if (root / name).exists():
                return root / name
        raise IDXError(f"{root / stem}[.gz]: no such file; expected the four MNIST-format IDX files "
                       f"{_IDX_FILES} in {root}")

    return tuple(load_idx_pair(find(f"{split}-images-idx3-ubyte"), find(f"{split}-labels-idx1-ubyte"),
                               classes) for split in ("train", "t10k"))


def load_fashion_mnist(root: str | os.PathLike | None = None) -> tuple[ArrayDataset, ArrayDataset]:
    """Fashion-MNIST (60,000 train and 10,000 test 28×28 images) from the Debian package's files.

    Install them with ``apt-get install dataset-fashion-mnist`` or pass ``root``, a folder
    holding the four IDX files.
    """
    if root is None and not FASHION_MNIST_DIR.is_dir():
        raise IDXError(f"Fashion-MNIST is not installed at {FASHION_MNIST_DIR}: install it with "
                       f"`sudo apt-get install dataset-fashion-mnist` (Debian, Ubuntu), or pass root=FOLDER, "
                       f"a folder holding the four IDX files {_IDX_FILES}")
    return load_mnist_format(FASHION_MNIST_DIR if root is None else root, FASHION_MNIST_CLASSES)


def load_mnist(root: str | os.PathLike) -> tuple[ArrayDataset, ArrayDataset]:
    """The original MNIST digits from a folder holding its four IDX files."""
    return load_mnist_format(root, tuple(str(d) for d in range(10)))


def make_spirals(points_per_class: int = 100, classes: int = 3, noise: float = 0.2,
                 seed: int = 0) -> ArrayDataset:
    """cs231n's interleaved spirals: ``classes`` arms in 2-D, not linearly separable."""
    rng = numpy.random.default_rng(seed)
    radius = numpy.tile(numpy.linspace(0.0, 1.0, points_per_class), classes)
    arm = numpy.repeat(numpy.arange(classes), points_per_class)
    angle = (arm * 4.0 + radius * 4.0 + rng.normal(0.0, noise, radius.shape))
    x = numpy.stack([radius * numpy.sin(angle), radius * numpy.cos(angle)], axis=1)
    return ArrayDataset(x.astype(numpy.float32), arm.astype(numpy.int64))


def make_moons(samples: int = 200, noise: float = 0.1, seed: int = 0) -> ArrayDataset:
    """Two interleaving half circles in 2-D (two classes)."""
    rng = numpy.random.default_rng(seed)
    upper = samples // 2
    lower = samples - upper
    t_upper = numpy.linspace(0.0, numpy.pi, upper)
    t_lower = numpy.linspace(0.0, numpy.pi, lower)
    x = numpy.concatenate([
        numpy.stack([numpy.cos(t_upper), numpy.sin(t_upper)], axis=1),
        numpy.stack([1.0 - numpy.cos(t_lower), 0.5 - numpy.sin(t_lower)], axis=1)])
    x += rng.normal(0.0, noise, x.shape)
    y = numpy.concatenate([numpy.zeros(upper), numpy.ones(lower)])
    order = rng.permutation(samples)
    return ArrayDataset(x[order].astype(numpy.float32), y[order].astype(numpy.int64))
