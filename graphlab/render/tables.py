"""A trace as a table, one row per node, and the answers an exercise asks for.

Graders and students read the same rows in the terminal (``to_text_table``), in
Markdown and in LaTeX. Every number is printed by the trace's rounding policy,
so a 2-decimal exercise shows ``20.00`` everywhere, never ``20.0``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from html import escape
from io import StringIO

from graphlab.ops import PLACEHOLDERS, Precedence, lookup
from graphlab.render.ascii import to_ascii
from graphlab.render.names import given_name, output_name, reference
from graphlab.trace import NodeKind, Trace, TraceNode

COLUMNS = ("id", "kind", "node", "op", "inputs", "value", "rule", "local", "gradient")
HEADERS = ("id", "kind", "node", "op", "inputs", "value", "local rule", "local ∂", "gradient")
_NUMERIC = ("id", "value", "gradient")
MAX_OPERAND = 40  # characters of a sub-formula repeated inside the next one; longer ones become #id


def node_rows(trace: Trace) -> list[dict[str, str]]:
    """One row per node, in id order; every field a string, numbers formatted by the policy.

    ``rule`` is the ops table's formula for each local derivative, in terms of
    the op's inputs ``a`` and ``b``; ``local`` is its value at this node.
    """
    fmt = trace.policy.format
    texts = _subformulas(trace)
    rows = []
    for node in trace.nodes:
        names = [reference(trace.nodes[i]) for i in node.inputs]
        local = [f"∂/∂{name} = {fmt(d)}" for name, d in zip(names, node.local) if d is not None]
        formula = texts[node.id]
        rows.append({
            "id": str(node.id),
            "kind": str(node.kind),
            "node": _node_text(node, formula),
            "op": node.symbol if node.op else "",
            "rule": "; ".join(f"∂/∂{p} = {d.text}" for p, d in zip(PLACEHOLDERS, lookup(node.op).derivatives))
                    if node.op else "",
            "inputs": ", ".join(names),
            "value": fmt(node.value),
            "local": "; ".join(local),
            "gradient": fmt(node.grad),
        })
    return rows


def answers(trace: Trace, wrt: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """The reported results: ``("f", "20.00")`` then ``("∂f/∂x0", "40.00")`` for each input."""
    fmt = trace.policy.format
    output = output_name(trace)
    grads = trace.grads(wrt)
    return [(output, fmt(trace.value))] + [(f"∂{output}/∂{name}", fmt(g)) for name, g in grads.items()]


def to_text_table(trace: Trace, wrt: Iterable[str] | None = None, *, width: int | None = None,
                  ascii: bool = False) -> str:
    """A box-drawn table for the terminal (``width`` columns, the terminal's by default), then the answers.

    In a narrow terminal the columns a reader can do without go first (``NARROW_DROPS``),
    so no header is ever folded mid-word. ``ascii`` lays it out in ASCII alone
    (``+--+`` boxes, ``d`` for ∂), for a stream that cannot encode more.
    """
    from rich.console import Console

    width = width or shutil.get_terminal_size((100, 24)).columns
    out = StringIO()
    # force_jupyter=False: inside a kernel rich would otherwise display the table itself and write nothing here.
    console = Console(file=out, width=width, color_system=None, force_terminal=False, force_jupyter=False,
                      highlight=False, emoji=False, markup=False)
    plain = to_ascii if ascii else str
    rows = [{column: plain(text) for column, text in row.items()} for row in node_rows(trace)]
    for dropped in range(len(NARROW_DROPS) + 1):
        table = _rich_table(plain(_heading(trace)), rows, [c for c in COLUMNS if c not in NARROW_DROPS[:dropped]],
                            ascii)
        if _narrowest(console, table) <= width:
            break
    console.print(table)
    lines = [line.rstrip() for line in out.getvalue().splitlines()] + [plain(a) for a in _answer_lines(trace, wrt)]
    return "\n".join(lines) + "\n"


NARROW_DROPS = ("rule", "kind", "op", "inputs")
"""Columns left out, in this order, while the table cannot fit the terminal without folding words."""


def _rich_table(title: str, rows: list[dict[str, str]], columns: list[str], ascii: bool):
    from rich import box
    from rich.table import Table

    table = Table(box=box.ASCII2 if ascii else box.SQUARE, title=title, title_justify="left")
    for column in columns:
        header = HEADERS[COLUMNS.index(column)]
        header = to_ascii(header) if ascii else header
        numeric = column in _NUMERIC
        table.add_column(header, justify="right" if numeric else "left", overflow="fold", no_wrap=numeric,
                         min_width=max(len(word) for word in header.split()))
    for row in rows:  # one derivative per line reads better than a long "; " list
        table.add_row(*(row[c].replace("; ", "\n") for c in columns))
    return table


def _narrowest(console, table) -> int:
    """The fewest columns ``table`` needs without breaking a word of any cell."""
    from rich.measure import Measurement

    return Measurement.get(console, console.options.update(width=10_000), table).minimum


def to_markdown(trace: Trace, wrt: Iterable[str] | None = None) -> str:
    """A GitHub-flavoured Markdown table, then the answers as a list."""
    lines = [f"**{markdown_escape(_heading(trace))}**", "",
             "| " + " | ".join(HEADERS) + " |",
             "|" + "|".join("---:" if c in _NUMERIC else "---" for c in COLUMNS) + "|"]
    lines += ["| " + " | ".join(markdown_escape(row[c]) or " " for c in COLUMNS) + " |" for row in node_rows(trace)]
    lines += [""] + [f"- {markdown_escape(line)}" for line in _answer_lines(trace, wrt)]
    return "\n".join(lines) + "\n"


def to_html(trace: Trace, wrt: Iterable[str] | None = None) -> str:
    """An HTML ``<table>`` (numbers right-aligned, one local derivative per line), then the answers."""

    def cell(tag: str, text: str, column: str) -> str:
        lines = "<br>".join(escape(part) for part in text.split("; "))
        return f'<{tag} style="text-align:{"right" if column in _NUMERIC else "left"}">{lines}</{tag}>'

    head = "".join(cell("th", header, column) for header, column in zip(HEADERS, COLUMNS))
    body = "".join("<tr>" + "".join(cell("td", row[c], c) for c in COLUMNS) + "</tr>" for row in node_rows(trace))
    results = "<br>".join(escape(line) for line in _answer_lines(trace, wrt))
    return (f'<table class="graphlab-nodes"><caption style="text-align:left">{escape(_heading(trace))}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>\n<p>{results}</p>\n")


def markdown_escape(text: str) -> str:
    """``text`` shown literally in Markdown: ``x0*y0`` must not start emphasis, ``|`` not end a cell."""
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIALS else ch for ch in text)


_MARKDOWN_SPECIALS = frozenset("\\|*_`[]<>#")


def to_latex(trace: Trace, wrt: Iterable[str] | None = None) -> str:
    """A booktabs ``tabular`` (needs ``\\usepackage{booktabs}``); the answers fill its last row."""
    spec = "".join("r" if c in _NUMERIC else "l" for c in COLUMNS)
    lines = [f"\\begin{{tabular}}{{{spec}}}", "\\toprule",
             " & ".join(latex_escape(h) for h in HEADERS) + " \\\\", "\\midrule"]
    lines += [" & ".join(latex_escape(row[c]) for c in COLUMNS) + " \\\\" for row in node_rows(trace)]
    results = ", ".join(latex_escape(line) for line in _answer_lines(trace, wrt))
    lines += ["\\midrule", f"\\multicolumn{{{len(COLUMNS)}}}{{l}}{{{results}}} \\\\",
              "\\bottomrule", "\\end{tabular}"]
    return "\n".join(lines) + "\n"


_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
    "<": r"\textless{}", ">": r"\textgreater{}",
}
_LATEX_SYMBOLS = {
    "∂": r"$\partial$", "×": r"$\times$", "−": r"$-$", "÷": r"$\div$", "·": r"$\cdot$",
    "√": r"$\surd$", "²": r"$^{2}$", "³": r"$^{3}$", "½": r"$\frac{1}{2}$", "σ": r"$\sigma$",
    "α": r"$\alpha$", "β": r"$\beta$", "λ": r"$\lambda$", "φ": r"$\varphi$", "Φ": r"$\Phi$",
    "π": r"$\pi$", "ₜ": r"$_{t}$", "≈": r"$\approx$",
}


def latex_escape(text: str) -> str:
    """``text`` safe inside a LaTeX cell: specials escaped, Unicode maths as math-mode macros."""
    return "".join(_LATEX_SPECIALS.get(ch) or _LATEX_SYMBOLS.get(ch) or ch for ch in text)


def _heading(trace: Trace) -> str:
    formula = f"{output_name(trace)} = {trace.formula} · " if trace.formula else ""
    return formula + trace.policy.describe()


def _answer_lines(trace: Trace, wrt: Iterable[str] | None) -> list[str]:
    return [f"{name} = {value}" for name, value in answers(trace, wrt)]


def _subformulas(trace: Trace) -> dict[int, str]:
    """Each node written out from its inputs; a named node is called by its name further on,
    and a long one by ``#id``, so rows stay readable and big graphs cost linear text."""
    written: dict[int, str] = {}
    as_operand: dict[int, tuple[str, int]] = {}  # text and how tightly it binds, for parentheses
    for node in trace.nodes:  # ids are in creation order: inputs come before their users
        if node.op:
            text, strength = lookup(node.op).write([as_operand[i] for i in node.inputs], node.params)
        else:
            text = node.name
            strength = Precedence.PREFIX if text.startswith(("-", "−")) else Precedence.ATOM  # a constant −2
        written[node.id] = text
        name = given_name(node) or (f"#{node.id}" if len(text) > MAX_OPERAND else None)
        as_operand[node.id] = (name, Precedence.ATOM) if name else (text, strength)
    return written


def _node_text(node: TraceNode, written: str) -> str:
    """A named node as ``q = x + y``; a node labelled by the parser keeps the formula's own text."""
    if given_name(node):
        return f"{node.label} = {written}"
    return node.label if node.kind == NodeKind.OP and node.label else written
