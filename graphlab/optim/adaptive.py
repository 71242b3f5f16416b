"""Per-parameter adaptive learning rates: AdaGrad, RMSProp, Adam and AdamW.

==========  ==========================================================================
AdaGrad     ``s += g²``;  ``p −= lr · g / (√s + ε)``  (steps shrink forever)
RMSProp     ``s = α·s + (1 − α)·g²``;  ``p −= lr · g / (√s + ε)``  (a leaky AdaGrad)
Adam        ``m = β₁·m + (1 − β₁)·g``;  ``v = β₂·v + (1 − β₂)·g²``;
            ``m̂ = m / (1 − β₁ᵗ)``;  ``v̂ = v / (1 − β₂ᵗ)``;  ``p −= lr · m̂ / (√v̂ + ε)``
AdamW       Adam, and weight decay applied to the weights directly:
            ``p −= lr · λ · p`` (not added to the gradient, so not rescaled by √v̂)
==========  ==========================================================================

``Adam(bias_correction=False)`` uses ``m`` and ``v`` as they are: at step 1
``v = (1 − β₂)·g²`` is tiny, so the first steps are far too large, which is
the problem bias correction solves.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from graphlab.optim.optimizer import Optimizer


def _check(name: str, lr: float, eps: float) -> None:
    if lr < 0:
        raise ValueError(f"{name}: learning rate must be ≥ 0, got {lr}")
    if eps < 0:
        raise ValueError(f"{name}: eps must be ≥ 0, got {eps}")


class Adagrad(Optimizer):
    """AdaGrad: each weight's step is divided by the root of its summed squared gradients."""

    def __init__(self, params: Iterable[Any], lr: float = 1e-2, lr_decay: float = 0.0, weight_decay: float = 0.0,
                 initial_accumulator_value: float = 0.0, eps: float = 1e-10) -> None:
        _check("Adagrad", lr, eps)
        super().__init__(params, {"lr": lr, "lr_decay": lr_decay, "weight_decay": weight_decay,
                                  "initial_accumulator_value": initial_accumulator_value, "eps": eps})

    def update(self, group, param, grad, state, tensor) -> None:
        if "sum" not in state:
            self.buffer(state, "sum", tensor)[...] = group["initial_accumulator_value"]
            state["step"] = 0
        state["step"] += 1
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * param
        total = state["sum"].data
        total += grad * grad
        lr = group["lr"] / (1 + (state["step"] - 1) * group["lr_decay"])
        param -= lr * (grad / (total ** 0.5 + group["eps"]))


class RMSprop(Optimizer):
    """RMSProp: AdaGrad with a leaky (exponentially weighted) average of squared gradients."""

    def __init__(self, params: Iterable[Any], lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0.0) -> None:
        _check("RMSprop", lr, eps)
        if not 0.0 <= alpha < 1.0:
            raise ValueError(f"RMSprop: alpha (the decay rate) must lie in [0, 1), got {alpha}")
        super().__init__(params, {"lr": lr, "alpha": alpha, "eps": eps, "weight_decay": weight_decay})

    def update(self, group, param, grad, state, tensor) -> None:
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * param
        alpha = group["alpha"]
        square_avg = self.buffer(state, "square_avg", tensor)
        square_avg *= alpha
        square_avg += (1.0 - alpha) * grad * grad
        param -= group["lr"] * (grad / (square_avg ** 0.5 + group["eps"]))


class Adam(Optimizer):
    """Adam: momentum (first moment) and RMSProp (second moment), each bias-corrected."""

    decoupled = False

    def __init__(self, params: Iterable[Any], lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0, bias_correction: bool = True) -> None:
        _check(type(self).__name__, lr, eps)
        if not all(0.0 <= b < 1.0 for b in betas):
            raise ValueError(f"{type(self).__name__}: betas must lie in [0, 1), got {betas}")
        super().__init__(params, {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay,
                                  "bias_correction": bias_correction})

    def update(self, group, param, grad, state, tensor) -> None:
        lr, (beta1, beta2), decay = group["lr"], group["betas"], group["weight_decay"]
        if decay and self.decoupled:
            param *= 1.0 - lr * decay
        elif decay:
            grad = grad + decay * param
        m = self.buffer(state, "exp_avg", tensor)
        v = self.buffer(state, "exp_avg_sq", tensor)
        state["step"] = state.get("step", 0) + 1
        m *= beta1
        m += (1.0 - beta1) * grad
        v *= beta2
        v += (1.0 - beta2) * grad * grad
        if group["bias_correction"]:
            t = state["step"]
            step_size = lr / (1.0 - beta1 ** t)
            denominator = v ** 0.5 / math.sqrt(1.0 - beta2 ** t) + group["eps"]
        else:
            step_size, denominator = lr, v ** 0.5 + group["eps"]
        param -= step_size * (m / denominator)


class AdamW(Adam):
    """Adam with decoupled weight decay: ``p −= lr·λ·p`` each step, outside the adaptive scaling."""

    decoupled = True

    def __init__(self, params: Iterable[Any], lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 1e-2, bias_correction: bool = True) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, bias_correction)
