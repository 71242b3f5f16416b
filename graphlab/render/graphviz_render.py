"""A trace as a lecture-style Graphviz diagram: values above the edges, gradients below.

The picture reads left to right, as on the slides: the inputs stand in one
column on the left, each operation is a small circle with its symbol (an
ellipse when the symbol is long), and the output leaves through one last edge
to ``f``. An operation's first input enters it from above and its second from
below (the numerator of ÷ is on top). Every edge carries two numbers, one
above the line and one below it:

* above, dark slate (``#1e293b``): the forward value flowing along the edge;
* below, red (``#b91c1c``): the gradient flowing back along the edge, that is
  the edge's contribution upstream × local derivative. An input used twice has
  two edges, each with its own contribution; its gradient is their sum.
* constants are grey (``#6b7280``), and so are their edges: no gradient flows
  back into a constant, so the space below their line stays empty.
* the last edge, into ``f``, shows the output's value and the initial gradient.

Numbers are printed by the trace's rounding policy, with exactly its digits.
Graphviz draws edge labels beside a line, not around it, so each edge passes
through a small two-row label node whose middle border is the line itself.
Node names come from trace node ids, so one trace always gives the same DOT.
With ``node_numbers`` each op node but the output is tagged ``#id`` in blue
(``#2563eb``), as tables and graded answers name nodes.

Files are written by ``graphlab.render.write`` (``f.svg``, ``f.dot`` …), which
calls ``draw`` for the images.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from graphlab.atomic import write_atomic
from graphlab.render.errors import RenderError
from graphlab.render.names import given_name, output_name
from graphlab.trace import NodeKind, Trace, TraceNode

if TYPE_CHECKING:
    import graphviz

VALUE_COLOUR = "#1e293b"
GRADIENT_COLOUR = "#b91c1c"
CONSTANT_COLOUR = "#6b7280"
LINE_COLOUR = "#475569"
OP_FILL = "#f1f5f9"
NUMBER_COLOUR = "#2563eb"
FONT = "Helvetica,Arial,sans-serif"
PNG_DPI = "150"


def to_graphviz(trace: Trace, *, title: str | None = None, label: str | None = None,
                node_numbers: bool = False) -> graphviz.Digraph:
    """The trace as a ``graphviz.Digraph``.

    ``title`` defaults to the trace's formula; ``label``, a Graphviz HTML label
    (``<…>``), replaces the whole heading and is set flush left. ``node_numbers``
    tags each op node ``#id``.
    """
    import graphviz

    heading = {"label": label, "labeljust": "l"} if label is not None else {"label": _title(trace, title)}
    dot = graphviz.Digraph(
        "trace",
        graph_attr={"rankdir": "LR", "ordering": "in", "ranksep": "0.25", "nodesep": "0.3", "bgcolor": "white",
                    "fontname": FONT, "labelloc": "t", **heading},
        node_attr={"fontname": FONT, "fontsize": "16", "fontcolor": VALUE_COLOUR},
        edge_attr={"color": LINE_COLOUR, "arrowsize": "0.7", "penwidth": "1.2"},
    )
    with dot.subgraph(name="inputs", graph_attr={"rank": "same"}) as column:
        for node in trace.nodes:
            if node.kind == NodeKind.INPUT:
                column.node(_name(node.id), _html(node.symbol), shape="plaintext")
    for node in trace.nodes:
        if node.kind == NodeKind.CONST:
            dot.node(_name(node.id), _html(node.symbol), shape="plaintext", fontcolor=CONSTANT_COLOUR)
        elif node.kind == NodeKind.OP:
            dot.node(_name(node.id), _html(node.symbol), shape="ellipse", style="filled",
                     fillcolor=OP_FILL, color=LINE_COLOUR, margin="0.06,0.02", width="0.45", height="0.45",
                     **(_number_tag(node, trace) if node_numbers else _name_tag(node, trace)))
    policy = trace.policy
    for edge in trace.edges():
        src = trace.nodes[edge.src]
        _edge(dot, src, f"e{edge.dst}_{edge.index}", _name(edge.dst),
              policy.format(src.value), policy.format(edge.contribution))
    root = trace.root
    dot.node("end", _html(output_name(trace)), shape="plaintext")
    _edge(dot, root, "e_out", "end", policy.format(root.value), policy.format(trace.gradient))
    return dot


def draw(dot: graphviz.Digraph, format_name: str, path: Path) -> bytes:
    """``dot`` drawn by Graphviz as ``format_name`` (``svg``, ``png``, ``pdf``), for the file ``path``.

    Without Graphviz's binary the DOT source is written next to ``path`` and the
    error says how to install Graphviz.
    """
    import graphviz

    source = dot.source
    if format_name == "png":
        dot.graph_attr["dpi"] = PNG_DPI  # sharp on a projector; SVG and PDF scale anyway
    try:
        return dot.pipe(format=format_name)
    except graphviz.ExecutableNotFound:
        fallback = write_atomic(path.with_suffix(".dot"), source.encode())
        raise RenderError(
            f"{path}: Graphviz's `dot` program is not installed, so no {format_name.upper()} was drawn. "
            "Install Graphviz (Debian/Ubuntu: `sudo apt-get install graphviz`; macOS: "
            "`brew install graphviz`; conda: `conda install -c conda-forge graphviz`) and run again. "
            f"The diagram's DOT source was written to {fallback}."
        ) from None
    except graphviz.CalledProcessError as error:
        raise RenderError(f"{path}: Graphviz's `dot` failed: {error.stderr.decode(errors='replace').strip()}") from None


def _edge(dot: graphviz.Digraph, src: TraceNode, mid: str, dst: str, value: str, grad: str) -> None:
    """Draw src → dst through a label node whose middle border continues the line.

    Edges leave a leaf's name from its right side, so two uses of one input fan out from one point.
    """
    constant = src.kind == NodeKind.CONST
    colour = CONSTANT_COLOUR if constant else LINE_COLOUR
    dot.node(mid, _edge_label(value, grad, colour, CONSTANT_COLOUR if constant else VALUE_COLOUR),
             shape="plaintext", margin="0", width="0", height="0")
    dot.edge(_name(src.id), mid, headport="w", arrowhead="none", color=colour,
             **({"tailport": "e"} if src.kind != NodeKind.OP else {}))
    dot.edge(mid, dst, tailport="e", color=colour, weight="4")


def _edge_label(value: str, grad: str, line_colour: str, value_colour: str) -> str:
    grad_text = escape(grad) if grad else "&#160;"  # keeps the row, so the line stays in the middle
    return (
        '<<table border="0" cellborder="0" cellspacing="0" cellpadding="1">'
        f'<tr><td border="1" sides="b" color="{line_colour}" width="40">'
        f'<font point-size="12" color="{value_colour}">{escape(value)}</font></td></tr>'
        f'<tr><td><font point-size="12" color="{GRADIENT_COLOUR}">{grad_text}</font></td></tr>'
        "</table>>"
    )


def _title(trace: Trace, title: str | None) -> str:
    heading = title if title is not None else (f"{output_name(trace)} = {trace.formula}" if trace.formula else "")
    # SVG viewers drop a space at either end of a text run: where the colour changes, the
    # space between the runs is a no-break space.
    legend = (f'<font color="{VALUE_COLOUR}">value</font>&#160;above, '
              f'<font color="{GRADIENT_COLOUR}">gradient</font>&#160;below each edge')
    first = f'<font point-size="18">{escape(heading)}</font><br/>' if heading else ""
    return (f"<{first}<font point-size=\"12\" color=\"{CONSTANT_COLOUR}\">"
            f"{escape(trace.policy.describe())} ·&#160;</font><font point-size=\"12\">{legend}</font><br/>>")


def _name_tag(node: TraceNode, trace: Trace) -> dict[str, str]:
    """An op node the user named gets its name beside it; the output's name is on the end point."""
    name = given_name(node)
    if not name or node.id == trace.output:
        return {}
    return {"xlabel": f'<<font point-size="13" color="{CONSTANT_COLOUR}"><i>{escape(name)}</i></font>>'}


def _number_tag(node: TraceNode, trace: Trace) -> dict[str, str]:
    """An op node's ``#id``, as tables and graded answers name it (the output is ``f``)."""
    if node.id == trace.output:
        return {}
    return {"xlabel": f'<<font point-size="12" color="{NUMBER_COLOUR}">#{node.id}</font>>'}


def _html(text: str) -> str:
    return f"<{escape(text)}>"


def _name(node_id: int) -> str:
    return f"n{node_id}"
