"""The words handouts, feedback and gradebooks print, in the exercise's language: Russian and English.

An exercise's languages are those of its statement (``Exercise.languages``);
``--lang ru|en|both`` picks among them. ``say(word, languages)`` gives one
language's phrase, or both joined by " / " as the lecture's bilingual sheets do.
"""

from __future__ import annotations

from collections.abc import Sequence

from graphlab.rounding import Convention, RoundingPolicy, Ties

LANGUAGES = ("ru", "en")
CHOICES = ("ru", "en", "both")
"""What ``--lang`` takes."""

PHRASES: dict[str, dict[str, str]] = {
    "variant": {"ru": "Вариант", "en": "Variant"},
    "worksheet": {"ru": "Задание", "en": "Worksheet"},
    "key": {"ru": "Ответы", "en": "Answer key"},
    "find": {"ru": "Найдите", "en": "Find"},
    "draw": {"ru": "Нарисуйте вычислительный граф", "en": "Draw the computational graph"},
    "every_node": {"ru": "Значение и градиент каждого узла #k", "en": "The value and the gradient of every node #k"},
    "every_step": {"ru": "и каждую локальную производную и каждое произведение",
                   "en": "and each local derivative and each product"},
    "at": {"ru": "при", "en": "at"},
    "id": {"ru": "№", "en": "id"},
    "node": {"ru": "узел", "en": "node"},
    "value": {"ru": "значение", "en": "value"},
    "local": {"ru": "локальная ∂", "en": "local ∂"},
    "gradient": {"ru": "градиент", "en": "gradient"},
    "answers": {"ru": "Ответы", "en": "Answers"},
    "quantity": {"ru": "Величина", "en": "Quantity"},
    "answer": {"ru": "Ваш ответ", "en": "Your answer"},
    "expected": {"ru": "Верно", "en": "Expected"},
    "comment": {"ru": "Комментарий", "en": "Comment"},
    "score": {"ru": "Баллы", "en": "Score"},
    "notes": {"ru": "Замечания", "en": "Notes"},
    "right": {"ru": "верно", "en": "right"},
    "carried": {"ru": "верно для ваших чисел", "en": "right for your numbers"},
    "wrong": {"ru": "неверно", "en": "wrong"},
    "missing": {"ru": "нет ответа", "en": "no answer"},
    "unreadable": {"ru": "не прочитано", "en": "not readable"},
    "exact": {"ru": "без округления", "en": "exact"},
    "not_scored": {"ru": "не спрашивалось, не оценивается", "en": "not asked, not scored"},
}

_CONVENTIONS = {
    Convention.EVERY_NODE: {"ru": "каждый узел", "en": "every node"},
    Convention.LOCAL_TOO: {"ru": "каждый узел и локальные производные", "en": "every node and local derivatives"},
    Convention.FORWARD_ONLY: {"ru": "только прямой проход", "en": "forward values only"},
    Convention.FINAL_ONLY: {"ru": "только итоговые ответы", "en": "final answers only"},
}
_TIES = {Ties.AWAY: {"ru": "половины от нуля", "en": "ties away"},
         Ties.EVEN: {"ru": "половины к чётному", "en": "ties even"}}


def languages_for(choice: str | None, available: Sequence[str]) -> tuple[str, ...]:
    """The languages to print: ``choice`` (ru, en, both), or by default those the exercise is written in."""
    if choice == "both":
        return LANGUAGES
    if choice in LANGUAGES:
        return (choice,)
    found = tuple(language for language in available if language in LANGUAGES)
    return found or ("en",)


def say(word: str, languages: Sequence[str]) -> str:
    """``word`` in ``languages``: ``"Вариант"``, ``"Variant"`` or ``"Вариант / Variant"``."""
    return " / ".join(dict.fromkeys(PHRASES[word][language] for language in languages))


def rounding(policy: RoundingPolicy, languages: Sequence[str]) -> str:
    """The rounding rule in words: ``round to 2 decimals (every node, ties away)`` or its Russian."""
    if policy.decimals is None:
        return say("exact", languages)
    parts = []
    for language in languages:
        convention = _CONVENTIONS[policy.convention][language]
        ties = _TIES[policy.ties][language]
        if language == "ru":
            parts.append(f"округление до {policy.decimals} знаков ({convention}, {ties})")
        else:
            parts.append(f"round to {policy.decimals} decimals ({convention}, {ties})")
    return " / ".join(parts)
