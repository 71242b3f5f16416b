"""graphlab: trace a computational graph's forward values and gradients, as a lecture does.

``import graphlab`` stays light: SymPy, Graphviz, networkx and Textual load only
when a feature that needs them is used.
"""

from graphlab.exercise.autograde import check
from graphlab.grad_mode import enable_grad, is_grad_enabled, no_grad
from graphlab.ops import OPS, Op
from graphlab.rounding import EXACT, RoundingPolicy, round_to
from graphlab.trace import NodeKind, Trace, TraceNode
from graphlab.value import EvaluationError, Value
from graphlab.widget import explore

__version__ = "0.1.0"

__all__ = ["EXACT", "OPS", "EvaluationError", "NodeKind", "Op", "RoundingPolicy", "Trace", "TraceNode",
           "Value", "check", "enable_grad", "explore", "is_grad_enabled", "no_grad", "round_to"]
