"""Transfer learning: freeze what was learned, re-initialise the head, fine-tune the last layers.

The lecture's recipe by dataset size: little data like the original, train only a
new head on frozen features; more data, also fine-tune the last few layers with
a learning rate smaller than from scratch. "Layers" here are the modules that own
parameters directly, in the order ``named_parameters()`` lists them.
"""

from __future__ import annotations


def freeze(module):
    """Stop gradients for every parameter of ``module`` (``requires_grad = False``)."""
    return module.requires_grad_(False)


def unfreeze(module):
    """Let every parameter of ``module`` train again."""
    return module.requires_grad_(True)


def reinitialize(module):
    """Fresh random weights for ``module`` and its sub-layers (each layer's own ``reset_parameters``)."""
    layers = list(module.modules()) if hasattr(module, "modules") else [module]
    reset = [layer for layer in layers if hasattr(layer, "reset_parameters")]
    if not reset:
        raise TypeError(f"reinitialize: {type(module).__name__} has no layer with reset_parameters()")
    for layer in reset:
        layer.reset_parameters()
    return module


def parameter_layers(model) -> list[tuple[str, list]]:
    """``(layer name, its parameters)`` for each module that owns parameters, in order."""
    layers: dict[str, list] = {}
    for name, parameter in model.named_parameters():
        owner = name.rsplit(".", 1)[0] if "." in name else ""
        layers.setdefault(owner, []).append(parameter)
    return list(layers.items())


def fine_tune_groups(model, last: int, lr: float, head_lr: float | None = None, head_layers: int = 1) -> list[dict]:
    """Freeze all but the ``last`` parameter layers and return optimizer param groups for those.

    The head (the final ``head_layers`` of them, often re-initialised) trains at
    ``head_lr`` (default ``lr``); the other unfrozen layers at ``lr``, typically 10×
    smaller than training from scratch, so the features they learned move little.
    """
    layers = parameter_layers(model)
    if not 1 <= last <= len(layers):
        raise ValueError(f"fine_tune_groups: last={last}; the model has {len(layers)} layers with parameters")
    if not 1 <= head_layers <= last:
        raise ValueError(f"fine_tune_groups: head_layers={head_layers}; expected 1 to last={last}")
    for _, parameters in layers[:-last]:
        for parameter in parameters:
            parameter.requires_grad_(False)
    for _, parameters in layers[-last:]:
        for parameter in parameters:
            parameter.requires_grad_(True)
    body = [p for _, parameters in layers[-last:len(layers) - head_layers] for p in parameters]
    head = [p for _, parameters in layers[-head_layers:] for p in parameters]
    groups = [{"params": body, "lr": lr}] if body else []
    groups.append({"params": head, "lr": lr if head_lr is None else head_lr})
    return groups
