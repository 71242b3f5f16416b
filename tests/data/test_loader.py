"""DataLoader: every example once per epoch, seeded order, Tensors on the asked device."""

import numpy
import pytest

import graphlab.tensor as T
from graphlab.data import (
    ArrayDataset,
    DataLoader,
    Dataset,
    HorizontalFlip,
    TensorDataset,
    default_collate,
    random_split,
)
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
    with pytest.raises(ValueError, match=r"5 inputs but 4 labels"):
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
    with pytest.raises(ValueError, match=r"set_epoch: epoch=-1"):
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


# -- PyTorch's datasets: anything with len() and dataset[i] -------------------------------------------

class Squares(Dataset):
    """A map-style dataset as PyTorch's tutorials write one: (a tensor, an int label) per example."""

    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return T.tensor([float(i), float(i * i)]), i % 2


def test_a_dataset_of_examples_is_batched_by_default_collate():
    loader = DataLoader(Squares(5), batch_size=2)
    assert len(loader) == 3 and len(loader.dataset) == 5
    (x, y), *_ = list(loader)
    assert x.tolist() == [[0.0, 0.0], [1.0, 1.0]] and y.tolist() == [0, 1] and y.dtype == "int64"
    assert [len(batch[1]) for batch in loader] == [2, 2, 1]


def test_the_default_batch_size_is_pytorchs_one():
    x, y = next(iter(DataLoader(Squares(3))))
    assert x.shape == (1, 2) and y.shape == (1,)


def test_tensor_dataset_subsets_and_random_split():
    data = TensorDataset(T.arange(10).float(), T.arange(10) % 3)
    assert len(data) == 10 and [t.item() for t in data[4]] == [4.0, 1]
    train, test = random_split(data, [0.8, 0.2], generator=T.Generator(0))
    assert len(train) == 8 and len(test) == 2
    assert sorted(train.indices + test.indices) == list(range(10))
    again, _ = random_split(data, [8, 2], generator=T.Generator(0))
    assert again.indices == train.indices
    with pytest.raises(ValueError, match=r"different lengths"):
        TensorDataset(T.zeros(3), T.zeros(4))
    with pytest.raises(ValueError, match=r"add up to 9, the dataset has 10"):
        random_split(data, [5, 4])


def test_collate_joins_tuples_dicts_numbers_and_arrays_field_by_field():
    batch = default_collate([{"x": numpy.ones(2, numpy.float32), "n": 1.5, "name": "a"},
                             {"x": numpy.zeros(2, numpy.float32), "n": 2.5, "name": "b"}])
    assert batch["x"].shape == (2, 2) and batch["n"].dtype == "float64" and batch["name"] == ["a", "b"]
    with pytest.raises(TypeError, match=r"default_collate: .*found object"):
        default_collate([object(), object()])


def test_shuffling_a_dataset_is_seeded_and_samplers_choose_the_order():
    shuffled = DataLoader(Squares(8), batch_size=8, shuffle=True, seed=3)
    order = [int(v) for v in next(iter(shuffled))[0][:, 0].tolist()]
    assert sorted(order) == list(range(8)) and order != list(range(8))
    assert order == [int(v) for v in next(iter(DataLoader(Squares(8), batch_size=8, shuffle=True, seed=3)))[0][:, 0]
                     .tolist()]
    backwards = DataLoader(Squares(4), batch_size=2, sampler=[3, 2, 1, 0])
    assert [y.tolist() for _, y in backwards] == [[1, 0], [1, 0]]
    with pytest.raises(ValueError, match=r"transform= augments batches of arrays"):
        DataLoader(Squares(4), transform=HorizontalFlip())
