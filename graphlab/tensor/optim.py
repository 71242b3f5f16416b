"""``graphlab.tensor.optim`` is ``graphlab.optim`` itself, under ``torch.optim``'s spelling.

As ``graphlab.tensor.nn``, it puts ``graphlab.optim`` (and its ``lr_scheduler``)
in its place in ``sys.modules``: one implementation of every optimizer.
"""

import sys

import graphlab.optim
import graphlab.optim.lr_scheduler

sys.modules[f"{__name__}.lr_scheduler"] = graphlab.optim.lr_scheduler
sys.modules[__name__] = graphlab.optim
