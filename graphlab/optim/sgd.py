"""Stochastic gradient descent, plain or with momentum in the three forms that courses and PyTorch write.

=========================  ======================================  =====================
``momentum_form``          velocity update                          parameter update
=========================  ======================================  =====================
``"pytorch"`` (default)    ``v = μ·v + g`` (``v = g`` at step 1)    ``p −= lr·v``
``"ema"``                  ``v = ρ·v + (1 − ρ)·g``                  ``p −= lr·v``
``"velocity"``             ``v = ρ·v − lr·g``                       ``p += v``
=========================  ======================================  =====================

With a constant learning rate ``"pytorch"`` and ``"velocity"`` take identical steps
(``v_velocity = −lr·v_pytorch``); they differ once a schedule changes ``lr``. The
``"ema"`` form averages gradients, so its steps are ``(1 − ρ)`` times smaller:
the same trajectory needs ``lr / (1 − ρ)``.

Nesterov (``nesterov=True``) looks ahead along the velocity. In the PyTorch form
the step is ``p −= lr·(g + μ·v)``; in the velocity form it is the lecture's
change of variables ``p += −ρ·v_old + (1 + ρ)·v``. Both give the same steps.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graphlab.optim.optimizer import _REQUIRED, Optimizer

MOMENTUM_FORMS = ("pytorch", "ema", "velocity")


class SGD(Optimizer):
    """``p −= lr·g``, with optional momentum (see the module's table), Nesterov and L2 weight decay."""

    def __init__(self, params: Iterable[Any], lr: float = _REQUIRED, momentum: float = 0.0, dampening: float = 0.0,
                 weight_decay: float = 0.0, nesterov: bool = False, momentum_form: str = "pytorch") -> None:
        if lr is not _REQUIRED and lr < 0:
            raise ValueError(f"SGD: learning rate must be ≥ 0, got {lr}")
        if momentum < 0:
            raise ValueError(f"SGD: momentum must be ≥ 0, got {momentum}")
        if momentum_form not in MOMENTUM_FORMS:
            raise ValueError(f"SGD: momentum_form must be one of {', '.join(MOMENTUM_FORMS)}, got {momentum_form!r}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("SGD: Nesterov momentum needs momentum > 0 and dampening = 0")
        if nesterov and momentum_form == "ema":
            raise ValueError("SGD: nesterov is defined for momentum_form 'pytorch' or 'velocity', not 'ema'")
        super().__init__(params, {"lr": lr, "momentum": momentum, "dampening": dampening,
                                  "weight_decay": weight_decay, "nesterov": nesterov,
                                  "momentum_form": momentum_form})

    def update(self, group, param, grad, state, tensor) -> None:
        lr, mu, decay = group["lr"], group["momentum"], group["weight_decay"]
        if decay:
            grad = grad + decay * param
        if not mu:
            param -= lr * grad
            return
        form = group["momentum_form"]
        if form == "pytorch":
            first = "momentum_buffer" not in state
            v = self.buffer(state, "momentum_buffer", tensor)
            if first:
                v[...] = grad
            else:
                v *= mu
                v += (1.0 - group["dampening"]) * grad
            param -= lr * (grad + mu * v if group["nesterov"] else v)
        elif form == "ema":
            v = self.buffer(state, "momentum_buffer", tensor)
            v *= mu
            v += (1.0 - mu) * grad
            param -= lr * v
        else:
            v = self.buffer(state, "momentum_buffer", tensor)
            previous = tensor._backend.xp.copy(v) if group["nesterov"] else None
            v *= mu
            v -= lr * grad
            param += (1.0 + mu) * v - mu * previous if group["nesterov"] else v
