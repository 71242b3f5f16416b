"""Every layer: float64 gradient check of input and parameters, and PyTorch parity (forward, backward, buffers)."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from nn_checks import (
    compare_with_torch,
    copy_to_torch,
    float64_input,
    gradcheck,
    module_leaves,
)

import graphlab.tensor as gt
from graphlab import nn

# name: (graphlab module, torch module from torch.nn, input shape, smallest |x| to stay off kinks)
LAYERS = {
    "Linear": (lambda: nn.Linear(5, 4), lambda tn: tn.Linear(5, 4), (3, 5), None),
    "Linear-no-bias": (lambda: nn.Linear(5, 4, bias=False), lambda tn: tn.Linear(5, 4, bias=False), (3, 5), None),
    "Conv2d": (lambda: nn.Conv2d(2, 3, 3, stride=2, padding=1), lambda tn: tn.Conv2d(2, 3, 3, stride=2, padding=1),
               (2, 2, 5, 5), None),
    "Conv2d-groups": (lambda: nn.Conv2d(4, 2, (3, 2), groups=2, bias=False),
                      lambda tn: tn.Conv2d(4, 2, (3, 2), groups=2, bias=False), (1, 4, 4, 4), None),
    "Conv2d-same": (lambda: nn.Conv2d(2, 3, (3, 2), padding="same", dilation=(1, 2)),
                    lambda tn: tn.Conv2d(2, 3, (3, 2), padding="same", dilation=(1, 2)), (2, 2, 5, 6), None),
    "MaxPool2d": (lambda: nn.MaxPool2d(2), lambda tn: tn.MaxPool2d(2), (2, 2, 4, 4), None),
    "AvgPool2d": (lambda: nn.AvgPool2d(3, stride=2, padding=1), lambda tn: tn.AvgPool2d(3, stride=2, padding=1),
                  (2, 2, 5, 5), None),
    "MaxPool2d-ceil": (lambda: nn.MaxPool2d(3, 2, ceil_mode=True), lambda tn: tn.MaxPool2d(3, 2, ceil_mode=True),
                       (2, 2, 6, 6), None),
    "AvgPool2d-ceil": (lambda: nn.AvgPool2d(2, padding=1, ceil_mode=True, count_include_pad=False),
                       lambda tn: tn.AvgPool2d(2, padding=1, ceil_mode=True, count_include_pad=False), (2, 2, 6, 5), None),
    "Flatten": (lambda: nn.Flatten(), lambda tn: tn.Flatten(), (2, 3, 2, 2), None),
    "BatchNorm1d": (lambda: nn.BatchNorm1d(4), lambda tn: tn.BatchNorm1d(4), (6, 4), None),
    "BatchNorm1d-3d": (lambda: nn.BatchNorm1d(3, momentum=0.3), lambda tn: tn.BatchNorm1d(3, momentum=0.3),
                       (4, 3, 5), None),
    "BatchNorm2d": (lambda: nn.BatchNorm2d(3), lambda tn: tn.BatchNorm2d(3), (4, 3, 3, 3), None),
    "LayerNorm": (lambda: nn.LayerNorm((3, 4)), lambda tn: tn.LayerNorm((3, 4)), (2, 3, 4), None),
    "InstanceNorm2d": (lambda: nn.InstanceNorm2d(3, affine=True), lambda tn: tn.InstanceNorm2d(3, affine=True),
                       (2, 3, 3, 3), None),
    "GroupNorm": (lambda: nn.GroupNorm(2, 4), lambda tn: tn.GroupNorm(2, 4), (2, 4, 3, 3), None),
    "Sigmoid": (nn.Sigmoid, lambda tn: tn.Sigmoid(), (3, 4), None),
    "Tanh": (nn.Tanh, lambda tn: tn.Tanh(), (3, 4), None),
    "ReLU": (nn.ReLU, lambda tn: tn.ReLU(), (3, 4), 0.05),
    "LeakyReLU": (lambda: nn.LeakyReLU(0.2), lambda tn: tn.LeakyReLU(0.2), (3, 4), 0.05),
    "PReLU": (lambda: nn.PReLU(), lambda tn: tn.PReLU(), (3, 4), 0.05),
    "PReLU-channels": (lambda: nn.PReLU(3, init=0.1), lambda tn: tn.PReLU(3, init=0.1), (2, 3, 2, 2), 0.05),
    "ELU": (lambda: nn.ELU(0.7), lambda tn: tn.ELU(0.7), (3, 4), 0.05),
    "SELU": (nn.SELU, lambda tn: tn.SELU(), (3, 4), 0.05),
    "GELU": (nn.GELU, lambda tn: tn.GELU(), (3, 4), None),
    "GELU-tanh": (lambda: nn.GELU("tanh"), lambda tn: tn.GELU("tanh"), (3, 4), None),
    "SiLU": (nn.SiLU, lambda tn: tn.SiLU(), (3, 4), None),
    "Hardtanh": (lambda: nn.Hardtanh(-0.5, 0.7), lambda tn: tn.Hardtanh(-0.5, 0.7), (3, 4), None),
    "Softplus": (lambda: nn.Softplus(2.0), lambda tn: tn.Softplus(2.0), (3, 4), None),
    "Softmax": (lambda: nn.Softmax(1), lambda tn: tn.Softmax(1), (3, 4), None),
    "LogSoftmax": (lambda: nn.LogSoftmax(1), lambda tn: tn.LogSoftmax(1), (3, 4), None),
}


def build(name: str):
    make, _, shape, low = LAYERS[name]
    gt.manual_seed(0)
    module = make().double()
    return module, float64_input(shape, seed=3, low=low)


@pytest.mark.parametrize("name", LAYERS)
def test_layer_gradients_match_central_differences(name):
    module, x = build(name)
    gradcheck(lambda: module(x), module_leaves(module, x))


@pytest.mark.parametrize("name", LAYERS)
def test_layer_matches_torch_in_train_and_eval(name):
    torch = pytest.importorskip("torch")
    module, x = build(name)
    twin = LAYERS[name][1](torch.nn)
    copy_to_torch(torch, module, twin)
    for step in range(3):  # buffers (running statistics) must follow torch's over several batches
        compare_with_torch(torch, module, twin, float64_input(x.shape, seed=step, low=LAYERS[name][3]))
    module.eval()
    twin.eval()
    compare_with_torch(torch, module, twin, x)


def test_batchnorm_eval_uses_running_statistics_not_the_batch():
    layer = nn.BatchNorm1d(2, momentum=0.5).double()
    x = gt.tensor([[1.0, 10.0], [3.0, 30.0]], dtype="float64")
    layer(x)
    # mean (2, 20), unbiased var (2, 200): half-way from (0, 1) toward them
    np.testing.assert_allclose(layer.running_mean.numpy(), [1.0, 10.0])
    np.testing.assert_allclose(layer.running_var.numpy(), [1.5, 100.5])
    assert int(layer.num_batches_tracked.item()) == 1
    layer.eval()
    with gt.no_grad():
        out = layer(x).numpy()
    expected = (x.numpy() - [1.0, 10.0]) / np.sqrt(np.array([1.5, 100.5]) + 1e-5)
    np.testing.assert_allclose(out, expected)
    assert int(layer.num_batches_tracked.item()) == 1, "evaluation must not touch the statistics"


def test_batchnorm_momentum_none_is_a_cumulative_average():
    torch = pytest.importorskip("torch")
    layer, twin = nn.BatchNorm1d(3, momentum=None).double(), torch.nn.BatchNorm1d(3, momentum=None).double()
    for seed in range(4):
        x = float64_input((5, 3), seed)
        layer(x)
        twin(torch.from_numpy(x.numpy()))
    np.testing.assert_allclose(layer.running_mean.numpy(), twin.running_mean.numpy(), rtol=1e-12)
    np.testing.assert_allclose(layer.running_var.numpy(), twin.running_var.numpy(), rtol=1e-12)


def test_batchnorm_rejects_a_wrong_channel_count():
    with pytest.raises(ValueError, match=r"BatchNorm2d\(3\).*4-d input with 3 channels.*\(2, 4, 5, 5\)"):
        nn.BatchNorm2d(3)(gt.randn(2, 4, 5, 5))


def test_dropout_is_inverted_in_training_and_the_identity_in_eval():
    torch = pytest.importorskip("torch")
    p = 0.3
    x = gt.ones(200, 50, dtype="float64", requires_grad=True)
    layer = nn.Dropout(p, generator=gt.Generator(0))
    out = layer(x)
    out.sum().backward()
    values = np.unique(out.numpy())
    theirs = np.unique(torch.nn.Dropout(p)(torch.ones(200, 50, dtype=torch.float64)).numpy())
    np.testing.assert_allclose(values, [0.0, 1 / (1 - p)])
    np.testing.assert_allclose(values, theirs)
    assert abs((out.numpy() == 0).mean() - p) < 0.02
    assert abs(out.numpy().mean() - 1.0) < 0.03, "inverted dropout keeps the expected activation"
    np.testing.assert_array_equal(x.grad.numpy(), out.numpy(), "gradient flows through the kept units, scaled")
    layer.eval()
    assert layer(x) is x


def test_dropout_gradient_with_a_fixed_mask():
    layer = nn.Dropout(0.4)
    x = float64_input((4, 5))

    def forward():
        layer.generator = gt.Generator(7)  # the same mask on every call
        return layer(x)

    gradcheck(forward, {"input": x})


def test_embedding_gradient_and_parity():
    torch = pytest.importorskip("torch")
    gt.manual_seed(0)
    layer = nn.Embedding(6, 3).double()
    ids = gt.tensor([[0, 2, 2], [5, 1, 2]])
    gradcheck(lambda: layer(ids), dict(layer.named_parameters()))
    twin = torch.nn.Embedding(6, 3)
    copy_to_torch(torch, layer, twin)
    compare_with_torch(torch, layer, twin, ids)


def test_embedding_padding_row_starts_at_zero_and_gets_no_gradient():
    layer = nn.Embedding(4, 2, padding_idx=1)
    assert np.all(layer.weight.numpy()[1] == 0)
    layer(gt.tensor([1, 1, 3])).sum().backward()
    assert np.all(layer.weight.grad.numpy()[1] == 0)
    assert np.all(layer.weight.grad.numpy()[3] == 1)


def test_swish_beta_is_x_times_sigmoid_of_beta_x():
    x = float64_input((3, 4))
    layer = nn.SiLU(beta=1.7)
    expected = x.numpy() / (1 + np.exp(-1.7 * x.numpy()))
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-12)
    gradcheck(lambda: layer(x), {"input": x})


def test_maxout_takes_the_max_of_its_linear_pieces():
    gt.manual_seed(0)
    layer = nn.Maxout(4, 3, pieces=2).double()
    x = float64_input((5, 4))
    scores = x.numpy() @ layer.linear.weight.numpy().T + layer.linear.bias.numpy()
    np.testing.assert_allclose(layer(x).numpy(), scores.reshape(5, 3, 2).max(axis=2), rtol=1e-12)
    gradcheck(lambda: layer(x), module_leaves(layer, x))


def test_prelu_slope_is_learned():
    layer = nn.PReLU().double()
    x = gt.tensor([[-2.0, 3.0]], dtype="float64")
    layer(x).sum().backward()
    assert layer.weight.grad.item() == pytest.approx(-2.0), "d/da of a·x for x < 0 is x"


def test_residual_block_gradients_and_parity():
    torch = pytest.importorskip("torch")
    gt.manual_seed(0)
    block = nn.ResidualBlock.mlp(4).double()
    x = float64_input((6, 4), seed=2)
    gradcheck(lambda: block(x), module_leaves(block, x))

    class TorchBlock(torch.nn.Module):
        def __init__(self):
            super().__init__()
            tn = torch.nn
            self.branch = tn.Sequential(tn.Linear(4, 4), tn.BatchNorm1d(4), tn.ReLU(), tn.Linear(4, 4),
                                        tn.BatchNorm1d(4))
            self.activation = tn.ReLU()

        def forward(self, x):
            return self.activation(x + self.branch(x))

    twin = TorchBlock()
    copy_to_torch(torch, block, twin)
    compare_with_torch(torch, block, twin, x)


def test_conv_residual_block_matches_torchs_basic_block():
    torch = pytest.importorskip("torch")
    tn = torch.nn
    gt.manual_seed(0)
    block = nn.ResidualBlock.conv(3).double()

    class BasicBlock(tn.Module):
        def __init__(self):
            super().__init__()
            self.branch = tn.Sequential(tn.Conv2d(3, 3, 3, padding=1, bias=False), tn.BatchNorm2d(3), tn.ReLU(),
                                        tn.Conv2d(3, 3, 3, padding=1, bias=False), tn.BatchNorm2d(3))
            self.activation = tn.ReLU()

        def forward(self, x):
            return self.activation(x + self.branch(x))

    twin = BasicBlock()
    copy_to_torch(torch, block, twin)
    compare_with_torch(torch, block, twin, float64_input((2, 3, 5, 5), seed=4))
    block.eval()
    twin.eval()
    compare_with_torch(torch, block, twin, float64_input((2, 3, 5, 5), seed=5))


def every_layer_model() -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.BatchNorm2d(2), nn.PReLU(2), nn.MaxPool2d(2),
                         nn.InstanceNorm2d(2, affine=True), nn.AvgPool2d(1), nn.GroupNorm(1, 2), nn.Flatten(),
                         nn.Linear(8, 6), nn.LayerNorm(6), nn.ELU(), nn.Maxout(6, 3), nn.BatchNorm1d(3), nn.SiLU(1.5))


def test_layers_on_another_backend_match_the_cpu(other_device):
    """The strict backend refuses NumPy-only calls as CuPy would; both must give the CPU's numbers."""
    gt.manual_seed(0)
    model = every_layer_model()
    moved = copy.deepcopy(model).to(other_device)
    x, y = gt.randn(4, 1, 4, 4), gt.tensor([0, 1, 2, 1])
    results = []
    for net, on in ((model, "cpu"), (moved, other_device)):
        loss = nn.functional.cross_entropy(net(x.to(on)), y.to(on), label_smoothing=0.1)
        loss.backward()
        net.eval()
        with gt.no_grad():
            results.append([loss.numpy(), net(x.to(on)).numpy()] + [p.grad.numpy() for p in net.parameters()]
                           + [b.numpy() for b in net.buffers()])
    assert all(p.device == other_device for p in moved.parameters())
    for mine, reference in zip(results[1], results[0]):
        np.testing.assert_allclose(mine, reference, rtol=1e-4, atol=1e-6)
    dropped = nn.Dropout(0.5)(gt.ones(100, device=other_device)).numpy()
    assert set(np.unique(dropped)) == {0.0, 2.0}


def test_hardtanh_says_its_bounds_and_refuses_them_in_the_wrong_order():
    assert repr(nn.Hardtanh(0.0, 6.0)) == "Hardtanh(min_val=0.0, max_val=6.0)"
    with pytest.raises(ValueError, match="Hardtanh: min_val cannot be greater than max_val"):
        nn.Hardtanh(1.0, -1.0)
