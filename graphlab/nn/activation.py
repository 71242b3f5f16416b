"""Activation functions as layers, each a thin module over the tensor engine's op of the same name."""

from __future__ import annotations

from graphlab.nn import functional as F
from graphlab.nn.linear import Linear
from graphlab.nn.module import Module
from graphlab.nn.parameter import Parameter
from graphlab.ops import OPS
from graphlab.tensor import Tensor, full

__all__ = [
    "ELU",
    "GELU",
    "SELU",
    "Hardtanh",
    "LeakyReLU",
    "LogSoftmax",
    "Maxout",
    "PReLU",
    "ReLU",
    "SiLU",
    "Sigmoid",
    "Softmax",
    "Softplus",
    "Swish",
    "Tanh",
]


class Sigmoid(Module):
    """σ(x) = 1/(1 + e⁻ˣ): saturates at both ends and is not zero-centred."""

    def forward(self, x: Tensor) -> Tensor:
        return x.sigmoid()


class Tanh(Module):
    """tanh(x): zero-centred, still saturates."""

    def forward(self, x: Tensor) -> Tensor:
        return x.tanh()


class ReLU(Module):
    """max(0, x): no saturation for x > 0; a unit whose input stays negative is dead."""

    def forward(self, x: Tensor) -> Tensor:
        return x.relu()


class LeakyReLU(Module):
    """max(αx, x) with a small fixed slope α, so no unit dies."""

    def __init__(self, negative_slope: float = 0.01) -> None:
        super().__init__()
        self.negative_slope = negative_slope

    def forward(self, x: Tensor) -> Tensor:
        return x.leaky_relu(self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class PReLU(Module):
    """max(0, x) + a·min(0, x) with the slope ``a`` learned (one, or one per channel)."""

    def __init__(self, num_parameters: int = 1, init: float = 0.25, dtype: str = "float32",
                 device: str | None = None) -> None:
        super().__init__()
        self.num_parameters = num_parameters
        self.weight = Parameter(full((num_parameters,), init, dtype=dtype, device=device))

    def forward(self, x: Tensor) -> Tensor:
        return F.prelu(x, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"


class ELU(Module):
    """x for x > 0, α(eˣ − 1) below: negative outputs push the mean toward zero."""

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__()
        self.alpha = alpha

    def forward(self, x: Tensor) -> Tensor:
        return x.elu(self.alpha)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}"


class SELU(Module):
    """λ·ELU(x; α) with the constants that make a deep MLP self-normalising."""

    def forward(self, x: Tensor) -> Tensor:
        return x.selu()


class Hardtanh(Module):
    """x clipped to [min_val, max_val]: bounded like tanh at a ReLU's cost (ReLU6 is ``Hardtanh(0, 6)``)."""

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0) -> None:
        super().__init__()
        refusal = OPS["hardtanh"].refusal({"min_val": min_val, "max_val": max_val})
        if refusal:
            raise ValueError(f"Hardtanh: {refusal}")
        self.min_val, self.max_val = min_val, max_val

    def forward(self, x: Tensor) -> Tensor:
        return x.hardtanh(self.min_val, self.max_val)

    def extra_repr(self) -> str:
        return f"min_val={self.min_val}, max_val={self.max_val}"


class GELU(Module):
    """x·Φ(x), exact or with the tanh approximation (``approximate="tanh"``)."""

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        self.approximate = approximate

    def forward(self, x: Tensor) -> Tensor:
        return x.gelu(self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class SiLU(Module):
    """Swish: x·σ(βx); β = 1 is SiLU."""

    def __init__(self, beta: float = 1.0) -> None:
        super().__init__()
        self.beta = beta

    def forward(self, x: Tensor) -> Tensor:
        return x.silu(self.beta)

    def extra_repr(self) -> str:
        return f"beta={self.beta}" if self.beta != 1.0 else ""


Swish = SiLU


class Softplus(Module):
    """log(1 + e^(βx))/β: a smooth ReLU."""

    def __init__(self, beta: float = 1.0) -> None:
        super().__init__()
        self.beta = beta

    def forward(self, x: Tensor) -> Tensor:
        return F.softplus(x, self.beta)

    def extra_repr(self) -> str:
        return f"beta={self.beta}"


class Maxout(Module):
    """max(w₁ᵀx + b₁, …, w_kᵀx + b_k) per output: ``pieces`` linear maps and their maximum."""

    def __init__(self, in_features: int, out_features: int, pieces: int = 2) -> None:
        super().__init__()
        self.pieces = pieces
        self.linear = Linear(in_features, out_features * pieces)

    def forward(self, x: Tensor) -> Tensor:
        return F.maxout(self.linear(x), self.pieces)

    def extra_repr(self) -> str:
        return f"pieces={self.pieces}"


class Softmax(Module):
    """Scores → probabilities along ``dim``."""

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, x: Tensor) -> Tensor:
        return x.softmax(self.dim)


class LogSoftmax(Softmax):
    """Scores → log-probabilities along ``dim`` (stable)."""

    def forward(self, x: Tensor) -> Tensor:
        return x.log_softmax(self.dim)
