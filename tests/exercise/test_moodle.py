"""The Moodle XML export read back as Moodle's importer reads it (qformat_xml).

``moodle_import`` follows ``question/format/xml/format.php``: a file whose
first line is the XML declaration, ``<quiz>`` holding ``<question>``s; a
``category`` question's ``<category><text>`` switches the category; a
``numerical`` one has ``<name><text>``, ``<questiontext format><text>``,
``<defaultgrade>``, and answers with a ``fraction`` attribute (percent),
``<text>`` and ``<tolerance>`` (import_headers, import_answer,
import_numerical). Every number read back is checked against the key.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

from graphlab.cli import main
from graphlab.exercise import load, loads
from graphlab.exercise.grading import Solution
from graphlab.exercise.variants import draw


def moodle_import(text: str) -> list[dict]:
    """The questions as qformat_xml::readquestions sees them: each with the category it falls into."""
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>')  # the declaration on the first line
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "quiz"
    category, questions = None, []
    for question in root.findall("question"):
        kind = question.get("type")
        if kind == "category":
            category = question.find("category/text").text.strip()
            continue
        assert kind == "numerical"
        answers = [{"fraction": float(a.get("fraction", 0)) / 100, "text": a.find("text").text.strip(),
                    "tolerance": a.findtext("tolerance", "0").strip()} for a in question.findall("answer")]
        questions.append({
            "category": category,
            "name": question.find("name/text").text.strip(),
            "format": question.find("questiontext").get("format"),
            "text": question.find("questiontext/text").text,
            "defaultmark": float(question.findtext("defaultgrade")),
            "answers": answers,
            "idnumber": question.findtext("idnumber"),
        })
    return questions


def test_variants_read_back_as_numerical_questions_with_their_answers(tmp_path, capsys):
    path = tmp_path / "quiz.xml"
    assert main(["variants", "variant-2", "--count", "3", "--seed", "2026", "--moodle", str(path)]) == 0
    questions = moodle_import(path.read_text(encoding="utf-8"))
    exercise = load("variant-2")
    assert {q["category"] for q in questions} == {"$course$/top/Вариант 2"}  # one category per exercise
    assert len(questions) == 3 * 5
    for variant in draw(exercise, 3, "2026"):
        solution = Solution(variant.exercise)
        mine = [q for q in questions if q["name"].startswith(f"{variant.titled(('ru', 'en'))} · ")]
        assert [q["name"].split(" · ")[1] for q in mine] == [q.label for q in solution.asked.values()]
        for question, quantity in zip(mine, solution.asked.values()):
            assert variant.exercise.inputs_text() in question["text"]  # the variant's inputs in its text
            assert question["format"] == "html" and question["defaultmark"] == 1
            (answer,) = question["answers"]
            assert answer["fraction"] == 1.0
            assert Decimal(answer["text"]) == variant.exercise.policy.as_decimal(quantity.value)
            assert Decimal(answer["tolerance"]) == Decimal("0.005")  # half a unit of 2 decimals: rounds to the key
    assert len({q["idnumber"] for q in questions}) == len(questions)


def test_a_title_with_a_slash_and_markup_stays_one_category_and_text():
    text = ('id = "t"\ntitle = "Нейрон / A <b>neuron</b> ]]>"\n[statement]\nen = "At {inputs}, find it & more."\n'
            '[formula]\npython = "x * y"\n[inputs]\nx = 1\ny = 2\n[variants]\nx = [1, 5]\n'
            '[grading]\ntolerance = {absolute = 0.5}\nweights = {f = 3}\n')
    from graphlab.exercise.moodle import to_moodle_xml

    questions = moodle_import(to_moodle_xml(draw(loads(text), 2, "1")))
    assert questions[0]["category"] == "$course$/top/Нейрон // A <b>neuron<//b> ]]>"  # Moodle writes / as //
    assert "find it &amp; more." in questions[0]["text"]
    assert questions[0]["defaultmark"] == 3 and questions[0]["answers"][0]["tolerance"] == "0.5"
