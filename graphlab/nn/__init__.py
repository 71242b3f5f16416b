"""Networks, shaped like ``torch.nn``: ``Module``, layers, activations, losses, ``init`` and ``functional``.

    from graphlab import nn
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    loss = nn.functional.cross_entropy(model(x), y)

Each module of layers lists its layers in ``__all__``, and this package
exports them all: a new layer is its class in the module of its kind and its
tests (CONTRIBUTING.md).
"""

from graphlab.nn import (
    activation,
    container,
    conv,
    dropout,
    embedding,
    functional,
    init,
    linear,
    loss,
    module,
    normalization,
    parameter,
    residual,
    utils,
)
from graphlab.nn.activation import *  # noqa: F403
from graphlab.nn.container import *  # noqa: F403
from graphlab.nn.conv import *  # noqa: F403
from graphlab.nn.dropout import *  # noqa: F403
from graphlab.nn.embedding import *  # noqa: F403
from graphlab.nn.linear import *  # noqa: F403
from graphlab.nn.loss import *  # noqa: F403
from graphlab.nn.module import *  # noqa: F403
from graphlab.nn.normalization import *  # noqa: F403
from graphlab.nn.parameter import *  # noqa: F403
from graphlab.nn.residual import *  # noqa: F403

__all__ = ["functional", "init", "utils"]
__all__ += activation.__all__
__all__ += container.__all__
__all__ += conv.__all__
__all__ += dropout.__all__
__all__ += embedding.__all__
__all__ += linear.__all__
__all__ += loss.__all__
__all__ += module.__all__
__all__ += normalization.__all__
__all__ += parameter.__all__
__all__ += residual.__all__
