"""The ``graphlab`` command: solve, explore, author and grade backprop exercises.

Each subcommand lives in a module of this package that exposes
``register(subparsers)``; its handler takes the parsed arguments and returns an
exit status. Every error a user can cause is turned into one paragraph on
stderr and exit status 2 — never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from importlib import import_module

COMMAND_MODULES = ("graphlab.cli.solve_command", "graphlab.cli.tui_command",
                   "graphlab.cli.exercise_commands")


class UserError(Exception):
    """A problem with what the user asked for; its message is shown as it is."""


def user_errors() -> tuple[type[BaseException], ...]:
    """The exceptions that mean bad input, not a bug: shown as a message, exit 2."""
    from graphlab.exercise import ExerciseError
    from graphlab.exercise.check import AnswerError
    from graphlab.formula import FormulaError
    from graphlab.render import RenderError
    from graphlab.value import EvaluationError

    return UserError, FormulaError, ExerciseError, AnswerError, EvaluationError, RenderError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="graphlab",
        description="Trace a computational graph: forward values, gradients, rounding as the exercise says.")
    parser.add_argument("--version", action="version", version=f"graphlab {_version()}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except user_errors() as err:
        print(f"graphlab {args.command}: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `graphlab exercises | head` closed the pipe: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _version() -> str:
    from graphlab import __version__

    return __version__
