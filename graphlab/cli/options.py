"""Options several subcommands share: input values and the rounding policy."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from graphlab.rounding import CONVENTIONS, RoundingPolicy


def add_input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--at", action="append", default=[], metavar="NAME=VALUE",
                        help="an input's value, e.g. --at x0=1 (repeat, or separate with commas)")


def inputs_from_args(args: argparse.Namespace) -> dict[str, float]:
    """``--at x0=1 --at x1=-1,y0=2`` → {"x0": 1.0, "x1": -1.0, "y0": 2.0}."""
    from graphlab.cli import UserError
    from graphlab.formula import canonical_name

    values: dict[str, float] = {}
    for item in (part for option in args.at for part in option.split(",")):
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UserError(f"--at {item!r}: expected NAME=VALUE, like --at x0=1")
        try:
            value = float(text.strip().replace("−", "-"))
        except ValueError:
            raise UserError(f"--at {item!r}: {text.strip()!r} is not a number") from None
        if not math.isfinite(value):
            raise UserError(f"--at {item!r}: the value must be a finite number")
        values[canonical_name(name)] = value
    return values


def add_rounding_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("rounding (an exercise brings its own; these override it)")
    group.add_argument("--round", type=int, metavar="N", dest="decimals",
                       help="round every intermediate and final result to N decimals")
    group.add_argument("--exact", action="store_true", help="keep full precision")
    group.add_argument("--convention", choices=CONVENTIONS,
                       help="what is rounded: every_node (default), local_too, forward_only, final_only")
    group.add_argument("--ties", choices=("away", "even"), help="ties away from zero (default) or to even")


def policy_from_args(args: argparse.Namespace, default: RoundingPolicy) -> RoundingPolicy:
    """The exercise's policy (``default``) with the command line's overrides applied."""
    from graphlab.cli import UserError

    if args.exact and args.decimals is not None:
        raise UserError("--exact and --round contradict each other; give one")
    decimals = None if args.exact else (args.decimals if args.decimals is not None else default.decimals)
    if decimals is None and (args.convention or args.ties):
        raise UserError("--convention and --ties say how to round; give --round N with them")
    try:
        return RoundingPolicy(decimals, args.convention or default.convention, args.ties or default.ties)
    except ValueError as err:
        raise UserError(str(err)) from None


def finite_float(text: str) -> float:
    """An argparse type: a number that is neither infinite nor NaN."""
    try:
        value = float(text.replace("−", "-"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def exercise_named(source: str | None):
    """The exercise ``source`` names (an id or a .toml file), or ``None`` when it is something else."""
    from graphlab.exercise import bundled_dir, load

    if source is None:
        return None
    if source.endswith(".toml") or _is_file(Path(source)) or _is_file(bundled_dir() / f"{source}.toml"):
        return load(source)
    return None


def _is_file(path: Path) -> bool:
    """``Path.is_file`` that answers False for text no file could be named (too long for a path)."""
    try:
        return path.is_file()
    except OSError:
        return False
