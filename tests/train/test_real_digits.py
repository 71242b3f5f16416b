"""End to end on real data: the digits MLP of examples/train_digits.py, trained briefly, generalises."""

from dataclasses import replace

from graphlab import nn, optim
from graphlab.data import ChannelNormalize, DataLoader, load_digits
from graphlab.optim.lr_scheduler import CosineAnnealingLR
from graphlab.tensor import manual_seed
from graphlab.train import evaluate, fit


def test_digits_mlp_reaches_95_percent_in_ten_epochs():
    train, test = load_digits(seed=0)
    normalize = ChannelNormalize().fit(train.x)
    train, test = replace(train, x=normalize.transform(train.x)), replace(test, x=normalize.transform(test.x))
    manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 10))
    optimizer = optim.Adam(model.parameters(), lr=2e-3)
    history = fit(model, optimizer, DataLoader(train, batch_size=32, shuffle=True, seed=0), epochs=10,
                  scheduler=CosineAnnealingLR(optimizer, T_max=10), progress=False)
    assert history["train_acc"][-1] > 0.99
    assert evaluate(model, DataLoader(test, batch_size=500))["acc"] >= 0.95
