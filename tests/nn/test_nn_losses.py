"""Losses and penalties: float64 gradient checks, PyTorch parity, and the lecture's formulas in NumPy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from nn_checks import float64_input, gradcheck

import graphlab.tensor as gt
from graphlab import nn
from graphlab.nn import functional as F

LABELS = [2, 0, 3, 3, 1]


def scores():
    return float64_input((5, 4), seed=4)


def labels():
    return gt.tensor(LABELS)


def probabilities(seed=5):
    p = np.random.default_rng(seed).uniform(0.05, 1.0, (5, 4))
    return gt.tensor(p / p.sum(1, keepdims=True), dtype="float64")


IGNORED = [2, -100, 3, -100, 1]  # PyTorch's default ignore_index in two rows
CLASS_WEIGHT = [0.5, 2.0, 1.0, 3.0]


def weight():
    return gt.tensor(CLASS_WEIGHT, dtype="float64")


def torch_weight(torch):
    return torch.tensor(CLASS_WEIGHT, dtype=torch.float64)


def targets01():
    return gt.tensor(np.random.default_rng(6).uniform(0, 1, (5, 4)), dtype="float64")


# name: (graphlab loss of x, torch loss of tx, kink-free input)
CASES = {
    "cross_entropy": (lambda x: F.cross_entropy(x, labels()),
                      lambda tf, tx, torch: tf.cross_entropy(tx, torch.tensor(LABELS))),
    "cross_entropy-smoothing": (lambda x: F.cross_entropy(x, labels(), label_smoothing=0.2),
                                lambda tf, tx, torch: tf.cross_entropy(tx, torch.tensor(LABELS), label_smoothing=0.2)),
    "cross_entropy-probabilities": (lambda x: F.cross_entropy(x, probabilities(), label_smoothing=0.1),
                                    lambda tf, tx, torch: tf.cross_entropy(tx, torch.from_numpy(probabilities().numpy()),
                                                                           label_smoothing=0.1)),
    "cross_entropy-sum": (lambda x: F.cross_entropy(x, labels(), reduction="sum"),
                          lambda tf, tx, torch: tf.cross_entropy(tx, torch.tensor(LABELS), reduction="sum")),
    "nll_loss": (lambda x: F.nll_loss(x.log_softmax(1), labels(), reduction="none"),
                 lambda tf, tx, torch: tf.nll_loss(tx.log_softmax(1), torch.tensor(LABELS), reduction="none")),
    "cross_entropy-weight": (lambda x: F.cross_entropy(x, labels(), weight=weight()),
                             lambda tf, tx, torch: tf.cross_entropy(tx, torch.tensor(LABELS),
                                                                    weight=torch_weight(torch))),
    "cross_entropy-ignored": (lambda x: F.cross_entropy(x, gt.tensor(IGNORED)),
                              lambda tf, tx, torch: tf.cross_entropy(tx, torch.tensor(IGNORED))),
    "cross_entropy-ignore-a-class": (lambda x: F.cross_entropy(x, labels(), ignore_index=3, reduction="none"),
                                     lambda tf, tx, torch: tf.cross_entropy(tx, torch.tensor(LABELS), ignore_index=3,
                                                                            reduction="none")),
    "cross_entropy-weight-ignored-smoothing": (
        lambda x: F.cross_entropy(x, gt.tensor(IGNORED), weight=weight(), label_smoothing=0.2),
        lambda tf, tx, torch: tf.cross_entropy(tx, torch.tensor(IGNORED), weight=torch_weight(torch),
                                               label_smoothing=0.2)),
    "cross_entropy-probabilities-weight": (
        lambda x: F.cross_entropy(x, probabilities(), weight=weight(), label_smoothing=0.1),
        lambda tf, tx, torch: tf.cross_entropy(tx, torch.from_numpy(probabilities().numpy()),
                                               weight=torch_weight(torch), label_smoothing=0.1)),
    "nll_loss-weight-ignored": (lambda x: F.nll_loss(x.log_softmax(1), gt.tensor(IGNORED), weight=weight()),
                                lambda tf, tx, torch: tf.nll_loss(tx.log_softmax(1), torch.tensor(IGNORED),
                                                                  weight=torch_weight(torch))),
    "nll_loss-weight-sum": (lambda x: F.nll_loss(x.log_softmax(1), labels(), weight=weight(), reduction="sum"),
                            lambda tf, tx, torch: tf.nll_loss(tx.log_softmax(1), torch.tensor(LABELS),
                                                              weight=torch_weight(torch), reduction="sum")),
    "bce_with_logits": (lambda x: F.binary_cross_entropy_with_logits(x, targets01()),
                        lambda tf, tx, torch: tf.binary_cross_entropy_with_logits(tx, torch.from_numpy(targets01().numpy()))),
    "bce": (lambda x: F.binary_cross_entropy(x.sigmoid(), targets01()),
            lambda tf, tx, torch: tf.binary_cross_entropy(tx.sigmoid(), torch.from_numpy(targets01().numpy()))),
    "mse": (lambda x: F.mse_loss(x, targets01()),
            lambda tf, tx, torch: tf.mse_loss(tx, torch.from_numpy(targets01().numpy()))),
    "l1": (lambda x: F.l1_loss(x, targets01() + 3.0),
           lambda tf, tx, torch: tf.l1_loss(tx, torch.from_numpy(targets01().numpy() + 3.0))),
    "multi_margin": (lambda x: F.multi_margin_loss(x, labels(), margin=0.7),
                     lambda tf, tx, torch: tf.multi_margin_loss(tx, torch.tensor(LABELS), margin=0.7)),
}


@pytest.mark.parametrize("name", CASES)
def test_loss_gradient_matches_central_differences(name):
    x = scores()
    gradcheck(lambda: CASES[name][0](x), {"input": x})


@pytest.mark.parametrize("name", CASES)
def test_loss_matches_torch(name):
    torch = pytest.importorskip("torch")
    x = scores()
    loss = CASES[name][0](x)
    loss.sum().backward()
    tx = torch.tensor(x.numpy(), requires_grad=True)
    their = CASES[name][1](torch.nn.functional, tx, torch)
    their.sum().backward()
    np.testing.assert_allclose(loss.numpy(), their.detach().numpy(), rtol=1e-10)
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-9, atol=1e-14)


def test_ignored_rows_count_for_nothing_and_all_ignored_is_nan_as_in_pytorch():
    x = scores()
    kept = [0, 2, 4]
    mine = F.cross_entropy(x, gt.tensor(IGNORED), weight=weight())
    by_hand = F.cross_entropy(gt.tensor(x.numpy()[kept]), gt.tensor([LABELS[i] for i in kept]), weight=weight())
    assert mine.item() == pytest.approx(by_hand.item(), rel=1e-12)
    with np.errstate(invalid="ignore"):  # 0 / 0
        assert math.isnan(F.cross_entropy(x, gt.tensor([-100] * 5)).item())
    assert F.cross_entropy(x, gt.tensor([-100] * 5), reduction="sum").item() == 0.0


def test_one_hot_rows_and_its_range_check():
    np.testing.assert_array_equal(F.one_hot(gt.tensor([2, 0]), 3).numpy(), [[0, 0, 1], [1, 0, 0]])
    for bad, shown in (([0, 3], r"0 … 3"), ([-1, 2], r"-1 … 2")):
        with pytest.raises(IndexError, match=rf"one_hot: class indices must lie in \[0, 3\), got {shown}"):
            F.one_hot(gt.tensor(bad), 3)


def test_weights_and_ignored_rows_get_clear_errors():
    with pytest.raises(ValueError, match=r"cross_entropy: weight must give one number per class, shape \(4,\)"):
        F.cross_entropy(scores(), labels(), weight=[1.0, 2.0])
    with pytest.raises(TypeError, match="cross_entropy: weight is float32 on cpu but the scores are float64"):
        F.cross_entropy(scores(), labels(), weight=gt.tensor(CLASS_WEIGHT))
    with pytest.raises(ValueError, match="nll_loss: weight is a constant of the loss"):
        F.nll_loss(scores(), labels(), weight=gt.tensor(CLASS_WEIGHT, dtype="float64", requires_grad=True))
    with pytest.raises(ValueError, match=r"ignore_index \(1\) picks class indices"):
        F.cross_entropy(scores(), probabilities(), ignore_index=1)
    with pytest.raises(IndexError, match=r"must lie in \[0, 4\) or equal ignore_index \(-100\), got 7"):
        F.cross_entropy(scores(), gt.tensor([2, -100, 7, 0, 1]))


def test_loss_modules_take_weight_and_ignore_index():
    x = scores()
    assert nn.CrossEntropyLoss(weight=weight(), ignore_index=3)(x, labels()).item() == \
        F.cross_entropy(x, labels(), weight=weight(), ignore_index=3).item()
    assert nn.NLLLoss(weight=weight(), reduction="sum")(x, gt.tensor(IGNORED)).item() == \
        F.nll_loss(x, gt.tensor(IGNORED), weight=weight(), reduction="sum").item()
    assert "ignore_index=3" in repr(nn.CrossEntropyLoss(ignore_index=3))


def test_weighted_and_ignored_losses_on_another_backend_match_the_cpu(other_device):
    results = []
    for on in ("cpu", other_device):
        x = scores().detach().to(on).requires_grad_()
        loss = F.cross_entropy(x, gt.tensor(IGNORED).to(on), weight=weight().to(on), label_smoothing=0.1)
        loss.backward()
        results.append((loss.numpy(), x.grad.numpy()))
    for mine, reference in zip(results[1], results[0]):
        np.testing.assert_allclose(mine, reference, rtol=1e-12)


def test_cross_entropy_is_stable_for_huge_logits():
    x = gt.tensor([[1000.0, 0.0, -1000.0], [0.0, 1e4, 0.0]], dtype="float64", requires_grad=True)
    loss = F.cross_entropy(x, gt.tensor([0, 0]))
    loss.backward()
    assert loss.item() == pytest.approx(1e4 / 2)
    assert np.all(np.isfinite(x.grad.numpy()))


def test_cross_entropy_at_uniform_scores_is_log_of_the_class_count():
    """The babysitting check: an untrained classifier starts at ln C."""
    assert F.cross_entropy(gt.zeros(7, 10), gt.tensor([3] * 7)).item() == pytest.approx(math.log(10), rel=1e-6)


def test_bce_with_logits_is_stable_and_exact_at_zero():
    x = gt.tensor([-800.0, 0.0, 800.0], dtype="float64", requires_grad=True)
    y = gt.tensor([1.0, 1.0, 0.0], dtype="float64")
    loss = F.binary_cross_entropy_with_logits(x, y, reduction="none")
    loss.sum().backward()
    np.testing.assert_allclose(loss.numpy(), [800.0, math.log(2), 800.0])
    np.testing.assert_allclose(x.grad.numpy(), [-1.0, -0.5, 1.0])  # σ(x) − y, also at the kink-free x = 0


def test_multiclass_hinge_is_the_lecture_svm_loss():
    """cs231n's example: scores of the cat, car and frog images, Δ = 1."""
    s = gt.tensor([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]], dtype="float64")
    per_image = F.multiclass_hinge_loss(s, gt.tensor([0, 1, 2]), reduction="none")
    np.testing.assert_allclose(per_image.numpy(), [2.9, 0.0, 12.9], rtol=1e-12)
    assert F.multiclass_hinge_loss(s, gt.tensor([0, 1, 2])).item() == pytest.approx(5.27, abs=0.005)


def test_hinge_gradient_matches_central_differences():
    x = scores()
    gradcheck(lambda: F.multiclass_hinge_loss(x, labels(), margin=0.5), {"input": x})


def test_loss_modules_call_their_functions():
    x = scores()
    assert nn.CrossEntropyLoss(label_smoothing=0.1)(x, labels()).item() == \
        F.cross_entropy(x, labels(), label_smoothing=0.1).item()
    assert nn.MultiClassHingeLoss()(x, labels()).item() == pytest.approx(
        nn.MultiMarginLoss()(x, labels()).item() * 4)
    assert nn.MSELoss(reduction="sum")(x, targets01()).item() == F.mse_loss(x, targets01(), reduction="sum").item()


def test_penalties_follow_their_formulas():
    w1, w2 = float64_input((3, 2), seed=1), float64_input((4,), seed=2)
    a1, a2 = w1.numpy(), w2.numpy()
    assert F.l1_penalty([w1, w2]).item() == pytest.approx(np.abs(a1).sum() + np.abs(a2).sum())
    assert F.l2_penalty([w1, w2]).item() == pytest.approx((a1 ** 2).sum() + (a2 ** 2).sum())
    expected = sum((0.3 * a ** 2 + np.abs(a)).sum() for a in (a1, a2))
    assert F.elastic_net_penalty([w1, w2], beta=0.3).item() == pytest.approx(expected)
    gradcheck(lambda: F.elastic_net_penalty([w1, w2], beta=0.3), {"w1": w1, "w2": w2})


def test_l2_penalty_on_chosen_parameters_raises_the_loss():
    model = nn.Linear(3, 2).double()
    weights = [p for name, p in model.named_parameters() if name.endswith("weight")]
    data = F.mse_loss(model(float64_input((4, 3))), gt.zeros(4, 2, dtype="float64"))
    assert (data + 0.1 * F.l2_penalty(weights)).item() > data.item()
    with pytest.raises(ValueError, match="no parameters given"):
        F.l2_penalty([])


def test_bad_targets_get_clear_errors():
    with pytest.raises(ValueError, match=r"5 rows of logits but target has shape \(3,\)"):
        F.cross_entropy(scores(), gt.tensor([0, 1, 2]))
    with pytest.raises(IndexError, match=r"class indices must lie in \[0, 4\)"):
        F.cross_entropy(scores(), gt.tensor([0, 1, 2, 3, 4]))
    with pytest.raises(IndexError, match=r"cross_entropy: class indices must lie in \[0, 4\), got -1 … 3"):
        F.cross_entropy(scores(), gt.tensor([0, -1, 2, 3, 1]))
    with pytest.raises(ValueError, match="reduction must be one of"):
        F.mse_loss(scores(), targets01(), reduction="average")
    with pytest.raises(TypeError, match="cross_entropy: logits must be float32 or float64, got int64"):
        F.cross_entropy(gt.tensor([[1, 2], [3, 4]]), gt.tensor([0, 1]))
    with pytest.raises(TypeError, match="nll_loss: log-probabilities must be float32 or float64, got bool"):
        F.nll_loss(gt.tensor([[True, False]]), gt.tensor([0]))


@pytest.mark.parametrize("call", [
    lambda s, y: F.cross_entropy(s, y, label_smoothing=0.1),
    lambda s, y: F.cross_entropy(s, gt.tensor([[0.5, 0.5], [0.0, 1.0]])),
    lambda s, y: F.nll_loss(s, gt.tensor([[0.5, 0.5], [0.0, 1.0]])),
    lambda s, y: F.multi_margin_loss(s, y),
])
def test_every_class_loss_refuses_integer_scores(call):
    """As the one-node path and PyTorch do: integer scores would otherwise be computed in float64."""
    with pytest.raises(TypeError, match=r"must be float32 or float64, got int64"):
        call(gt.tensor([[1, 2], [3, 4]]), gt.tensor([0, 1]))


@pytest.mark.parametrize(("name", "call"), [
    ("cross_entropy", lambda s, y: F.cross_entropy(s, y, label_smoothing=0.1)),
    ("multiclass_hinge_loss", lambda s, y: F.multiclass_hinge_loss(s, y)),
])
def test_an_index_out_of_range_is_named_by_the_loss_that_took_it(name, call):
    with pytest.raises(IndexError, match=rf"{name}: class indices must lie in \[0, 4\), got 0 … 4"):
        call(scores(), gt.tensor([0, 1, 2, 3, 4]))


def test_a_loss_records_its_nodes_under_its_own_name():
    x = scores()
    for loss in (F.cross_entropy(x, labels()), nn.CrossEntropyLoss()(x, labels())):
        trace = gt.TensorTrace.from_tensor(loss)
        assert {node.scope for node in trace.nodes if node.kind == "op"} == {"cross_entropy"}
        assert [node.label for node in trace.nodes if node.kind == "op"] == ["cross_entropy"]
    pair = gt.TensorTrace.from_tensor(F.nll_loss(F.log_softmax(x, 1), labels()))
    assert [node.label for node in pair.nodes if node.kind == "op"] == ["log_softmax", "nll_loss"]
    smoothed = gt.TensorTrace.from_tensor(F.cross_entropy(x, labels(), label_smoothing=0.1))
    assert "smoothed target" in {node.label for node in smoothed.nodes}


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_the_one_node_float32_loss_and_gradient_are_the_two_node_graphs_bit_for_bit(reduction):
    """cross_entropy's node rounds as log_softmax → nll_loss does, so training runs do not drift apart."""
    rng = np.random.default_rng(3)
    x = (rng.standard_normal((37, 10)) * 3).astype(np.float32)  # 37 rows: 1/37 is not exact in binary
    y = gt.tensor(rng.integers(0, 10, 37))
    upstream = gt.tensor(rng.standard_normal(37).astype(np.float32)) if reduction == "none" else None
    one, two = gt.tensor(x, requires_grad=True), gt.tensor(x, requires_grad=True)
    fused, pair = F.cross_entropy(one, y, reduction=reduction), F.nll_loss(two.log_softmax(1), y, reduction=reduction)
    np.testing.assert_array_equal(fused.numpy(), pair.numpy())
    fused.backward(upstream)
    pair.backward(upstream)
    np.testing.assert_array_equal(one.grad.numpy(), two.grad.numpy())


def test_nll_loss_of_an_empty_batch_is_nan_as_in_torch():
    torch = pytest.importorskip("torch")
    empty = gt.zeros(0, 3, dtype="float64", requires_grad=True)
    loss = F.cross_entropy(empty, gt.tensor(np.zeros(0, dtype=np.int64)))
    theirs = torch.nn.functional.cross_entropy(torch.zeros(0, 3, dtype=torch.float64), torch.zeros(0, dtype=torch.int64))
    assert math.isnan(loss.item()) and math.isnan(theirs.item())
    loss.backward()
    assert empty.grad.shape == (0, 3)


@pytest.mark.parametrize("loss", [lambda x, y: F.cross_entropy(x, y), lambda x, y: F.nll_loss(x.log_softmax(1), y)])
def test_class_indices_changed_after_the_loss_do_not_move_its_gradient(loss):
    """A label buffer reused between batches: the loss was taken on a view of it, then the buffer changed."""
    def gradient(edit):
        buffer = gt.tensor(LABELS + [1])
        x = scores()
        value = loss(x, buffer[:5])
        edit(buffer)
        value.backward()
        return x.grad.numpy()

    untouched = gradient(lambda buffer: None)
    np.testing.assert_array_equal(gradient(lambda buffer: buffer.copy_(gt.zeros(6, dtype="int64"))), untouched)
    np.testing.assert_array_equal(gradient(lambda buffer: buffer.numpy().fill(3)), untouched)


def test_functional_activations_take_torchs_keywords():
    torch = pytest.importorskip("torch")
    x = scores()
    tx = torch.from_numpy(x.numpy())
    tf = torch.nn.functional
    np.testing.assert_allclose(F.leaky_relu(x, negative_slope=0.2).numpy(), tf.leaky_relu(tx, negative_slope=0.2))
    np.testing.assert_allclose(F.softplus(x, beta=3.0).numpy(), tf.softplus(tx, beta=3.0), rtol=1e-12)
    np.testing.assert_allclose(F.gelu(x, approximate="tanh").numpy(), tf.gelu(tx, approximate="tanh"), rtol=1e-12)
    np.testing.assert_allclose(F.elu(x, alpha=0.5).numpy(), tf.elu(tx, alpha=0.5), rtol=1e-12)


def test_options_are_keywords_where_torch_puts_other_arguments_first():
    """torch's third positional argument is a class weight (or p for multi_margin_loss): no silent mix-up."""
    with pytest.raises(TypeError):
        F.cross_entropy(scores(), labels(), 0.1)
    with pytest.raises(TypeError):
        F.multi_margin_loss(scores(), labels(), 2.0)
