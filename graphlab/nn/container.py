"""Containers: ``Sequential`` runs its layers in order, ``ModuleList`` only holds them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from graphlab.nn.module import Module

__all__ = ["ModuleList", "Sequential"]


class Sequential(Module):
    """Layers applied one after the other: ``Sequential(Linear(4, 8), ReLU(), Linear(8, 2))``."""

    def __init__(self, *layers: Module) -> None:
        super().__init__()
        for index, layer in enumerate(layers):
            _check_module(layer, f"Sequential argument {index}")
            setattr(self, str(index), layer)

    def forward(self, x: Any) -> Any:
        for layer in self.children():
            x = layer(x)
        return x

    def __len__(self) -> int:
        return sum(1 for _ in self.children())

    def __iter__(self) -> Iterator[Module]:
        return self.children()

    def __getitem__(self, index: int | slice) -> Module:
        layers = list(self.children())
        if isinstance(index, slice):
            return Sequential(*layers[index])
        return layers[index]

    def append(self, layer: Module) -> Sequential:
        _check_module(layer, "Sequential.append")
        setattr(self, str(len(self)), layer)
        return self


class ModuleList(Module):
    """A list of modules whose parameters the owner sees; the owner's ``forward`` decides how to use them."""

    def __init__(self, modules: Iterable[Module] = ()) -> None:
        super().__init__()
        for module in modules:
            self.append(module)

    def append(self, module: Module) -> ModuleList:
        _check_module(module, "ModuleList.append")
        setattr(self, str(len(self)), module)
        return self

    def extend(self, modules: Iterable[Module]) -> ModuleList:
        for module in modules:
            self.append(module)
        return self

    def __len__(self) -> int:
        return sum(1 for _ in self.children())

    def __iter__(self) -> Iterator[Module]:
        return self.children()

    def __getitem__(self, index: int) -> Module:
        return list(self.children())[index]

    def forward(self, *args: Any) -> Any:
        raise TypeError("ModuleList has no forward(); loop over it in the owner's forward()")


def _check_module(value: Any, where: str) -> None:
    if not isinstance(value, Module):
        raise TypeError(f"{where}: expected a Module (a layer), got {type(value).__name__}")
