"""Learning-rate schedules: PyTorch parity over 100 steps where PyTorch has the schedule, the formula otherwise."""

import math
from itertools import pairwise

import pytest

from graphlab.optim import lr_scheduler as sched


class Groups:
    """The part of an optimizer a schedule touches: its param groups."""

    def __init__(self, *lrs):
        self.param_groups = [{"params": [], "lr": lr} for lr in lrs]


def run(scheduler, steps=100):
    lrs = [scheduler.get_last_lr()]
    for _ in range(steps):
        scheduler.step()
        lrs.append(scheduler.get_last_lr())
    return lrs


def torch_pair():
    torch = pytest.importorskip("torch")
    weights = [torch.nn.Parameter(torch.zeros(2)), torch.nn.Parameter(torch.zeros(3))]
    torch_opt = torch.optim.SGD([{"params": [weights[0]], "lr": 0.1},
                                 {"params": [weights[1]], "lr": 0.03}], lr=0.1)
    return torch, torch_opt, Groups(0.1, 0.03)


def torch_run(torch_opt, scheduler, steps=100):
    lrs = [scheduler.get_last_lr()]
    for _ in range(steps):
        torch_opt.step()
        scheduler.step()
        lrs.append(scheduler.get_last_lr())
    return lrs


PARITY = [
    ("step", lambda o: sched.StepLR(o, step_size=7, gamma=0.5),
     lambda t, o: t.optim.lr_scheduler.StepLR(o, step_size=7, gamma=0.5)),
    ("exponential", lambda o: sched.ExponentialLR(o, gamma=0.96),
     lambda t, o: t.optim.lr_scheduler.ExponentialLR(o, gamma=0.96)),
    ("inverse-time", lambda o: sched.InverseTimeLR(o, decay=0.05),
     lambda t, o: t.optim.lr_scheduler.LambdaLR(o, lambda step: 1 / (1 + 0.05 * step))),
    ("linear-floor", lambda o: sched.LinearDecayLR(o, total_iters=60, end_factor=0.01),
     lambda t, o: t.optim.lr_scheduler.LinearLR(o, start_factor=1.0, end_factor=0.01, total_iters=60)),
    ("cosine", lambda o: sched.CosineAnnealingLR(o, T_max=100, eta_min=1e-4),
     lambda t, o: t.optim.lr_scheduler.CosineAnnealingLR(o, T_max=100, eta_min=1e-4)),
    ("cosine-restarting", lambda o: sched.CosineAnnealingLR(o, T_max=30),
     lambda t, o: t.optim.lr_scheduler.CosineAnnealingLR(o, T_max=30)),
    ("warmup-cosine",
     lambda o: sched.WarmupLR(o, warmup_iters=10, start_factor=0.1,
                              after=sched.CosineAnnealingLR(o, T_max=90)),
     lambda t, o: t.optim.lr_scheduler.SequentialLR(
         o, [t.optim.lr_scheduler.LinearLR(o, start_factor=0.1, end_factor=1.0, total_iters=10),
             t.optim.lr_scheduler.CosineAnnealingLR(o, T_max=90)], milestones=[10])),
]


@pytest.mark.parametrize("name, ours, theirs", PARITY, ids=[p[0] for p in PARITY])
def test_matches_pytorch_over_100_steps(name, ours, theirs):
    torch, torch_opt, groups = torch_pair()
    expected = torch_run(torch_opt, theirs(torch, torch_opt))
    got = run(ours(groups))
    assert len(got) == len(expected) == 101
    for step, (mine, torchs) in enumerate(zip(got, expected)):
        assert mine == pytest.approx(torchs, rel=1e-9, abs=1e-15), f"step {step}"
    assert [g["lr"] for g in groups.param_groups] == pytest.approx(
        [g["lr"] for g in torch_opt.param_groups], rel=1e-9)


def test_inverse_time_formula():
    groups = Groups(0.5)
    lrs = run(sched.InverseTimeLR(groups, decay=0.1), steps=20)
    assert [lr[0] for lr in lrs] == pytest.approx([0.5 / (1 + 0.1 * t) for t in range(21)])


def test_linear_decay_reaches_the_floor_at_tau_and_stays():
    groups = Groups(1.0)
    lrs = [lr[0] for lr in run(sched.LinearDecayLR(groups, total_iters=10, end_factor=0.05), steps=30)]
    assert lrs[0] == 1.0
    assert lrs[5] == pytest.approx(0.5 * 1.0 + 0.5 * 0.05)
    assert lrs[10:] == pytest.approx([0.05] * 21)


def test_warmup_without_a_following_schedule_holds_the_rate():
    groups = Groups(0.2)
    lrs = [lr[0] for lr in run(sched.WarmupLR(groups, warmup_iters=4, start_factor=0.25), steps=8)]
    assert lrs == pytest.approx([0.05, 0.0875, 0.125, 0.1625, 0.2, 0.2, 0.2, 0.2, 0.2])


def test_warmup_composes_with_step_decay():
    groups = Groups(1.0)
    scheduler = sched.WarmupLR(groups, warmup_iters=5, start_factor=0.0,
                               after=sched.StepLR(groups, step_size=3, gamma=0.1))
    lrs = [lr[0] for lr in run(scheduler, steps=11)]
    assert lrs[:5] == pytest.approx([0.0, 0.2, 0.4, 0.6, 0.8])
    assert lrs[5:] == pytest.approx([1.0, 1.0, 1.0, 0.1, 0.1, 0.1, 0.01])


def test_cosine_is_half_way_at_half_the_period():
    groups = Groups(1.0)
    scheduler = sched.CosineAnnealingLR(groups, T_max=50, eta_min=0.2)
    lrs = [lr[0] for lr in run(scheduler, steps=50)]
    assert lrs[25] == pytest.approx(0.6)
    assert lrs[50] == pytest.approx(0.2)
    assert all(a >= b for a, b in pairwise(lrs))


def test_each_group_keeps_its_own_base_rate():
    groups = Groups(1.0, 0.1)
    scheduler = sched.ExponentialLR(groups, gamma=0.5)
    scheduler.step()
    scheduler.step()
    assert scheduler.get_last_lr() == pytest.approx([0.25, 0.025])
    assert [g["lr"] for g in groups.param_groups] == pytest.approx([0.25, 0.025])


def test_state_dict_resumes_where_it_stopped():
    first = Groups(1.0)
    scheduler = sched.WarmupLR(first, 5, after=sched.CosineAnnealingLR(first, T_max=20))
    for _ in range(12):
        scheduler.step()
    saved = scheduler.state_dict()
    assert "optimizer" not in saved

    second = Groups(1.0)
    resumed = sched.WarmupLR(second, 5, after=sched.CosineAnnealingLR(second, T_max=20))
    resumed.load_state_dict(saved)
    scheduler.step()
    resumed.step()
    assert resumed.get_last_lr() == scheduler.get_last_lr()
    assert resumed.last_epoch == 13
    assert resumed.get_last_lr()[0] == pytest.approx((1 + math.cos(math.pi * 8 / 20)) / 2)


@pytest.mark.parametrize("make", [lambda g: sched.StepLR(g, step_size=0),
                                  lambda g: sched.LinearDecayLR(g, total_iters=0),
                                  lambda g: sched.CosineAnnealingLR(g, T_max=0),
                                  lambda g: sched.WarmupLR(g, warmup_iters=0),
                                  lambda g: sched.InverseTimeLR(g, decay=-1.0)])
def test_bad_arguments_name_the_schedule(make):
    with pytest.raises(ValueError, match=r"LR: "):
        make(Groups(0.1))


def test_warmup_refuses_a_schedule_on_another_optimizer():
    with pytest.raises(ValueError, match="same optimizer"):
        sched.WarmupLR(Groups(0.1), 3, after=sched.StepLR(Groups(0.1), 2))
