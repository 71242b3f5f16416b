"""Small models and data for the training tests: each trains in well under a second."""

from graphlab import nn
from graphlab.tensor import Tensor, manual_seed


def mlp(inputs=2, hidden=32, classes=2, seed=0):
    manual_seed(seed)
    return nn.Sequential(nn.Linear(inputs, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
                         nn.Linear(hidden, classes))


def as_tensors(dataset):
    return Tensor(dataset.x), Tensor(dataset.y)
