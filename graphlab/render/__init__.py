"""Renderers: read a ``Trace`` and draw it (Graphviz), tabulate it (text, Markdown, LaTeX).

Graphviz and rich load only when a renderer is called, so importing this
package stays cheap.
"""

from graphlab.render.errors import RenderError
from graphlab.render.graphviz_render import render_file, to_graphviz

__all__ = ["RenderError", "render_file", "to_graphviz"]
