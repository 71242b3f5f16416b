"""``Parameter``: a tensor that a ``Module`` counts as one of its learnable weights.

Assigning a ``Parameter`` to a module attribute is what registers it, as in
PyTorch. It is a ``Tensor`` in every other way, so ops treat it as a leaf.
"""

from __future__ import annotations

from typing import Any

from graphlab.tensor import Tensor

__all__ = ["Parameter"]


class Parameter(Tensor):
    """A leaf tensor that requires grad by default and that modules list in ``parameters()``."""

    __slots__ = ()

    def __init__(self, data: Any, requires_grad: bool = True) -> None:
        if isinstance(data, Tensor):  # share the array, as torch.nn.Parameter does
            super().__init__(data.data, device=data._backend, requires_grad=requires_grad)
        else:
            super().__init__(data, requires_grad=requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()
