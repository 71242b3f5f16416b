"""Learning-rate schedules from the lecture, shaped like ``torch.optim.lr_scheduler``.

A schedule sets ``optimizer.param_groups[i]["lr"]`` from the group's initial rate
and the step count ``t`` (``last_epoch``), each from its closed-form formula, so the
rate at any step can be read without replaying the steps. Call ``scheduler.step()``
after ``optimizer.step()``, once per epoch or once per iteration, as you choose.

=====================  =============================================
``StepLR``             ``lr₀ · γ^⌊t / step_size⌋``
``ExponentialLR``      ``lr₀ · γ^t``
``InverseTimeLR``      ``lr₀ / (1 + decay · t)``
``LinearDecayLR``      ``(1 − t/τ) · lr₀ + (t/τ) · lr_τ`` until ``τ``, then the floor ``lr_τ``
``CosineAnnealingLR``  ``η_min + (lr₀ − η_min) · (1 + cos(π t / T)) / 2``
``WarmupLR``           linear from ``start_factor · lr₀`` to ``lr₀`` in ``warmup`` steps,
                       then another schedule (counted from the end of warm-up)
=====================  =============================================
"""

from __future__ import annotations

import math


class LRScheduler:
    """Base: subclasses give ``lr_at(base_lr, t)``; ``step()`` writes it into every param group."""

    def __init__(self, optimizer, last_epoch: int = -1):
        self.optimizer = optimizer
        for group in optimizer.param_groups:
            group.setdefault("initial_lr", group["lr"])
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._last_lr: list[float] = []
        self.step()

    def lr_at(self, base_lr: float, t: int) -> float:
        raise NotImplementedError

    def get_lr(self) -> list[float]:
        """The rates of the current step, one per param group."""
        return [self.lr_at(base, self.last_epoch) for base in self.base_lrs]

    def step(self) -> None:
        """Advance one step and set every group's ``lr``."""
        self.last_epoch += 1
        self._last_lr = self.get_lr()
        for group, lr in zip(self.optimizer.param_groups, self._last_lr):
            group["lr"] = lr

    def get_last_lr(self) -> list[float]:
        """The rates the last ``step()`` set."""
        return list(self._last_lr)

    def state_dict(self) -> dict:
        """Everything but the optimizer (which has its own ``state_dict``)."""
        return {key: value.state_dict() if isinstance(value, LRScheduler) else value
                for key, value in self.__dict__.items() if key != "optimizer"}

    def load_state_dict(self, state: dict) -> None:
        for key, value in state.items():
            current = self.__dict__.get(key)
            if isinstance(current, LRScheduler):
                current.load_state_dict(value)
            else:
                self.__dict__[key] = value

    def __repr__(self) -> str:
        return f"{type(self).__name__}(step={self.last_epoch}, lr={self._last_lr})"


class StepLR(LRScheduler):
    """Step decay: multiply the rate by ``gamma`` every ``step_size`` steps."""

    def __init__(self, optimizer, step_size: int, gamma: float = 0.1, last_epoch: int = -1):
        if step_size < 1:
            raise ValueError(f"StepLR: step_size={step_size}; expected a positive integer")
        self.step_size, self.gamma = step_size, gamma
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr, t):
        return base_lr * self.gamma ** (t // self.step_size)


class ExponentialLR(LRScheduler):
    """Exponential decay: multiply the rate by ``gamma`` every step."""

    def __init__(self, optimizer, gamma: float, last_epoch: int = -1):
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr, t):
        return base_lr * self.gamma ** t


class InverseTimeLR(LRScheduler):
    """``1/t`` decay: ``lr₀ / (1 + decay · t)``."""

    def __init__(self, optimizer, decay: float, last_epoch: int = -1):
        if decay < 0:
            raise ValueError(f"InverseTimeLR: decay={decay}; expected decay >= 0")
        self.decay = decay
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr, t):
        return base_lr / (1 + self.decay * t)


class LinearDecayLR(LRScheduler):
    """Linear decay to a floor: ``lr_τ = end_factor · lr₀`` is reached at step ``total_iters`` (τ) and kept.

    The Deep Learning book's rule for SGD: ``ε_k = (1 − α) ε₀ + α ε_τ`` with ``α = k/τ``,
    ``ε_τ`` about 1 % of ``ε₀``.
    """

    def __init__(self, optimizer, total_iters: int, end_factor: float = 0.01, last_epoch: int = -1):
        if total_iters < 1:
            raise ValueError(f"LinearDecayLR: total_iters={total_iters}; expected a positive integer")
        self.total_iters, self.end_factor = total_iters, end_factor
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr, t):
        alpha = min(t, self.total_iters) / self.total_iters
        return base_lr * (1 - alpha) + base_lr * self.end_factor * alpha


class CosineAnnealingLR(LRScheduler):
    """Cosine decay from ``lr₀`` to ``eta_min`` over ``T_max`` steps (it rises again after, as PyTorch's)."""

    def __init__(self, optimizer, T_max: int, eta_min: float = 0.0, last_epoch: int = -1):
        if T_max < 1:
            raise ValueError(f"CosineAnnealingLR: T_max={T_max}; expected a positive integer")
        self.T_max, self.eta_min = T_max, eta_min
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr, t):
        return self.eta_min + (base_lr - self.eta_min) * (1 + math.cos(math.pi * t / self.T_max)) / 2


class ConstantLR(LRScheduler):
    """The initial rate at every step: what ``WarmupLR`` continues with when no schedule follows."""

    def lr_at(self, base_lr, t):
        return base_lr


class WarmupLR(LRScheduler):
    """Linear warm-up from ``start_factor · lr₀`` to ``lr₀`` over ``warmup_iters`` steps, then ``after``.

    ``after`` is another schedule on the same optimizer (its step count starts at 0
    when warm-up ends); without one the rate stays at ``lr₀``.
    """

    def __init__(self, optimizer, warmup_iters: int, start_factor: float = 0.1,
                 after: LRScheduler | None = None, last_epoch: int = -1):
        if warmup_iters < 1:
            raise ValueError(f"WarmupLR: warmup_iters={warmup_iters}; expected a positive integer")
        if after is not None and after.optimizer is not optimizer:
            raise ValueError("WarmupLR: the schedule after warm-up must act on the same optimizer")
        self.warmup_iters, self.start_factor = warmup_iters, start_factor
        self.after = after if after is not None else ConstantLR(optimizer)
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr, t):
        if t < self.warmup_iters:
            return base_lr * (self.start_factor + (1 - self.start_factor) * t / self.warmup_iters)
        return self.after.lr_at(base_lr, t - self.warmup_iters)
