"""Result dtypes of elementwise ops on mixed dtypes follow PyTorch, where NumPy's differ."""

from __future__ import annotations

import itertools
import math
import operator
import warnings

import numpy as np
import pytest

import graphlab.tensor as gt

VALUES = {"bool": [True, False], "int64": [2, 3], "float32": [1.5, 2.0], "float64": [1.5, 2.0]}
NUMBERS = {"int": 2, "float": 2.5, "bool": True}
OPERATORS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv, "**": operator.pow}


@pytest.mark.parametrize("case, expected", [
    (lambda t: t([0, 255]) / 255.0, "float32"),  # images as integers, scaled
    (lambda t: t([1, 2]) / t([2, 4]), "float32"),
    (lambda t: t([1, 2]) * t([0.5, 0.5]), "float32"),
    (lambda t: t([1, 2]) * t([0.5, 0.5], dtype="float64"), "float64"),
    (lambda t: t([1.0, 2.0]) + t([1.0, 2.0], dtype="float64"), "float64"),
    (lambda t: t([True, False]) * 2.5, "float32"),
    (lambda t: t([1, 2]) * True, "int64"),
    (lambda t: t([1, 2]).sqrt(), "float32"),
    (lambda t: t([1.0, 2.0]) + t(1.5, dtype="float64"), "float32"),  # a 0-d tensor does not promote a batch
    (lambda t: t([1, 5]).clamp(0, 3), "int64"),
    (lambda t: t([1, 5]).clamp(0.5, 3.5), "float32"),
    (lambda t: gt.cat([t([1, 2]), t([1.5])]), "float32"),
    (lambda t: gt.stack([t([1, 2]), t([1.5, 2.5], dtype="float64")]), "float64"),
    (lambda t: gt.where(t([True, False]), t([1.0, 2.0]), t(3.0, dtype="float64")), "float32"),
    (lambda t: gt.where(t([True, False]), t([True, False]), t([1, 2])), "int64"),
])
def test_result_dtypes_are_pytorchs(case, expected, device):
    assert case(lambda values, dtype=None: gt.tensor(values, dtype=dtype, device=device)).dtype == expected


def test_a_product_of_matrices_of_two_dtypes_is_refused(device):
    with pytest.raises(TypeError, match=r"matmul: one side is float32 and the other int64; convert one with \.to\(\)"):
        gt.ones(2, 2, device=device) @ gt.tensor([[1, 2], [3, 4]], device=device)


@pytest.mark.parametrize("name", ["mean", "var", "std"])
@pytest.mark.parametrize("values", [[1, 2, 4], [True, False, True]], ids=["int64", "bool"])
def test_a_mean_or_variance_of_integers_or_booleans_is_refused_as_in_pytorch(name, values, device):
    with pytest.raises(TypeError, match=rf"{name}\(\): needs a float tensor, got (int64|bool); convert it first"):
        getattr(gt.tensor(values, device=device), name)()
    assert getattr(gt.tensor(values, device=device).float(), name)().dtype == "float32"


def test_a_reduced_float64_number_does_not_promote_a_float32_batch(device):
    """A sum's data may be a NumPy scalar, which NumPy ranks above a float32 array; PyTorch does not."""
    total = gt.tensor([1.0, 2.0], dtype="float64", requires_grad=True, device=device).sum()
    batch = gt.ones(2, 3, requires_grad=True, device=device)
    out = batch + total
    assert out.dtype == "float32"
    out.sum().backward()
    assert batch.grad.dtype == "float32"


def test_mixed_dtypes_compute_and_differentiate_as_pytorch_does():
    """Rules see the inputs as forward computed with them: a mask divided is 0s and 1s; a float32 0-d
    value beside float64 has a float64 local derivative; a float64 0-d value is rounded before it meets
    a float32 batch."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(4)
    mask, batch32, batch64 = rng.random((2, 3)) > 0.5, rng.standard_normal((2, 3)), rng.standard_normal((2, 3))
    cases = [  # (expression, the 0-d value, how close its gradient must come: float64 sums are exact here)
        (lambda T, s: T(mask) / s, np.float32(1.5), 1e-6),
        (lambda T, s: T(batch64, dtype="float64") / s, np.float32(1.7), 1e-15),
        (lambda T, s: T(batch32, dtype="float32") * s, np.float64(1.1), 1e-6),
        (lambda T, s: T(batch32, dtype="float32") + s, np.float64(0.1), 1e-6),
    ]
    to_torch = {"float32": torch.float32, "float64": torch.float64}
    for expression, value, rtol in cases:
        scalar_type = type(value)
        ours = gt.tensor([value], dtype=np.dtype(scalar_type).name, requires_grad=True)
        out = expression(lambda v, dtype=None: gt.tensor(v, dtype=dtype), ours.sum())
        out.sum().backward()
        theirs = torch.tensor([value], dtype=to_torch[np.dtype(scalar_type).name], requires_grad=True)
        expected = expression(lambda v, dtype=None: torch.tensor(v, dtype=to_torch[dtype] if dtype else None),
                              theirs.sum())
        expected.sum().backward()
        assert out.dtype == str(expected.dtype).removeprefix("torch.")
        np.testing.assert_array_equal(out.numpy(), expected.detach().numpy())
        np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=rtol, atol=rtol)


def test_a_mask_beside_integers_counts_as_0s_and_1s_on_every_backend(device):
    """The strict array API refuses to mix bool and int64 arrays: the mask is converted first."""
    mask, counts = gt.tensor([True, False], device=device), gt.tensor([3, 4], device=device)
    assert (mask + counts).dtype == "int64" and (mask + counts).tolist() == [4, 4]
    assert (counts * mask).tolist() == [3, 0]


def test_relu_of_integers_stays_integer():
    """On NumPy (and CuPy); the strict array API refuses the table's 0.0 beside integers."""
    out = gt.tensor([-1, 2]).relu()
    assert out.dtype == "int64" and out.tolist() == [0, 2]


def test_a_float_result_of_booleans_is_computed_in_that_float_dtype(device):
    """NumPy takes the exp of a bool in float16 (2.719 for e); converted first it is e to float32."""
    e = gt.tensor([True, False], device=device).exp().numpy()
    assert e.dtype == np.float32 and e[0] == pytest.approx(math.e, rel=1e-6)


@pytest.mark.parametrize(("call", "op"), [
    (lambda mask: -mask, "neg"),
    (lambda mask: abs(mask), "abs"),
    (lambda mask: mask - mask, "sub"),
    (lambda mask: 1.5 - mask, "sub"),
    (lambda mask: gt.tensor([1.0, 2.0], device=mask.device) - True, "sub"),
])
def test_what_pytorch_refuses_on_bools_is_refused_in_our_words(call, op, device):
    """Not NumPy's message (which names NumPy), and not a number where PyTorch gives none."""
    with pytest.raises(TypeError, match=rf"^{op}: .* not supported, as in PyTorch; .* use ~"
                       if op != "abs" else r"^abs: .* not supported, as in PyTorch"):
        call(gt.tensor([True, False], device=device))


@pytest.mark.parametrize("left, name, right", [
    (left, name, right) for name in OPERATORS for left, right in itertools.product([*VALUES, *NUMBERS], repeat=2)
    if not (left in NUMBERS and right in NUMBERS)])
def test_operators_on_every_pair_of_dtypes_match_pytorch(left, name, right):
    torch = pytest.importorskip("torch")

    def operand(kind, library):
        if kind in NUMBERS:
            return NUMBERS[kind]
        if library == "torch":
            return torch.tensor(VALUES[kind], dtype=getattr(torch, kind))
        return gt.tensor(VALUES[kind], dtype=kind)

    def result(library):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # 3 / False is inf in both
                out = OPERATORS[name](operand(left, library), operand(right, library))
        except Exception:
            return None
        return str(out.dtype).replace("torch.", ""), np.asarray(out.tolist(), dtype=float)

    theirs = result("torch")
    mine = result("graphlab")
    if theirs is None:
        assert mine is None
        return
    assert mine is not None and mine[0] == theirs[0]
    np.testing.assert_allclose(mine[1], theirs[1], rtol=1e-6)
