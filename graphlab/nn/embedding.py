"""``Embedding``: a learned vector per token id, looked up by indexing."""

from __future__ import annotations

from graphlab.nn import functional as F
from graphlab.nn import init
from graphlab.nn.module import Module
from graphlab.nn.parameter import Parameter
from graphlab.tensor import Tensor, zeros

__all__ = ["Embedding"]


class Embedding(Module):
    """Row ``i`` of the weight is the vector of id ``i``; N(0, 1) at the start, as PyTorch.

    The row ``padding_idx``, if given, starts at zero and is never trained.
    """

    def __init__(self, num_embeddings: int, embedding_dim: int, padding_idx: int | None = None,
                 dtype: str = "float32", device: str | None = None) -> None:
        super().__init__()
        self.num_embeddings, self.embedding_dim, self.padding_idx = num_embeddings, embedding_dim, padding_idx
        self.weight = Parameter(zeros(num_embeddings, embedding_dim, dtype=dtype, device=device))
        init.normal_(self.weight)
        if padding_idx is not None:
            self.weight.data[padding_idx] = 0

    def forward(self, indices: Tensor) -> Tensor:
        return F.embedding(indices, self.weight, self.padding_idx)

    def extra_repr(self) -> str:
        return f"{self.num_embeddings}, {self.embedding_dim}"
