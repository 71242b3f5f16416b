"""``graphlab tui``: open the terminal explorer."""

from __future__ import annotations

import argparse
from pathlib import Path

from graphlab.cli import add_command
from graphlab.cli.completion_command import exercises_and_files
from graphlab.cli.options import (
    add_input_options,
    add_rounding_options,
    exercise_named,
    inputs_from_args,
    policy_from_args,
    refuse_mistyped_exercise,
)
from graphlab.exercise import DEFAULT
from graphlab.rounding import EXACT


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers, "tui", help="explore a graph's forward and backward pass in the terminal",
        description="Open the explorer on the lecture's exercise, another exercise, a trace .json file\n"
                    "(a tensor trace too) or a formula (with --at values).",
        example='graphlab tui "a*b + a" --at a=2,b=5')
    parser.add_argument("source", nargs="?",
                        help="exercise id or file, trace .json, or a formula").completer = exercises_and_files
    add_input_options(parser)
    add_rounding_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Open the source (a bad one is a message and exit 2), then the app, in a terminal only."""
    from graphlab.cli import UserError  # lazy: loaded when the command runs
    from graphlab.tui.problem import open_source  # lazy: Textual loads only when the explorer opens

    at = inputs_from_args(args)
    tensor = tensor_trace_of(args, at)
    if tensor is None:
        refuse_mistyped_exercise(args.source, at)
        overrides = args.exact or args.decimals is not None or args.convention or args.ties
        policy = None
        if overrides:  # on top of the exercise's own rule, as `graphlab solve` does
            exercise = exercise_named(args.source or DEFAULT)
            policy = policy_from_args(args, exercise.policy if exercise else EXACT)
        problem = open_source(args.source, at or None, policy)
    if not interactive():
        raise UserError("the explorer runs in a terminal, and standard input or output is a pipe or a file; "
                        "for a table or JSON use `graphlab solve`")
    import graphlab.tui  # lazy: Textual loads only when the explorer opens

    if tensor is not None:
        graphlab.tui.explore_tensor(tensor, Path(args.source).name)
    else:
        graphlab.tui.explore(problem)
    return 0


def tensor_trace_of(args: argparse.Namespace, at: dict[str, float]):
    """The tensor trace ``args.source`` names, checked whole, or None when the source is something else.

    A tensor trace records a network's graph as it ran: it has no inputs or rounding to change.
    """
    from graphlab.cli import UserError  # lazy: loaded when the command runs
    from graphlab.tensor.trace_file import is_tensor_trace_file, read_tensor_trace  # lazy: loaded when the command runs

    if args.source is None or not args.source.endswith(".json") or not is_tensor_trace_file(args.source):
        return None
    if at or args.exact or args.decimals is not None or args.convention or args.ties:
        raise UserError(f"{args.source} is a tensor trace: it records a network's graph as it ran, with no "
                        "inputs or rounding to change; drop --at, --round, --exact, --convention and --ties")
    return read_tensor_trace(args.source)


def interactive() -> bool:
    """Whether standard input and output are a terminal, as the explorer needs (else it writes escape codes),
    or a browser drives the explorer (``graphlab serve`` runs it with Textual's web driver over pipes)."""
    import os
    import sys

    served = os.environ.get("TEXTUAL_DRIVER", "").endswith(":WebDriver")
    return served or (sys.stdin.isatty() and sys.stdout.isatty())
