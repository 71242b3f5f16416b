"""What grading a class costs: `graphlab grade` on a folder of 30 submissions, as a lecturer runs it.

    .venv/bin/python bench/bench_grading.py

Builds a class of 30 files for the lecture's exercise (variants of seed 2026,
a Moodle roster; right answers, slips carried forward, wrong ones, CSV with
decimal commas, TOML, plain text), then times the whole command —
``graphlab grade variant-2 class/ --seed 2026 --roster roster.csv --out
scores.csv --gradebook gradebook.csv --feedback feedback/`` in a fresh
interpreter, start-up included — next to the interpreter starting and
importing graphlab alone, and the grading itself in-process.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graphlab.exercise import load  # noqa: E402
from graphlab.exercise.classroom import Setup, grade_folder  # noqa: E402
from graphlab.exercise.roster import read_roster  # noqa: E402
from graphlab.exercise.variants import draw  # noqa: E402

STUDENTS = 30
SEED = "2026"


def make_class(folder: Path) -> Path:
    """30 submissions and the roster that gives each its variant; the roster's path."""
    (folder / "class").mkdir(parents=True)
    rows = ["First name,Last name,ID number,Email address,variant"]
    for v in draw(load("variant-2"), STUDENTS, SEED):
        n = v.number
        rows.append(f"Student,Number{n},s{n:03d},s{n:03d}@uni.example,{n}")
        trace = v.exercise.solve()
        fmt = trace.policy.format
        answers = {"f": fmt(trace.value), **{f"df/d{k}": fmt(g) for k, g in trace.grads().items()}}
        if n % 5 == 1:
            answers["df/dx1"] = "123"  # a wrong one
        if n % 5 == 2:
            answers["#5"] = fmt(-trace.nodes[5].value)  # a slip, the rest as the key says
        if n % 3 == 0:
            text = "quantity;answer\r\n" + "".join(f"{k};{v.replace('.', ',')}\r\n" for k, v in answers.items())
            (folder / "class" / f"s{n:03d}.csv").write_text(text, encoding="utf-8")
        elif n % 3 == 1:
            text = f'id = "s{n:03d}"\n' + "".join(f'"{k}" = "{v}"\n' for k, v in answers.items())
            (folder / "class" / f"s{n:03d}.toml").write_text(text, encoding="utf-8")
        else:
            text = f"id: s{n:03d}\n" + "".join(f"{k} = {v}\n" for k, v in answers.items())
            (folder / "class" / f"s{n:03d}.txt").write_text(text, encoding="utf-8")
    roster = folder / "roster.csv"
    roster.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return roster


def seconds(command: list[str], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, check=False, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        roster = make_class(folder)
        command = [sys.executable, "-m", "graphlab", "grade", "variant-2", str(folder / "class"), "--seed", SEED,
                   "--roster", str(roster), "--out", str(folder / "scores.csv"), "--gradebook",
                   str(folder / "gradebook.csv"), "--feedback", str(folder / "feedback")]
        run = subprocess.run(command, check=False, capture_output=True, text=True)
        print(run.stderr.strip())
        whole = seconds(command, 5)
        start_up = seconds([sys.executable, "-c", "import graphlab.cli"], 5)
        start = time.perf_counter()
        grades = grade_folder(Setup(load("variant-2"), SEED, roster=read_roster(roster)), folder / "class")
        inside = time.perf_counter() - start
    print(f"graphlab grade on {STUDENTS} files: {whole:.2f} s in all (median of 5), of which starting Python "
          f"and importing graphlab {start_up:.2f} s; grading in-process {inside:.2f} s "
          f"({1000 * inside / len(grades.rows):.0f} ms a file)")


if __name__ == "__main__":
    main()
