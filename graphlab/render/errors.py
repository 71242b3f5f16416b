"""The one error a renderer raises: the output could not be produced as asked."""


class RenderError(RuntimeError):
    """A diagram or table could not be written (Graphviz missing, unknown format)."""
