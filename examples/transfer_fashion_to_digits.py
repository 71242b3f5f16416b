"""Transfer learning: features learned on Fashion-MNIST, reused for handwritten digits with little data.

    .venv/bin/python examples/transfer_fashion_to_digits.py            # graphlab
    .venv/bin/python examples/transfer_fashion_to_digits.py --torch    # the same steps with PyTorch

1. Train the small CNN of ``train_fashion_cnn.py`` on Fashion-MNIST (or, with
   graphlab, start from its checkpoint ``fashion_cnn.npz`` if it is there).
2. Digits (8×8, scikit-learn) are enlarged to 28×28 and only ``--digits`` of them
   (100) are used for training: little data, and images unlike clothes, so the
   lecture's advice is to keep the early, generic features and retrain the rest.
3. Compare on the digits test set, same epochs and batches each:
   a. freeze the convolutional features, re-initialise the classifier (the two
      linear layers) and train it;
   b. the same, but also fine-tune the second convolution at a 10× smaller rate;
   c. train the same network from scratch.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy
from common import argument_parser, engine, loaders, test_accuracy, train
from train_fashion_cnn import adam, cnn

from graphlab.data import ArrayDataset, ChannelNormalize, load_digits, load_fashion_mnist
from graphlab.train import fine_tune_groups, freeze, reinitialize, unfreeze

CLASSIFIER = (7, 9)  # the two linear layers of train_fashion_cnn.cnn; 0 and 3 are the convolutions


def digits_as_28x28(digits: ArrayDataset) -> ArrayDataset:
    """Each 8×8 digit enlarged 3× (nearest neighbour) to 24×24 and padded to 28×28, like MNIST's margin."""
    big = numpy.kron(digits.x, numpy.ones((1, 1, 3, 3), numpy.float32))
    return replace(digits, x=numpy.pad(big, ((0, 0), (0, 0), (2, 2), (2, 2))))


def pretrained(lib, args):
    lib.manual_seed(args.seed)
    model = cnn(lib.nn)
    saved = Path("fashion_cnn.npz")
    if not args.torch and saved.exists():
        from graphlab.train import load_checkpoint

        load_checkpoint(saved, model)
        print(f"Fashion-MNIST features from {saved}")
        return model
    train_set, test_set = load_fashion_mnist()
    normalize = ChannelNormalize().fit(train_set.x)
    train_set, test_set = (replace(s, x=normalize.transform(s.x)) for s in (train_set, test_set))
    train_loader, test_loader = loaders(train_set, test_set, 128, args.seed, args.torch, args.device)
    optimizer = adam(lib.optim, model.parameters())
    train(model, optimizer, train_loader, args.fashion_epochs, None, args.torch, args.device, not args.quiet)
    print(f"Fashion-MNIST test accuracy {test_accuracy(model, test_loader, args.torch, args.device):.2%}")
    return model


def main() -> None:
    parser = argument_parser(__doc__.splitlines()[0], epochs=15)
    parser.add_argument("--digits", type=int, default=100, help="digits training images to use")
    parser.add_argument("--fashion-epochs", type=int, default=3)
    args = parser.parse_args()
    lib = engine(args.torch)
    base = pretrained(lib, args)

    train_set, test_set = (digits_as_28x28(s) for s in load_digits(seed=args.seed))
    normalize = ChannelNormalize().fit(train_set.x)
    train_set, test_set = (replace(s, x=normalize.transform(s.x)) for s in (train_set, test_set))
    train_set = train_set.subset(args.digits)
    train_loader, test_loader = loaders(train_set, test_set, 32, args.seed, args.torch, args.device)

    lib.manual_seed(args.seed + 1)
    frozen = copy_of(base, lib)
    freeze(frozen)
    classifier = [reinitialize(unfreeze(frozen[i])) for i in CLASSIFIER]
    fine_tuned = copy_of(base, lib)
    for i in CLASSIFIER:
        reinitialize(fine_tuned[i])
    scratch = cnn(lib.nn)
    runs = {
        "frozen features, new classifier": (
            frozen, lib.optim.Adam([p for layer in classifier for p in layer.parameters()], lr=2e-3)),
        "+ conv2 fine-tuned at lr/10": (
            fine_tuned, lib.optim.Adam(fine_tune_groups(fine_tuned, last=3, lr=2e-4, head_lr=2e-3, head_layers=2))),
        "from scratch": (scratch, lib.optim.Adam(scratch.parameters(), lr=2e-3)),
    }
    print(f"digits: {len(train_set)} training images, {len(test_set)} test images, {args.epochs} epochs")
    for name, (model, optimizer) in runs.items():
        train(model.to(args.device), optimizer, train_loader, args.epochs, None, args.torch, args.device, False)
        print(f"{lib.name} {name:32s} digits test accuracy "
              f"{test_accuracy(model, test_loader, args.torch, args.device):.2%}")


def copy_of(model, lib):
    """A new network with ``model``'s weights."""
    twin = cnn(lib.nn)
    twin.load_state_dict(model.state_dict())
    return twin


if __name__ == "__main__":
    main()
