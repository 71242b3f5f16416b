"""Data for training: offline datasets, the lecture's preprocessing, augmentation, and a ``DataLoader``."""

from graphlab.data.augment import (
    ColorJitter,
    Compose,
    Cutout,
    HorizontalFlip,
    RandomCrop,
    RandomScale,
    mixup,
    mixup_targets,
)
from graphlab.data.datasets import (
    ArrayDataset,
    load_digits,
    load_fashion_mnist,
    load_idx_pair,
    load_mnist,
    load_mnist_format,
    make_moons,
    make_spirals,
)
from graphlab.data.idx import IDXError, read_idx, write_idx
from graphlab.data.loader import DataLoader, Dataset, Subset, TensorDataset, default_collate, random_split
from graphlab.data.preprocess import PCA, ChannelNormalize, MeanImage

__all__ = [
    "PCA",
    "ArrayDataset",
    "ChannelNormalize",
    "ColorJitter",
    "Compose",
    "Cutout",
    "DataLoader",
    "Dataset",
    "HorizontalFlip",
    "IDXError",
    "MeanImage",
    "RandomCrop",
    "RandomScale",
    "Subset",
    "TensorDataset",
    "default_collate",
    "load_digits",
    "load_fashion_mnist",
    "load_idx_pair",
    "load_mnist",
    "load_mnist_format",
    "make_moons",
    "make_spirals",
    "mixup",
    "mixup_targets",
    "random_split",
    "read_idx",
    "write_idx",
]
