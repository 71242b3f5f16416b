"""The variants of an exercise as Moodle quiz questions, in Moodle XML (qformat_xml).

One category per exercise (``$course$/top/<title>``; a ``/`` of the title is
written ``//``, as Moodle escapes it), then for every variant and every asked
quantity one *numerical* question: its name says the variant and the
quantity (``Вариант 3 · ∂f/∂x0``), its text holds the statement with the
variant's inputs and what to find, and its one answer is the key's value
with the exercise's tolerance as Moodle's absolute error margin (half a unit
of the rounding digit by default: an answer that rounds to the key is right).
Each question is worth the quantity's ``[grading]`` weight.

The layout follows Moodle's documentation of the format and what
``qformat_xml::import_numerical`` reads: ``<name><text>``,
``<questiontext format="html"><text>`` (HTML in CDATA),
``<defaultgrade>``, ``<answer fraction="100"><text>``, ``<tolerance>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from xml.sax.saxutils import escape as xml_escape

from graphlab.exercise.grading import Solution
from graphlab.exercise.language import languages_for, rounding, say
from graphlab.exercise.variants import Variant

PENALTY = "0.3333333"
"""Moodle's default penalty for each wrong try in adaptive mode."""


def to_moodle_xml(variants: Sequence[Variant], languages: Sequence[str] | None = None) -> str:
    """Moodle XML for ``variants`` of one exercise: a category, then a numerical question per variant and quantity."""
    if not variants:
        raise ValueError("no variants to export")
    exercise = variants[0].exercise
    languages = tuple(languages or languages_for(None, exercise.languages))
    category = "$course$/top/" + exercise.title.replace("/", "//")
    parts = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>",
             '  <question type="category">',
             f"    <category><text>{xml_escape(category)}</text></category>",
             f'    <info format="html"><text>{_cdata(escape(exercise.id))}</text></info>',
             "  </question>"]
    for variant in variants:
        solution = Solution(variant.exercise)
        policy = variant.exercise.policy
        statement = "".join(f"<p>{escape(text)}</p>" for text in
                            (variant.exercise.statement_text(language) for language in languages) if text)
        inputs = f"<p>{escape(variant.exercise.inputs_text())} · {escape(rounding(policy, languages))}</p>"
        for quantity in solution.asked.values():
            tolerance = variant.exercise.grading.tolerance_for(quantity.key, quantity.group)
            weight = variant.exercise.grading.weight(quantity.key, quantity.group)
            name = f"{variant.titled(languages)} · {quantity.label}"
            text = f"{statement}{inputs}<p><b>{escape(say('find', languages))}: {escape(quantity.label)}</b></p>"
            parts += [
                '  <question type="numerical">',
                f"    <name><text>{xml_escape(name)}</text></name>",
                f'    <questiontext format="html"><text>{_cdata(text)}</text></questiontext>',
                '    <generalfeedback format="html"><text></text></generalfeedback>',
                f"    <defaultgrade>{weight:g}</defaultgrade>",
                f"    <penalty>{PENALTY}</penalty>",
                "    <hidden>0</hidden>",
                f"    <idnumber>{xml_escape(f'{variant.slug}:{quantity.key}')}</idnumber>",
                '    <answer fraction="100" format="moodle_auto_format">',
                f"      <text>{policy.format(quantity.value)}</text>",
                '      <feedback format="html"><text></text></feedback>',
                f"      <tolerance>{tolerance.margin(quantity.value, policy)}</tolerance>",
                "    </answer>",
                "    <unitgradingtype>0</unitgradingtype>",
                "    <unitpenalty>0.1000000</unitpenalty>",
                "    <showunits>3</showunits>",
                "    <unitsleft>0</unitsleft>",
                "  </question>",
            ]
    parts.append("</quiz>")
    return "\n".join(parts) + "\n"


def _cdata(text: str) -> str:
    """``text`` in a CDATA section; a ``]]>`` inside is split across two, as Moodle's own export does."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"
