"""``DataLoader``: batches of Tensors from a dataset, shuffled by a seed, as ``torch.utils.data`` names them.

Two kinds of dataset:

* arrays (an ``ArrayDataset``, or a pair ``(x, y)`` of NumPy arrays): data stays
  in host memory; each batch is gathered, augmented (if a ``transform`` is given)
  and only then copied to the loader's device, so a Fashion-MNIST epoch on the GPU
  moves one batch at a time;
* anything PyTorch's ``DataLoader`` takes: a ``Dataset`` subclass, a
  ``TensorDataset``, a list of examples — anything with ``len()`` and
  ``dataset[i]``. Examples are fetched one by one and joined by ``collate_fn``
  (``default_collate``: tensors, arrays and numbers are stacked along a new first
  dimension, tuples, lists and dicts are joined field by field).

Loading happens in the calling process: ``num_workers`` and ``pin_memory`` are
accepted, and change no result.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy

from graphlab.data.datasets import ArrayDataset
from graphlab.tensor import Tensor, stack


class Dataset:
    """A map-style dataset, as ``torch.utils.data.Dataset``: subclasses give ``__getitem__`` and ``__len__``."""

    def __getitem__(self, index: int) -> Any:
        raise NotImplementedError(f"{type(self).__name__} defines no __getitem__")


class TensorDataset(Dataset):
    """Tensors of one length along their first dimension; ``dataset[i]`` is the tuple of their ``i``-th rows."""

    def __init__(self, *tensors: Tensor) -> None:
        if not tensors:
            raise ValueError("TensorDataset: give at least one tensor")
        lengths = {len(t) for t in tensors}
        if len(lengths) != 1:
            raise ValueError(f"TensorDataset: the tensors have different lengths {sorted(lengths)}; expected one "
                             "row per example in each")
        self.tensors = tensors

    def __getitem__(self, index: int) -> tuple[Tensor, ...]:
        return tuple(t[index] for t in self.tensors)

    def __len__(self) -> int:
        return len(self.tensors[0])


class Subset(Dataset):
    """The examples of ``dataset`` at ``indices``, in that order."""

    def __init__(self, dataset: Any, indices: Sequence[int]) -> None:
        self.dataset, self.indices = dataset, list(indices)

    def __getitem__(self, index: int) -> Any:
        return self.dataset[self.indices[index]]

    def __len__(self) -> int:
        return len(self.indices)


def random_split(dataset: Any, lengths: Sequence[float], generator: Any = None) -> list[Subset]:
    """Disjoint random subsets of the given lengths (or fractions of the whole that add up to 1)."""
    total = len(dataset)
    if all(0 <= n <= 1 for n in lengths) and math.isclose(sum(lengths), 1.0) and sum(lengths) != total:
        counts = [math.floor(total * n) for n in lengths]
        for i in range(total - sum(counts)):  # the remainder, one each, round-robin (as PyTorch)
            counts[i % len(counts)] += 1
    else:
        counts = [int(n) for n in lengths]
    if sum(counts) != total:
        raise ValueError(f"random_split: the lengths add up to {sum(counts)}, the dataset has {total} examples")
    seed = secrets.randbits(63) if generator is None else generator.seed
    order = numpy.random.default_rng(seed).permutation(total).tolist()
    subsets, start = [], 0
    for count in counts:
        subsets.append(Subset(dataset, order[start:start + count]))
        start += count
    return subsets


def default_collate(batch: list) -> Any:
    """Join a list of examples into a batch: what ``DataLoader`` does unless given a ``collate_fn``."""
    first = batch[0]
    if isinstance(first, Tensor):
        return stack(batch)
    if isinstance(first, numpy.ndarray):
        return Tensor(numpy.stack(batch))
    if isinstance(first, (bool, int, float, numpy.generic)):
        dtype = "float64" if isinstance(first, float) else None  # as PyTorch: Python floats batch as float64
        return Tensor(numpy.asarray(batch), dtype=dtype)
    if isinstance(first, str):
        return list(batch)
    if isinstance(first, Mapping):
        return {key: default_collate([example[key] for example in batch]) for key in first}
    if isinstance(first, tuple) and hasattr(first, "_fields"):  # a namedtuple keeps its type
        return type(first)(*(default_collate(list(field)) for field in zip(*batch)))
    if isinstance(first, Sequence):
        if len({len(example) for example in batch}) != 1:
            raise RuntimeError("default_collate: the examples of a batch have fields of different lengths")
        return [default_collate(list(field)) for field in zip(*batch)]
    raise TypeError(f"default_collate: a batch must hold tensors, NumPy arrays, numbers, strings, dicts or "
                    f"sequences, found {type(first).__name__}; pass a collate_fn for other examples")


class DataLoader:
    """Iterate over ``dataset`` in batches of ``batch_size`` (1 by default, as PyTorch); each ``iter()`` is one epoch.

    With ``shuffle=True`` epoch ``k`` draws its order from ``default_rng([seed, k, 0])``
    (the seed of ``generator``, a ``graphlab.tensor.Generator``, if one is given): two
    loaders with the same seed give the same batches, epoch after epoch, and
    ``set_epoch(k)`` resumes at epoch ``k`` without replaying the ones before. For
    arrays, ``transform(images, rng)`` (an augmentation) gets its own generator,
    ``default_rng([seed, k, 1])``, so adding one leaves the batch order as it was, and
    integer labels become int64, the class indices the losses expect. ``sampler``
    (indices) or ``batch_sampler`` (lists of indices) choose the order instead.
    """

    def __init__(self, dataset: Any, batch_size: int | None = 1, shuffle: bool = False, sampler: Any = None,
                 batch_sampler: Iterable[Sequence[int]] | None = None, num_workers: int = 0,
                 collate_fn: Callable[[list], Any] | None = None, pin_memory: bool = False, drop_last: bool = False,
                 timeout: float = 0, worker_init_fn: Any = None, generator: Any = None, *,
                 seed: int | None = None, transform: Callable | None = None, device: str | None = None,
                 **ignored: Any):
        if batch_size is not None and batch_size < 1:
            raise ValueError(f"DataLoader: batch_size={batch_size}; expected a positive integer")
        if (sampler is not None or batch_sampler is not None) and shuffle:
            raise ValueError("DataLoader: sampler/batch_sampler is mutually exclusive with shuffle")
        self.x = self.y = None
        if isinstance(dataset, ArrayDataset) or _is_array_pair(dataset):
            x, y = (dataset.x, dataset.y) if isinstance(dataset, ArrayDataset) else dataset
            if len(x) != len(y):
                raise ValueError(f"DataLoader: {len(x)} inputs but {len(y)} labels; expected one label per input")
            self.x, self.y = numpy.asarray(x), numpy.asarray(y)
            if numpy.issubdtype(self.y.dtype, numpy.integer):
                self.y = self.y.astype(numpy.int64, copy=False)
            dataset = dataset if isinstance(dataset, ArrayDataset) else ArrayDataset(self.x, self.y)
        elif transform is not None:
            raise ValueError("DataLoader: transform= augments batches of arrays (an ArrayDataset or an (x, y) "
                             "pair); a Dataset applies its own transforms in __getitem__")
        self.dataset = dataset
        self.batch_size, self.shuffle, self.drop_last = batch_size, shuffle, drop_last
        self.sampler, self.batch_sampler = sampler, batch_sampler
        self.collate_fn = collate_fn or default_collate
        self.transform, self.device = transform, device
        self.num_workers, self.pin_memory = num_workers, pin_memory
        if seed is None:
            seed = generator.seed if generator is not None else secrets.randbits(63)
        self.seed = seed
        self.epoch = 0

    def __len__(self) -> int:
        """Batches per epoch."""
        if self.batch_sampler is not None:
            return len(self.batch_sampler)
        count = len(self.sampler) if self.sampler is not None else len(self.dataset)
        if self.batch_size is None:
            return count
        return count // self.batch_size if self.drop_last else math.ceil(count / self.batch_size)

    @property
    def num_examples(self) -> int:
        return len(self.dataset)

    def set_epoch(self, epoch: int) -> None:
        """Make the next ``iter()`` epoch ``epoch`` (counted from 0): its order and augmentation, as if run in turn."""
        if epoch < 0:
            raise ValueError(f"DataLoader.set_epoch: epoch={epoch}; expected 0 or more")
        self.epoch = epoch

    def __iter__(self) -> Iterator[Any]:
        epoch, self.epoch = self.epoch, self.epoch + 1
        return self._batches(epoch)

    def _order(self, epoch: int) -> list[Sequence[int]]:
        """The indices of each batch of epoch ``epoch``."""
        if self.batch_sampler is not None:
            return [list(batch) for batch in self.batch_sampler]
        if self.sampler is not None:
            order = numpy.asarray(list(self.sampler), dtype=numpy.int64)
        elif self.shuffle:
            order = numpy.random.default_rng([self.seed, epoch, 0]).permutation(len(self.dataset))
        else:
            order = numpy.arange(len(self.dataset))
        size = self.batch_size or 1
        return [order[i * size:(i + 1) * size] for i in range(len(self))]

    def _batches(self, epoch: int) -> Iterator[Any]:
        augment_rng = numpy.random.default_rng([self.seed, epoch, 1])
        for index in self._order(epoch):
            if self.x is not None:
                x, y = self.x[index], self.y[index]
                if self.batch_size is None:
                    x, y = x[0], y[0]
                if self.transform is not None:
                    x = self.transform(x, augment_rng)
                yield Tensor(x, device=self.device), Tensor(y, device=self.device)
                continue
            examples = [self.dataset[int(i)] for i in index]
            batch = examples[0] if self.batch_size is None else self.collate_fn(examples)
            yield batch if self.device is None else _to(batch, self.device)

    def __repr__(self) -> str:
        return (f"DataLoader({len(self.dataset)} examples, batch_size={self.batch_size}, "
                f"shuffle={self.shuffle}, seed={self.seed})")


def _is_array_pair(dataset: Any) -> bool:
    """graphlab's own shorthand: a tuple of two arrays, inputs and labels."""
    return (isinstance(dataset, tuple) and len(dataset) == 2
            and all(isinstance(part, numpy.ndarray) and part.ndim >= 1 for part in dataset))


def _to(batch: Any, device: str) -> Any:
    if isinstance(batch, Tensor):
        return batch.to(device)
    if isinstance(batch, Mapping):
        return {key: _to(value, device) for key, value in batch.items()}
    if isinstance(batch, tuple) and hasattr(batch, "_fields"):
        return type(batch)(*(_to(value, device) for value in batch))
    if isinstance(batch, (list, tuple)):
        return type(batch)(_to(value, device) for value in batch)
    return batch
