"""Renderers: read a ``Trace`` and draw it (Graphviz, TikZ), tabulate it (text, Markdown, LaTeX).

``write(trace, path)`` saves a trace in the format its file's suffix names
(``graphlab.render.registry`` holds the table). Graphviz and rich load only
when a renderer is called, so importing this package stays cheap.
"""

from graphlab.render.errors import RenderError
from graphlab.render.graphviz_render import to_graphviz
from graphlab.render.registry import Format, format_for, formats, register, suffixes, write

__all__ = ["Format", "RenderError", "format_for", "formats", "register", "suffixes", "to_graphviz", "write"]
