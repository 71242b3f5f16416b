"""A class of submissions made for the tests: every kind of file a lecturer finds in a downloaded folder.

``make_class(folder)`` writes them for the lecture's exercise with variants of
``SEED``; the numbers are the variants' own, so the files stay right when the
drawing rules change. ``ROSTER`` is the class list as Moodle exports it, with
the variant column `graphlab variants --roster` adds.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from graphlab.exercise import load
from graphlab.exercise.variants import variant

EXERCISE = "variant-2"
SEED = "2026"
COUNT = 30
QUANTITIES = ("f", "df/dx0", "df/dx1", "df/dy0", "df/dy1")

ROSTER = [  # (first name, last name, ID number, email, variant)
    ("Анна", "Иванова", "s001", "ivanova@uni.example", 1),
    ("Boris", "Petrov", "s002", "petrov@uni.example", 2),
    ("Вера", "Смирнова", "s003", "smirnova@uni.example", 3),
    ("Dmitri", "Kuznetsov", "s004", "kuznetsov@uni.example", 4),
    ("Елена", "Попова", "s005", "popova@uni.example", 5),
    ("Fyodor", "Sokolov", "s006", "sokolov@uni.example", 6),
    ("Галина", "Лебедева", "s007", "lebedeva@uni.example", 7),
    ("Igor", "Kozlov", "s008", "kozlov@uni.example", 8),
    ("Ирина", "Новикова", "s009", "novikova@uni.example", 9),
    ("Kirill", "Morozov", "s010", "morozov@uni.example", 10),
    ("Лидия", "Волкова", "s011", "volkova@uni.example", 11),
    ("Maxim", "Alekseev", "s012", "alekseev@uni.example", 12),
    ("Нина", "Зайцева", "s013", "zaitseva@uni.example", 13),
    ("Oleg", "Pavlov", "s014", "pavlov@uni.example", 14),
    ("Polina", "Semenova", "s015", "semenova@uni.example", 15),
    ("Roman", "Golubev", "s016", "golubev@uni.example", 16),
]
INJECTION = '=HYPERLINK("http://evil.example","click")'
ESCAPE = "\x1b[2J\x1b]0;pwned\x07Mallory"


def answers_of(number: int) -> dict[str, str]:
    """Variant ``number``'s right answers, as the key prints them."""
    trace = variant(load(EXERCISE), number, SEED).exercise.solve()
    fmt = trace.policy.format
    return {"f": fmt(trace.value), **{f"df/d{n}": fmt(g) for n, g in trace.grads().items()}}


def toml(number: int | None, values: dict[str, str], **fields: str) -> str:
    lines = [f'{key} = "{value}"' for key, value in fields.items()]
    lines += [f"variant = {number}"] if number is not None else []
    lines += [f'f = "{values["f"]}"', "[grad]"] + [f'{k[4:]} = "{v}"' for k, v in values.items() if k != "f"]
    return "\n".join(lines) + "\n"


def csv_text(values: dict[str, str], separator: str = ";", **fields: str) -> str:
    rows = ["quantity;answer".replace(";", separator)] + [f"{k}{separator}{v}" for k, v in fields.items()]
    rows += [f"{k}{separator}{v.replace('.', ',') if separator == ';' else v}" for k, v in values.items()]
    return "\r\n".join(rows) + "\r\n"


def roster_csv() -> str:
    """The class list as Moodle's participants export writes it, with a variant column."""
    rows = ["First name,Last name,ID number,Email address,variant"]
    rows += [",".join(map(str, row)) for row in ROSTER]
    return "\ufeff" + "\r\n".join(rows) + "\r\n"


def make_class(folder: Path) -> None:
    """Write the class folder: one file per kind of submission (see the test for what each row says)."""
    folder.mkdir(parents=True, exist_ok=True)
    write = lambda name, text: (folder / name).write_text(text, encoding="utf-8")  # noqa: E731

    write("ivanova.toml", toml(1, answers_of(1), student="Иванова Анна"))
    write("petrov.csv", csv_text(answers_of(2), student="Boris Petrov", variant="2"))
    (folder / "smirnova-cp1251.csv").write_bytes(csv_text(answers_of(3), student="Смирнова Вера",
                                                          variant="3").encode("cp1251"))
    (folder / "kuznetsov-bom.csv").write_bytes(codecs.BOM_UTF8 + csv_text(answers_of(4), ",", id="s004",
                                                                          variant="4").encode())
    (folder / "popova-utf16.txt").write_bytes(("email: popova@uni.example\nvariant: 5\n" + "\n".join(
        f"{k}: {v}" for k, v in answers_of(5).items()) + "\n").encode("utf-16"))
    write("sokolov.txt", "student = Fyodor Sokolov\nvariant = 6\n" + "\n".join(
        f"{k} = {v}" for k, v in answers_of(6).items()) + "\n")
    excel = answers_of(7)
    write("lebedeva-excel.csv", "student;Галина Лебедева;;\r\nvariant;7;;\r\n" + "".join(
        f"{k};{v.replace('.', ',')};;\r\n" for k, v in excel.items()))
    question = dict(answers_of(8), **{"df/dy1": "?"})
    write("kozlov-question-mark.toml", toml(8, question, student="Igor Kozlov").replace('y1 = "?"', "y1 = ?"))
    write("novikova-no-variant.toml", toml(None, answers_of(9), student="Ирина Новикова"))
    write("morozov-never-handed-out.toml", toml(47, answers_of(10), student="Kirill Morozov"))
    write("volkova-other-variant.toml", toml(11, answers_of(17), student="Лидия Волкова"))
    copied = dict(answers_of(12), **{"df/dx0": "1.23"})
    write("alekseev.toml", toml(12, copied, student="Maxim Alekseev"))
    write("zaitseva.toml", toml(13, dict(copied), student="Нина Зайцева").replace("variant = 13", "variant = 12"))
    write("Oleg Pavlov - empty.toml", "")
    write("semenova-huge-cell.csv", csv_text(answers_of(15), student="Polina Semenova", variant="15").replace(
        "df/dy0;", "df/dy0;" + "9" * 200_000 + "#", 1))
    write("deep.toml", "f = " + "[" * 5000 + "]" * 5000 + "\n")
    write("injection.csv", csv_text(answers_of(16), student=INJECTION, variant="16").replace(
        "quantity;answer", f"quantity;answer\r\nemail;{ESCAPE}@x"))
    (folder / "homework.docx").write_bytes(b"PK\x03\x04 not answers")
    moodle = folder / "Roman Golubev_4242_assignsubmission_file_"
    moodle.mkdir()
    (moodle / "answers.toml").write_text(toml(None, answers_of(16)), encoding="utf-8")
    write("stranger.toml", toml(3, answers_of(3), student="Nobody Known"))
