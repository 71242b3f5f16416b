"""What Jupyter shows for a trace: the diagram as SVG when Graphviz is installed, the table always."""

from __future__ import annotations

import subprocess

from graphlab.render.tables import to_text_table
from graphlab.trace import Trace

TEXT_WIDTH = 110


def mimebundle(trace: Trace) -> dict[str, str]:
    """``text/plain`` (the table and answers), plus ``image/svg+xml`` when ``dot`` runs; never raises for a missing Graphviz."""
    bundle = {"text/plain": to_text_table(trace, width=TEXT_WIDTH)}
    svg = _svg(trace)
    if svg is not None:
        bundle["image/svg+xml"] = svg
    return bundle


def _svg(trace: Trace) -> str | None:
    try:
        from graphlab.render.graphviz_render import to_graphviz

        return to_graphviz(trace).pipe(format="svg").decode()
    except (ImportError, OSError, RuntimeError, subprocess.SubprocessError):
        # No graphviz package, no `dot` binary (ExecutableNotFound is a RuntimeError), or dot failed.
        return None
