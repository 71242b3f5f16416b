"""``DataLoader``: batches of ``(inputs, labels)`` Tensors from NumPy arrays, shuffled by a seed.

Data stays in host memory as NumPy arrays; each batch is gathered, augmented (if
a ``transform`` is given) and only then copied to the loader's device, so a
Fashion-MNIST epoch on the GPU moves one batch at a time.
"""

from __future__ import annotations

import math
import secrets

import numpy

from graphlab.tensor import Tensor


class DataLoader:
    """Iterate over ``dataset`` in batches; each ``iter()`` is one epoch.

    ``dataset`` is an ``ArrayDataset`` or a pair of arrays ``(x, y)``. With
    ``shuffle=True`` epoch ``k`` draws its order from ``default_rng([seed, k, 0])``:
    two loaders with the same seed give the same batches, epoch after epoch, and
    ``set_epoch(k)`` resumes at epoch ``k`` without replaying the ones before.
    ``transform(images, rng)`` (an augmentation) gets its own generator,
    ``default_rng([seed, k, 1])``, so adding one leaves the batch order as it was.
    Integer labels become int64, the class indices the losses expect.
    """

    def __init__(self, dataset, batch_size: int = 64, shuffle: bool = False, seed: int | None = None,
                 drop_last: bool = False, transform=None, device: str | None = None):
        x, y = (dataset.x, dataset.y) if hasattr(dataset, "x") else dataset
        if len(x) != len(y):
            raise ValueError(f"DataLoader: {len(x)} inputs but {len(y)} labels; expected one label per input")
        if batch_size < 1:
            raise ValueError(f"DataLoader: batch_size={batch_size}; expected a positive integer")
        self.x, self.y = numpy.asarray(x), numpy.asarray(y)
        if numpy.issubdtype(self.y.dtype, numpy.integer):
            self.y = self.y.astype(numpy.int64, copy=False)
        self.batch_size, self.shuffle, self.drop_last = batch_size, shuffle, drop_last
        self.transform, self.device = transform, device
        self.seed = secrets.randbits(63) if seed is None else seed
        self.epoch = 0

    def __len__(self) -> int:
        """Batches per epoch."""
        count = len(self.x) / self.batch_size
        return math.floor(count) if self.drop_last else math.ceil(count)

    @property
    def num_examples(self) -> int:
        return len(self.x)

    def set_epoch(self, epoch: int) -> None:
        """Make the next ``iter()`` epoch ``epoch`` (counted from 0): its order and augmentation, as if run in turn."""
        if epoch < 0:
            raise ValueError(f"DataLoader.set_epoch: epoch={epoch}; expected 0 or more")
        self.epoch = epoch

    def __iter__(self):
        epoch, self.epoch = self.epoch, self.epoch + 1
        return self._batches(epoch)

    def _batches(self, epoch: int):
        if self.shuffle:
            order = numpy.random.default_rng([self.seed, epoch, 0]).permutation(len(self.x))
        else:
            order = numpy.arange(len(self.x))
        augment_rng = numpy.random.default_rng([self.seed, epoch, 1])
        for batch in range(len(self)):
            index = order[batch * self.batch_size:(batch + 1) * self.batch_size]
            x, y = self.x[index], self.y[index]
            if self.transform is not None:
                x = self.transform(x, augment_rng)
            yield Tensor(x, device=self.device), Tensor(y, device=self.device)

    def __repr__(self) -> str:
        return (f"DataLoader({len(self.x)} examples, batch_size={self.batch_size}, "
                f"shuffle={self.shuffle}, seed={self.seed})")
