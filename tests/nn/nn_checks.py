"""Shared checks for layers and losses: float64 central differences, and parity with a torch twin.

``gradcheck`` perturbs the input and every parameter of a module in place, one
element at a time, and compares d(sum(out · R))/d(element) with backward().
``copy_to_torch`` loads a graphlab module's ``state_dict`` into the torch module of
the same architecture (the names are the same), so both start from one set of weights.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

import graphlab.tensor as gt

STEP = 1e-6
TOLERANCE = 1e-6


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """‖a − n‖ / max(‖a‖ + ‖n‖, 1): relative for gradients of size ≥ 1, absolute below."""
    scale = max(float(np.linalg.norm(analytic) + np.linalg.norm(numeric)), 1.0)
    return float(np.linalg.norm(analytic - numeric) / scale)


def gradcheck(forward: Callable[[], gt.Tensor], leaves: dict[str, gt.Tensor], seed: int = 0) -> None:
    """Every leaf's ``.grad`` from backward() equals central differences of ``sum(forward() · R)``.

    ``leaves`` are float64 tensors that ``forward`` reads (the input, the parameters);
    they are nudged in place and restored.
    """
    for t in leaves.values():
        assert t.dtype == "float64", "gradient checks run in float64"
        t.grad = None
    out = forward()
    projection = np.random.default_rng(seed).standard_normal(out.shape)
    (out * gt.tensor(projection, dtype="float64")).sum().backward()

    def value() -> float:
        with gt.no_grad():
            return float(np.sum(forward().numpy() * projection))

    checked = 0
    for name, t in leaves.items():
        assert t.grad is not None, f"{name} got no gradient"
        array = t.data
        numeric = np.zeros(array.shape)
        for index in np.ndindex(array.shape):
            original = float(array[index])
            array[index] = original + STEP
            plus = value()
            array[index] = original - STEP
            minus = value()
            array[index] = original
            numeric[index] = (plus - minus) / (2 * STEP)
        error = relative_error(t.grad.numpy(), numeric)
        assert error < TOLERANCE, f"{name}: relative error {error:.2e}\nanalytic\n{t.grad.numpy()}\nnumeric\n{numeric}"
        checked += 1
    assert checked == len(leaves)


def module_leaves(module, x: gt.Tensor | None) -> dict[str, gt.Tensor]:
    """The input (if it is a float tensor) and every parameter, by name."""
    leaves = {} if x is None else {"input": x}
    leaves.update(dict(module.named_parameters()))
    return leaves


def float64_input(shape: tuple[int, ...], seed: int = 0, low: float | None = None) -> gt.Tensor:
    """Random float64 input that needs a gradient; ``low`` keeps magnitudes above a kink (|x| ≥ low)."""
    rng = np.random.default_rng(seed)
    values = rng.standard_normal(shape)
    if low is not None:
        values = np.sign(values) * (low + np.abs(values))
    return gt.tensor(values, dtype="float64", requires_grad=True)


def copy_to_torch(torch, module, torch_module) -> None:
    """Load ``module``'s weights and buffers into ``torch_module`` (the same names), in float64."""
    state = {name: torch.from_numpy(np.array(t.numpy(), copy=True)) for name, t in module.state_dict().items()}
    torch_module.double()
    torch_module.load_state_dict(state, strict=True)


def compare_with_torch(torch, module, torch_module, x: gt.Tensor, seed: int = 1, rtol: float = 1e-9) -> None:
    """Forward, input gradient, parameter gradients and buffers of the two modules agree."""
    projection = np.random.default_rng(seed).standard_normal
    for t in module.parameters():
        t.grad = None
    x.grad = None
    torch_module.zero_grad(set_to_none=True)
    out = module(x)
    r = projection(out.shape)
    (out * gt.tensor(r, dtype="float64")).sum().backward()

    tx = torch.tensor(x.numpy(), requires_grad=x.requires_grad)
    tout = torch_module(tx)
    (tout * torch.from_numpy(r)).sum().backward()

    np.testing.assert_allclose(out.numpy(), tout.detach().numpy(), rtol=rtol, atol=1e-12, err_msg="forward")
    if x.requires_grad:
        np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=rtol, atol=1e-12, err_msg="input gradient")
    theirs = dict(torch_module.named_parameters())
    for name, p in module.named_parameters():
        np.testing.assert_allclose(p.grad.numpy(), theirs[name].grad.numpy(), rtol=rtol, atol=1e-12,
                                   err_msg=f"gradient of {name}")
    their_buffers = dict(torch_module.named_buffers())
    for name, b in module.named_buffers():
        np.testing.assert_allclose(b.numpy(), their_buffers[name].numpy(), rtol=rtol, atol=1e-12,
                                   err_msg=f"buffer {name}")
