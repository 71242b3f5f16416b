"""Networks, shaped like ``torch.nn``: ``Module``, layers, activations, losses, ``init`` and ``functional``.

    from graphlab import nn
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    loss = nn.functional.cross_entropy(model(x), y)
"""

from graphlab.nn import functional, init
from graphlab.nn.activation import (
    ELU,
    GELU,
    SELU,
    LeakyReLU,
    LogSoftmax,
    Maxout,
    PReLU,
    ReLU,
    Sigmoid,
    SiLU,
    Softmax,
    Softplus,
    Swish,
    Tanh,
)
from graphlab.nn.container import ModuleList, Sequential
from graphlab.nn.conv import AvgPool2d, Conv2d, MaxPool2d
from graphlab.nn.dropout import Dropout
from graphlab.nn.embedding import Embedding
from graphlab.nn.linear import Flatten, Identity, Linear
from graphlab.nn.loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    L1Loss,
    MSELoss,
    MultiClassHingeLoss,
    MultiMarginLoss,
    NLLLoss,
)
from graphlab.nn.module import Module, StateDictError
from graphlab.nn.normalization import (
    BatchNorm1d,
    BatchNorm2d,
    GroupNorm,
    InstanceNorm2d,
    LayerNorm,
)
from graphlab.nn.parameter import Parameter
from graphlab.nn.residual import ResidualBlock

__all__ = [
    "ELU",
    "GELU",
    "SELU",
    "AvgPool2d",
    "BCELoss",
    "BCEWithLogitsLoss",
    "BatchNorm1d",
    "BatchNorm2d",
    "Conv2d",
    "CrossEntropyLoss",
    "Dropout",
    "Embedding",
    "Flatten",
    "GroupNorm",
    "Identity",
    "InstanceNorm2d",
    "L1Loss",
    "LayerNorm",
    "LeakyReLU",
    "Linear",
    "LogSoftmax",
    "MSELoss",
    "MaxPool2d",
    "Maxout",
    "Module",
    "ModuleList",
    "MultiClassHingeLoss",
    "MultiMarginLoss",
    "NLLLoss",
    "PReLU",
    "Parameter",
    "ReLU",
    "ResidualBlock",
    "Sequential",
    "SiLU",
    "Sigmoid",
    "Softmax",
    "Softplus",
    "StateDictError",
    "Swish",
    "Tanh",
    "functional",
    "init",
]
