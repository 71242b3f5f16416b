"""The README's terminal captures: real 100×30 tmux screens of the lecture exercise.

They were captured with tmux (``tmux new-session -d -x 100 -y 30``, then space
pressed 6 times for the forward pass and 10 more for the backward pass); here
they are checked against the lecture's hand-computed answers, and the README
must show them unchanged.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CAPTURES = {"forward": ROOT / "docs" / "tui-forward.txt", "backward": ROOT / "docs" / "tui-backward.txt"}


def capture(name: str) -> str:
    return CAPTURES[name].read_text(encoding="utf-8")


@pytest.mark.parametrize("name", CAPTURES)
def test_captures_are_whole_terminal_screens(name):
    lines = capture(name).rstrip("\n").split("\n")
    assert len(lines) == 30 and max(len(line) for line in lines) <= 100
    assert lines[0].startswith(" Вариант 2 · x0 / exp(-(x0*y0 + x1*y1))")
    assert "space Step" in lines[-1]
    for name_ in ("x0", "x1", "y0", "y1", "exp"):
        assert f"─ {name_} " in capture(name)


def test_forward_capture_has_every_value_and_no_gradient():
    text = capture("forward")
    assert "forward 6/6" in text
    # x0·y0 = 1, x1·y1 = 2, sum 3, negated −3, exp(−3) = 0.05, f = 1 / 0.05 = 20
    for value in ("v   1.00", "v   2.00", "v   3.00", "v   -3.00", "v     0.05", "v  20.00"):
        assert value in text
    assert not re.search(r"│g +-?\d", text), "no gradient may be known after the forward pass"


def test_backward_capture_has_the_lecture_answers():
    text = capture("backward")
    assert "done · both passes" in text
    for answer in ("f = 20.00", "∂x0 40.00", "∂x1 -40.00", "∂y0 20.00", "∂y1 -20.00"):
        assert answer in text
    # exp's gradient: ∂f/∂b = −a/b² = −1/0.05² = −400; x0 sums its two consumers: 20 + 20.
    assert "g  -400.00" in text and "∂f/∂x0 = 40.00" in text


@pytest.mark.parametrize("name", CAPTURES)
def test_readme_shows_the_captures_unchanged(name):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(rf"<!-- tui-{name} -->\n```text\n(.*?)```", readme, re.S)
    if found is None:
        pytest.skip(f"README.md has no <!-- tui-{name} --> capture yet")
    assert found.group(1) == capture(name)
