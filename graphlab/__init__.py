"""graphlab: trace a computational graph's forward values and gradients, as a lecture does.

``import graphlab`` stays light: SymPy, Graphviz, networkx and Textual load only
when a feature that needs them is used.
"""

from graphlab.ops import OPS, Op
from graphlab.rounding import EXACT, RoundingPolicy
from graphlab.trace import Trace, TraceNode
from graphlab.value import EvaluationError, Value, no_grad, rounding
from graphlab.widget import explore

__version__ = "0.1.0"

__all__ = ["EXACT", "OPS", "EvaluationError", "Op", "RoundingPolicy", "Trace", "TraceNode",
           "Value", "explore", "no_grad", "rounding"]
