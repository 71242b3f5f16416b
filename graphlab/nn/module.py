"""``Module``: the base of every layer and network, shaped like ``torch.nn.Module``.

A module finds its parts by looking at its own attributes: a ``Parameter`` is a
learnable weight, a ``Module`` is a child, and a tensor registered with
``register_buffer`` is state that is saved but not trained (BatchNorm's running
statistics). Attribute order is registration order, so ``parameters()`` and
``state_dict()`` list things in the order ``__init__`` created them.

Calling a module runs ``forward`` inside the tensor engine's name scope
(``scope``), so every node of the graph knows which layer made it and a drawing
can collapse a layer into one box.
"""

from __future__ import annotations

import copy
import weakref
from collections import namedtuple
from collections.abc import Callable, Iterator
from typing import Any

from graphlab.backend import get_backend
from graphlab.nn.parameter import Parameter
from graphlab.tensor import Tensor, mode, no_grad, scope
from graphlab.tensor.tensor import bump

__all__ = ["Module", "StateDictError"]

IncompatibleKeys = namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])
"""What ``load_state_dict(strict=False)`` returns, as in PyTorch."""

_DTYPES = ("float32", "float64")


class StateDictError(RuntimeError):
    """A state dict that does not fit the module: the message lists missing, unexpected and mis-shaped names."""

_structure_changes = 0
"""Counts assignments of layers and parameters anywhere, so a model knows when to name new parameters."""


class Module:
    """A piece of a network: holds parameters, buffers and child modules; ``forward`` says what it computes."""

    training: bool
    """True in training mode (dropout active, batch statistics), False after ``eval()``."""

    def __init__(self) -> None:
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_buffer_names", [])
        object.__setattr__(self, "_scope_name", "")
        object.__setattr__(self, "_named_at", -1)

    def __setattr__(self, name: str, value: Any) -> None:
        if "_buffer_names" not in self.__dict__:
            raise AttributeError(f"{type(self).__name__}: call super().__init__() before assigning {name!r}")
        if isinstance(value, Module) and not value._scope_name:
            object.__setattr__(value, "_scope_name", _scope_label(name, value))
        if isinstance(value, (Module, Parameter)):
            global _structure_changes
            _structure_changes += 1
        object.__setattr__(self, name, value)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} defines no forward()")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        outermost = not mode.scope
        if outermost and self._named_at != _structure_changes:
            self._name_parameters()
        with scope(self._scope_name or type(self).__name__):
            out = self.forward(*args, **kwargs)
        if outermost and isinstance(out, Tensor) and out._ctx is not None:
            # A weak reference: a notebook can draw the last pass while its graph lives, and keeps nothing alive.
            object.__setattr__(self, "_last_output", weakref.ref(out))
        return out

    def _name_parameters(self) -> None:
        """Give each unnamed parameter its dotted name (``fc1.weight``), which graph drawings show on leaves."""
        for name, param in self.named_parameters():
            if not param.name:
                param.name = name
        object.__setattr__(self, "_named_at", _structure_changes)

    # -- registering ------------------------------------------------------------------

    def register_buffer(self, name: str, tensor: Tensor | None) -> None:
        """Keep ``tensor`` as state that ``state_dict()`` saves and ``to()`` moves, but that is not trained."""
        if name not in self._buffer_names:
            self._buffer_names.append(name)
        setattr(self, name, tensor)

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        setattr(self, name, param)

    def add_module(self, name: str, module: Module | None) -> None:
        setattr(self, name, module)

    # -- walking the tree ------------------------------------------------------------------

    def named_children(self) -> Iterator[tuple[str, Module]]:
        for name, value in self.__dict__.items():
            if isinstance(value, Module):
                yield name, value

    def children(self) -> Iterator[Module]:
        for _, module in self.named_children():
            yield module

    def named_modules(self, prefix: str = "", memo: set | None = None) -> Iterator[tuple[str, Module]]:
        """This module and every module below it, depth first, each once, with dotted names."""
        memo = set() if memo is None else memo
        if id(self) in memo:
            return
        memo.add(id(self))
        yield prefix, self
        for name, child in self.named_children():
            yield from child.named_modules(f"{prefix}.{name}" if prefix else name, memo)

    def modules(self) -> Iterator[Module]:
        for _, module in self.named_modules():
            yield module

    def named_parameters(self, prefix: str = "", recurse: bool = True) -> Iterator[tuple[str, Parameter]]:
        """``("fc1.weight", Parameter)`` pairs; a parameter shared by two layers is listed once."""
        seen: set[int] = set()
        modules = self.named_modules(prefix) if recurse else iter([(prefix, self)])
        for path, module in modules:
            for name, value in module.__dict__.items():
                if isinstance(value, Parameter) and id(value) not in seen:
                    seen.add(id(value))
                    yield (f"{path}.{name}" if path else name), value

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_buffers(self, prefix: str = "", recurse: bool = True) -> Iterator[tuple[str, Tensor]]:
        modules = self.named_modules(prefix) if recurse else iter([(prefix, self)])
        for path, module in modules:
            for name in module._buffer_names:
                value = module.__dict__.get(name)
                if value is not None:
                    yield (f"{path}.{name}" if path else name), value

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    def apply(self, fn: Callable[[Module], None]) -> Module:
        """Call ``fn`` on every child (depth first), then on this module: how custom init is applied."""
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    # -- modes and gradients ----------------------------------------------------------------

    def train(self, mode: bool = True) -> Module:
        """Training mode for this module and all below it (``train(False)`` is ``eval()``)."""
        for module in self.modules():
            object.__setattr__(module, "training", bool(mode))
        return self

    def eval(self) -> Module:
        """Evaluation mode: dropout off, normalisation layers use their running statistics."""
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Freeze (``False``) or unfreeze every parameter: how a feature extractor is frozen."""
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear every parameter's ``.grad`` (drop it, or fill it with zeros)."""
        for param in self.parameters():
            if set_to_none:
                param.grad = None
            elif param.grad is not None:
                param.grad.zero_()

    # -- state ------------------------------------------------------------------------------

    def state_dict(self) -> dict[str, Tensor]:
        """Every parameter and buffer by dotted name, detached, sharing memory with the module.

        A tied parameter (``decoder.weight = encoder.weight``) is listed under each of
        its names, as PyTorch does, so the keys match a PyTorch model's.
        """
        return {name: tensor.detach() for name, tensor in self._state().items()}

    def _state(self) -> dict[str, Tensor]:
        """``state_dict``'s entries as the module's own tensors, not detached."""
        state: dict[str, Tensor] = {}
        for path, module in self.named_modules():  # each module's parameters, then its buffers, as PyTorch
            for name, value in module.__dict__.items():
                if isinstance(value, Parameter):
                    state[f"{path}.{name}" if path else name] = value
            for name, buffer in module.named_buffers(path, recurse=False):
                state[name] = buffer
        return state

    def load_state_dict(self, state_dict: dict[str, Any], strict: bool = True) -> IncompatibleKeys:
        """Copy values (tensors or arrays) into the parameters and buffers of the same names.

        Shapes must match. With ``strict=True`` (the default) the names must match
        exactly too; the error (``StateDictError``) lists the missing and unexpected
        names and every shape mismatch, so a wrong checkpoint says what is wrong with
        it. A tied parameter is written once, from the first of its names present.
        """
        own = self._state()  # the tensors themselves: copy_ marks them changed for graphs recorded before
        missing, unexpected = self.check_state_dict(state_dict, strict)
        written: set[int] = set()
        with no_grad():
            for name, target in own.items():
                if name in state_dict and id(target.data) not in written:
                    written.add(id(target.data))
                    value = state_dict[name]
                    host = value.numpy() if isinstance(value, Tensor) else value
                    target.copy_(target._backend.asarray(host, target.dtype))
        return IncompatibleKeys(missing, unexpected)

    def check_state_dict(self, state_dict: dict[str, Any], strict: bool = True) -> tuple[list[str], list[str]]:
        """What ``load_state_dict`` checks before it copies anything: the names, and the shape of each value.

        Values need only a ``.shape``, so a loader can check what a file declares
        before it reads the arrays. Raises ``StateDictError``; returns the missing
        and unexpected names that ``strict=False`` lets through.
        """
        own = self._state()
        missing = [name for name in own if name not in state_dict]
        unexpected = [name for name in state_dict if name not in own]
        mismatched = []
        for name, target in own.items():
            if name in state_dict:
                shape = tuple(getattr(state_dict[name], "shape", ()))
                if shape != target.shape:
                    mismatched.append(f"{name}: checkpoint has shape {shape}, the model has {target.shape}")
        problems = list(mismatched)
        if strict and missing:
            problems.append(f"missing from the checkpoint: {', '.join(missing)}")
        if strict and unexpected:
            problems.append(f"not in the model: {', '.join(unexpected)}")
        if problems:
            raise StateDictError(f"load_state_dict into {type(self).__name__}: " + "; ".join(problems))
        return missing, unexpected

    # -- devices and dtypes ---------------------------------------------------------------------

    def to(self, target: str) -> Module:
        """Move every parameter and buffer to a device (``"cuda"``, ``"cpu"``) or dtype, in place.

        The ``Parameter`` objects stay the same, so an optimizer built before the
        move still updates them (build it after the move if it already holds state,
        such as momentum buffers, which stay where they were made).
        """
        for tensor in list(self.parameters()) + list(self.buffers()):
            if target in _DTYPES and tensor.dtype not in _DTYPES:
                continue  # integer buffers (batch counters) keep their dtype
            moved = Tensor.to(tensor.detach(), target)
            tensor.data, tensor._backend = moved.data, moved._backend
            bump(tensor)  # a graph recorded before the move cannot go back through it
            if tensor.grad is not None:
                tensor.grad = Tensor.to(tensor.grad, target)
        return self

    def cpu(self) -> Module:
        return self.to("cpu")

    def cuda(self) -> Module:
        return self.to("cuda")

    def float(self) -> Module:
        return self.to("float32")

    def double(self) -> Module:
        return self.to("float64")

    @property
    def device(self) -> str:
        """Where the first parameter lives (``"cpu"`` for a module without parameters)."""
        for param in self.parameters():
            return param.device
        return get_backend(None).name

    def __deepcopy__(self, memo: dict) -> Module:
        """An independent copy (own parameters, buffers and children) on the same device.

        Backends hold the array library itself, which cannot be copied; they are
        shared, everything else is copied.
        """
        for tensor in list(self.parameters()) + list(self.buffers()):
            memo.setdefault(id(tensor._backend), tensor._backend)
        clone = object.__new__(type(self))
        memo[id(self)] = clone
        for name, value in self.__dict__.items():
            object.__setattr__(clone, name, copy.deepcopy(value, memo))
        return clone

    # -- printing ---------------------------------------------------------------------------------

    def extra_repr(self) -> str:
        """The layer's settings, printed inside its parentheses (``in_features=784, …``)."""
        return ""

    def num_parameters(self, trainable_only: bool = False) -> int:
        return sum(p.numel() for p in self.parameters() if p.requires_grad or not trainable_only)

    def __repr__(self) -> str:
        return "\n".join(self._repr_lines())

    def _repr_lines(self) -> list[str]:
        head = f"{type(self).__name__}({self.extra_repr()}"
        children = list(self.named_children())
        if not children:
            return [head + ")" + self._count_note()]
        lines = [head + ("," if self.extra_repr() else "")]
        for name, child in children:
            child_lines = child._repr_lines()
            lines.append(f"  ({name}): {child_lines[0]}")
            lines.extend("  " + line for line in child_lines[1:])
        lines.append(")" + self._count_note())
        return lines

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        """In a notebook: the collapsed diagram of the last forward pass while its graph lives, else the text."""
        reference = self.__dict__.get("_last_output")
        out = reference() if reference is not None else None
        if out is None or out._inputs is None:  # never called, collected, or backward freed the graph
            return {"text/plain": repr(self)}
        from graphlab.render.notebook import tensor_mimebundle  # lazy: notebooks only; renderers import nn
        from graphlab.tensor.trace import TensorTrace  # lazy: notebooks only; renderers import nn

        bundle = tensor_mimebundle(TensorTrace.from_tensor(out), title=f"{type(self).__name__}: the last forward pass")
        return {**bundle, "text/plain": repr(self)}

    def _count_note(self) -> str:
        total, trainable = self.num_parameters(), self.num_parameters(trainable_only=True)
        if not total:
            return ""
        frozen = f", {total - trainable:,} frozen" if trainable != total else ""
        return f"  # {total:,} parameters{frozen}"


def _scope_label(attribute: str, module: Module) -> str:
    """The name a child's nodes are recorded under: ``fc1``, or ``0:Linear`` inside a container."""
    return f"{attribute}:{type(module).__name__}" if attribute.isdigit() else attribute
