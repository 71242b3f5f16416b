"""``graphlab tui``: open the terminal explorer."""

from __future__ import annotations

import argparse

from graphlab.cli.options import (
    add_input_options,
    add_rounding_options,
    exercise_named,
    inputs_from_args,
    policy_from_args,
)
from graphlab.exercise import DEFAULT
from graphlab.rounding import EXACT


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "tui", help="explore a graph's forward and backward pass in the terminal",
        description="Open the explorer on the lecture's exercise, another exercise, a trace "
                    ".json file or a formula (with --at values).")
    parser.add_argument("source", nargs="?", help="exercise id or file, trace .json, or a formula")
    add_input_options(parser)
    add_rounding_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Open the source (a bad one is a message and exit 2), then the app, in a terminal only."""
    from graphlab.cli import UserError
    from graphlab.tui.problem import open_source

    overrides = args.exact or args.decimals is not None or args.convention or args.ties
    policy = None
    if overrides:  # on top of the exercise's own rule, as `graphlab solve` does
        exercise = exercise_named(args.source or DEFAULT)
        policy = policy_from_args(args, exercise.policy if exercise else EXACT)
    problem = open_source(args.source, inputs_from_args(args) or None, policy)
    if not interactive():
        raise UserError("the explorer runs in a terminal, and standard input or output is a pipe or a file; "
                        "for a table or JSON use `graphlab solve`")
    import graphlab.tui

    graphlab.tui.explore(problem)
    return 0


def interactive() -> bool:
    """Whether standard input and output are a terminal, as the explorer needs (else it writes escape codes)."""
    import sys

    return sys.stdin.isatty() and sys.stdout.isatty()
