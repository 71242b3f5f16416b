"""``graphlab.nn.functional`` (``F``): activations, layers as functions, losses and penalties.

Activations are the tensor engine's own ops (the operations table), re-exported
here under ``torch.nn.functional``'s names (``leaky_relu`` and ``softplus`` take
PyTorch's keywords); every other function generated from the table is here too,
looked up on use, so an op added to the table needs no line here. Convolution, pooling, dropout and embedding are the engine's
ops too. The other layers and the losses are built from those ops, so their graphs
show the lecture's steps and their gradients come from the ops' rules. Cross-entropy
of class indices is one node, whose backward is softmax minus the one-hot target
(``graphlab.tensor.loss``); with class probabilities or label smoothing it is
log-softmax, times the target, sum, mean.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from graphlab.tensor import Tensor, no_grad, scope
from graphlab.tensor import loss as class_losses
from graphlab.tensor.functional import (
    TABLE_FUNCTIONS,
    avg_pool2d,
    conv2d,
    dropout,
    elu,
    embedding,
    gelu,
    log_softmax,
    max_pool2d,
    pad,
    relu,
    selu,
    sigmoid,
    silu,
    softmax,
    swish,
    tanh,
)

# -- activations that need more than one op ---------------------------------------------------

def prelu(x: Tensor, weight: Tensor) -> Tensor:
    """``max(0, x) + a · min(0, x)`` with a learnable slope ``a`` (one, or one per channel on dim 1)."""
    if weight.numel() != 1:
        if x.ndim < 2 or x.shape[1] != weight.numel():
            raise ValueError(f"prelu: {weight.numel()} slopes need input with that many channels on dim 1, "
                             f"got shape {x.shape}")
        weight = weight.reshape((1, weight.numel()) + (1,) * (x.ndim - 2))
    return x.relu() - weight * (-x).relu()


def maxout(x: Tensor, pieces: int) -> Tensor:
    """The max over groups of ``pieces`` consecutive features: (N, k·C) → (N, C)."""
    if x.ndim < 2 or x.shape[1] % pieces:
        raise ValueError(f"maxout: dim 1 of shape {x.shape} does not split into groups of {pieces}")
    shape = x.shape
    return x.reshape(shape[:1] + (shape[1] // pieces, pieces) + shape[2:]).amax(2)


def leaky_relu(x: Tensor, negative_slope: float = 0.01) -> Tensor:
    """max(αx, x): the engine's op under PyTorch's keyword."""
    return x.leaky_relu(negative_slope)


def softplus(x: Tensor, beta: float = 1.0) -> Tensor:
    """``log(1 + e^(βx)) / β``, PyTorch's ``softplus(x, beta)``; the engine's op for β = 1."""
    return x.softplus() if beta == 1.0 else (x * beta).softplus() / beta


# -- layers as functions ----------------------------------------------------------------------------

def linear(x: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``x @ Wᵀ + b`` with W of shape (out_features, in_features), as PyTorch."""
    out = x @ weight.T
    return out if bias is None else out + bias


def _normalize(x: Tensor, axes: tuple[int, ...], eps: float) -> tuple[Tensor, Tensor, Tensor]:
    """``(x − mean) / √(var + eps)`` over ``axes``, with the biased variance, as every norm layer."""
    mean = x.mean(axes, keepdim=True)
    var = x.var(axes, correction=0, keepdim=True)
    return (x - mean) / (var + eps).sqrt(), mean, var


def _channel_shape(x: Tensor) -> tuple[int, ...]:
    return (1, x.shape[1]) + (1,) * (x.ndim - 2)


def batch_norm(x: Tensor, running_mean: Tensor | None, running_var: Tensor | None, weight: Tensor | None = None,
               bias: Tensor | None = None, training: bool = False, momentum: float = 0.1,
               eps: float = 1e-5) -> Tensor:
    """Normalise each channel (dim 1) over the batch and positions, then scale by γ and shift by β.

    Training: the batch's statistics; the running ones move ``momentum`` of the way
    toward them (the variance unbiased, as PyTorch). Evaluation: the running ones.
    """
    if x.ndim < 2:
        raise ValueError(f"batch_norm: input must be (N, C, …), got shape {x.shape}")
    axes = (0,) + tuple(range(2, x.ndim))
    shape = _channel_shape(x)
    if training:
        count = x.numel() // x.shape[1]
        if count < 2:
            raise ValueError(f"batch_norm: training needs more than one value per channel, got input {x.shape}")
        x_hat, mean, var = _normalize(x, axes, eps)
        if running_mean is not None and running_var is not None:
            xp = x._backend.xp
            with no_grad():
                batch_mean = xp.reshape(mean.data, (-1,))
                unbiased = xp.reshape(var.data, (-1,)) * (count / (count - 1))
                running_mean.copy_((1 - momentum) * running_mean.data + momentum * batch_mean)
                running_var.copy_((1 - momentum) * running_var.data + momentum * unbiased)
    else:
        if running_mean is None or running_var is None:
            raise ValueError("batch_norm: evaluation needs running_mean and running_var "
                             "(or training=True to use the batch's statistics)")
        x_hat = (x - running_mean.reshape(shape)) / (running_var.reshape(shape) + eps).sqrt()
    return _affine(x_hat, weight, bias, shape)


def _affine(x_hat: Tensor, weight: Tensor | None, bias: Tensor | None, shape: tuple[int, ...]) -> Tensor:
    out = x_hat if weight is None else x_hat * weight.reshape(shape)
    return out if bias is None else out + bias.reshape(shape)


def layer_norm(x: Tensor, normalized_shape: tuple[int, ...], weight: Tensor | None = None,
               bias: Tensor | None = None, eps: float = 1e-5) -> Tensor:
    """Normalise each example over its last ``len(normalized_shape)`` dimensions (no batch statistics)."""
    normalized_shape = tuple(normalized_shape)
    if x.shape[x.ndim - len(normalized_shape):] != normalized_shape:
        raise ValueError(f"layer_norm: input shape {x.shape} does not end in {normalized_shape}")
    x_hat = _normalize(x, tuple(range(x.ndim - len(normalized_shape), x.ndim)), eps)[0]
    out = x_hat if weight is None else x_hat * weight
    return out if bias is None else out + bias


def instance_norm(x: Tensor, *, weight: Tensor | None = None, bias: Tensor | None = None, eps: float = 1e-5) -> Tensor:
    """Normalise each channel of each example over its positions (style transfer's normalisation)."""
    if x.ndim < 3:
        raise ValueError(f"instance_norm: input must be (N, C, H, …), got shape {x.shape}")
    x_hat = _normalize(x, tuple(range(2, x.ndim)), eps)[0]
    return _affine(x_hat, weight, bias, _channel_shape(x))


def group_norm(x: Tensor, num_groups: int, weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5) -> Tensor:
    """Normalise each group of channels of each example (between layer norm, 1 group, and instance norm)."""
    if x.ndim < 2 or x.shape[1] % num_groups:
        raise ValueError(f"group_norm: {x.shape[1] if x.ndim > 1 else 0} channels do not split into "
                         f"{num_groups} groups (input shape {x.shape})")
    n = x.shape[0]
    grouped = x.reshape(n, num_groups, -1)
    x_hat = _normalize(grouped, (2,), eps)[0].reshape(x.shape)
    return _affine(x_hat, weight, bias, _channel_shape(x))


def _scoped(function: Callable) -> Callable:
    """Record the function's nodes under its own name, so a drawing collapses the loss into one box
    (one scope, made once and entered on every call)."""
    return scope(function.__name__)(function)


# -- losses -----------------------------------------------------------------------------------------

def _reduce(loss: Tensor, reduction: str, where: str, total_weight: Tensor | None = None) -> Tensor:
    """The per-row ``loss`` reduced; a weighted mean divides its sum by ``total_weight``, not the row count."""
    if reduction == "mean":
        return loss.mean() if total_weight is None else loss.sum() / total_weight
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"{where}: reduction must be one of {', '.join(class_losses.REDUCTIONS)}, got {reduction!r}")


def one_hot(target: Tensor, num_classes: int, dtype: str = "float32") -> Tensor:
    """(N,) class indices → (N, C) rows with a single 1 (a constant: no gradient)."""
    if target.dtype != "int64" or target.ndim != 1:
        raise TypeError(f"one_hot: target must be a 1-d int64 tensor of class indices, got {target.dtype} "
                        f"of shape {target.shape}")
    xp = target._backend.xp
    if target.data.size and not xp.below(target.data, num_classes):
        low, high = xp.bounds(target.data)
        raise IndexError(f"one_hot: class indices must lie in [0, {num_classes}), got {low} … {high}")
    rows = target.data[:, None] == xp.arange(num_classes, dtype=target.data.dtype)[None, :]
    return Tensor(xp.astype(rows, target._backend.dtype(dtype)), device=target._backend)


def _class_weight(weight: Any, scores: Tensor, where: str) -> Tensor | None:
    """``weight`` as a constant (C,) tensor in the scores' dtype and device, checked as PyTorch checks it."""
    if weight is None:
        return None
    if not isinstance(weight, Tensor):
        weight = Tensor(weight, dtype=scores.dtype, device=scores._backend)
    classes = scores.shape[1]
    if weight.shape != (classes,):
        raise ValueError(f"{where}: weight must give one number per class, shape ({classes},), got {weight.shape}")
    if weight.dtype != scores.dtype or weight.device != scores.device:
        raise TypeError(f"{where}: weight is {weight.dtype} on {weight.device} but the scores are {scores.dtype} "
                        f"on {scores.device}; convert it with .to() first")
    if weight.requires_grad:
        raise ValueError(f"{where}: weight is a constant of the loss (PyTorch has no gradient for it either); "
                         "pass weight.detach()")
    return weight


def _class_probabilities(scores: Tensor, target: Tensor, reduction: str, where: str, noun: str,
                         ignore_index: int) -> None:
    """Check class probabilities as a target: the scores' shape, and no ``ignore_index`` to apply."""
    class_losses.class_scores(scores, reduction, where, noun)
    if target.shape != scores.shape:
        raise ValueError(f"{where}: class probabilities must have the {noun}' shape {scores.shape}, "
                         f"got {target.shape}")
    if ignore_index >= 0:
        raise ValueError(f"{where}: ignore_index ({ignore_index}) picks class indices; with class "
                         "probabilities as the target there is none to ignore (as in PyTorch)")


def _class_targets(scores: Tensor, target: Tensor, ignored: Any, weight: Tensor | None,
                   label_smoothing: float) -> tuple[Tensor, Tensor | None]:
    """``(q, total_weight)``: the weight of each class's log-probability in each row's loss, and what
    a mean divides the summed rows by (None: the number of rows), from checked targets.

    From class indices ``q`` is the one-hot row, smoothed, times the class weights; rows in
    ``ignored`` are zero, and the mean divides by the kept rows' weights, as PyTorch's. Class
    probabilities are ``q`` themselves, smoothed and weighted; their mean divides by the number of
    rows, as PyTorch's.
    """
    backend, classes = scores._backend, scores.shape[1]
    xp, dtype = backend.xp, scores.data.dtype
    counted = None  # 1 for each row that counts, 0 for an ignored one
    if ignored is not None:
        counted = xp.astype(~ignored, dtype)
    total_weight = None
    if target.dtype == "int64":
        kept = target if ignored is None else Tensor(xp.where(ignored, xp.zeros_like(target.data), target.data),
                                                     device=backend)
        q = one_hot(kept, classes, scores.dtype)
        q.name = "one-hot target"
        if counted is not None or weight is not None:
            row_weights = counted if counted is not None else xp.ones(target.data.shape, dtype=dtype)
            if weight is not None:
                row_weights = row_weights * xp.index(weight.data, (kept.data,))
            total_weight = Tensor(xp.sum(row_weights), device=backend)
            total_weight.name = "summed row weights"
    else:
        q = target
    if label_smoothing:
        q = q * (1.0 - label_smoothing) + label_smoothing / classes
        q.name = "smoothed target"
    if counted is not None:
        q = q * Tensor(xp.reshape(counted, (-1, 1)), device=backend)
        q.name = "target, ignored rows zero"
    if weight is not None:
        q = q * weight
        q.name = "weighted target"
    return q, total_weight


@_scoped
def cross_entropy(logits: Tensor, target: Tensor, *, weight: Any = None, ignore_index: int = -100,
                  reduction: str = "mean", label_smoothing: float = 0.0) -> Tensor:
    """Softmax cross-entropy from raw scores: ``−Σ_c q_c · log_softmax(s)_c`` per row.

    ``target`` holds class indices (int64, shape (N,)) or class probabilities
    (shape (N, C)). ``log_softmax`` subtracts each row's maximum, so large scores
    never overflow. Label smoothing ε mixes the target with the uniform
    distribution: ``q = (1 − ε)·q + ε/C``, as PyTorch. ``weight`` (one number per
    class) scales each class's term, and rows whose index is ``ignore_index`` count
    for nothing; with class indices the mean then divides by the kept rows' weights.
    Class indices without any of these make the one-node loss.
    """
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"cross_entropy: label_smoothing must lie in [0, 1], got {label_smoothing}")
    if target.dtype == "int64":
        ignored = class_losses.class_indices(logits, target, reduction, "cross_entropy", "logits", ignore_index)
        if ignored is None and weight is None and not label_smoothing:
            return class_losses.CrossEntropy.apply(logits, target, reduction=reduction)
    else:
        _class_probabilities(logits, target, reduction, "cross_entropy", "logits", ignore_index)
        ignored = None
    weight = _class_weight(weight, logits, "cross_entropy")
    q, total_weight = _class_targets(logits, target, ignored, weight, label_smoothing)
    return _reduce(-(q * logits.log_softmax(1)).sum(1), reduction, "cross_entropy", total_weight)


@_scoped
def nll_loss(log_probs: Tensor, target: Tensor, *, weight: Any = None, ignore_index: int = -100,
             reduction: str = "mean") -> Tensor:
    """``−log p[true class]`` from log-probabilities (``cross_entropy`` = ``nll_loss(log_softmax(s))``);
    ``target`` holds class indices, or class probabilities (rows of ``q``: ``−Σ_c q_c · log p_c``).
    ``weight`` and ``ignore_index`` as in ``cross_entropy``."""
    if target.dtype == "int64":
        ignored = class_losses.class_indices(log_probs, target, reduction, "nll_loss", "log-probabilities",
                                             ignore_index)
        if ignored is None and weight is None:
            return class_losses.NllLoss.apply(log_probs, target, reduction=reduction)
    else:
        _class_probabilities(log_probs, target, reduction, "nll_loss", "log-probabilities", ignore_index)
        ignored = None
    weight = _class_weight(weight, log_probs, "nll_loss")
    q, total_weight = _class_targets(log_probs, target, ignored, weight, 0.0)
    return _reduce(-(q * log_probs).sum(1), reduction, "nll_loss", total_weight)


@_scoped
def binary_cross_entropy_with_logits(logits: Tensor, target: Any, *, reduction: str = "mean") -> Tensor:
    """``−y·log σ(s) − (1−y)·log(1−σ(s))`` written as ``softplus(s) − y·s``, stable for any ``s``."""
    return _reduce(logits.softplus() - logits * target, reduction, "binary_cross_entropy_with_logits")


@_scoped
def binary_cross_entropy(probs: Tensor, target: Any, *, reduction: str = "mean") -> Tensor:
    """BCE from probabilities; each log is clamped at −100, as PyTorch, so p = 0 or 1 gives no inf."""
    loss = -(target * probs.log().clamp(min=-100.0) + (1.0 - target) * (1.0 - probs).log().clamp(min=-100.0))
    return _reduce(loss, reduction, "binary_cross_entropy")


@_scoped
def mse_loss(prediction: Tensor, target: Any, *, reduction: str = "mean") -> Tensor:
    return _reduce((prediction - target).square(), reduction, "mse_loss")


@_scoped
def l1_loss(prediction: Tensor, target: Any, *, reduction: str = "mean") -> Tensor:
    return _reduce((prediction - target).abs(), reduction, "l1_loss")


def _margins(scores: Tensor, target: Tensor, margin: float, where: str, reduction: str) -> Tensor:
    """``max(0, s_j − s_y + Δ)`` for every wrong class j (zero in the true class's column)."""
    if target.dtype != "int64":
        raise TypeError(f"{where}: target must be int64 class indices, got {target.dtype}")
    class_losses.class_indices(scores, target, reduction, where, "scores")
    onehot = one_hot(target, scores.shape[1], scores.dtype)
    onehot.name = "one-hot target"
    correct = (scores * onehot).sum(1, keepdim=True)
    return (scores - correct + margin).relu() * (1.0 - onehot)


@_scoped
def multiclass_hinge_loss(scores: Tensor, target: Tensor, *, margin: float = 1.0, reduction: str = "mean") -> Tensor:
    """The multiclass SVM loss of the lecture: ``Σ_{j≠y} max(0, s_j − s_y + Δ)`` per example."""
    return _reduce(_margins(scores, target, margin, "multiclass_hinge_loss", reduction).sum(1), reduction,
                   "multiclass_hinge_loss")


@_scoped
def multi_margin_loss(scores: Tensor, target: Tensor, *, margin: float = 1.0, reduction: str = "mean") -> Tensor:
    """PyTorch's ``multi_margin_loss``: the SVM loss divided by the number of classes C."""
    per_example = _margins(scores, target, margin, "multi_margin_loss", reduction).sum(1) / scores.shape[1]
    return _reduce(per_example, reduction, "multi_margin_loss")


# -- penalties ------------------------------------------------------------------------------------------

def _total(params: Iterable[Tensor], term, where: str) -> Tensor:
    params = list(params)
    if not params:
        raise ValueError(f"{where}: no parameters given; pass the weights to penalise, e.g. "
                         "[p for n, p in model.named_parameters() if n.endswith('weight')]")
    total = term(params[0]).sum()
    for p in params[1:]:
        total = total + term(p).sum()
    return total


@_scoped
def l1_penalty(params: Iterable[Tensor]) -> Tensor:
    """``Σ |w|`` over the given parameters (multiply by λ in the loss); pushes weights to exactly zero."""
    return _total(params, lambda p: p.abs(), "l1_penalty")


@_scoped
def l2_penalty(params: Iterable[Tensor]) -> Tensor:
    """``Σ w²`` over the given parameters (multiply by λ in the loss); spreads weight over many inputs."""
    return _total(params, lambda p: p.square(), "l2_penalty")


@_scoped
def elastic_net_penalty(params: Iterable[Tensor], beta: float = 1.0) -> Tensor:
    """``Σ (β·w² + |w|)``: the lecture's elastic net, L1 and L2 together."""
    return _total(params, lambda p: p.square() * beta + p.abs(), "elastic_net_penalty")


__all__ = ["avg_pool2d", "batch_norm", "binary_cross_entropy", "binary_cross_entropy_with_logits", "conv2d",
           "cross_entropy", "dropout", "elastic_net_penalty", "elu", "embedding", "gelu", "group_norm",
           "instance_norm", "l1_loss", "l1_penalty", "l2_penalty", "layer_norm", "leaky_relu", "linear",
           "log_softmax", "max_pool2d", "maxout", "mse_loss", "multi_margin_loss", "multiclass_hinge_loss",
           "nll_loss", "one_hot", "pad", "prelu", "relu", "selu", "sigmoid", "silu", "softmax", "softplus",
           "swish", "tanh"]


def __getattr__(name: str) -> Callable[..., Tensor]:
    """A function of the ops table not written above (``F.hardtanh``): the tensor engine's own."""
    if name in TABLE_FUNCTIONS:
        return TABLE_FUNCTIONS[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *TABLE_FUNCTIONS})
