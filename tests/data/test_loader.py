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
