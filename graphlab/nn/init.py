"""Weight initialisation from the lecture, with ``torch.nn.init``'s names; every function fills in place.

=========================  =====================================================
``constant_`` / ``zeros_``  every weight the same (all zeros: the symmetry failure,
                            every hidden unit computes and learns the same thing)
``small_random_``           ``0.01 · randn``: fine for a shallow net, activations
                            shrink to zero layer after layer in a deep one
``xavier_normal_``          std ``gain · √(2 / (fan_in + fan_out))`` (Glorot)
``xavier_uniform_``         U(−a, a) with ``a = gain · √(6 / (fan_in + fan_out))``
``kaiming_normal_``         std ``gain / √fan`` with ``gain = √2`` for ReLU (He)
``kaiming_uniform_``        U(−b, b) with ``b = gain · √(3 / fan)``
``zero_residual_branch_``   the last layer of a residual branch starts at zero, so
                            every block starts as the identity
=========================  =====================================================

A weight of shape ``(out, in, kh, kw)`` (a conv) has ``fan_in = in · kh · kw`` and
``fan_out = out · kh · kw``: every output sums over a whole receptive field.
"""

from __future__ import annotations

import math

from graphlab.tensor import Generator, Tensor, no_grad, rand, randn

_LINEAR_LIKE = ("linear", "identity", "conv1d", "conv2d", "conv3d", "sigmoid")


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The factor that keeps the activations' variance steady through ``nonlinearity`` (PyTorch's values)."""
    if nonlinearity in _LINEAR_LIKE:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else float(param)
        return math.sqrt(2.0 / (1 + slope ** 2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"calculate_gain: unknown nonlinearity {nonlinearity!r}; expected one of "
                     "linear, conv2d, sigmoid, tanh, relu, leaky_relu, selu")


def fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    """``(fan_in, fan_out)`` of a weight: ``(in, out)`` times the kernel's size for a conv."""
    if tensor.ndim < 2:
        raise ValueError(f"fan in and fan out need a weight with at least 2 dimensions, got shape {tensor.shape}")
    receptive_field = 1
    for n in tensor.shape[2:]:
        receptive_field *= n
    return tensor.shape[1] * receptive_field, tensor.shape[0] * receptive_field


def _fan(tensor: Tensor, mode: str) -> int:
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"mode must be 'fan_in' or 'fan_out', got {mode!r}")
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def _fill(tensor: Tensor, values: Tensor) -> Tensor:
    with no_grad():
        tensor.copy_(values)
    return tensor


def constant_(tensor: Tensor, value: float) -> Tensor:
    with no_grad():
        tensor.fill_(value)
    return tensor


def zeros_(tensor: Tensor) -> Tensor:
    return constant_(tensor, 0.0)


def ones_(tensor: Tensor) -> Tensor:
    return constant_(tensor, 1.0)


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, generator: Generator | None = None) -> Tensor:
    noise = randn(tensor.shape, dtype=tensor.dtype, generator=generator, device=tensor.device)
    return _fill(tensor, noise * std + mean)


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0, generator: Generator | None = None) -> Tensor:
    noise = rand(tensor.shape, dtype=tensor.dtype, generator=generator, device=tensor.device)
    return _fill(tensor, noise * (b - a) + a)


def small_random_(tensor: Tensor, scale: float = 0.01, generator: Generator | None = None) -> Tensor:
    """``scale · randn``: the lecture's first try (0.01)."""
    return normal_(tensor, 0.0, scale, generator)


def xavier_normal_(tensor: Tensor, gain: float = 1.0, generator: Generator | None = None) -> Tensor:
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), generator)


def xavier_uniform_(tensor: Tensor, gain: float = 1.0, generator: Generator | None = None) -> Tensor:
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor: Tensor, a: float = 0.0, mode: str = "fan_in", nonlinearity: str = "relu",
                    generator: Generator | None = None) -> Tensor:
    """He init: std ``gain / √fan``; ``a`` is the leaky-ReLU slope when ``nonlinearity="leaky_relu"``."""
    std = calculate_gain(nonlinearity, a) / math.sqrt(_fan(tensor, mode))
    return normal_(tensor, 0.0, std, generator)


def kaiming_uniform_(tensor: Tensor, a: float = 0.0, mode: str = "fan_in", nonlinearity: str = "relu",
                     generator: Generator | None = None) -> Tensor:
    bound = calculate_gain(nonlinearity, a) * math.sqrt(3.0 / _fan(tensor, mode))
    return uniform_(tensor, -bound, bound, generator)


def default_linear_(weight: Tensor, bias: Tensor | None, generator: Generator | None = None) -> None:
    """PyTorch's default for Linear and Conv: U(−1/√fan_in, 1/√fan_in) for weight and bias."""
    bound = 1.0 / math.sqrt(fan_in_and_fan_out(weight)[0])
    uniform_(weight, -bound, bound, generator)
    if bias is not None:
        uniform_(bias, -bound, bound, generator)


def zero_residual_branch_(block) -> None:
    """Zero the last weighted layer of ``block.branch`` (a BatchNorm's γ or a Linear/Conv weight and bias).

    The block then starts as ``x + 0 = x``: a deep residual network starts as a
    shallow one and grows its branches as it trains.
    """
    branch = getattr(block, "branch", block)
    last = None
    for module in branch.modules():
        if getattr(module, "weight", None) is not None:
            last = module
    if last is None:
        raise ValueError(f"zero_residual_branch_: {type(branch).__name__} has no layer with a weight")
    zeros_(last.weight)
    if getattr(last, "bias", None) is not None:
        zeros_(last.bias)
