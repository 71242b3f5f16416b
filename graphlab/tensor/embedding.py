"""Embedding lookup: row ``indices[…]`` of a weight table, as ``torch.nn.functional.embedding``.

The backward pass adds each output row's gradient into the table row it came
from. An index that appears several times receives the sum of its rows'
gradients, so it goes through the backend's scatter-add (``numpy.add.at``,
``cupyx.scatter_add``); ``grad[indices] += rows`` would keep only one of them.
"""

from __future__ import annotations

from typing import Any

from graphlab.tensor.function import Function, guard
from graphlab.tensor.tensor import Tensor, new_tensor


class Embedding(Function):
    __slots__ = ("guards", "key", "padding_idx", "table_shape")
    saved = ("key",)
    name = "embedding"

    @property
    def params(self) -> dict[str, Any]:
        return {} if self.padding_idx is None else {"padding_idx": self.padding_idx}

    def forward(self, weight, indices, padding_idx):
        self.guards = ()  # ``guard`` fills it where a tensor besides the inputs is read
        xp = self.xp
        rows, dim = weight.shape
        flat = xp.reshape(indices, (-1, 1))
        # Integer arrays on both axes: the one spelling of a row gather that every backend accepts.
        self.key = (flat, xp.reshape(xp.arange(dim, dtype=flat.dtype), (1, -1)))
        self.table_shape, self.padding_idx = (rows, dim), padding_idx
        return xp.reshape(weight[self.key], (*indices.shape, dim))

    def backward(self, grad):
        xp = self.xp
        rows, dim = self.table_shape
        table = xp.zeros((rows, dim), dtype=grad.dtype)
        xp.scatter_add(table, self.key, xp.reshape(grad, (-1, dim)))
        if self.padding_idx is not None:
            table[self.padding_idx, ...] = 0.0
        return (table,)


def embedding(indices: Any, weight: Tensor, padding_idx: int | None = None) -> Tensor:
    """Rows of ``weight`` (num_embeddings, dim) picked by integer ``indices`` of any shape.

    The row ``padding_idx``, if given, receives no gradient (PyTorch's padding entry).
    """
    if weight.ndim != 2:
        raise ValueError(f"embedding: weight must be (num_embeddings, embedding_dim), got shape {weight.shape}")
    backend = weight._backend
    if not isinstance(indices, Tensor):
        indices = new_tensor(backend.asarray(indices), backend)
    if indices.dtype != "int64":
        raise TypeError(f"embedding: indices must be integers (int64), got {indices.dtype}")
    if indices._backend is not backend:
        raise RuntimeError(f"embedding: indices on {indices.device} but weight on {weight.device}; "
                           "move them with .to(device) first")
    rows = weight.shape[0]
    if padding_idx is not None and not -rows <= padding_idx < rows:
        raise ValueError(f"embedding: padding_idx {padding_idx} is outside the table's {rows} rows")
    if indices.data.size and not backend.xp.below(indices.data, rows):
        low, high = backend.xp.bounds(indices.data)
        raise IndexError(f"embedding: index {low if low < 0 else high} is out of range for a table "
                         f"of {rows} rows (indices must be 0 … {rows - 1})")
    out = Embedding.apply(weight, indices=indices.data, padding_idx=None if padding_idx is None else padding_idx % rows)
    if out._ctx is not None:
        guard(out._ctx, indices)  # backward scatters by the indices' own array
    return out
