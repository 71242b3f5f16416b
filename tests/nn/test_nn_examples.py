"""The lecture demos in examples/ show what they claim, on small sizes."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

import graphlab.tensor as gt

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def load(name: str):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def stds(demo, scheme: str, width: int = 256, depth: int = 5) -> np.ndarray:
    activation, init_fn = demo.SCHEMES[scheme]
    x = gt.randn(128, width, generator=gt.Generator(1))
    return np.array([std for _, std, _ in demo.layer_statistics(demo.network(depth, width, activation, init_fn, 0), x)])


def test_activation_statistics_show_collapse_and_stability():
    demo = load("activation_statistics")
    small = stds(demo, "0.01·randn, tanh")
    assert np.all(small[1:] / small[:-1] < 0.2), "0.01·randn shrinks the activations at every layer (0.01·√256)"
    kaiming = stds(demo, "Kaiming, ReLU")
    assert kaiming.max() / kaiming.min() < 1.2, "Kaiming keeps ReLU activations at one scale"
    xavier_relu = stds(demo, "Xavier, ReLU")
    np.testing.assert_allclose(xavier_relu[1:] / xavier_relu[:-1], np.sqrt(0.5), rtol=0.1,
                               err_msg="Xavier with ReLU halves the variance at each layer")


def test_dead_relu_counts_units_that_never_fire():
    demo = load("dead_relu")
    model = demo.network(8, bias=0.0, seed=0)
    x = gt.randn(50, 2, generator=gt.Generator(0))
    with gt.no_grad():
        model[0].bias.data[...] = 100.0  # every layer-1 unit fires on every example
    assert demo.dead_units(model, x)[0] == 0
    with gt.no_grad():
        model[0].bias.data[:3] = -100.0  # three of them never fire
    assert demo.dead_units(model, x)[0] == 3
    with gt.no_grad():
        model[0].bias.data[...] = -100.0  # nothing reaches layer 2 either: its bias is 0
    assert demo.dead_units(model, x) == [8, 8]


def test_dead_relu_demo_prints_its_table(capsys):
    load("dead_relu").main(["--steps", "5", "--width", "16"])
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("Kaiming, lr 20 (too high)") for line in lines)
