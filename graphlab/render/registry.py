"""Every file graphlab writes from a trace, in one table: the file's suffix picks the format.

``write(trace, path, **options)`` is the one way to save a trace, used by the
command line (``graphlab solve --render``), the terminal explorer's save
dialog and the handouts::

    write(trace, "f.svg")                       # the diagram, drawn by Graphviz
    write(trace, "f.SVG", title="Вариант 2")    # suffixes are read case-insensitively
    write(trace, "graph.tex", reveal="overlays")
    write(tensor_trace, "mlp.pdf", collapsed=True)

A suffix that names no format, an option the format does not take, or a trace
it cannot draw is refused before anything is computed or written. The file is
written whole or not at all (``graphlab.atomic``), and every error names the
file asked for. To add a format, ``register`` a ``Format`` (see CONTRIBUTING.md).
"""

from __future__ import annotations

import inspect
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphlab.atomic import write_atomic
from graphlab.render.errors import RenderError
from graphlab.trace import Trace

Writer = Callable[..., bytes]
"""``writer(trace, path, **options) -> bytes``: the file's content; ``path`` is for messages only."""

SCALAR, TENSOR = "trace", "tensor trace"
"""The kinds of trace a format may draw: a scalar ``Trace`` and a ``TensorTrace``."""


@dataclass(frozen=True, eq=False)
class Format:
    """A kind of file: its suffixes, what it holds, and how each kind of trace is written to it."""

    name: str
    suffixes: tuple[str, ...]
    description: str
    writers: Mapping[str, Writer]
    """Trace kind (``SCALAR``, ``TENSOR``) → its writer."""

    def options(self, kind: str = SCALAR) -> tuple[str, ...]:
        """The keyword options the format takes for a trace of ``kind``."""
        parameters = inspect.signature(self.writers[kind]).parameters.values()
        return tuple(p.name for p in parameters if p.kind is inspect.Parameter.KEYWORD_ONLY)

    def accepts(self, option: str, kind: str = SCALAR) -> bool:
        return kind in self.writers and option in self.options(kind)


_FORMATS: dict[str, Format] = {}  # suffix → format


def register(fmt: Format) -> Format:
    """Add ``fmt`` to the table; a suffix already taken by another format is refused."""
    for suffix in fmt.suffixes:
        if suffix != suffix.lower() or not suffix.startswith("."):
            raise ValueError(f"{fmt.name}: a suffix is lower case and starts with '.', got {suffix!r}")
        taken = _FORMATS.get(suffix)
        if taken is not None and taken.name != fmt.name:
            raise ValueError(f"{fmt.name}: {suffix} is already the suffix of {taken.name}")
    _FORMATS.update(dict.fromkeys(fmt.suffixes, fmt))
    return fmt


def formats(kind: str | None = None) -> list[Format]:
    """The registered formats (those that draw ``kind`` of trace), in the order they were registered."""
    return [f for f in dict.fromkeys(_FORMATS.values()) if kind is None or kind in f.writers]


def suffixes(kind: str = SCALAR) -> tuple[str, ...]:
    """Every suffix that writes ``kind`` of trace: ``(".dot", ".gv", ".svg", …)``."""
    return tuple(s for f in formats(kind) for s in f.suffixes)


def trace_kind(trace: Any) -> str:
    """``SCALAR`` or ``TENSOR``; anything else is not a trace."""
    if isinstance(trace, Trace):
        return SCALAR
    tensor = sys.modules.get("graphlab.tensor.trace")  # a TensorTrace exists only once its module is loaded
    if tensor is not None and isinstance(trace, tensor.TensorTrace):
        return TENSOR
    raise TypeError(f"can only write a Trace or a TensorTrace, not {type(trace).__name__}")


def format_for(path: str | os.PathLike[str], kind: str = SCALAR) -> Format:
    """The format ``path``'s suffix names for ``kind`` of trace; a ``RenderError`` naming the path otherwise."""
    path = Path(path)
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None or kind not in fmt.writers:
        what = f"{path.suffix!r} files" if path.suffix else "a file without a suffix"
        drawn = "" if fmt is None else f" from a {kind}"
        raise RenderError(f"{path}: cannot write {what}{drawn}; use one of {', '.join(suffixes(kind))}")
    return fmt


def write(trace: Any, path: str | os.PathLike[str], **options: Any) -> Path:
    """Write ``trace`` to ``path`` in the format its suffix names; the path written."""
    path = Path(path)
    kind = trace_kind(trace)
    fmt = format_for(path, kind)
    unknown = sorted(set(options) - set(fmt.options(kind)))
    if unknown:
        takes = ", ".join(fmt.options(kind)) or "none"
        raise TypeError(f"{fmt.name} files take no option {', '.join(unknown)} (options: {takes})")
    try:
        return write_atomic(path, fmt.writers[kind](trace, path, **options))
    except OSError as err:
        raise RenderError(f"{path}: cannot write there ({err.strerror or err})") from err


# -- the formats ------------------------------------------------------------------------


def _dot_source(trace: Trace, path: Path, *, title: str | None = None, label: str | None = None,
                node_numbers: bool = False) -> bytes:
    from graphlab.render.graphviz_render import to_graphviz  # lazy: loaded when the format writes

    return to_graphviz(trace, title=title, label=label, node_numbers=node_numbers).source.encode()


def _tensor_dot_source(trace: Any, path: Path, *, title: str | None = None, collapsed: bool = False) -> bytes:
    from graphlab.render.tensor_graph import to_graphviz  # lazy: loaded when the format writes

    return to_graphviz(trace, collapsed=collapsed, title=title).source.encode()


def _image(format_name: str) -> tuple[Writer, Writer]:
    """The writers of one Graphviz image format, for scalar and tensor traces."""

    def scalar(trace: Trace, path: Path, *, title: str | None = None, label: str | None = None,
               node_numbers: bool = False) -> bytes:
        from graphlab.render.graphviz_render import draw, to_graphviz  # lazy: loaded when the format writes

        return draw(to_graphviz(trace, title=title, label=label, node_numbers=node_numbers), format_name, path)

    def tensor(trace: Any, path: Path, *, title: str | None = None, collapsed: bool = False) -> bytes:
        from graphlab.render.graphviz_render import draw  # lazy: loaded when the format writes
        from graphlab.render.tensor_graph import to_graphviz  # lazy: loaded when the format writes

        return draw(to_graphviz(trace, collapsed=collapsed, title=title), format_name, path)

    return scalar, tensor


def _json(trace: Trace, path: Path, *, wrt: list[str] | None = None) -> bytes:
    return (trace.to_json(wrt) + "\n").encode()


def _tikz(trace: Trace, path: Path, *, reveal: str = "all") -> bytes:
    from graphlab.render.tikz import to_tikz  # lazy: loaded when the format writes

    return to_tikz(trace, reveal).encode()  # type: ignore[arg-type]


def _markdown(trace: Trace, path: Path, *, wrt: list[str] | None = None) -> bytes:
    from graphlab.render.tables import to_markdown  # lazy: loaded when the format writes

    return to_markdown(trace, wrt).encode()


TEXT_WIDTH = 1000
"""Columns a text table may take in a file: as wide as it needs, nothing folded."""


def _text(trace: Trace, path: Path, *, wrt: list[str] | None = None) -> bytes:
    from graphlab.render.tables import to_text_table  # lazy: loaded when the format writes

    return to_text_table(trace, wrt, width=TEXT_WIDTH).encode()


register(Format("DOT", (".dot", ".gv"), "the diagram's Graphviz source (needs no Graphviz)",
                {SCALAR: _dot_source, TENSOR: _tensor_dot_source}))
for _name in ("svg", "png", "pdf"):
    _scalar, _tensor = _image(_name)
    register(Format(_name.upper(), (f".{_name}",), f"the diagram as {_name.upper()}, drawn by Graphviz",
                    {SCALAR: _scalar, TENSOR: _tensor}))
register(Format("JSON", (".json",), "the trace as data: every node's value, gradient and local derivatives",
                {SCALAR: _json}))
register(Format("TikZ", (".tex",), "the diagram as a TikZ picture to \\input in a Beamer frame", {SCALAR: _tikz}))
register(Format("Markdown", (".md",), "the node table and the answers in Markdown", {SCALAR: _markdown}))
register(Format("text", (".txt",), "the node table and the answers as text", {SCALAR: _text}))
