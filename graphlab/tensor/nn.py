"""``graphlab.tensor.nn`` is ``graphlab.nn`` itself, under ``torch.nn``'s spelling.

``import graphlab.tensor.nn as nn``, ``from graphlab.tensor import nn`` and
``import graphlab.tensor.nn.functional as F`` all give the one implementation:
this module puts ``graphlab.nn`` (and its ``functional`` and ``init``) in its
place in ``sys.modules``, so there is no second copy of any layer.
"""

import sys

import graphlab.nn
import graphlab.nn.functional
import graphlab.nn.init
import graphlab.nn.utils

for _part in ("functional", "init", "utils"):
    sys.modules[f"{__name__}.{_part}"] = sys.modules[f"graphlab.nn.{_part}"]
sys.modules[__name__] = graphlab.nn
