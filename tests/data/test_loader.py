"""DataLoader: every example once per epoch, seeded order, Tensors on the asked device."""

import numpy
import pytest

from graphlab.data import ArrayDataset, DataLoader, HorizontalFlip
from graphlab.tensor import Tensor


def dataset(n=10):
    x = numpy.arange(n * 4, dtype=numpy.float32).reshape(n, 1, 2, 2)
    return ArrayDataset(x, numpy.arange(n))


def epoch_labels(loader):
    return [y.numpy().tolist() for _, y in loader]


def test_batches_cover_the_data_once_and_keep_pairs_together():
    loader = DataLoader(dataset(10), batch_size=4, shuffle=True, seed=0)
    assert len(loader) == 3
    seen = []
    for x, y in loader:
        assert isinstance(x, Tensor) and x.dtype == "float32" and y.dtype == "int64"
        numpy.testing.assert_array_equal(x.numpy()[:, 0, 0, 0], y.numpy() * 4)  # x[i] belongs to y[i]
        seen += y.numpy().tolist()
    assert [len(b) for b in epoch_labels(loader)] == [4, 4, 2]
    assert sorted(seen) == list(range(10))


def test_same_seed_same_epochs_and_each_epoch_reshuffles():
    a = DataLoader(dataset(20), batch_size=5, shuffle=True, seed=7)
    b = DataLoader(dataset(20), batch_size=5, shuffle=True, seed=7)
    first, second = epoch_labels(a), epoch_labels(a)
    assert first == epoch_labels(b) and second == epoch_labels(b)
    assert first != second
    assert epoch_labels(DataLoader(dataset(20), batch_size=5, shuffle=True, seed=8)) != first


def test_without_shuffle_the_order_is_the_data_order_and_drop_last_drops():
    loader = DataLoader((numpy.zeros((7, 3)), numpy.arange(7)), batch_size=3, drop_last=True)
    assert epoch_labels(loader) == [[0, 1, 2], [3, 4, 5]] and len(loader) == 2


def test_transform_is_applied_per_batch_and_reproducible():
    loader = DataLoader(dataset(8), batch_size=8, transform=HorizontalFlip(p=1.0), seed=1)
    (x, _), = list(loader)
    numpy.testing.assert_array_equal(x.numpy(), dataset(8).x[..., ::-1])


def test_tensors_land_on_the_loader_device():
    pytest.importorskip("array_api_strict")
    loader = DataLoader(dataset(4), batch_size=2, device="array_api_strict")
    x, y = next(iter(loader))
    assert x.device == y.device == "array_api_strict"
    assert type(x.data).__module__.startswith("array_api_strict")


def test_mismatched_lengths_are_refused():
    with pytest.raises(ValueError, match="5 inputs but 4 labels"):
        DataLoader((numpy.zeros((5, 2)), numpy.zeros(4)))


def test_adding_an_augmentation_keeps_the_batch_order_of_every_epoch():
    plain = DataLoader(dataset(20), batch_size=5, shuffle=True, seed=3)
    flipped = DataLoader(dataset(20), batch_size=5, shuffle=True, seed=3, transform=HorizontalFlip(p=0.5))
    for _ in range(3):
        assert epoch_labels(flipped) == epoch_labels(plain)


def test_set_epoch_gives_that_epoch_without_running_the_ones_before():
    def epoch(loader):
        return [(x.numpy(), y.numpy()) for x, y in loader]

    run_in_turn = DataLoader(dataset(12), batch_size=4, shuffle=True, seed=5, transform=HorizontalFlip(p=0.5))
    epochs = [epoch(run_in_turn) for _ in range(3)]
    resumed = DataLoader(dataset(12), batch_size=4, shuffle=True, seed=5, transform=HorizontalFlip(p=0.5))
    resumed.set_epoch(2)
    for (x, y), (x_expected, y_expected) in zip(epoch(resumed), epochs[2], strict=True):
        numpy.testing.assert_array_equal(y, y_expected)
        numpy.testing.assert_array_equal(x, x_expected)
    assert resumed.epoch == 3
    with pytest.raises(ValueError, match="set_epoch: epoch=-1"):
        resumed.set_epoch(-1)


def test_the_order_is_drawn_from_the_seed_and_the_epoch():
    loader = DataLoader(dataset(10), batch_size=10, shuffle=True, seed=11)
    expected = [numpy.random.default_rng([11, k, 0]).permutation(10).tolist() for k in range(2)]
    assert [epoch_labels(loader)[0] for _ in range(2)] == expected


def test_integer_labels_become_int64_class_indices():
    loader = DataLoader((numpy.zeros((4, 2), numpy.float32), numpy.array([0, 1, 2, 1], numpy.uint8)), batch_size=4)
    (_, y), = list(loader)
    assert y.dtype == "int64" and y.numpy().tolist() == [0, 1, 2, 1]
    soft = DataLoader((numpy.zeros((2, 2)), numpy.full((2, 3), 1 / 3, numpy.float32)), batch_size=2)
    assert next(iter(soft))[1].dtype == "float32"  # probabilities stay probabilities
