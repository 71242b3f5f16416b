"""A real PyTorch model's graph as a graphlab ``TensorTrace``, with every node's value and gradient.

    from graphlab.tensor.torch_graph import record

    with record(model) as recording:        # hooks see each op PyTorch runs, and each gradient
        loss = F.cross_entropy(model(x), y)
        loss.backward()
    trace = recording.trace(loss)           # draw it: graphlab.render.write(trace, "step.png", collapsed=True)

torchviz draws PyTorch's ``grad_fn`` graph with shapes only. Here the same graph
carries what graphlab's own traces carry, so graphlab's collapsed (one box per
module) and expanded (every op) diagrams, the terminal explorer and the
notebook show it as they show a graphlab network:

* a node per ``grad_fn`` of the graph behind the output (``AddmmBackward0`` is an
  ``addmm`` op), a leaf per parameter (named as in ``model.named_parameters()``),
  and a constant per input tensor that needs no gradient (the images);
* each op's output value, copied to the host as PyTorch computed it (a
  ``TorchDispatchMode`` sees every ATen op, the pieces of ``cross_entropy``
  included), each parameter's value at its first use;
* each op's gradient with respect to its output, from a hook on its ``grad_fn``,
  and each parameter's ``.grad``;
* each op's module, from forward hooks on ``model``'s modules, as the name
  scope that collapsed diagrams draw as one box.

PyTorch is imported only here, and only when ``record`` is called: graphlab
never needs it otherwise. An op with several outputs (``max`` along a dim,
``split``) shows its first one's value.
"""

from __future__ import annotations

import re
from contextlib import ExitStack
from typing import Any

from graphlab.tensor.trace import Summary, TensorTrace, TensorTraceNode, summarize
from graphlab.trace import NodeKind

_SYMBOLS = {"add": "+", "sub": "−", "rsub": "−", "mul": "×", "div": "÷", "mm": "@", "addmm": "@+", "bmm": "@",
            "neg": "−", "pow": "^"}
"""Ops drawn by a symbol, as graphlab draws its own; the others by their name."""
_BACKWARD = re.compile(r"Backward\d*$")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


class TorchRecording:
    """What ``record`` saw: each op's output value, module and gradient, keyed by its ``grad_fn``."""

    def __init__(self, model: Any = None) -> None:
        self.model = model
        self.values: dict[Any, list[Summary]] = {}  # grad_fn → its outputs' values, by output number
        self.inputs: dict[Any, list[Any]] = {}  # grad_fn → the tensors its op took, in order
        self.grads: dict[Any, Summary] = {}  # grad_fn → the gradient of its first output
        self.scopes: dict[Any, str] = {}
        self.leaves: dict[int, Summary] = {}  # id(leaf tensor) → its value at its first use
        self.constants: dict[int, Summary] = {}
        self.names: dict[int, str] = {}
        self._scope: list[str] = []
        self._pending: list[tuple] = []  # ops seen whose outputs autograd has not yet given a grad_fn
        self._stack = ExitStack()

    def __enter__(self) -> TorchRecording:
        import torch  # lazy: graphlab never needs PyTorch, except to draw PyTorch's own graphs

        if self.model is not None:
            self.names = {id(p): name for name, p in self.model.named_parameters()}
            for path, module in self.model.named_modules():
                label = _scope_label(path, module)
                self._stack.enter_context(module.register_forward_pre_hook(self._entering(label)))
                self._stack.enter_context(module.register_forward_hook(self._leaving))
        calls, ops = _modes(torch, self)
        self._stack.enter_context(calls)
        self._stack.enter_context(ops)
        return self

    def __exit__(self, *exc: object) -> None:
        import torch  # lazy: as in __enter__

        self._stack.close()
        self.flush(torch)

    def _entering(self, label: str):
        def hook(module, args):
            self._scope.append(label)
        return hook

    def _leaving(self, module, args, output) -> None:
        self._scope.pop()

    def saw(self, torch, args: list, outputs: list) -> None:
        """One ATen op ran (inside the dispatch mode, which is off while this runs): keep its outputs'
        values and its inputs, until autograd gives the outputs their ``grad_fn`` (``flush``)."""
        tensors = [a for a in args if isinstance(a, torch.Tensor)]
        if not (torch.is_grad_enabled() and any(t.requires_grad for t in tensors)):
            return  # its outputs join no graph: backward's own ops, no_grad, buffers being filled
        for t in tensors:
            if t.requires_grad and t.is_leaf and id(t) not in self.leaves:
                self.leaves[id(t)] = _summary(torch, t)
            elif not t.requires_grad and id(t) not in self.constants:
                self.constants[id(t)] = _summary(torch, t)
        results = [o for o in outputs if isinstance(o, torch.Tensor)]
        self._pending.append((tensors, results, [_summary(torch, o) for o in results], ".".join(self._scope)))

    def flush(self, torch) -> None:
        """Give each op seen since the last flush its ``grad_fn``, now attached, and hook its gradient."""
        pending, self._pending = self._pending, []
        for tensors, results, values, scope in pending:
            node = next((o.grad_fn for o in results if o.grad_fn is not None), None)
            if node is None or node in self.values:
                continue
            self.values[node], self.inputs[node], self.scopes[node] = values, tensors, scope
            node.register_hook(self._gradient_of(torch, node))

    def _gradient_of(self, torch, node):
        def hook(grad_inputs, grad_outputs):
            if grad_outputs and grad_outputs[0] is not None:
                self.grads[node] = _summary(torch, grad_outputs[0])
        return hook

    def trace(self, output: Any) -> TensorTrace:
        """The graph behind ``output`` (a PyTorch tensor computed inside ``record``), as a ``TensorTrace``."""
        import torch  # lazy: as in __enter__

        self.flush(torch)
        root = getattr(output, "grad_fn", None)
        if root is None:
            raise ValueError("trace: the output has no grad_fn; it must be a PyTorch tensor computed, with grad "
                             "enabled, from tensors that require grad, inside record(...)")
        nodes: list[TensorTraceNode] = []
        ids: dict[Any, int] = {}
        stack: list[tuple[Any, bool]] = [(root, False)]
        while stack:  # depth first, inputs before the node: ids in topological order, no recursion
            fn, finished = stack.pop()
            if fn in ids:
                continue
            if not finished:
                stack.append((fn, True))
                stack.extend((nxt, False) for nxt, _ in reversed(fn.next_functions) if nxt is not None
                             and nxt not in ids)
                continue
            ids[fn] = self._add(torch, fn, ids, nodes)
        return TensorTrace(nodes, ids[root])

    def _add(self, torch, fn: Any, ids: dict, nodes: list[TensorTraceNode]) -> int:
        """Append ``fn``'s node (after the constants it takes) to ``nodes``; its id."""
        if hasattr(fn, "variable"):  # AccumulateGrad: a leaf that requires grad
            leaf = fn.variable
            value = self.leaves.get(id(leaf))
            if value is None:
                raise ValueError(f"trace: a tensor of shape {tuple(leaf.shape)} that requires grad was not used "
                                 "inside record(...); run the forward pass inside it")
            grad = None if leaf.grad is None else _summary(torch, leaf.grad)
            nodes.append(TensorTraceNode(len(nodes), NodeKind.INPUT, self.names.get(id(leaf), ""), value, grad))
            return len(nodes) - 1
        if fn not in self.values:
            raise ValueError(f"trace: {fn.name()} was not used inside record(...); run the forward pass inside it")
        inputs = []
        tensors = self.inputs[fn]
        matched = len(tensors) == len(fn.next_functions)
        for i, (next_fn, _) in enumerate(fn.next_functions):
            if next_fn is not None:
                inputs.append(ids[next_fn])
            elif matched and id(tensors[i]) in self.constants:  # an input that needs no gradient (the data)
                nodes.append(TensorTraceNode(len(nodes), NodeKind.CONST, "", self.constants[id(tensors[i])]))
                inputs.append(len(nodes) - 1)
        op = _CAMEL.sub("_", _BACKWARD.sub("", fn.name())).lower()  # MaxPool2DWithIndices → max_pool2d_with_indices
        nodes.append(TensorTraceNode(len(nodes), NodeKind.OP, _SYMBOLS.get(op, op), self.values[fn][0],
                                     self.grads.get(fn), op=op, inputs=inputs, scope=self.scopes[fn]))
        return len(nodes) - 1


def record(model: Any = None) -> TorchRecording:
    """A ``with`` block that records the PyTorch ops run inside it (module names from ``model``'s modules)."""
    return TorchRecording(model)


def _modes(torch, recording: TorchRecording) -> tuple[Any, Any]:
    """The two hooks into PyTorch: a dispatch mode that sees every ATen op (the pieces of composite ops
    too) and a function mode around it that, after each call from Python, hands the ops seen to
    ``flush`` — by then autograd has given their outputs a ``grad_fn`` — and so before ``backward()``."""
    from torch.overrides import TorchFunctionMode  # lazy: PyTorch, only when recording
    from torch.utils._python_dispatch import TorchDispatchMode  # lazy: PyTorch, only when recording

    class Ops(TorchDispatchMode):
        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            kwargs = kwargs or {}
            out = func(*args, **kwargs)
            recording.saw(torch, [*args, *kwargs.values()], list(out) if isinstance(out, (tuple, list)) else [out])
            return out

    class Calls(TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            recording.flush(torch)
            out = func(*args, **(kwargs or {}))
            recording.flush(torch)
            return out

    return Calls(), Ops()


def _summary(torch, t: Any) -> Summary:
    """``t``'s value as graphlab traces keep it: statistics, and the values when few."""
    values = t.detach().to("cpu", copy=True).numpy()
    return summarize(values, str(t.dtype).removeprefix("torch."))


def _scope_label(path: str, module: Any) -> str:
    """The module's scope as graphlab names its own: the root by its class, a child by its attribute
    (``fc1``), a numbered child of a container as ``0:Linear``."""
    if not path:
        return type(module).__name__
    name = path.rsplit(".", 1)[-1]
    return f"{name}:{type(module).__name__}" if name.isdigit() else name
