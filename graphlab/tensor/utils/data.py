"""``torch.utils.data``'s names for graphlab's own data loading (``graphlab.data.loader``)."""

from graphlab.data.loader import DataLoader, Dataset, Subset, TensorDataset, default_collate, random_split

__all__ = ["DataLoader", "Dataset", "Subset", "TensorDataset", "default_collate", "random_split"]
