"""Commands for lecturers and students: list, vary, hand out, grade, key and self-check exercises."""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from graphlab.cli import UserError, add_command
from graphlab.cli.completion_command import exercises_and_files
from graphlab.cli.options import positive_int


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "exercises", help="list the bundled exercises",
                         description="List the exercises that come with graphlab: the lecture's Вариант 2 first,\n"
                                     "then one-gate warm-ups and the cs231n examples, each with its formula.",
                         example="graphlab exercises")
    parser.set_defaults(handler=list_exercises)

    parser = add_command(subparsers, "variants", help="draw other inputs for an exercise: Вариант 1 … N",
                         description="Draw N variants of an exercise (other inputs from its ranges, away from\n"
                                     "undefined points and kinks); the same seed gives the same variants.",
                         example="graphlab variants variant-2 --count 30 --seed 2026")
    _exercise_argument(parser)
    parser.add_argument("--count", type=positive_int, default=30, help="how many variants (default 30)")
    parser.add_argument("--seed", default="0", help="the same seed gives the same variants (default 0)")
    parser.add_argument("--out", type=Path, metavar="DIR", help="also write each variant as an exercise file")
    parser.set_defaults(handler=variants_command)

    parser = add_command(subparsers, "handout", help="worksheets and answer keys for every variant, into one folder",
                         description="Write a worksheet and an answer key per variant into one folder: PDF and SVG\n"
                                     "drawn by Graphviz, Markdown, and TikZ fragments with Beamer overlays.",
                         example="graphlab handout variant-2 --count 30 --seed 2026 --out handouts/")
    _exercise_argument(parser)
    parser.add_argument("--count", type=positive_int, help="how many variants (default: the exercise as it is)")
    parser.add_argument("--seed", default="0", help="seed of the variants (default 0)")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR")
    parser.add_argument("--format", default="pdf,svg,md,tex",
                        help="comma-separated: pdf, svg (Graphviz), md, tex (TikZ + Beamer); default all")
    parser.set_defaults(handler=handout_command)

    parser = add_command(subparsers, "grade", help="grade one student's answers, or a folder of them",
                         description="Grade an answers file quantity by quantity, or a folder of them into one CSV\n"
                                     "of scores; a file that says variant = N is graded against that variant.",
                         example="graphlab grade variant-2 submissions/ --seed 2026 --out scores.csv")
    _exercise_argument(parser)
    parser.add_argument("answers", type=Path, help="answers.toml, answers.csv, or a folder of them")
    parser.add_argument("--show-expected", action="store_true", help="show the right value next to a wrong one")
    _variant_options(parser)
    parser.add_argument("--out", type=Path, metavar="FILE.csv", help="for a folder: write the scores here")
    parser.set_defaults(handler=grade_command)

    parser = add_command(subparsers, "key", help="the answer key, in full or as hashes for self-check",
                         description="Print or write the answer key: in full as Markdown, or with --hashed as salted\n"
                                     "hashes that let students check an answer without reading it off the key.",
                         example="graphlab key variant-2 --hashed --out key.toml")
    _exercise_argument(parser)
    parser.add_argument("--hashed", action="store_true", help="hashes only: students can check, not read")
    _variant_options(parser)
    parser.add_argument("--out", type=Path, metavar="FILE", help="write the key here instead of printing it")
    parser.set_defaults(handler=key_command)

    parser = add_command(subparsers, "check", help="check your answers against a hashed key",
                         description="Check your answers file against a hashed key from `graphlab key --hashed`:\n"
                                     "right, wrong or missing for each quantity, without revealing the answers.",
                         example="graphlab check variant-2 my-answers.toml --key key.toml")
    _exercise_argument(parser)
    parser.add_argument("answers", type=Path, help="your answers.toml or answers.csv")
    parser.add_argument("--key", type=Path, required=True, help="the hashed key from `graphlab key --hashed`")
    parser.set_defaults(handler=check_command)


@contextmanager
def _writing(where: Path) -> Iterator[None]:
    """Turn a file-system failure while writing under ``where`` into one clear message."""
    try:
        yield
    except OSError as err:
        raise UserError(f"{err.filename or where}: cannot write there ({err.strerror})") from None


def _exercise_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("exercise", help="a bundled exercise's id (see `graphlab exercises`) or a .toml file"
                        ).completer = exercises_and_files


def _variant_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--variant", type=positive_int, metavar="N", help="the variant (of --seed) the answers are for")
    parser.add_argument("--seed", help="the seed the variants were drawn with")


def list_exercises(args: argparse.Namespace) -> int:
    from graphlab.exercise import bundled  # lazy: loaded when the command runs

    exercises = bundled()
    width = max(len(e.id) for e in exercises)
    for e in exercises:
        print(f"{e.id:<{width}}  {e.title}\n{'':<{width}}  f = {e.formula}")
    return 0


def variants_command(args: argparse.Namespace) -> int:
    from graphlab.atomic import write_atomic  # lazy: loaded when the command runs
    from graphlab.exercise import load  # lazy: loaded when the command runs
    from graphlab.exercise.file import dumps  # lazy: loaded when the command runs
    from graphlab.exercise.variants import draw  # lazy: loaded when the command runs

    exercise = load(args.exercise)
    variants = draw(exercise, args.count, args.seed)
    for v in variants:
        trace = v.exercise.solve()
        print(f"{v.title}: {v.exercise.inputs_text()}  →  f = {trace.policy.format(trace.value)}")
    if args.out:
        with _writing(args.out):
            for v in variants:
                write_atomic(args.out / f"{v.slug}.toml", dumps(v.exercise, id=v.slug, title=v.title).encode())
        print(f"wrote {len(variants)} exercise files to {args.out}")
    return 0


def handout_command(args: argparse.Namespace) -> int:
    from graphlab.exercise import load  # lazy: loaded when the command runs
    from graphlab.exercise.handouts import FORMATS, write_set  # lazy: loaded when the command runs
    from graphlab.exercise.variants import Variant, draw  # lazy: loaded when the command runs

    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise UserError(f"--format {args.format!r}: choose from {', '.join(FORMATS)}")
    exercise = load(args.exercise)
    variants = draw(exercise, args.count, args.seed) if args.count else [Variant(None, exercise)]
    with _writing(args.out):
        written = write_set(variants, args.out, formats)
    print(f"wrote {len(written)} files for {len(variants)} variant(s) to {args.out}")
    return 0


def _exercise_for(args: argparse.Namespace, variant: int | None):
    from graphlab.exercise import load  # lazy: loaded when the command runs
    from graphlab.exercise.variants import variant as nth  # lazy: loaded when the command runs

    exercise = load(args.exercise)
    if variant is None:
        return exercise
    if args.seed is None:
        raise UserError(f"variant {variant}: give the seed the variants were drawn with (--seed S)")
    return nth(exercise, variant, args.seed).exercise


def grade_command(args: argparse.Namespace) -> int:
    from graphlab.exercise.answers import read_answers  # lazy: loaded when the command runs
    from graphlab.exercise.grading import grade  # lazy: loaded when the command runs

    if args.answers.is_dir():
        return _grade_folder(args)
    answers = read_answers(args.answers)
    number = args.variant if args.variant is not None else answers.variant
    result = grade(_exercise_for(args, number), answers, number)
    print(result.to_text(args.show_expected), end="")
    return 0


def _grade_folder(args: argparse.Namespace) -> int:
    from graphlab.atomic import write_atomic  # lazy: loaded when the command runs
    from graphlab.exercise.answers import SUFFIXES, read_answers  # lazy: loaded when the command runs
    from graphlab.exercise.grading import grade  # lazy: loaded when the command runs

    files = sorted(p for p in args.answers.iterdir() if p.suffix.lower() in SUFFIXES)
    if not files:
        raise UserError(f"{args.answers}: no answers files ({' or '.join(SUFFIXES)}) in this folder")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["file", "student", "variant", "right", "asked", "score", "wrong", "missing", "hint", "error"])
    failed = 0
    for path in files:
        try:
            answers = read_answers(path)
            number = args.variant if args.variant is not None else answers.variant
            result = grade(_exercise_for(args, number), answers, number)
        except (UserError, ValueError, ArithmeticError) as err:  # one bad file must not lose the class
            failed += 1
            writer.writerow([path.name, path.stem, "", "", "", "", "", "", "", str(err)])
            continue
        wrong = " ".join(m.quantity.key for m in result.marks if m.scored and m.status == "wrong")
        missing = " ".join(m.quantity.key for m in result.marks if m.status == "missing")
        writer.writerow([path.name, result.student, result.variant or "", result.right, result.asked,
                         f"{result.score:.2f}", wrong, missing, result.hint or "", ""])
    if args.out:
        with _writing(args.out):
            write_atomic(args.out, out.getvalue().encode())
        print(f"graded {len(files) - failed} of {len(files)} files; scores in {args.out}")
    else:
        sys.stdout.write(out.getvalue())
    if failed:
        print(f"{failed} file(s) could not be graded; see the error column", file=sys.stderr)
    return 1 if failed else 0


def key_command(args: argparse.Namespace) -> int:
    from graphlab.atomic import write_atomic  # lazy: loaded when the command runs
    from graphlab.exercise.keys import make_key, to_toml  # lazy: loaded when the command runs

    exercise = _exercise_for(args, args.variant)
    if args.hashed:
        text = to_toml(make_key(exercise, args.variant))
    else:
        from graphlab.render.tables import to_markdown  # lazy: loaded when the command runs

        text = to_markdown(exercise.solve(), exercise.wrt)
    if args.out:
        with _writing(args.out):
            write_atomic(args.out, text.encode())
        print(f"wrote {args.out}")
    else:
        sys.stdout.write(text)
    return 0


def check_command(args: argparse.Namespace) -> int:
    from graphlab.exercise import load  # lazy: loaded when the command runs
    from graphlab.exercise.answers import read_answers  # lazy: loaded when the command runs
    from graphlab.exercise.keys import read_key  # lazy: loaded when the command runs

    exercise = load(args.exercise)
    key = read_key(args.key)
    if key.exercise != exercise.id:
        raise UserError(f"{args.key} is the key of {key.exercise!r}, not of {exercise.id!r}")
    answers = read_answers(args.answers)
    if answers.variant and key.variant and answers.variant != key.variant:
        raise UserError(f"{args.answers} answers variant {answers.variant}, but {args.key} is for variant {key.variant}")
    verdicts = key.check(answers)
    for quantity, verdict in verdicts.items():
        sign = {"right": "✓", "wrong": "✗", "missing": "–"}[verdict]
        print(f"  {sign} {quantity:<10} {verdict}")
    right = sum(v == "right" for v in verdicts.values())
    print(f"{right}/{len(verdicts)} right")
    return 0
