"""Fixtures for the training tests: tiny synthetic data sets and loaders."""

import pytest

from graphlab.data import DataLoader, make_moons, make_spirals


@pytest.fixture
def spirals():
    return make_spirals(points_per_class=40, classes=3, noise=0.1, seed=0)


@pytest.fixture
def moons_loaders():
    train, val = make_moons(256, noise=0.1, seed=0), make_moons(128, noise=0.1, seed=1)
    return DataLoader(train, batch_size=32, shuffle=True, seed=0), DataLoader(val, batch_size=64)
