"""``graphlab solve``: a formula or an exercise → node table, JSON, or diagram."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graphlab.cli import add_command
from graphlab.cli.completion_command import exercises_and_files
from graphlab.cli.options import (
    add_input_options,
    add_rounding_options,
    exercise_named,
    finite_float,
    inputs_from_args,
    policy_from_args,
    refuse_mistyped_exercise,
)
from graphlab.rounding import EXACT

FORMATS = ("table", "json", "markdown", "latex")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers, "solve", help="forward and backward pass of a formula, an exercise or a saved trace",
        description="Solve a formula at the given inputs, or an exercise with its own inputs and rounding\n"
                    "rule, and print every node's value and gradient. A trace .json (from --format json\n"
                    "or the explorer's save) is shown again as it was recorded.",
        example='graphlab solve "x0 / exp(-(x0*y0 + x1*y1))" --at x0=1 --at x1=-1 --at y0=1 --at y1=-2 --round 2')
    parser.add_argument("source", help="a formula (Python-style or LaTeX), an exercise id or .toml file, "
                                       "or a trace .json").completer = exercises_and_files
    add_input_options(parser)
    add_rounding_options(parser)
    parser.add_argument("--syntax", choices=("auto", "python", "latex"), default="auto",
                        help="how to read the formula (default: tell by itself)")
    parser.add_argument("--gradient", type=finite_float, help="the initial gradient (default 1, or the exercise's)")
    parser.add_argument("--wrt", help="inputs whose gradients to report, comma-separated (default: all)")
    parser.add_argument("--format", choices=FORMATS, default="table", help="what to print (default: table)")
    parser.add_argument("--render", type=Path, metavar="FILE",
                        help="also write the diagram or the trace to FILE; its suffix picks the format: "
                             ".svg, .png, .pdf, .dot (Graphviz), .tex (TikZ), .json, .md or .txt")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from graphlab.cli import UserError  # lazy: loaded when the command runs

    if args.render is not None:
        from graphlab.render import format_for  # lazy: loaded when the command runs

        render_format = format_for(args.render)  # before any work: a wrong suffix must not cost the table
    if args.source.lower().endswith(".json"):
        trace, exercise, wrt = _saved_trace(args), None, _wrt(args)
    else:
        trace, exercise, wrt = _solved(args)
    try:
        output = _format(trace, args.format, wrt)
    except KeyError as err:
        raise UserError(f"--wrt: {err.args[0]}") from None
    sys.stdout.write(output)  # the table stands even if Graphviz then turns out to be missing
    if args.render is not None:
        from graphlab.render import write  # lazy: loaded when the command runs

        options = {"wrt": wrt} if render_format.accepts("wrt") else {}
        if exercise is not None and render_format.accepts("title"):
            options["title"] = exercise.heading
        path = write(trace, args.render, **options)
        print(f"wrote {path} ({render_format.description})", file=sys.stderr)
    return 0


def _solved(args: argparse.Namespace):
    """The trace of a formula or an exercise, the exercise (or None) and the inputs to report."""
    from graphlab.solve import solve  # lazy: loaded when the command runs

    exercise = exercise_named(args.source)
    at = inputs_from_args(args)
    if exercise is not None:
        policy = policy_from_args(args, exercise.policy)
        gradient = exercise.gradient if args.gradient is None else args.gradient
        formula, inputs = exercise.formula, {**exercise.inputs, **at}
        wrt = _wrt(args) or list(exercise.wrt)
    else:
        refuse_mistyped_exercise(args.source, at)
        policy = policy_from_args(args, EXACT)
        gradient = 1.0 if args.gradient is None else args.gradient
        formula, inputs, wrt = args.source, at, _wrt(args)
    return solve(formula, inputs, policy, args.syntax, gradient), exercise, wrt


def _saved_trace(args: argparse.Namespace):
    """A trace file as it was recorded; with new inputs, rounding or gradient, its formula solved again."""
    from dataclasses import replace

    from graphlab.cli import UserError  # lazy: loaded when the command runs
    from graphlab.tui.problem import SourceError, from_trace_file  # lazy: loaded when the command runs

    try:
        problem = from_trace_file(Path(args.source))
    except SourceError as err:
        raise UserError(str(err)) from None
    at = inputs_from_args(args)
    changed = at or args.exact or args.decimals is not None or args.convention or args.ties or args.gradient is not None
    if not changed:
        return problem.solve()
    if problem.formula is None:
        raise UserError(f"{args.source} records no formula, so it cannot be solved with other inputs or rounding; "
                        "drop --at, --round, --exact, --convention, --ties and --gradient to show it as recorded")
    problem = problem.with_inputs({**problem.inputs, **at}).with_policy(policy_from_args(args, problem.policy))
    if args.gradient is not None:
        problem = replace(problem, gradient=args.gradient)
    return problem.solve()


def _wrt(args: argparse.Namespace) -> list[str] | None:
    if not args.wrt:
        return None
    from graphlab.formula import canonical_name  # lazy: loaded when the command runs

    return [canonical_name(name.strip()) for name in args.wrt.split(",") if name.strip()]


def _format(trace, fmt: str, wrt: list[str] | None) -> str:
    if fmt == "json":
        return trace.to_json(wrt) + "\n"
    from graphlab.render import tables  # lazy: loaded when the command runs

    if fmt == "table":
        from graphlab.cli.encoding import needs_ascii  # lazy: loaded when the command runs

        text = tables.to_text_table(trace, wrt=wrt, ascii=needs_ascii(sys.stdout))
    else:
        text = {"markdown": tables.to_markdown, "latex": tables.to_latex}[fmt](trace, wrt=wrt)
    return text if text.endswith("\n") else text + "\n"
