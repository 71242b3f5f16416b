"""Random programs of views and in-place changes: graphlab's gradient is right or it raises, never wrong.

A program takes views of one tensor (rows, columns, a transpose, a reshape), changes
them in place (by numbers, by a tensor that requires grad, through assignment,
with ``relu_`` or ``exp_``) and reads them into a result between changes. Its
gradient must equal float64 central differences of the same program; where
PyTorch runs the program without an error, graphlab must too, with PyTorch's
gradient.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import graphlab.tensor as T

VIEWS = ("base", "row0", "row1", "col1", "transpose", "flat")
CHANGES = ("add", "mul_leaf", "assign_leaf", "relu", "exp", "scale")
EPS = 1e-6

step = st.one_of(
    st.tuples(st.just("change"), st.sampled_from(VIEWS), st.sampled_from(CHANGES)),
    st.tuples(st.just("read"), st.sampled_from(VIEWS), st.integers(1, 3)),
)


def view_of(base, which):
    return {"base": lambda: base, "row0": lambda: base[0], "row1": lambda: base[1], "col1": lambda: base[:, 1],
            "transpose": lambda: base.t(), "flat": lambda: base.reshape(-1)}[which]()


def run(lib, steps, x_values, w_values, grad=True):
    """The program on leaves ``x`` (2×3) and ``w`` (6,); returns (result, x, w)."""
    x = lib.tensor(x_values, dtype=lib.float64, requires_grad=grad)
    w = lib.tensor(w_values, dtype=lib.float64, requires_grad=grad)
    base = x * 1.0
    views = {}
    total = (base * 0.5).sum()
    for kind, which, what in steps:
        view = views.setdefault(which, view_of(base, which))
        if kind == "read":
            total = total + (view * what).sum()  # reads no values: later changes stay allowed
            continue
        part = w[: view.shape[-1]]
        if what == "add":
            view.add_(0.5)
        elif what == "scale":
            view *= -2.0
        elif what == "mul_leaf":
            view.mul_(part)
        elif what == "assign_leaf":
            view[...] = part * 3.0
        elif what == "relu":
            view.relu_()
        else:
            view.mul_(0.5).exp_()
    return total + (base * base).sum(), x, w


def numeric(steps, x_values, w_values):
    grads = []
    for which in (0, 1):
        values = [x_values.copy(), w_values.copy()]
        grad = np.zeros(values[which].shape)
        for index in np.ndindex(grad.shape):
            ends = []
            for delta in (EPS, -EPS):
                moved = [v.copy() for v in values]
                moved[which][index] += delta
                with T.no_grad():
                    ends.append(run(T, steps, *moved, grad=False)[0].item())
            grad[index] = (ends[0] - ends[1]) / (2 * EPS)
        grads.append(grad)
    return grads


def outcome(lib, steps, x_values, w_values):
    try:
        total, x, w = run(lib, steps, x_values, w_values)
        total.backward()
    except RuntimeError as error:
        return None, str(error)
    return [g.detach().numpy() if g is not None else np.zeros(t.shape) for t, g in ((x, x.grad), (w, w.grad))], ""


@settings(max_examples=40, deadline=None)
@given(steps=st.lists(step, min_size=1, max_size=6), seed=st.integers(0, 1000))
def test_a_program_of_views_and_in_place_changes_has_the_right_gradient_or_raises(steps, seed):
    rng = np.random.default_rng(seed)
    x_values, w_values = rng.uniform(0.3, 1.2, (2, 3)) * rng.choice([-1, 1], (2, 3)), rng.uniform(0.5, 1.5, 6)
    ours, error = outcome(T, steps, x_values, w_values)
    if ours is not None:
        for mine, expected in zip(ours, numeric(steps, x_values, w_values)):
            np.testing.assert_allclose(mine, expected, rtol=1e-5, atol=1e-5, err_msg=str(steps))
    try:
        import torch
    except ImportError:
        return
    theirs, their_error = outcome(torch, steps, x_values, w_values)
    if theirs is not None:
        assert ours is not None, f"PyTorch runs {steps}, graphlab raises: {error}"
        for mine, expected in zip(ours, theirs):
            np.testing.assert_allclose(mine, expected, rtol=1e-9, atol=1e-12, err_msg=str(steps))


def test_the_programs_cover_what_they_claim():
    """A fixed program through every view and change, as the random ones draw them."""
    changes = [("base", "add"), ("row0", "mul_leaf"), ("row1", "assign_leaf"), ("col1", "relu"),
               ("transpose", "scale"), ("flat", "exp")]  # exp last: its backward reads its output
    steps = [("read", v, 2) for v in VIEWS] + [("change", view, what) for view, what in changes]
    steps += [("read", v, 3) for v in VIEWS]
    x_values, w_values = np.linspace(-1.0, 1.2, 6).reshape(2, 3), np.linspace(0.5, 1.5, 6)
    ours, error = outcome(T, steps, x_values, w_values)
    assert ours is not None, error
    expected = numeric(steps, x_values, w_values)
    for mine, reference in zip(ours, expected):
        np.testing.assert_allclose(mine, reference, rtol=1e-5, atol=1e-5)
    with pytest.raises(AssertionError):  # the check can fail: a wrong gradient would be caught
        np.testing.assert_allclose(ours[0] + 1e-3, expected[0], rtol=1e-5, atol=1e-5)
