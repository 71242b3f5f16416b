"""Training: ``fit`` with progress and checkpoints, babysitting checks, random search, transfer learning."""

from graphlab.train.babysit import InitialLossCheck, OverfitResult, check_initial_loss, l2_penalty, overfit_small_subset
from graphlab.train.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from graphlab.train.loop import History, accuracy, evaluate, fit
from graphlab.train.lr_range_test import RangeTestResult, lr_range_test
from graphlab.train.search import LogUniform, SearchResults, Uniform, coarse_to_fine, random_search
from graphlab.train.transfer import fine_tune_groups, freeze, parameter_layers, reinitialize, unfreeze

__all__ = ["CheckpointError", "History", "InitialLossCheck", "LogUniform", "OverfitResult",
           "RangeTestResult", "SearchResults", "Uniform", "accuracy", "check_initial_loss",
           "coarse_to_fine", "evaluate", "fine_tune_groups", "fit", "freeze", "l2_penalty",
           "load_checkpoint", "lr_range_test", "overfit_small_subset", "parameter_layers",
           "random_search", "reinitialize", "save_checkpoint", "unfreeze"]
