"""``Parameter``: a tensor that a ``Module`` counts as one of its learnable weights.

Assigning a ``Parameter`` to a module attribute is what registers it, as in
PyTorch. It is a ``Tensor`` in every other way, so ops treat it as a leaf.
"""

from __future__ import annotations

from typing import Any

from graphlab.tensor import Tensor
from graphlab.tensor.tensor import counter, new_tensor

__all__ = ["Parameter"]


class Parameter(Tensor):
    """A leaf tensor that requires grad by default and that modules list in ``parameters()``."""

    __slots__ = ()

    def __init__(self, data: Any = None, requires_grad: bool = True) -> None:
        if data is None:
            data = Tensor([])
        if isinstance(data, Tensor):  # the same storage and version counter, as torch.nn.Parameter's
            new_tensor(data.data, data._backend, into=self)
            self._counter = counter(data)
            if requires_grad:
                self.requires_grad_()
        else:
            super().__init__(data, requires_grad=requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()
