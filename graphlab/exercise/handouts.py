"""Handouts: for every variant a worksheet (statement + blank graph) and an answer key.

One call writes the whole set into a folder::

    OUT/variants.csv             every variant's number and inputs, for the lecturer
                                 (without variants, the exercise's own files go to OUT/<id>/)
    OUT/v01/worksheet.pdf|svg    statement, inputs, the graph without numbers, blanks to fill
    OUT/v01/key.pdf|svg          the graph with values and gradients, the node table, the answers
    OUT/v01/worksheet.md, key.md the same as Markdown (the key embeds key.svg when it is written)
    OUT/v01/graph.tex            the graph in TikZ with Beamer overlays (blank → values → gradients)
    OUT/slides.tex               a Beamer deck with one frame per variant, ``\\input``-ing those

PDF and SVG are drawn by Graphviz, so they need no TeX: the statement and the
node table are part of the diagram's own label. The ``.tex`` files are for
lecturers who compile slides with pdflatex. Diagrams and TikZ pictures are
written by ``graphlab.render.write``; every file is written whole or not at all.
"""

from __future__ import annotations

import csv
import io
import textwrap
from collections.abc import Iterable
from dataclasses import replace
from html import escape
from pathlib import Path

from graphlab.atomic import write_atomic
from graphlab.exercise.file import Exercise, format_number
from graphlab.exercise.grading import quantities
from graphlab.exercise.variants import Variant
from graphlab.rounding import RoundingPolicy
from graphlab.trace import Trace

FORMATS = ("pdf", "svg", "md", "tex")
WRAP = 90
"""Characters per line of the statement in a Graphviz label."""


class _Blanks(RoundingPolicy):
    """The exercise's rounding rule, but every number prints as a space to write in."""

    def format(self, x: float | None) -> str:
        return "\u00a0" * 8


def blank(trace: Trace) -> Trace:
    """The same graph with no numbers: what a student fills in."""
    nodes = [replace(n, value=0.0, grad=None if n.grad is None else 0.0, local=[None] * len(n.local),
                     contributions=[None] * len(n.contributions)) for n in trace.nodes]
    policy = _Blanks(trace.policy.decimals, trace.policy.convention, trace.policy.ties)
    return replace(trace, nodes=nodes, policy=policy, gradient=0.0)


def write_set(variants: Iterable[Variant], out: Path, formats: Iterable[str] = FORMATS) -> list[Path]:
    """Worksheets and keys of ``variants`` in ``formats`` under ``out``; the paths written."""
    formats = tuple(formats)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown handout format {unknown[0]!r}; choose from {', '.join(FORMATS)}")
    variants = list(variants)
    written = [write_atomic(out / "variants.csv", _variants_csv(variants).encode())]
    for variant in variants:
        written += write_variant(variant, out / variant.folder, formats)
    if "tex" in formats:
        written.append(write_atomic(out / "slides.tex", _slides(variants).encode()))
    return written


def write_variant(variant: Variant, folder: Path, formats: tuple[str, ...]) -> list[Path]:
    """One variant's worksheet and key."""
    from graphlab.render import write  # lazy: loaded for the formats asked for
    from graphlab.render.tables import to_markdown  # lazy: loaded for the formats asked for

    exercise = variant.exercise
    trace = exercise.solve()
    written = []
    for suffix in ("pdf", "svg"):
        if suffix in formats:
            numbered = exercise.report_nodes  # each op node tagged #id, as the answers name them
            written.append(write(blank(trace), folder / f"worksheet.{suffix}", label=_worksheet_label(variant),
                                 node_numbers=numbered))
            written.append(write(trace, folder / f"key.{suffix}", label=_key_label(variant, trace),
                                 node_numbers=numbered))
    if "md" in formats:
        picture = "\n![graph](key.svg)\n" if "svg" in formats else ""
        sheet = "\n![graph](worksheet.svg)\n" if "svg" in formats else ""
        written.append(write_atomic(folder / "worksheet.md", (
            _heading_md(variant) + sheet + "\n" + "\n".join(f"- {q.label} = ____" for q in quantities(exercise, trace))
            + "\n").encode()))
        written.append(write_atomic(folder / "key.md", (
            _heading_md(variant) + picture + "\n" + to_markdown(trace, exercise.wrt)).encode()))
    if "tex" in formats:
        written.append(write(trace, folder / "graph.tex", reveal="overlays"))
    return written


def _statement_lines(exercise: Exercise) -> list[str]:
    lines = []
    for language in ("ru", "en"):
        text = exercise.statement_text(language)
        if text:
            for paragraph in text.splitlines():
                lines += textwrap.wrap(paragraph, WRAP) or [""]
            lines.append("")
    return lines


def _html_lines(lines: list[str], size: int = 12) -> str:
    return "<br/>".join(f'<font point-size="{size}">{escape(line) or "&#160;"}</font>' for line in lines)


def _title(variant: Variant) -> str:
    return variant.title if variant.number is None else f"{variant.title} · {variant.exercise.id}"


def _worksheet_label(variant: Variant) -> str:
    exercise = variant.exercise
    trace = exercise.solve()
    asked = quantities(exercise, trace)
    blanks = "    ".join(f"{q.label} = ______" for q in asked if not q.key.startswith(("#", "df/d#")))
    nodes = (["Значение и градиент каждого узла #k / the value and the gradient of every node #k:"]
             if exercise.report_nodes else [])
    lines = (_statement_lines(exercise) + [f"f = {exercise.formula}", exercise.inputs_text(),
                                           exercise.policy.describe(), ""] + textwrap.wrap(blanks, WRAP) + nodes)
    return _label_table(variant, _html_lines(lines))


def _key_label(variant: Variant, trace: Trace) -> str:
    from graphlab.render.tables import answers, node_rows  # lazy: loaded for the formats asked for

    exercise = variant.exercise
    rows = "".join(
        f'<tr><td align="right">{escape(r["id"])}</td><td align="left">{escape(r["node"])}</td>'
        f'<td align="right">{escape(r["value"])}</td><td align="left">{escape(r["local"])}</td>'
        f'<td align="right"><font color="#b91c1c">{escape(r["gradient"])}</font></td></tr>'
        for r in node_rows(trace))
    table = ('<table border="0" cellborder="1" cellspacing="0" cellpadding="3">'
             '<tr><td><b>id</b></td><td><b>node</b></td><td><b>value</b></td><td><b>local ∂</b></td>'
             f'<td><b>gradient</b></td></tr>{rows}</table>')
    results = "    ".join(f"{name} = {value}" for name, value in answers(trace, exercise.wrt))
    head = [f"Ответы / Answer key — f = {exercise.formula}", exercise.inputs_text(), exercise.policy.describe()]
    return _label_table(variant, _html_lines(head), table, _html_lines(textwrap.wrap(results, WRAP), 14))


def _label_table(variant: Variant, *cells: str) -> str:
    """A Graphviz HTML label: the title, then each cell in its own row (text and tables can't mix)."""
    rows = "".join(f'<tr><td align="left" balign="left">{cell}</td></tr>' for cell in cells)
    return (f'<<table border="0" cellspacing="4"><tr><td align="left"><font point-size="18">'
            f'{escape(_title(variant))}</font></td></tr>{rows}</table>>')


def _heading_md(variant: Variant) -> str:
    exercise = variant.exercise
    texts = (exercise.statement_text(lang) for lang in ("ru", "en"))
    statement = "\n\n".join(text.replace("\n", "  \n").replace("  \n  \n", "\n\n") for text in texts if text)
    return (f"# {_title(variant)}\n\n{statement}\n\n"
            f"`f = {exercise.formula}` at {exercise.inputs_text()} · {exercise.policy.describe()}\n")


def _variants_csv(variants: list[Variant]) -> str:
    out = io.StringIO()
    names = list(variants[0].exercise.inputs) if variants else []
    writer = csv.writer(out)
    writer.writerow(["variant", *names])
    for v in variants:
        writer.writerow([v.number or "", *(format_number(v.exercise.inputs[n]).replace("−", "-") for n in names)])
    return out.getvalue()


def _slides(variants: list[Variant]) -> str:
    frames = "\n".join(
        f"\\begin{{frame}}{{{v.title}}}\n\\centering\n\\input{{{v.folder}/graph.tex}}\n\\end{{frame}}"
        for v in variants)
    return ("% One frame per variant; each frame steps blank graph -> values -> gradients.\n"
            "\\documentclass{beamer}\n\\usepackage[T2A]{fontenc}\n\\usepackage[utf8]{inputenc}\n"
            "\\usepackage[russian,english]{babel}\n\\usepackage{tikz}\n\\begin{document}\n"
            f"{frames}\n\\end{{document}}\n")
