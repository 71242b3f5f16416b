"""Draw a real PyTorch CNN's training step with graphlab: every op's value and gradient on the graph.

    .venv/bin/python examples/torch_cnn_graph.py               # writes docs/torch-cnn-{collapsed,expanded}.png
    .venv/bin/python examples/torch_cnn_graph.py --out step/   # elsewhere; .svg as well

The model is plain PyTorch (``torch.nn``); ``graphlab.tensor.torch_graph.record``
watches one forward and backward pass of 16 Fashion-MNIST images (random images
where the dataset is not installed), and the trace it builds from PyTorch's own
``grad_fn`` graph is drawn as graphlab draws its own networks: one box per
module, or every op clustered per module, each showing its output's shape,
statistics and gradient. Needs PyTorch and Graphviz's ``dot``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from graphlab.data import load_fashion_mnist
from graphlab.data.idx import IDXError
from graphlab.render import write
from graphlab.tensor.torch_graph import record

DOCS = Path(__file__).resolve().parents[1] / "docs"
BATCH = 16


def images() -> tuple[np.ndarray, np.ndarray]:
    try:
        train, _ = load_fashion_mnist()
        return train.x[:BATCH], train.y[:BATCH]
    except IDXError:
        rng = np.random.default_rng(0)
        return rng.random((BATCH, 1, 28, 28), dtype=np.float32), rng.integers(0, 10, BATCH)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DOCS, help="folder for the pictures (default: docs/)")
    parser.add_argument("--svg", action="store_true", help="write .svg files beside the .png ones")
    args = parser.parse_args()

    import torch
    from torch import nn
    from torch.nn import functional as F

    class SmallCNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1, self.relu1, self.pool1 = nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)
            self.conv2, self.relu2, self.pool2 = nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)
            self.flatten, self.fc = nn.Flatten(), nn.Linear(16 * 7 * 7, 10)

        def forward(self, x):
            x = self.pool1(self.relu1(self.conv1(x)))
            x = self.pool2(self.relu2(self.conv2(x)))
            return self.fc(self.flatten(x))

    torch.manual_seed(0)
    model = SmallCNN()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    x, y = (torch.from_numpy(a) for a in images())

    with record(model) as recording:
        loss = F.cross_entropy(model(x), y)
        loss.backward()
    trace = recording.trace(loss)
    optimizer.step()

    title = f"PyTorch SmallCNN on {BATCH} Fashion-MNIST images: one training step (loss {loss.item():.3f})"
    for stem, collapsed in (("torch-cnn-collapsed", True), ("torch-cnn-expanded", False)):
        for suffix in (".png", ".svg") if args.svg else (".png",):
            print(write(trace, args.out / f"{stem}{suffix}", collapsed=collapsed, title=title))


if __name__ == "__main__":
    main()
