"""Options several subcommands share: input values, the rounding policy, and what a source names."""

from __future__ import annotations

import argparse
import difflib
import re
from collections.abc import Mapping

from graphlab.rounding import CONVENTIONS, TIES, RoundingPolicy

_NUMBER_PIECE = re.compile(r"^\s*[0-9]+\s*$")


def add_input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--at", action="append", default=[], metavar="NAME=VALUE",
                        help="an input's value, e.g. --at x0=1 (repeat, or separate with commas)")


def inputs_from_args(args: argparse.Namespace) -> dict[str, float]:
    """``--at x0=1 --at x1=-1,y0=2`` → {"x0": 1.0, "x1": -1.0, "y0": 2.0}.

    Every value is checked (``1e-400`` is refused, not read as 0), a name given
    twice is an error (not the last one silently winning), and ``x=1,5`` is
    explained: the comma separates inputs, a decimal needs a point.
    """
    from graphlab.cli import UserError  # lazy: loaded when the command runs
    from graphlab.formula import canonical_name  # lazy: loaded when the command runs
    from graphlab.loading import parse_float  # lazy: loaded when the command runs

    values: dict[str, float] = {}
    given: dict[str, str] = {}
    for option in args.at:
        parts = option.split(",")
        for i, item in enumerate(parts):
            name, sep, text = item.partition("=")
            name = name.strip()
            if not sep and i > 0 and _NUMBER_PIECE.match(item) and "=" in parts[i - 1]:
                shown = f"{parts[i - 1]},{item}"
                decimal = f"{parts[i - 1].strip()}.{item.strip()}"
                raise UserError(f"--at {option!r}: the comma separates inputs (--at x=1,y=2), so {shown!r} "
                                f"gives {item.strip()!r} no name; for a decimal write a point: --at {decimal}")
            if not sep or not name:
                raise UserError(f"--at {item!r}: expected NAME=VALUE, like --at x0=1")
            try:
                value = parse_float(text)
            except ValueError as err:
                raise UserError(f"--at {item.strip()!r}: {err}") from None
            key = canonical_name(name)
            if key in values:
                raise UserError(f"--at: {key} is given twice ({given[key]!r} and {item.strip()!r}); give each input once")
            values[key], given[key] = value, item.strip()
    return values


def add_rounding_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("rounding (an exercise brings its own; these override it)")
    group.add_argument("--round", type=int, metavar="N", dest="decimals",
                       help="round every intermediate and final result to N decimals")
    group.add_argument("--exact", action="store_true", help="keep full precision")
    group.add_argument("--convention", choices=CONVENTIONS,
                       help="what is rounded: every_node (default), local_too, forward_only, final_only")
    group.add_argument("--ties", choices=TIES, help="ties away from zero (default) or to even")


def policy_from_args(args: argparse.Namespace, default: RoundingPolicy) -> RoundingPolicy:
    """The exercise's policy (``default``) with the command line's overrides applied."""
    from graphlab.cli import UserError  # lazy: loaded when the command runs

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
    """An argparse type: a number a float holds (neither infinite, NaN, nor so small it would become 0)."""
    from graphlab.loading import parse_float  # lazy: loaded when the command runs

    try:
        return parse_float(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def positive_int(text: str) -> int:
    """An argparse type: a count or a variant number, 1 or more."""
    try:
        value = int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a whole number from 1 up (variants are numbered 1, 2, …)")
    return value


def exercise_named(source: str | None):
    """The exercise ``source`` names — a ``.toml`` file or a bundled exercise's id — or ``None`` for a formula.

    Only a name ending in ``.toml`` is read as a file, so a formula is never
    mistaken for a file that happens to be called like it.
    """
    from graphlab.exercise import bundled_dir, load  # lazy: loaded when the command runs
    from graphlab.loading import is_file  # lazy: loaded when the command runs

    if source is None:
        return None
    if source.endswith(".toml"):
        return load(source)
    bundled = bundled_dir() / f"{source}.toml"
    if is_file(bundled):
        return load(bundled)
    return None


def formula_may_lead(argv: list[str], parser: argparse.ArgumentParser) -> list[str]:
    """``argv`` with a formula that starts with '-' (``-x*log(x)``) moved behind ``--``.

    argparse takes any word starting with '-' for an option; a word that is no
    option of ``parser`` (nor its abbreviation, nor a number) is the formula.
    """
    options = parser._option_string_actions  # the parser's own table of options (a private name)
    for i, word in enumerate(argv):
        if word == "--":
            return argv
        if not word.startswith("-") or word.startswith("--") or len(word) < 2 or word.split("=")[0] in options:
            continue
        previous = options.get(argv[i - 1]) if i else None
        if previous is not None and previous.nargs != 0:
            continue  # the value of the option before it, such as --gradient -1
        return argv[:i] + argv[i + 1:] + ["--", word]
    return argv


_ID_LIKE = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)*")


def refuse_mistyped_exercise(source: str | None, at: Mapping[str, float]) -> None:
    """A word close to a bundled exercise's id (``variant2``, ``varaint-2``), given without input
    values, was meant as that exercise: say which, rather than read it as a formula with no values."""
    from graphlab.cli import UserError  # lazy: loaded when the command runs
    from graphlab.exercise import bundled_dir  # lazy: loaded when the command runs

    if source is None or at or not _ID_LIKE.fullmatch(source):
        return
    ids = sorted(p.stem for p in bundled_dir().glob("*.toml"))
    near = difflib.get_close_matches(source, ids, n=3, cutoff=0.75)
    if source not in ids and near:
        raise UserError(f"{source!r} is not a bundled exercise; did you mean {' or '.join(near)}? "
                        "(`graphlab exercises` lists them; a formula needs its input values, --at NAME=VALUE)")

