# PYTHON_ARGCOMPLETE_OK
"""The ``graphlab`` command: solve, explore, author and grade backprop exercises.

Each subcommand lives in a module of this package that exposes
``register(subparsers)`` and adds itself with ``add_command`` (a description
and one example for its ``--help``); its handler takes the parsed arguments and
returns an exit status. Every error a user can cause is turned into one
paragraph on stderr and exit status 2 — never a traceback. Shell completion
comes from argcomplete (``graphlab completion bash``).
"""

from __future__ import annotations

import argparse
import os
import sys
from importlib import import_module

COMMAND_MODULES = ("graphlab.cli.solve_command", "graphlab.cli.tui_command", "graphlab.cli.serve_command",
                   "graphlab.cli.exercise_commands", "graphlab.cli.completion_command")
FORMULA_COMMANDS = ("solve", "tui", "serve")
"""Subcommands whose source may be a formula, which may start with '-' (``-x*log(x)``)."""


class UserError(Exception):
    """A problem with what the user asked for; its message is shown as it is."""


def user_errors() -> tuple[type[BaseException], ...]:
    """The exceptions that mean bad input, not a bug: shown as a message, exit 2."""
    from graphlab.errors import InputError  # lazy: the error types load only when a command raised one
    from graphlab.render import RenderError  # lazy: the error types load only when a command raised one
    from graphlab.value import EvaluationError  # lazy: the error types load only when a command raised one

    return UserError, InputError, EvaluationError, RenderError


def add_command(subparsers: argparse._SubParsersAction, name: str, *, help: str, description: str,
                example: str) -> argparse.ArgumentParser:
    """A subcommand whose ``--help`` says what it does and shows one example, as the README writes it."""
    return subparsers.add_parser(name, help=help, description=description, epilog=f"example:\n  {example}",
                                 formatter_class=argparse.RawDescriptionHelpFormatter)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="graphlab",
        description="Trace a computational graph: forward values, gradients, rounding as the exercise says.")
    parser.add_argument("--version", action="version", version=f"graphlab {_version()}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        import_module(name).register(subparsers)
    parser.set_defaults(commands=subparsers.choices)
    return parser


def main(argv: list[str] | None = None) -> int:
    from graphlab.cli.encoding import make_streams_safe  # lazy: loaded when the command runs

    make_streams_safe()
    parser = build_parser()
    if "_ARGCOMPLETE" in os.environ:  # the shell asks for completions: answer and exit
        import argcomplete

        argcomplete.autocomplete(parser)
    args = parser.parse_args(_formula_may_lead(parser, sys.argv[1:] if argv is None else list(argv)))
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


def _formula_may_lead(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """For ``solve`` and ``tui``: a formula starting with '-' is the source, not an unknown option."""
    from graphlab.cli.options import formula_may_lead  # lazy: for solve and tui only

    command = next((i for i, word in enumerate(argv) if not word.startswith("-")), None)
    if command is None or argv[command] not in FORMULA_COMMANDS:
        return argv
    subparser = parser.get_default("commands")[argv[command]]
    return argv[:command + 1] + formula_may_lead(argv[command + 1:], subparser)


def _version() -> str:
    from graphlab import __version__  # lazy: read by --version only

    return __version__
