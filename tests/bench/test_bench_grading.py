"""The grading benchmark's class is what it says: 30 files in three formats, every one matched to its student."""

from __future__ import annotations

from bench import bench_grading
from graphlab.exercise import load
from graphlab.exercise.classroom import Setup, grade_folder
from graphlab.exercise.roster import read_roster


def test_the_class_is_30_files_graded_against_their_students_variants(tmp_path):
    roster = bench_grading.make_class(tmp_path)
    assert sorted({p.suffix for p in (tmp_path / "class").iterdir()}) == [".csv", ".toml", ".txt"]
    grades = grade_folder(Setup(load("variant-2"), bench_grading.SEED, roster=read_roster(roster)), tmp_path / "class")
    assert [r.status for r in grades.rows] == ["graded"] * 30
    assert sum(r.grade.points < 5 for r in grades.rows) == 6  # one wrong answer in every fifth file
    slips = [m for r in grades.rows for m in r.grade.marks if m.quantity.key == "#5"]
    assert len(slips) == 6 and all(m.status == "wrong" and not m.scored for m in slips)
