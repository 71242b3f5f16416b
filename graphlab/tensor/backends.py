"""``torch.backends``: the switches PyTorch scripts set, and the question whether Apple's MPS is there.

graphlab runs on NumPy or CuPy and is deterministic whatever cuDNN's switches
say: they are kept (so a script can read back what it set) and change nothing.
"""

from __future__ import annotations

from types import SimpleNamespace


def _never() -> bool:
    return False


mps = SimpleNamespace(is_available=_never, is_built=_never)
"""Apple's Metal backend, which graphlab does not have."""

cudnn = SimpleNamespace(enabled=True, benchmark=False, deterministic=False, allow_tf32=True, is_available=_never)
"""cuDNN's switches: graphlab's convolutions are its own code on either backend, so these change nothing."""

__all__ = ["cudnn", "mps"]
