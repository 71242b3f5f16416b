"""The walk through a trace, as a lecturer does it on the board.

Forward: one step per operation node, in creation order (inputs and constants
are given). Backward: one step per node that receives a gradient, from the
output back to the inputs, in reverse creation order. ``position`` counts the
steps taken, so stepping back is just ``position - 1``. The stepper only says
which numbers of the trace are revealed; it computes nothing.
"""

from __future__ import annotations

from graphlab.trace import NodeKind, Trace


class Stepper:
    """How far the forward and the backward pass have been walked."""

    def __init__(self, trace: Trace, position: int = 0) -> None:
        self.forward_order = [n.id for n in trace.nodes if n.kind == NodeKind.OP]
        self.backward_order = [n.id for n in reversed(trace.nodes) if n.kind != NodeKind.CONST]
        self._forward_step = {node: i for i, node in enumerate(self.forward_order)}
        self._backward_step = {node: i for i, node in enumerate(self.backward_order)}
        self.position = max(0, min(position, self.total))

    @property
    def total(self) -> int:
        """Steps in both passes together."""
        return len(self.forward_order) + len(self.backward_order)

    @property
    def phase(self) -> str:
        """``"forward"`` until every value is computed, then ``"backward"``, then ``"done"``."""
        if self.position < len(self.forward_order):
            return "forward"
        return "backward" if self.position < self.total else "done"

    @property
    def current(self) -> int | None:
        """The node of the last step taken (None before the first step)."""
        if self.position == 0:
            return None
        done = self.position - 1
        forward = len(self.forward_order)
        return self.forward_order[done] if done < forward else self.backward_order[done - forward]

    @property
    def current_pass(self) -> str | None:
        """Which pass the last step taken belongs to."""
        if self.position == 0:
            return None
        return "forward" if self.position <= len(self.forward_order) else "backward"

    def value_known(self, node_id: int) -> bool:
        step = self._forward_step.get(node_id)
        return step is None or step < self.position

    def grad_known(self, node_id: int) -> bool:
        step = self._backward_step.get(node_id)
        return step is not None and step < self.position - len(self.forward_order)

    def edge_known(self, consumer: int, source: int) -> bool:
        """A local derivative and its product are worked out at the consumer's backward step."""
        return self.grad_known(consumer)

    def step(self) -> bool:
        """Take the next step; False at the end."""
        if self.position >= self.total:
            return False
        self.position += 1
        return True

    def back(self) -> bool:
        """Undo the last step; False at the start."""
        if self.position == 0:
            return False
        self.position -= 1
        return True

    def finish_forward(self) -> None:
        self.position = max(self.position, len(self.forward_order))

    def to_end(self) -> None:
        self.position = self.total

    def reset(self) -> None:
        self.position = 0

    def describe(self) -> str:
        """``forward 3/6``, ``backward 2/9`` or ``done``, for the status line."""
        forward = len(self.forward_order)
        if self.position == 0:
            return f"ready · forward 0/{forward}"
        if self.position <= forward:
            return f"forward {self.position}/{forward}"
        if self.position < self.total:
            return f"backward {self.position - forward}/{len(self.backward_order)}"
        return "done · both passes"
