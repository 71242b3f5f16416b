"""``Optimizer``: the base of every update rule, shaped like ``torch.optim.Optimizer``.

Parameters live in ``param_groups``, a list of dicts: ``{"params": [...], "lr": 0.1, …}``.
Each group may override the optimizer's defaults (a smaller learning rate for the
layers being fine-tuned, no weight decay for biases), and a schedule changes a
group's ``"lr"`` between steps. Per-parameter buffers (momentum, squared-gradient
averages) live in ``state[param]`` as tensors on the parameter's device.

``step()`` reads each parameter's ``.grad`` and changes the parameter's array in
place, under ``no_grad()``, so the update itself is never recorded as a graph.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from graphlab.tensor import Tensor, enable_grad, no_grad, zeros_like
from graphlab.tensor.tensor import bump

_REQUIRED = object()


class Optimizer:
    """Holds the parameter groups and their state; subclasses give ``update(group, param, grad, state)``."""

    def __init__(self, params: Iterable[Any], defaults: dict[str, Any]) -> None:
        self.defaults = dict(defaults)
        self.param_groups: list[dict[str, Any]] = []
        self.state: dict[Tensor, dict[str, Any]] = {}
        groups = list(params)
        if not groups:
            raise ValueError(f"{type(self).__name__}: got no parameters to optimise")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, group: dict[str, Any]) -> None:
        """Add parameters with their own options (e.g. a new head with a larger learning rate)."""
        name = type(self).__name__
        params = group["params"]
        params = [params] if isinstance(params, Tensor) else list(params)
        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError(f"{name}: parameters must be tensors, got {type(p).__name__}")
            if not p.is_leaf:
                raise ValueError(f"{name}: can only optimise leaf tensors (parameters), "
                                 "not results of operations")
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if any(id(p) in seen for p in params):
            raise ValueError(f"{name}: a parameter appears in more than one parameter group")
        full = {"params": params}
        for key, default in self.defaults.items():
            value = group.get(key, default)
            if value is _REQUIRED:
                raise ValueError(f"{name}: parameter group needs {key!r}")
            full[key] = value
        unknown = set(group) - set(full)
        if unknown:
            raise ValueError(f"{name}: unknown option(s) {', '.join(sorted(unknown))}; "
                             f"expected {', '.join(sorted(self.defaults))}")
        self.param_groups.append(full)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear every parameter's gradient before the next backward (which would add to it)."""
        for group in self.param_groups:
            for p in group["params"]:
                if set_to_none:
                    p.grad = None
                elif p.grad is not None:
                    p.grad.zero_()

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient; ``closure`` re-evaluates the loss first if given."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        with no_grad():
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    state = self.state.setdefault(p, {})
                    self.update(group, p.data, p.grad.data, state, p)
                    bump(p)
        return loss

    def update(self, group: dict[str, Any], param: Any, grad: Any, state: dict[str, Any], tensor: Tensor) -> None:
        """Change the array ``param`` in place from its gradient array ``grad``."""
        raise NotImplementedError(f"{type(self).__name__} defines no update()")

    @staticmethod
    def buffer(state: dict[str, Any], key: str, like: Tensor) -> Any:
        """The array of state buffer ``key``, created as zeros shaped like the parameter on first use."""
        if key not in state:
            state[key] = zeros_like(like.detach())
        return state[key].data

    # -- saving and restoring -------------------------------------------------------------

    def state_dict(self) -> dict[str, Any]:
        """``{"state": {index: {name: tensor or number}}, "param_groups": [options, "params": [indices]]}``.

        Parameters are referred to by their position across the groups, so the
        dict can be saved (``.npz``) and loaded into a fresh optimizer over a fresh model.
        """
        index: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            ids = []
            for p in group["params"]:
                index.setdefault(id(p), len(index))
                ids.append(index[id(p)])
            groups.append({**{k: v for k, v in group.items() if k != "params"}, "params": ids})
        state = {index[id(p)]: dict(s) for p, s in self.state.items() if id(p) in index}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore options and buffers saved by ``state_dict()``; the groups must have the same sizes."""
        name = type(self).__name__
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(f"{name}.load_state_dict: the checkpoint has {len(saved_groups)} parameter groups, "
                             f"this optimizer has {len(self.param_groups)}")
        params: dict[int, Tensor] = {}
        for i, (saved, group) in enumerate(zip(saved_groups, self.param_groups)):
            if len(saved["params"]) != len(group["params"]):
                raise ValueError(f"{name}.load_state_dict: group {i} has {len(saved['params'])} parameters in "
                                 f"the checkpoint and {len(group['params'])} here")
            params.update(zip((int(k) for k in saved["params"]), group["params"]))
        restored: dict[Tensor, dict[str, Any]] = {}
        for key, buffers in state_dict["state"].items():
            p = params[int(key)]
            restored[p] = {}
            for buf_name, value in buffers.items():
                if isinstance(value, (int, float)) or (getattr(value, "ndim", 1) == 0 and not isinstance(value, Tensor)):
                    restored[p][buf_name] = value if isinstance(value, (int, float)) else value.item()
                    continue
                host = value.numpy() if isinstance(value, Tensor) else value
                if tuple(host.shape) != p.shape:
                    raise ValueError(f"{name}.load_state_dict: buffer {buf_name!r} of parameter {key} has shape "
                                     f"{tuple(host.shape)}, the parameter has {p.shape}")
                restored[p][buf_name] = Tensor(host, dtype=p.dtype, device=p.device)
        for saved, group in zip(saved_groups, self.param_groups):
            group.update({k: v for k, v in saved.items() if k != "params"})
        self.state = restored

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines.extend(f"    {k}: {v}" for k, v in sorted(group.items()) if k != "params")
        return "\n".join(lines + [")"])
