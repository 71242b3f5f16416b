"""Offline datasets: shapes, ranges, seeds, and the installed Fashion-MNIST files."""

import numpy
import pytest

from graphlab.data.datasets import (
    FASHION_MNIST_DIR,
    ArrayDataset,
    load_digits,
    load_fashion_mnist,
    make_moons,
    make_spirals,
)
from graphlab.data.idx import IDXError


def test_digits_split_is_stratified_scaled_and_seeded():
    train, test = load_digits(test_fraction=0.2, seed=3)
    assert train.x.shape[1:] == (1, 8, 8) and len(train) + len(test) == 1797
    assert train.x.dtype == numpy.float32 and train.x.min() >= 0.0 and train.x.max() == 1.0
    counts = numpy.bincount(test.y, minlength=10)
    assert counts.min() >= 35 and counts.max() <= 37  # 20 % of ~180 per class
    again, _ = load_digits(test_fraction=0.2, seed=3)
    numpy.testing.assert_array_equal(train.y, again.y)
    other, _ = load_digits(test_fraction=0.2, seed=4)
    assert not numpy.array_equal(train.y, other.y)


def test_spirals_have_three_arms_of_growing_radius():
    data = make_spirals(points_per_class=50, classes=3, noise=0.0, seed=0)
    assert data.x.shape == (150, 2) and numpy.bincount(data.y).tolist() == [50, 50, 50]
    radius = numpy.linalg.norm(data.x, axis=1)
    numpy.testing.assert_allclose(radius[:50], numpy.linspace(0, 1, 50), atol=1e-6)
    assert data.num_classes == 3


def test_generated_sets_depend_on_the_seed_only():
    a, b, c = make_moons(100, seed=1), make_moons(100, seed=1), make_moons(100, seed=2)
    numpy.testing.assert_array_equal(a.x, b.x)
    assert not numpy.array_equal(a.x, c.x)
    assert numpy.bincount(a.y).tolist() == [50, 50]


def test_moons_without_noise_lie_on_their_half_circles():
    data = make_moons(60, noise=0.0, seed=0)
    upper = data.x[data.y == 0]
    lower = data.x[data.y == 1]
    numpy.testing.assert_allclose(numpy.linalg.norm(upper, axis=1), 1.0, atol=1e-6)
    numpy.testing.assert_allclose(numpy.linalg.norm(lower - [1.0, 0.5], axis=1), 1.0, atol=1e-6)


def test_dataset_length_mismatch_is_refused():
    with pytest.raises(ValueError, match="3 inputs but 2 labels"):
        ArrayDataset(numpy.zeros((3, 2)), numpy.zeros(2))


@pytest.mark.skipif(not (FASHION_MNIST_DIR / "t10k-labels-idx1-ubyte.gz").exists(),
                    reason="dataset-fashion-mnist is not installed")
def test_installed_fashion_mnist():
    train, test = load_fashion_mnist()
    assert train.x.shape == (60000, 1, 28, 28) and test.x.shape == (10000, 1, 28, 28)
    assert numpy.bincount(test.y).tolist() == [1000] * 10
    assert train.classes[9] == "Ankle boot"
    assert train.x.min() == 0.0 and train.x.max() == 1.0


def test_digits_without_scikit_learn_say_how_to_get_it(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "sklearn", None)  # as if it were not installed
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    with pytest.raises(ModuleNotFoundError, match=r"pip install 'graphlab\[data\]'"):
        load_digits()


def test_a_missing_fashion_mnist_names_the_debian_package_and_the_folder_alternative(monkeypatch, tmp_path):
    from graphlab.data import datasets

    monkeypatch.setattr(datasets, "FASHION_MNIST_DIR", tmp_path / "absent")
    with pytest.raises(IDXError, match=r"apt-get install dataset-fashion-mnist.*root=FOLDER.*t10k-labels-idx1-ubyte"):
        datasets.load_fashion_mnist()
    with pytest.raises(IDXError, match="nowhere: no such folder; expected a folder holding the four IDX files"):
        datasets.load_fashion_mnist(tmp_path / "nowhere")
