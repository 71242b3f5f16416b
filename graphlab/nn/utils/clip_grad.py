"""``torch.nn.utils``'s gradient clipping, and parameters as one vector."""

from __future__ import annotations

import math
from collections.abc import Iterable

from graphlab.tensor import Tensor, cat, no_grad

__all__ = ["clip_grad_norm_", "clip_grad_value_", "parameters_to_vector", "vector_to_parameters"]


def _with_grads(parameters: Tensor | Iterable[Tensor]) -> list[Tensor]:
    params = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    return [p for p in params if p.grad is not None]


def clip_grad_norm_(parameters: Tensor | Iterable[Tensor], max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False) -> Tensor:
    """Scale every gradient by one factor so that their joint ``norm_type``-norm is at most ``max_norm``;
    returns the norm before clipping."""
    params = _with_grads(parameters)
    if not params:
        return Tensor(0.0)
    xp = params[0]._backend.xp
    if norm_type == math.inf:
        total = max(float(xp.max(xp.abs(p.grad.data))) for p in params)
    else:
        total = sum(float(xp.sum(xp.abs(p.grad.data) ** norm_type)) for p in params) ** (1.0 / norm_type)
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(f"clip_grad_norm_: the total norm of order {norm_type} of the gradients is {total}")
    factor = max_norm / (total + 1e-6)
    if factor < 1.0:
        with no_grad():
            for p in params:
                p.grad.mul_(factor)
    return Tensor(total)


def clip_grad_value_(parameters: Tensor | Iterable[Tensor], clip_value: float) -> None:
    """Clamp every gradient element to ``[-clip_value, clip_value]``."""
    with no_grad():
        for p in _with_grads(parameters):
            p.grad.clamp_(-clip_value, clip_value)


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    return cat([p.reshape(-1) for p in parameters])


def vector_to_parameters(vector: Tensor, parameters: Iterable[Tensor]) -> None:
    start = 0
    with no_grad():
        for p in parameters:
            p.copy_(vector[start:start + p.numel()].reshape(p.shape))
            start += p.numel()
