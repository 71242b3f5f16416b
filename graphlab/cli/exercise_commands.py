"""Commands for lecturers and students: list, vary, hand out, grade, key and self-check exercises.

Exit statuses an autograder can rely on (``grade``, ``check``):

* 0 — graded, and every answer right (or the score reaches ``--fail-under``);
* 1 — graded, but answers are wrong, missing or unreadable (the score is below ``--fail-under``);
* 2 — nothing graded: bad input (the exercise, the command line, an answers file that cannot be read at all,
  or one that cannot be trusted, such as a missing variant where variants were handed out);
* 3 — a class folder: some files were flagged or could not be read; each has its row and reason.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from graphlab.cli import UserError, add_command
from graphlab.cli.completion_command import exercises_and_files
from graphlab.cli.options import positive_int

EXIT_CODES = """exit status: 0 every answer right (or the score reaches --fail-under); 1 answers wrong,
missing or unreadable; 2 nothing graded (bad input: see the message); 3 a folder with
flagged or unreadable files"""
WRONG, NOT_GRADED, FLAGGED = 1, 2, 3


def register(subparsers: argparse._SubParsersAction) -> None:
    from graphlab.exercise.language import CHOICES  # lazy: a command loads only what it runs

    parser = add_command(subparsers, "exercises", help="list the bundled exercises",
                         description="List the exercises that come with graphlab: the lecture's Вариант 2 first,\n"
                                     "then one-gate warm-ups and the cs231n examples, each with its formula.",
                         example="graphlab exercises")
    parser.set_defaults(handler=list_exercises)

    parser = add_command(subparsers, "variants", help="draw other inputs for an exercise: Вариант 1 … N",
                         description="Draw N variants of an exercise (other inputs from its ranges, away from\n"
                                     "undefined points and kinks); the same seed gives the same variants. Variants\n"
                                     "worth a second look (an answer that rounds to 0, a saturated unit, a repeat)\n"
                                     "are named on stderr. With --roster, every student of a class list exported\n"
                                     "from Moodle or Canvas gets a variant.",
                         example="graphlab variants variant-2 --seed 2026 --roster class.csv --out handed-out/ "
                                 "--moodle variant-2.xml")
    _exercise_argument(parser)
    parser.add_argument("--count", type=positive_int, help="how many variants (default 30, or one per student "
                                                           "of --roster)")
    parser.add_argument("--seed", default="0", help="the same seed gives the same variants (default 0)")
    parser.add_argument("--out", type=Path, metavar="DIR", help="also write each variant as an exercise file "
                                                                "(and the roster, with --roster)")
    parser.add_argument("--roster", type=Path, metavar="FILE.csv",
                        help="a class list exported from Moodle or Canvas: each student gets a variant, written "
                             "to DIR/roster.csv with a variant column")
    parser.add_argument("--moodle", type=Path, metavar="FILE.xml", help="also write the variants as Moodle quiz "
                                                                       "questions (Moodle XML)")
    parser.add_argument("--lang", choices=CHOICES, help="language of the question texts (default: the exercise's)")
    parser.set_defaults(handler=variants_command)

    parser = add_command(subparsers, "handout", help="worksheets and answer keys for every variant, into one folder",
                         description="Write a worksheet and an answer key per variant into one folder: PDF and SVG\n"
                                     "drawn by Graphviz with the formula typeset, Markdown, and TikZ fragments with\n"
                                     "Beamer overlays. The set is built beside the folder and moved in whole.",
                         example="graphlab handout variant-2 --count 30 --seed 2026 --out handouts/")
    _exercise_argument(parser)
    parser.add_argument("--count", type=positive_int, help="how many variants (default: the exercise as it is)")
    parser.add_argument("--seed", default="0", help="seed of the variants (default 0)")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR",
                        help="the folder of the set: built beside it and moved there whole")
    parser.add_argument("--format", default="pdf,svg,md,tex",
                        help="comma-separated: pdf, svg (Graphviz), md, tex (TikZ + Beamer); default all")
    parser.add_argument("--lang", choices=CHOICES, help="language of the headings (default: the exercise's)")
    parser.add_argument("--no-graph", action="store_true",
                        help="worksheets without the graph, for a task that says \"draw the graph\"")
    parser.set_defaults(handler=handout_command)

    parser = add_command(subparsers, "grade", help="grade one student's answers, or a folder of them",
                         description="Grade an answers file quantity by quantity, with credit carried forward from\n"
                                     "the student's own earlier numbers, or a folder of them (a row per file: graded,\n"
                                     "flagged with the reason, or unreadable) into scores, a gradebook for Moodle or\n"
                                     f"Canvas and feedback files.\n\n{EXIT_CODES}",
                         example="graphlab grade variant-2 submissions/ --seed 2026 --roster roster.csv "
                                 "--out scores.csv --gradebook moodle.csv --feedback feedback/")
    _exercise_argument(parser)
    parser.add_argument("answers", type=Path, help="answers.toml, .csv or .txt, or a folder of them "
                                                   "(one subfolder per student works too)")
    parser.add_argument("--show-expected", action="store_true", help="show the right value next to a wrong one")
    _variant_options(parser)
    parser.add_argument("--count", type=positive_int, metavar="N", help="variants 1 … N were handed out")
    parser.add_argument("--roster", type=Path, metavar="FILE.csv",
                        help="the roster `graphlab variants --roster` wrote: each file is graded against its "
                             "student's variant")
    parser.add_argument("--fail-under", type=_share, metavar="SCORE",
                        help="exit 1 when a score is below SCORE (0.8 or 80%%); default: any answer not right")
    parser.add_argument("--out", type=Path, metavar="FILE.csv", help="for a folder: write the scores here")
    parser.add_argument("--gradebook", type=Path, metavar="FILE.csv",
                        help="for a folder: the points to import into Moodle or Canvas (see --lms)")
    parser.add_argument("--lms", choices=("moodle", "canvas"), default="moodle", help="the gradebook's format")
    parser.add_argument("--item", help="the gradebook column's name (default: the exercise's title)")
    parser.add_argument("--points", type=_points, help="the gradebook item's maximum (default: the exercise's)")
    parser.add_argument("--columns", action="store_true", help="the gradebook gets a column per quantity too")
    parser.add_argument("--feedback", type=Path, metavar="DIR", help="for a folder: one Markdown file per student")
    parser.add_argument("--lang", choices=CHOICES, help="language of the feedback (default: the exercise's)")
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
                                     "right, wrong or missing for each quantity, without revealing the answers.\n\n"
                                     "exit status: 0 every answer right; 1 some wrong, missing or unreadable; "
                                     "2 bad input",
                         example="graphlab check variant-2 my-answers.toml --key key.toml")
    _exercise_argument(parser)
    parser.add_argument("answers", type=Path, help="your answers.toml, .csv or .txt")
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


def _share(text: str) -> float:
    """An argparse type: a score from 0 to 1, or a percentage (``0.8``, ``80%``)."""
    cleaned = text.strip().replace(",", ".")
    try:
        value = float(cleaned[:-1]) / 100 if cleaned.endswith("%") else float(cleaned)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a score like 0.8 or 80%") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text!r}: a score is from 0 to 1 (0% to 100%)")
    return value


def _points(text: str) -> float:
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a number of points, like 10") from None
    if not 0 < value <= 1e6:
        raise argparse.ArgumentTypeError(f"{text!r}: expected points above 0")
    return value


def list_exercises(args: argparse.Namespace) -> int:
    from graphlab.exercise import bundled  # lazy: a command loads only what it runs

    exercises = bundled()
    width = max(len(e.id) for e in exercises)
    for e in exercises:
        print(f"{e.id:<{width}}  {e.title}\n{'':<{width}}  f = {e.formula}")
    return 0


def variants_command(args: argparse.Namespace) -> int:
    from graphlab.atomic import write_atomic, write_files  # lazy: a command loads only what it runs
    from graphlab.exercise import load  # lazy: a command loads only what it runs
    from graphlab.exercise.file import dumps  # lazy: a command loads only what it runs
    from graphlab.exercise.language import languages_for  # lazy: a command loads only what it runs
    from graphlab.exercise.variants import draw  # lazy: a command loads only what it runs

    exercise = load(args.exercise)
    roster = None
    if args.roster is not None:
        from graphlab.exercise.roster import read_roster  # lazy: a command loads only what it runs

        if args.out is None:
            raise UserError("--roster: give --out DIR for the roster with its variant column (DIR/roster.csv)")
        roster = read_roster(args.roster).with_variants()
    count = args.count or (max(roster.variants) if roster else 30)
    if roster and max(roster.variants) > count:
        raise UserError(f"--count {count}: the roster gives variants up to {max(roster.variants)}")
    variants = draw(exercise, count, args.seed)
    for v in variants:
        trace = v.exercise.solve()
        print(f"{v.title}: {v.exercise.inputs_text()}  →  f = {trace.policy.format(trace.value)}")
    _warn_about(variants)
    files = {}
    if args.out:
        files = {f"{v.slug}.toml": dumps(v.exercise, id=v.slug, title=v.title).encode() for v in variants}
        if roster is not None:
            files["roster.csv"] = roster.to_csv().encode()
    moodle = None
    if args.moodle:
        from graphlab.exercise.moodle import to_moodle_xml  # lazy: a command loads only what it runs

        moodle = to_moodle_xml(variants, languages_for(args.lang, exercise.languages)).encode()
    if files:
        with _writing(args.out):
            write_files(args.out, files)
        extra = f" and {args.out / 'roster.csv'} ({len(roster.students)} students)" if roster else ""
        print(f"wrote {len(variants)} exercise files to {args.out}{extra}")
    if moodle is not None:
        with _writing(args.moodle):
            write_atomic(args.moodle, moodle)
        print(f"wrote {args.moodle}: {len(variants)} variants as Moodle numerical questions")
    return 0


def _warn_about(variants) -> None:
    """Tell the lecturer which variants are degenerate in ways the exercise does not avoid, one line per kind."""
    from graphlab.exercise.file import VARIANT_CHECKS  # lazy: a command loads only what it runs
    from graphlab.exercise.variants import SET_SIZE, concerns  # lazy: a command loads only what it runs

    found: dict[str, list[int]] = {}
    for v in variants:
        for check in dict.fromkeys(check for check, _ in concerns(v.exercise)):
            found.setdefault(check, []).append(v.number)
    seen: dict[tuple, int] = {}
    for v in variants:
        inputs = tuple(v.exercise.inputs.values())
        earlier = seen.setdefault(inputs, v.number)
        if earlier != v.number:
            same_set = (earlier - 1) // SET_SIZE == (v.number - 1) // SET_SIZE
            found.setdefault("duplicates" if same_set else "other sets", []).append(v.number)
    for check, numbers in found.items():
        shown = ", ".join(map(str, numbers[:10])) + (" …" if len(numbers) > 10 else "")
        if check == "other sets":
            print(f"warning: {len(numbers)} of {len(variants)} variants repeat the inputs of a variant of an earlier "
                  f"set of {SET_SIZE} (variants {shown}); give one class variants of one set", file=sys.stderr)
            continue
        what = "the inputs of an earlier variant repeat" if check == "duplicates" else VARIANT_CHECKS[check]
        print(f"warning: {len(numbers)} of {len(variants)} variants: {what} (variants {shown}); add "
              f"\"{check}\" to [variants] avoid in the exercise file to draw others", file=sys.stderr)


def handout_command(args: argparse.Namespace) -> int:
    from graphlab.exercise import load  # lazy: a command loads only what it runs
    from graphlab.exercise.handouts import FORMATS, write_set  # lazy: a command loads only what it runs
    from graphlab.exercise.language import languages_for  # lazy: a command loads only what it runs
    from graphlab.exercise.variants import Variant, draw  # lazy: a command loads only what it runs

    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise UserError(f"--format {args.format!r}: choose from {', '.join(FORMATS)}")
    exercise = load(args.exercise)
    variants = draw(exercise, args.count, args.seed) if args.count else [Variant(None, exercise)]
    with _writing(args.out):
        written = write_set(variants, args.out, formats, languages_for(args.lang, exercise.languages),
                            graph=not args.no_graph)
    print(f"wrote {len(written)} files for {len(variants)} variant(s) to {args.out}")
    return 0


def _setup(args: argparse.Namespace):
    from graphlab.exercise import load  # lazy: a command loads only what it runs
    from graphlab.exercise.classroom import Setup  # lazy: a command loads only what it runs

    roster = None
    if getattr(args, "roster", None) is not None:
        from graphlab.exercise.roster import read_roster  # lazy: a command loads only what it runs

        roster = read_roster(args.roster)
        if roster.variants and args.seed is None:
            raise UserError(f"--roster {args.roster} gives variants: give the seed they were drawn with (--seed S)")
    if args.variant is not None and args.seed is None:
        raise UserError(f"variant {args.variant}: give the seed the variants were drawn with (--seed S)")
    return Setup(load(args.exercise), args.seed, args.variant, getattr(args, "count", None), roster)


def grade_command(args: argparse.Namespace) -> int:
    if args.answers.is_dir():
        return _grade_folder(args)
    for option in ("out", "gradebook", "feedback"):
        if getattr(args, option) is not None:
            raise UserError(f"--{option} is for a folder of answers; {args.answers} is one file")
    from graphlab.exercise.classroom import grade_file  # lazy: a command loads only what it runs
    from graphlab.exercise.safe import terminal  # lazy: a command loads only what it runs

    row = grade_file(_setup(args), args.answers, args.answers.name)
    if row.grade is None:
        raise UserError("; ".join(terminal(x) for x in [row.error, *row.flags] if x))
    print(row.grade.to_text(args.show_expected), end="")
    for flag in row.flags:
        print(f"flagged: {terminal(flag)}")
    threshold = 1.0 if args.fail_under is None else args.fail_under
    return 0 if row.grade.passed(threshold) else WRONG


def _grade_folder(args: argparse.Namespace) -> int:
    from graphlab.atomic import write_atomic, write_files  # lazy: a command loads only what it runs
    from graphlab.exercise.classroom import grade_folder  # lazy: a command loads only what it runs
    from graphlab.exercise.gradebook import feedback_files, gradebook_csv, scores_csv  # lazy: as the command runs
    from graphlab.exercise.language import languages_for  # lazy: a command loads only what it runs

    setup = _setup(args)
    grades = grade_folder(setup, args.answers)
    if not any(r.file for r in grades.rows):
        raise UserError(f"{args.answers}: no files in this folder")
    scores = scores_csv(grades)
    outputs = []
    if args.out:
        outputs.append((args.out, lambda: write_atomic(args.out, scores)))
    else:
        sys.stdout.write(scores.decode("utf-8-sig"))
    if args.gradebook:
        item = args.item or setup.exercise.title
        book = gradebook_csv(grades, args.lms, item, args.points, args.columns)
        outputs.append((args.gradebook, lambda: write_atomic(args.gradebook, book)))
    if args.feedback:
        languages = languages_for(args.lang, setup.exercise.languages[:1])
        files = feedback_files(grades, languages, show_expected=True)
        outputs.append((args.feedback, lambda: write_files(args.feedback, files)))
    for where, write in outputs:
        with _writing(where):
            write()
    files = [r for r in grades.rows if r.file]
    graded, flagged, unreadable = grades.count("graded"), grades.count("flagged"), grades.count("unreadable")
    summary = f"graded {graded + sum(1 for r in files if r.status == 'flagged' and r.grade)} of {len(files)} files"
    if flagged or unreadable:
        summary += f"; {flagged} flagged, {unreadable} unreadable: see the status, flags and error columns"
    if grades.count("absent"):
        summary += f"; {grades.count('absent')} students of the roster handed nothing in"
    if args.gradebook and flagged:
        summary += f"; the flagged files are not in {args.gradebook}"
    print(summary + (f"; scores in {args.out}" if args.out else ""), file=sys.stderr)
    for warning in grades.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if flagged or unreadable:
        return FLAGGED
    if args.fail_under is not None and any(not r.grade.passed(args.fail_under) for r in grades.graded):
        return WRONG
    return 0


def key_command(args: argparse.Namespace) -> int:
    from graphlab.atomic import write_atomic  # lazy: a command loads only what it runs
    from graphlab.exercise.keys import make_key, to_toml  # lazy: a command loads only what it runs

    setup = _setup(args)
    exercise = setup.solution(args.variant).exercise
    if args.hashed:
        text = to_toml(make_key(exercise, args.variant))
    else:
        from graphlab.render.tables import to_markdown  # lazy: a command loads only what it runs

        text = to_markdown(exercise.solve(), exercise.wrt)
    if args.out:
        with _writing(args.out):
            write_atomic(args.out, text.encode())
        print(f"wrote {args.out}")
    else:
        sys.stdout.write(text)
    return 0


def check_command(args: argparse.Namespace) -> int:
    from graphlab.exercise import load  # lazy: a command loads only what it runs
    from graphlab.exercise.answers import read_answers  # lazy: a command loads only what it runs
    from graphlab.exercise.keys import read_key  # lazy: a command loads only what it runs
    from graphlab.exercise.safe import terminal  # lazy: a command loads only what it runs

    exercise = load(args.exercise)
    key = read_key(args.key)
    if key.exercise != exercise.id:
        raise UserError(f"{args.key} is the key of {terminal(key.exercise)!r}, not of {exercise.id!r}")
    answers = read_answers(args.answers)
    if answers.variant and key.variant and answers.variant != key.variant:
        raise UserError(f"{args.answers} answers variant {answers.variant}, but {args.key} is for variant {key.variant}")
    verdicts = key.check(answers)
    for quantity, verdict in verdicts.items():
        sign = {"right": "✓", "wrong": "✗", "missing": "–", "unreadable": "?"}[verdict]
        answer = answers.values.get(quantity)
        reason = f"; {terminal(answer.problem)}" if verdict == "unreadable" else ""
        print(f"  {sign} {quantity:<10} {verdict}{reason}")
    for problem in answers.problems:
        print(f"  ! {terminal(problem)}")
    right = sum(v == "right" for v in verdicts.values())
    print(f"{right}/{len(verdicts)} right")
    return 0 if right == len(verdicts) else WRONG
