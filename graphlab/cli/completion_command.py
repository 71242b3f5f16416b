"""``graphlab completion SHELL``: the script that makes a shell complete graphlab's commands and options."""

from __future__ import annotations

import argparse
import sys

from graphlab.cli import add_command

SHELLS = ("bash", "zsh", "fish", "tcsh", "powershell")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers, "completion", help="print the shell code that completes graphlab's commands",
        description="Print the code that makes your shell complete graphlab's subcommands, options,\n"
                    "exercise ids and files (by argcomplete). Load it in your shell's start-up file.",
        example='eval "$(graphlab completion bash)"      # add this line to ~/.bashrc')
    parser.add_argument("shell", choices=SHELLS, help="the shell to complete in")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import argcomplete

    sys.stdout.write(argcomplete.shellcode(["graphlab"], shell=args.shell))
    return 0


def exercise_ids(prefix: str, **_) -> list[str]:
    """Completions for an exercise argument: the bundled ids that start with ``prefix``."""
    from graphlab.exercise import bundled_dir  # lazy: loaded when the command runs

    return sorted(p.stem for p in bundled_dir().glob(f"{prefix}*.toml"))


def exercises_and_files(prefix: str, **kwargs) -> list[str]:
    """Completions for a source that may be an exercise id or a file: both."""
    from argcomplete.completers import FilesCompleter

    return exercise_ids(prefix) + list(FilesCompleter()(prefix, **kwargs))
