"""Optimizers and learning-rate schedules, shaped like ``torch.optim``.

    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    loss.backward(); opt.step(); opt.zero_grad()
"""

from graphlab.optim import lr_scheduler
from graphlab.optim.adaptive import Adagrad, Adam, AdamW, RMSprop
from graphlab.optim.optimizer import Optimizer
from graphlab.optim.sgd import SGD

AdaGrad = Adagrad
RMSProp = RMSprop

__all__ = ["SGD", "AdaGrad", "Adagrad", "Adam", "AdamW", "Optimizer", "RMSProp", "RMSprop", "lr_scheduler"]
