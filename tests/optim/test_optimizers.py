"""Optimizers: 100 steps in lock-step with torch.optim, and the lecture's own formulas written out in NumPy.

Both sides start from the same weights and are handed the same gradient function
(computed in NumPy from each side's current weights), so any difference comes
from the update rule alone. The RMSProp weight-decay case stops short of the minimum: there it
divides two vanishing numbers (g / √avg), which turns a last-bit difference
(torch fuses ``g + λ·w`` into one rounding) into a visible one within a few steps.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import graphlab.tensor as gt
from graphlab import nn, optim

STEPS = 100
SCALES = [np.geomspace(0.05, 5.0, 6).reshape(2, 3), np.array([0.1, 3.0])]
"""Curvature per coordinate, from flat to steep, so adaptive methods differ from SGD."""


def gradient(values: list[np.ndarray]) -> list[np.ndarray]:
    """∇ of Σ c/2·(w − 1)² + w⁴/40: a bowl with uneven curvature and a non-quadratic wall."""
    return [c * (w - 1.0) + 0.1 * w ** 3 for c, w in zip(SCALES, values)]


def start() -> list[np.ndarray]:
    rng = np.random.default_rng(0)
    return [rng.standard_normal(c.shape) for c in SCALES]


def groups(params, lrs):
    """Two parameter groups when the case gives two learning rates."""
    return [{"params": [p], "lr": lr} for p, lr in zip(params, lrs)] if lrs else params


def run_graphlab(make, lrs=None, steps=STEPS):
    params = [nn.Parameter(gt.tensor(w, dtype="float64")) for w in start()]
    opt = make(groups(params, lrs))
    history = []
    for _ in range(steps):
        for p, g in zip(params, gradient([p.numpy() for p in params])):
            p.grad = gt.tensor(g, dtype="float64")
        opt.step()
        history.append([p.numpy().copy() for p in params])
    return history


def run_torch(torch, make, lrs=None, steps=STEPS):
    params = [torch.nn.Parameter(torch.from_numpy(w)) for w in start()]
    opt = make(groups(params, lrs))
    history = []
    for _ in range(steps):
        for p, g in zip(params, gradient([p.detach().numpy() for p in params])):
            p.grad = torch.from_numpy(g)
        opt.step()
        history.append([p.detach().numpy().copy() for p in params])
    return history


# name: (graphlab optimizer, torch optimizer name, options, per-group learning rates)
CASES = {
    "sgd": (optim.SGD, "SGD", {"lr": 0.05}, None),
    "sgd-momentum": (optim.SGD, "SGD", {"lr": 0.05, "momentum": 0.9}, None),
    "sgd-dampening-decay": (optim.SGD, "SGD",
                            {"lr": 0.05, "momentum": 0.8, "dampening": 0.3, "weight_decay": 0.01}, None),
    "sgd-nesterov-groups": (optim.SGD, "SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True}, [0.05, 0.01]),
    "adagrad": (optim.Adagrad, "Adagrad", {"lr": 0.3}, None),
    "adagrad-decay": (optim.Adagrad, "Adagrad",
                      {"lr": 0.3, "lr_decay": 0.01, "weight_decay": 0.01, "initial_accumulator_value": 0.1}, None),
    "rmsprop": (optim.RMSprop, "RMSprop", {"lr": 0.01}, None),
    "rmsprop-alpha-groups": (optim.RMSprop, "RMSprop", {"lr": 0.02, "alpha": 0.9}, [0.02, 0.005]),
    "rmsprop-decay": (optim.RMSprop, "RMSprop", {"lr": 0.002, "weight_decay": 0.05}, None),
    "adam": (optim.Adam, "Adam", {"lr": 0.05}, None),
    "adam-betas-decay": (optim.Adam, "Adam", {"lr": 0.05, "betas": (0.8, 0.99), "weight_decay": 0.02}, [0.05, 0.1]),
    "adamw": (optim.AdamW, "AdamW", {"lr": 0.05}, None),
    "adamw-decay": (optim.AdamW, "AdamW", {"lr": 0.05, "weight_decay": 0.3}, None),
}


@pytest.mark.parametrize("name", CASES)
def test_100_steps_match_torch(name):
    torch = pytest.importorskip("torch")
    ours, theirs, options, lrs = CASES[name]
    mine = run_graphlab(lambda p: ours(p, **options), lrs)
    reference = run_torch(torch, lambda p: getattr(torch.optim, theirs)(p, **options), lrs)
    for step, (a, b) in enumerate(zip(mine, reference)):
        for k, (x, y) in enumerate(zip(a, b)):
            np.testing.assert_allclose(x, y, rtol=1e-10, atol=1e-12, err_msg=f"step {step + 1}, parameter {k}")
    assert not np.allclose(mine[-1][0], start()[0]), "the parameters moved"


def numpy_run(update, steps=STEPS):
    """The formula applied to the same problem: ``update(w, g, state) -> w``, one state dict per parameter."""
    ws, states, history = start(), [{} for _ in SCALES], []
    for _ in range(steps):
        ws = [update(w, g, s) for w, g, s in zip(ws, gradient(ws), states)]
        history.append([w.copy() for w in ws])
    return history


def assert_same(mine, formula):
    for step, (a, b) in enumerate(zip(mine, formula)):
        for x, y in zip(a, b):
            np.testing.assert_allclose(x, y, rtol=1e-11, atol=1e-13, err_msg=f"step {step + 1}")


def test_ema_momentum_is_the_formula():
    rho, lr = 0.9, 0.3

    def ema(w, g, s):
        s["v"] = rho * s.get("v", 0.0) + (1 - rho) * g  # v = ρv + (1 − ρ)g
        return w - lr * s["v"]

    assert_same(run_graphlab(lambda p: optim.SGD(p, lr=lr, momentum=rho, momentum_form="ema")), numpy_run(ema))


def test_velocity_momentum_is_the_formula():
    rho, lr = 0.9, 0.05

    def velocity(w, g, s):
        s["v"] = rho * s.get("v", 0.0) - lr * g  # v = ρv − εg; w += v
        return w + s["v"]

    assert_same(run_graphlab(lambda p: optim.SGD(p, lr=lr, momentum=rho, momentum_form="velocity")),
                numpy_run(velocity))


def test_velocity_nesterov_is_the_lookahead_formula():
    """The lecture's Nesterov: the gradient at the look-ahead point w + ρv; the optimizer tracks w̃ = w + ρv."""
    rho, lr = 0.9, 0.05
    ws, vs, history = start(), [np.zeros(c.shape) for c in SCALES], []
    for _ in range(STEPS):
        ahead = gradient([w + rho * v for w, v in zip(ws, vs)])
        vs = [rho * v - lr * g for v, g in zip(vs, ahead)]
        ws = [w + v for w, v in zip(ws, vs)]
        history.append([w + rho * v for w, v in zip(ws, vs)])
    # w̃ starts at w₀ (v₀ = 0), so both runs start from the same point
    mine = run_graphlab(lambda p: optim.SGD(p, lr=lr, momentum=rho, momentum_form="velocity", nesterov=True))
    assert_same(mine, history)


def test_pytorch_and_velocity_forms_agree_at_a_constant_rate():
    a = run_graphlab(lambda p: optim.SGD(p, lr=0.05, momentum=0.9))
    b = run_graphlab(lambda p: optim.SGD(p, lr=0.05, momentum=0.9, momentum_form="velocity"))
    assert_same(a, b)


def adam_formula(lr, beta1, beta2, eps, bias_correction):
    def adam(w, g, s):
        t = s["t"] = s.get("t", 0) + 1
        s["m"] = beta1 * s.get("m", 0.0) + (1 - beta1) * g
        s["v"] = beta2 * s.get("v", 0.0) + (1 - beta2) * g * g
        m, v = s["m"], s["v"]
        if bias_correction:
            m, v = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
        return w - lr * m / (np.sqrt(v) + eps)
    return adam


@pytest.mark.parametrize("bias_correction", [True, False])
def test_adam_is_the_formula(bias_correction):
    mine = run_graphlab(lambda p: optim.Adam(p, lr=0.01, bias_correction=bias_correction))
    assert_same(mine, numpy_run(adam_formula(0.01, 0.9, 0.999, 1e-8, bias_correction)))


def test_adam_without_bias_correction_takes_a_huge_first_step():
    """m₁ = 0.1·g and v₁ = 0.001·g², so the first step is 0.1/√0.001 ≈ 3.16 times the learning rate."""
    lr = 1e-3
    corrected = run_graphlab(lambda p: optim.Adam(p, lr=lr), steps=1)[0][0] - start()[0]
    raw = run_graphlab(lambda p: optim.Adam(p, lr=lr, bias_correction=False), steps=1)[0][0] - start()[0]
    np.testing.assert_allclose(np.abs(corrected), lr, rtol=1e-4)
    np.testing.assert_allclose(np.abs(raw), lr * 0.1 / math.sqrt(0.001), rtol=1e-4)


def test_adagrad_and_rmsprop_are_the_formulas():
    def adagrad(w, g, s):
        s["cache"] = s.get("cache", 0.0) + g * g
        return w - 0.3 * g / (np.sqrt(s["cache"]) + 1e-10)

    def rmsprop(w, g, s):
        s["cache"] = 0.99 * s.get("cache", 0.0) + 0.01 * g * g
        return w - 0.01 * g / (np.sqrt(s["cache"]) + 1e-8)

    assert_same(run_graphlab(lambda p: optim.Adagrad(p, lr=0.3)), numpy_run(adagrad))
    assert_same(run_graphlab(lambda p: optim.RMSprop(p, lr=0.01)), numpy_run(rmsprop))


def test_step_updates_the_arrays_in_place_without_recording_a_graph():
    model = nn.Linear(3, 2)
    arrays = [p.data for p in model.parameters()]
    before = [a.copy() for a in arrays]
    opt = optim.Adam(model.parameters(), lr=0.1)
    nn.functional.mse_loss(model(gt.randn(4, 3)), gt.zeros(4, 2)).backward()
    opt.step()
    assert all(p.data is a for p, a in zip(model.parameters(), arrays))
    assert all(not np.array_equal(a, b) for a, b in zip(arrays, before))
    assert all(p.is_leaf and p.requires_grad for p in model.parameters())


def test_zero_grad_and_skipping_parameters_without_gradients():
    a, b = nn.Parameter(gt.ones(2)), nn.Parameter(gt.ones(2))
    opt = optim.SGD([a, b], lr=1.0)
    a.grad = gt.ones(2)
    opt.step()
    np.testing.assert_array_equal(a.numpy(), [0.0, 0.0])
    np.testing.assert_array_equal(b.numpy(), [1.0, 1.0])
    opt.zero_grad(set_to_none=False)
    assert np.all(a.grad.numpy() == 0) and b.grad is None
    opt.zero_grad()
    assert a.grad is None


@pytest.mark.parametrize("make", [lambda p: optim.SGD(p, lr=0.05, momentum=0.9),
                                  lambda p: optim.Adam(p, lr=0.05),
                                  lambda p: optim.Adagrad(p, lr=0.3)])
def test_state_dict_resumes_exactly(make):
    """Stop after 40 steps, restore into a fresh optimizer over fresh parameters, continue: as if never stopped."""
    straight = run_graphlab(make, steps=80)[-1]
    params = [nn.Parameter(gt.tensor(w, dtype="float64")) for w in start()]
    opt = make(params)

    def steps(opt, params, n):
        for _ in range(n):
            for p, g in zip(params, gradient([p.numpy() for p in params])):
                p.grad = gt.tensor(g, dtype="float64")
            opt.step()

    steps(opt, params, 40)
    saved = opt.state_dict()
    saved = {"state": {k: {n: (v.numpy().copy() if isinstance(v, gt.Tensor) else v) for n, v in s.items()}
                       for k, s in saved["state"].items()},
             "param_groups": [dict(g) for g in saved["param_groups"]]}
    resumed = [nn.Parameter(gt.tensor(p.numpy().copy(), dtype="float64")) for p in params]
    fresh = make(resumed)
    fresh.load_state_dict(saved)
    steps(fresh, resumed, 40)
    for x, y in zip(resumed, straight):
        np.testing.assert_array_equal(x.numpy(), y)


def test_param_groups_and_a_schedule_share_the_lr_key():
    head, body = nn.Linear(2, 2), nn.Linear(2, 2)
    opt = optim.SGD([{"params": body.parameters(), "lr": 1e-3}, {"params": head.parameters()}], lr=0.1, momentum=0.9)
    assert [g["lr"] for g in opt.param_groups] == [1e-3, 0.1]
    assert opt.param_groups[0]["momentum"] == 0.9
    schedule = optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    opt.step()
    schedule.step()
    assert [g["lr"] for g in opt.param_groups] == [5e-4, 0.05]


def test_bad_options_are_named():
    p = [nn.Parameter(gt.ones(2))]
    with pytest.raises(ValueError, match="momentum_form must be one of pytorch, ema, velocity"):
        optim.SGD(p, lr=0.1, momentum=0.9, momentum_form="heavy-ball")
    with pytest.raises(ValueError, match="parameter group needs 'lr'"):
        optim.SGD(p)
    with pytest.raises(ValueError, match="unknown option"):
        optim.SGD([{"params": p, "learning_rate": 0.1}], lr=0.1)
    with pytest.raises(ValueError, match="more than one parameter group"):
        optim.SGD([{"params": p}, {"params": p}], lr=0.1)
    with pytest.raises(ValueError, match="got no parameters"):
        optim.Adam([])
    with pytest.raises(ValueError, match="only optimise leaf tensors"):
        optim.Adam([p[0] * 2])
    opt = optim.Adam(p)
    with pytest.raises(ValueError, match="the checkpoint has 2 parameter groups, this optimizer has 1"):
        opt.load_state_dict({"state": {}, "param_groups": [{"params": [0]}, {"params": [1]}]})


def test_optimizers_on_another_backend_match_the_cpu(other_device):
    """The strict backend refuses NumPy-only calls as CuPy would; the steps must equal the CPU's."""
    for make in (lambda p: optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True),
                 lambda p: optim.SGD(p, lr=0.1, momentum=0.9, momentum_form="velocity", nesterov=True),
                 lambda p: optim.SGD(p, lr=0.1, momentum=0.9, momentum_form="ema", weight_decay=0.1),
                 optim.Adagrad, optim.RMSprop, optim.Adam, optim.AdamW):
        finals = []
        for on in ("cpu", other_device):
            gt.manual_seed(0)
            model = nn.Linear(3, 2).to(on)
            opt = make(model.parameters())
            x = gt.randn(4, 3, generator=gt.Generator(1)).to(on)
            for _ in range(3):
                opt.zero_grad()
                nn.functional.mse_loss(model(x), gt.zeros(4, 2, device=on)).backward()
                opt.step()
            assert all(p.device == on for p in model.parameters())
            finals.append([p.numpy() for p in model.parameters()])
        for mine, reference in zip(finals[1], finals[0]):
            np.testing.assert_allclose(mine, reference, rtol=1e-5, atol=1e-7)
