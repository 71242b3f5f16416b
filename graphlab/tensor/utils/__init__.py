"""``torch.utils``'s spelling: ``graphlab.tensor.utils.data`` holds the data loading API."""

from graphlab.tensor.utils import data

__all__ = ["data"]
