"""A class folder with every kind of file graded as a lecturer runs it: one expected row per file.

The folder (``classroom_files.make_class``) holds right answers in TOML, CSV
(semicolons and decimal commas, Windows-1251 with CRLF, UTF-8 with a BOM,
Excel's trailing separators) and text (UTF-16 from Excel, plain); a cell with
"?", a cell of 200,000 digits, a file without a variant, one with a variant
never handed out, one with another variant's answers, two with the same
wrong answers, an empty file, a nested TOML bomb, a name that is a
spreadsheet formula and an email full of escape sequences, a Word file, a
Moodle submission folder, and a student who is not on the roster.
"""

from __future__ import annotations

import csv
import io

import pytest

from graphlab.cli import main
from graphlab.exercise import load
from graphlab.exercise.classroom import Setup, grade_folder
from graphlab.exercise.roster import read_roster
from tests.exercise.classroom_files import COUNT, ESCAPE, EXERCISE, INJECTION, SEED, make_class, roster_csv

EXPECTED_WITH_ROSTER = {  # file: (status, points, flag or error fragment)
    "ivanova.toml": ("graded", 5, ""),
    "petrov.csv": ("graded", 5, ""),
    "smirnova-cp1251.csv": ("graded", 5, ""),
    "kuznetsov-bom.csv": ("graded", 5, ""),
    "popova-utf16.txt": ("graded", 5, ""),
    "sokolov.txt": ("graded", 5, ""),
    "lebedeva-excel.csv": ("graded", 5, ""),
    "kozlov-question-mark.toml": ("graded", 4, ""),
    "novikova-no-variant.toml": ("graded", 5, ""),
    "morozov-never-handed-out.toml": ("flagged", 5, "the file says Вариант 47, the roster gives Вариант 10"),
    "volkova-other-variant.toml": ("flagged", 0, "these answers are Вариант 17's (5/5 right there"),
    "alekseev.toml": ("flagged", 4, "identical answers, mistakes included, to zaitseva.toml"),
    "zaitseva.toml": ("flagged", 0, "the file says Вариант 12, the roster gives Вариант 13"),
    "Oleg Pavlov - empty.toml": ("flagged", 0, "no answers in the file"),
    "semenova-huge-cell.csv": ("graded", 4, ""),
    "deep.toml": ("unreadable", None, "tables and arrays nested 5000 deep; at most 16 levels are read"),
    "injection.csv": ("flagged", 5, "not on the roster"),
    "homework.docx": ("unreadable", None, "not an answers file (.docx)"),
    "Roman Golubev_4242_assignsubmission_file_/answers.toml": ("graded", 5, ""),
    "stranger.toml": ("flagged", 5, "not on the roster"),
}


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    root = tmp_path_factory.mktemp("classroom")
    make_class(root / "class")
    (root / "roster.csv").write_text(roster_csv(), encoding="utf-8")
    return root


def rows_of(data: bytes) -> dict[str, dict[str, str]]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads Cyrillic only with the byte-order mark
    return {row["file"]: row for row in csv.DictReader(io.StringIO(text[1:]))}


def test_every_file_gets_its_expected_row(classroom, capsys):
    status = main(["grade", EXERCISE, str(classroom / "class"), "--seed", SEED, "--count", str(COUNT),
                   "--roster", str(classroom / "roster.csv"), "--out", str(classroom / "scores.csv")])
    assert status == 3  # some files are flagged or unreadable: an autograder knows to look
    rows = rows_of((classroom / "scores.csv").read_bytes())
    assert set(rows) == set(EXPECTED_WITH_ROSTER)
    for name, (row_status, points, fragment) in EXPECTED_WITH_ROSTER.items():
        row = rows[name]
        assert row["status"] == row_status, (name, row)
        if points is not None:
            assert float(row["points"]) == points, (name, row)
        assert fragment in row["flags"] + row["error"], (name, row)
    assert rows["smirnova-cp1251.csv"]["student"] == "Вера Смирнова"
    assert "read as cp1251" in rows["smirnova-cp1251.csv"]["error"]
    assert rows["kozlov-question-mark.toml"]["unreadable"] == "df/dy1"
    assert rows["semenova-huge-cell.csv"]["unreadable"] == "df/dy0"
    assert rows["Roman Golubev_4242_assignsubmission_file_/answers.toml"]["id"] == "s016"
    assert "graded 18 of 20 files; 7 flagged, 2 unreadable" in capsys.readouterr().err


def test_injection_strings_are_neutralised(classroom, capsys):
    assert main(["grade", EXERCISE, str(classroom / "class"), "--seed", SEED, "--count", str(COUNT)]) == 3
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\\x1b[2J" in out  # shown escaped, never sent to the terminal
    row = rows_of(("\ufeff" + out).encode())["injection.csv"]
    assert row["student"] == "'" + INJECTION  # a spreadsheet shows it as text; it never runs
    assert not any(cell.startswith(("=", "+", "@")) for r in csv.reader(io.StringIO(out)) for cell in r)
    assert ESCAPE not in out


def test_without_a_roster_a_missing_or_unknown_variant_is_flagged_not_graded(classroom):
    setup = Setup(load(EXERCISE), SEED, count=COUNT)
    rows = {r.file: r for r in grade_folder(setup, classroom / "class").rows}
    assert rows["novikova-no-variant.toml"].grade is None
    assert "no variant" in rows["novikova-no-variant.toml"].flags[0]
    assert rows["morozov-never-handed-out.toml"].grade is None
    assert "Вариант 47 was never handed out (1–30)" in rows["morozov-never-handed-out.toml"].flags[0]
    assert rows["zaitseva.toml"].grade.points == 4  # graded as the variant the file names, as alekseev's
    assert any("identical answers" in f for f in rows["zaitseva.toml"].flags)


def test_a_wrong_seed_warns_about_the_seed(classroom, capsys):
    status = main(["grade", EXERCISE, str(classroom / "class"), "--seed", "1", "--count", str(COUNT),
                   "--out", str(classroom / "wrong-seed.csv")])
    assert status == 3
    err = capsys.readouterr().err
    assert "match other variants than their own: were the variants drawn with --seed 1?" in err


def test_without_a_seed_a_file_naming_a_variant_is_not_graded_against_the_base(classroom):
    rows = {r.file: r for r in grade_folder(Setup(load(EXERCISE)), classroom / "class").rows}
    assert rows["ivanova.toml"].grade is None
    assert "no --seed" in rows["ivanova.toml"].flags[0]
    assert rows["Roman Golubev_4242_assignsubmission_file_/answers.toml"].grade is not None  # names none


def test_gradebooks_parse_back(classroom):
    for lms in ("moodle", "canvas"):
        book = classroom / f"{lms}.csv"
        assert main(["grade", EXERCISE, str(classroom / "class"), "--seed", SEED, "--roster",
                     str(classroom / "roster.csv"), "--out", str(classroom / "s.csv"), "--gradebook", str(book),
                     "--lms", lms, "--points", "10", "--columns"]) == 3
        text = book.read_bytes().decode("utf-8")
        assert text.startswith("\ufeff") and "\r\n" in text
        rows = list(csv.DictReader(io.StringIO(text[1:])))
        title = load(EXERCISE).title
        if lms == "moodle":
            by_id = {r["ID number"]: r for r in rows}
            assert by_id["s001"]["Email address"] == "ivanova@uni.example"
            assert by_id["s001"][title] == "10" and by_id["s008"][title] == "8"  # 4 of 5 points, out of 10
            assert by_id["s008"][f"{title}: df/dy1"] == "0" and by_id["s008"][f"{title}: f"] == "2"
            assert "unreadable: df/dy1" in by_id["s008"]["Feedback"]
        else:
            assert rows[0]["Student"] == "Points Possible" and rows[0][title] == "10"
            by_id = {r["ID"]: r for r in rows[1:]}
            assert by_id["s001"]["SIS Login ID"] == "ivanova@uni.example" and by_id["s001"][title] == "10"
        assert {"s011", "s013", "s014"}.isdisjoint(by_id)  # flagged rows need a look first


def test_feedback_files_one_per_student_in_the_exercises_language(classroom):
    folder = classroom / "feedback"
    assert main(["grade", EXERCISE, str(classroom / "class"), "--seed", SEED, "--roster",
                 str(classroom / "roster.csv"), "--out", str(classroom / "s.csv"), "--feedback", str(folder)]) == 3
    names = sorted(p.name for p in folder.iterdir())
    assert "s001.md" in names and "s008.md" in names and all(".." not in n for n in names)
    text = (folder / "s008.md").read_text(encoding="utf-8")
    assert text.startswith("# Igor Kozlov: Вариант 2 · Вариант 8")
    assert "**Баллы: 4 / 5 (80 %)**" in text and "не прочитано" in text
    assert "\x1b" not in "".join(p.read_text(encoding="utf-8") for p in folder.iterdir())


def test_the_roster_gets_its_variants_and_reads_back(tmp_path, capsys):
    roster = tmp_path / "class.csv"
    roster.write_text("\ufeffFirst name;Last name;ID number;Email address\r\nАнна;Иванова;s1;a@x\r\n"
                      "Boris;Petrov;s2;b@x\r\n", encoding="utf-8")
    assert main(["variants", EXERCISE, "--seed", SEED, "--roster", str(roster), "--out", str(tmp_path / "out")]) == 0
    back = read_roster(tmp_path / "out" / "roster.csv")
    assert [(s.name, s.id, s.variant) for s in back.students] == [("Анна Иванова", "s1", 1), ("Boris Petrov", "s2", 2)]
    assert back.columns == ["First name", "Last name", "ID number", "Email address", "variant"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["roster.csv", "variant-2-v01.toml",
                                                                    "variant-2-v02.toml"]


def test_a_canvas_roster_is_read_by_its_columns(tmp_path):
    path = tmp_path / "canvas.csv"
    path.write_text("Student,ID,SIS User ID,SIS Login ID,Section,variant\n"
                    "    Points Possible,,,,,\n"
                    '"Ivanova, Anna",101,s001,ivanova@uni.example,A,3\n', encoding="utf-8")
    roster = read_roster(path)
    assert [(s.name, s.id, s.email, s.variant) for s in roster.students] == [
        ("Ivanova, Anna", "s001", "", 3)]
    assert roster.students[0].ids == ("s001", "ivanova@uni.example", "101")


@pytest.mark.parametrize("text, fragment", [
    ("name,group\nAnna,1\n", "no column for the student's id or email"),
    ("ID number,variant\ns1,1\ns1,2\n", "'s1' is already the student of line 2"),
    ("ID number,variant\ns1,seven\n", "variant: expected the variant's number"),
    ("ID number\n", "holds no students"),
])
def test_a_bad_roster_is_one_message(tmp_path, capsys, text, fragment):
    (tmp_path / "r.csv").write_text(text)
    (tmp_path / "class").mkdir()
    status = main(["grade", EXERCISE, str(tmp_path / "class"), "--seed", "1", "--roster", str(tmp_path / "r.csv")])
    assert status == 2 and fragment in capsys.readouterr().err
