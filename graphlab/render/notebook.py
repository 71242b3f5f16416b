"""What Jupyter shows for graphlab's objects: one output each, in the richest form the front end takes.

A front end (JupyterLab, Notebook 7, VS Code, Colab) picks one entry of a MIME
bundle, HTML first, so each bundle's entries are alternatives of one picture:

* a scalar ``Trace`` (and a ``Value``, through its trace): ``text/html`` with the
  diagram followed by the node table, ``image/svg+xml`` with the diagram alone,
  ``text/plain`` with the box-drawn table;
* a ``TensorTrace`` (and a ``Module`` whose last output's graph is still alive):
  ``image/svg+xml`` with the collapsed diagram, one box per layer, and a
  ``text/plain`` summary.

Without Graphviz's ``dot`` the bundles hold their text forms only; nothing here
raises for a missing binary, and nothing prints as a side effect.
"""

from __future__ import annotations

import re
import subprocess
import sys
from typing import TYPE_CHECKING, Any

from graphlab.render.tables import to_html, to_text_table
from graphlab.trace import Trace

if TYPE_CHECKING:
    import graphviz

    from graphlab.tensor.trace import TensorTrace

TEXT_WIDTH = 110
"""Columns of the plain-text table: a notebook's output area, not the kernel's terminal."""


def in_notebook() -> bool:
    """Whether this Python runs inside a Jupyter kernel (where a terminal app or bar cannot draw)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return getattr(shell, "kernel", None) is not None


def mimebundle(trace: Trace) -> dict[str, str]:
    """The bundle of a scalar trace: HTML (diagram and table) and SVG when ``dot`` runs, plain text always."""
    bundle = {"text/plain": to_text_table(trace, width=TEXT_WIDTH)}
    table = to_html(trace)
    svg = _svg(lambda: _scalar_diagram(trace))
    if svg is not None:
        bundle["image/svg+xml"] = svg
        table = f'<div class="graphlab-diagram">{_inline(svg)}</div>\n' + table
    bundle["text/html"] = table
    return bundle


def tensor_mimebundle(trace: TensorTrace, title: str | None = None) -> dict[str, str]:
    """The bundle of a tensor trace: the collapsed diagram as SVG when ``dot`` runs, a summary always."""
    bundle = {"text/plain": repr(trace)}
    svg = _svg(lambda: _tensor_diagram(trace, title))
    if svg is not None:
        bundle["image/svg+xml"] = svg
    return bundle


def _scalar_diagram(trace: Trace) -> graphviz.Digraph:
    from graphlab.render.graphviz_render import to_graphviz  # lazy: Graphviz loads only when a diagram is drawn

    return to_graphviz(trace)


def _tensor_diagram(trace: TensorTrace, title: str | None) -> graphviz.Digraph:
    from graphlab.render.tensor_graph import to_graphviz  # lazy: Graphviz loads only when a diagram is drawn

    return to_graphviz(trace, collapsed=True, title=title)


def _svg(diagram: Any) -> str | None:
    try:
        return diagram().pipe(format="svg").decode()
    except (ImportError, OSError, RuntimeError, subprocess.SubprocessError):
        # No graphviz package, no `dot` binary (ExecutableNotFound is a RuntimeError), or dot failed.
        return None


_PROLOGUE = re.compile(r"\A\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?(<!--.*?-->\s*)*", re.DOTALL)


def _inline(svg: str) -> str:
    """An SVG document as an element that can stand inside HTML: no XML declaration, doctype or comments."""
    return _PROLOGUE.sub("", svg, count=1)
