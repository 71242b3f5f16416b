"""Handouts: for every variant a worksheet (statement, typeset formula, blanks) and an answer key.

One call writes the whole set into a folder::

    OUT/variants.csv             every variant's number and inputs, for the lecturer
                                 (without variants, the exercise's own files go to OUT/<id>/)
    OUT/v01/worksheet.pdf|svg    statement, formula, inputs, the graph without numbers (or none), blanks to fill
    OUT/v01/key.pdf|svg          the graph with values and gradients, the node table, the answers
    OUT/v01/worksheet.md, key.md the same as Markdown (the formula as $$…$$; the key embeds key.svg)
    OUT/v01/formula.png          the typeset formula the PDF and SVG show
    OUT/v01/graph.tex            the graph in TikZ with Beamer overlays (blank → values → gradients)
    OUT/slides.tex               a Beamer deck with one frame per variant, ``\\input``-ing those

The set is built in a folder beside OUT and moved into place whole
(``atomic.replace_folder``): a failure leaves no half-written set, and OUT is
replaced only if it is empty or an earlier set.

PDF and SVG are drawn by Graphviz, so they need no TeX: the statement, the
formula (typeset by matplotlib's mathtext, ``typeset``) and the node table are
part of the diagram's own label; the SVG carries the formula's image inside
it. Diagrams and TikZ pictures are written by ``graphlab.render.write``. Headings are in the exercise's language (``languages``: Russian, English
or both). The ``.tex`` files are for lecturers who compile slides with
pdflatex; each frame shows the formula in LaTeX above the graph.
"""

from __future__ import annotations

import base64
import csv
import io
import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import replace
from html import escape
from pathlib import Path

from graphlab.atomic import replace_folder, write_atomic
from graphlab.exercise.file import Exercise, format_number
from graphlab.exercise.grading import quantities
from graphlab.exercise.language import languages_for, rounding, say
from graphlab.exercise.typeset import Picture, formula_latex, render
from graphlab.exercise.variants import Variant
from graphlab.rounding import RoundingPolicy
from graphlab.trace import Trace

FORMATS = ("pdf", "svg", "md", "tex")
WRAP = 90
"""Characters per line of the statement in a Graphviz label."""
PER_ROW = 4
"""Answers per row of the worksheet's and the key's answer grid."""
BLANK = "\u00a0" * 8
"""What a number of the worksheet's graph prints as: room to write it in."""


class _Blanks(RoundingPolicy):
    """The exercise's rounding rule, but every number prints as a space to write in."""

    def format(self, x: float | None) -> str:
        return BLANK


def blank(trace: Trace) -> Trace:
    """The same graph with no numbers: what a student fills in."""
    nodes = [replace(n, value=0.0, grad=None if n.grad is None else 0.0, local=[None] * len(n.local),
                     contributions=[None] * len(n.contributions)) for n in trace.nodes]
    policy = _Blanks(trace.policy.decimals, trace.policy.convention, trace.policy.ties)
    return replace(trace, nodes=nodes, policy=policy, gradient=0.0)


def write_set(variants: Iterable[Variant], out: Path, formats: Iterable[str] = FORMATS,
              languages: Sequence[str] | None = None, graph: bool = True) -> list[Path]:
    """Worksheets and keys of ``variants`` in ``formats`` under ``out``, built beside it and moved there whole.

    ``languages`` are the headings' (by default the exercise's own); ``graph=False``
    leaves the graph off the worksheets, for a task that says "draw the graph".
    Returns the paths written, as they are under ``out``.
    """
    formats = tuple(formats)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown handout format {unknown[0]!r}; choose from {', '.join(FORMATS)}")
    variants = list(variants)
    if not variants:
        raise ValueError("no variants to hand out")
    exercise = variants[0].exercise
    languages = tuple(languages or languages_for(None, exercise.languages))

    def fill(folder: Path) -> list[Path]:
        written = [write_atomic(folder / "variants.csv", _variants_csv(variants).encode())]
        latex = formula_latex(exercise)
        picture = None
        if {"pdf", "svg"} & set(formats):
            picture = render(f"f = {latex}", folder / "formula.png")
        for variant in variants:
            written += write_variant(variant, folder / variant.folder, formats, languages, graph, picture, latex)
        if picture is not None:
            picture.path.unlink()  # each variant keeps its own copy
        if "tex" in formats:
            written.append(write_atomic(folder / "slides.tex", _slides(variants, latex, languages).encode()))
        return [out / p.relative_to(folder) for p in written]

    return replace_folder(out, fill)


def write_variant(variant: Variant, folder: Path, formats: tuple[str, ...], languages: Sequence[str],
                  graph: bool = True, picture: Picture | None = None, latex: str | None = None) -> list[Path]:
    """One variant's worksheet and key, in ``folder``."""
    from graphlab.render.tables import to_markdown  # lazy: a renderer loads for the formats asked for

    exercise = variant.exercise
    latex = latex or formula_latex(exercise)
    trace = exercise.solve()
    written = []
    if picture is not None and {"pdf", "svg"} & set(formats):
        own = folder / "formula.png"
        written.append(write_atomic(own, picture.path.read_bytes()))
        picture = Picture(own, picture.width, picture.height)
    for suffix in ("pdf", "svg"):
        if suffix in formats:
            numbered = exercise.report_nodes or exercise.report_steps
            sheet = blank(trace) if graph else None
            written.append(_diagram(sheet, _worksheet_label(variant, trace, languages, picture, graph),
                                    folder / f"worksheet.{suffix}", numbered))
            written.append(_diagram(trace, _key_label(variant, trace, languages, picture),
                                    folder / f"key.{suffix}", numbered))
    if "md" in formats:
        key_picture = "\n![graph](key.svg)\n" if "svg" in formats else ""
        sheet_picture = "\n![graph](worksheet.svg)\n" if "svg" in formats and graph else ""
        blanks = "\n".join(f"- {q.label} = ____" for q in quantities(exercise, trace))
        written.append(write_atomic(folder / "worksheet.md", (
            _heading_md(variant, languages, latex, say("worksheet", languages)) + sheet_picture + "\n"
            + blanks + "\n").encode()))
        written.append(write_atomic(folder / "key.md", (
            _heading_md(variant, languages, latex, say("key", languages)) + key_picture + "\n"
            + to_markdown(trace, exercise.wrt)).encode()))
    if "tex" in formats:
        from graphlab.render import write  # lazy: a renderer loads for the formats asked for

        written.append(write(trace, folder / "graph.tex", reveal="overlays"))
    return written


def _diagram(trace: Trace | None, label: str, path: Path, numbered: bool) -> Path:
    """The diagram with ``label`` on top (the label alone for ``trace=None``); ``numbered`` tags each op node #id.

    The diagram is written by ``graphlab.render.write``; in an SVG the formula's
    image is then carried inside the file (a data URI), so the SVG shows it
    wherever it is copied to.
    """
    from graphlab.render import write  # lazy: a renderer loads for the formats asked for

    if trace is None:
        import graphviz

        from graphlab.render.graphviz_render import FONT, draw  # lazy: a renderer loads for the formats asked for

        page = graphviz.Digraph("worksheet", graph_attr={"bgcolor": "white", "fontname": FONT, "labelloc": "t",
                                                         "labeljust": "l", "label": label})
        write_atomic(path, draw(page, path.suffix[1:], path))
    else:
        write(trace, path, label=label, node_numbers=numbered)
    if path.suffix == ".svg":
        write_atomic(path, _inline_images(path.read_bytes()))
    return path


def _inline_images(svg: bytes) -> bytes:
    """The SVG with each ``<image xlink:href="/path/file.png">`` holding the PNG itself, as a data URI."""
    def inline(match: re.Match[bytes]) -> bytes:
        png = Path(match.group(1).decode())
        return b'xlink:href="data:image/png;base64,' + base64.b64encode(png.read_bytes()) + b'"'

    return re.sub(rb'xlink:href="([^"]+\.png)"', inline, svg)


# -- labels: Graphviz's HTML-like text ------------------------------------------------------------------------


def _font(text: str, size: int | None = None, colour: str | None = None) -> str:
    """``text`` escaped, in a ``<font>`` with ``size`` and ``colour``; empty text stays empty (Graphviz 2.43
    refuses an empty ``<font></font>``)."""
    if not text:
        return ""
    attributes = (f' point-size="{size}"' if size else "") + (f' color="{colour}"' if colour else "")
    return f"<font{attributes}>{escape(text)}</font>" if attributes else escape(text)


def _lines(lines: list[str], size: int = 12) -> str:
    return "<br/>".join(_font(line, size) or "&#160;" for line in lines)


def _statement_lines(exercise: Exercise, languages: Sequence[str]) -> list[str]:
    lines = []
    for language in languages:
        text = exercise.statement_text(language)
        if text:
            for paragraph in text.splitlines():
                lines += textwrap.wrap(paragraph, WRAP) or [""]
            lines.append("")
    return lines


def _formula(exercise: Exercise, picture: Picture | None) -> str:
    """The typeset formula's image in a cell of its own size, or the formula as text."""
    if picture is None:
        return f'<tr><td align="left">{_font(f"f = {exercise.formula}", 14)}</td></tr>'
    return (f'<tr><td align="left" fixedsize="true" width="{picture.width:.1f}" height="{picture.height:.1f}">'
            f'<img src="{escape(str(picture.path.resolve()))}" scale="true"/></td></tr>')


def _grid(items: list[str], size: int = 13) -> str:
    """``name = value`` items in rows of ``PER_ROW`` cells: an item never wraps between its name and its value."""
    rows = []
    for start in range(0, len(items), PER_ROW):
        cells = "".join(f'<td align="left">{_font(item, size)}</td>' for item in items[start:start + PER_ROW])
        rows.append(f"<tr>{cells}</tr>")
    return f'<table border="0" cellspacing="0" cellpadding="4">{"".join(rows)}</table>' if rows else ""


def _title(variant: Variant, languages: Sequence[str], what: str | None = None) -> str:
    title = variant.titled(languages) if variant.number is not None else variant.exercise.title
    named = title if variant.number is None else f"{title} · {variant.exercise.id}"
    return f"{what} — {named}" if what else named


def _worksheet_label(variant: Variant, trace: Trace, languages: Sequence[str], picture: Picture | None,
                     graph: bool) -> str:
    exercise = variant.exercise
    asked = quantities(exercise, trace)
    blanks = [f"{q.label}\u00a0=\u00a0______" for q in asked if not q.key.startswith(("#", "df/d#", "d#"))]
    nodes = []
    if exercise.report_nodes or exercise.report_steps:
        steps = f" {say('every_step', languages)}" if exercise.report_steps else ""
        nodes = [f"{say('every_node', languages)}{steps}."]
    draw = [] if graph else [f"{say('draw', languages)}."]
    rows = [_lines(_statement_lines(exercise, languages)), None,
            _lines([exercise.inputs_text(), rounding(exercise.policy, languages)]), _grid(blanks), _lines(nodes + draw)]
    return _label_table(_title(variant, languages), rows, _formula(exercise, picture))


def _key_label(variant: Variant, trace: Trace, languages: Sequence[str], picture: Picture | None) -> str:
    from graphlab.render.tables import answers, node_rows  # lazy: a renderer loads for the formats asked for

    exercise = variant.exercise
    headers = "".join(f"<td><b>{escape(say(word, languages))}</b></td>"
                      for word in ("id", "node", "value", "local", "gradient"))
    rows = "".join(
        f'<tr><td align="right">{_font(r["id"])}</td><td align="left">{_font(r["node"])}</td>'
        f'<td align="right">{_font(r["value"])}</td><td align="left">{_font(r["local"])}</td>'
        f'<td align="right">{_font(r["gradient"], colour="#b91c1c")}</td></tr>'
        for r in node_rows(trace))
    table = f'<table border="0" cellborder="1" cellspacing="0" cellpadding="3"><tr>{headers}</tr>{rows}</table>'
    results = [f"{name}\u00a0=\u00a0{value}" for name, value in answers(trace, exercise.wrt)]
    head = _lines([exercise.inputs_text(), rounding(exercise.policy, languages)])
    return _label_table(_title(variant, languages, say("key", languages)), [None, head, table, _grid(results, 14)],
                        _formula(exercise, picture))


def _label_table(title: str, rows: list[str | None], formula: str) -> str:
    """A Graphviz HTML label: the title, then each row in its own cell (None: the formula's row)."""
    cells = "".join(formula if row is None else f'<tr><td align="left" balign="left">{row}</td></tr>'
                    for row in rows if row is None or row)
    return (f'<<table border="0" cellspacing="4"><tr><td align="left">{_font(title, 18)}</td></tr>'
            f'{cells}</table>>')


# -- Markdown, CSV and LaTeX ------------------------------------------------------------------------------------


def _heading_md(variant: Variant, languages: Sequence[str], latex: str, what: str) -> str:
    exercise = variant.exercise
    texts = (exercise.statement_text(language) for language in languages)
    statement = "\n\n".join(text.replace("\n", "  \n").replace("  \n  \n", "\n\n") for text in texts if text)
    return (f"# {_title(variant, languages, what)}\n\n{statement}\n\n$$f = {latex}$$\n\n"
            f"{exercise.inputs_text()} · {rounding(exercise.policy, languages)}\n")


def _variants_csv(variants: list[Variant]) -> str:
    out = io.StringIO()
    names = list(variants[0].exercise.inputs) if variants else []
    writer = csv.writer(out)
    writer.writerow(["variant", *names])
    for v in variants:
        writer.writerow([v.number or "", *(format_number(v.exercise.inputs[n]).replace("−", "-") for n in names)])
    return out.getvalue()


def _slides(variants: list[Variant], latex: str, languages: Sequence[str]) -> str:
    from graphlab.render.tables import latex_escape  # lazy: a renderer loads for the formats asked for

    frames = "\n".join(
        f"\\begin{{frame}}{{{latex_escape(v.titled(languages))}}}\n\\centering\n"
        f"$\\displaystyle f = {latex}$\\\\[0.3em]\n{{\\small ${v.exercise.inputs_text().replace('−', '-')}$}}\\\\[0.5em]\n"
        f"\\input{{{v.folder}/graph.tex}}\n\\end{{frame}}"
        for v in variants)
    return ("% One frame per variant; each frame steps blank graph -> values -> gradients.\n"
            "\\documentclass{beamer}\n\\usepackage[T2A]{fontenc}\n\\usepackage[utf8]{inputenc}\n"
            "\\usepackage[russian,english]{babel}\n\\usepackage{tikz}\n\\begin{document}\n"
            f"{frames}\n\\end{{document}}\n")
