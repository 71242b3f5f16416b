"""The notebook explorer's Python half: what it sends the browser, and what it does with what comes back."""

from __future__ import annotations

import pytest

from graphlab import Value, round_to
from graphlab.exercise import load
from graphlab.tui.quiz import Quiz
from graphlab.tui.stepper import Stepper
from graphlab.widget.payload import BOX_HEIGHT, BOX_WIDTH, graph_payload

anywidget = pytest.importorskip("anywidget")

import graphlab  # noqa: E402


def test_the_payload_places_every_node_in_its_own_box_left_to_right():
    trace = load("variant-2").solve()
    graph = graph_payload(trace, "Вариант 2")
    boxes = {(n["x"], n["y"]) for n in graph["nodes"]}
    assert len(boxes) == len(trace.nodes)  # no two boxes on one spot
    for edge in graph["edges"]:
        src, dst = graph["nodes"][edge["src"]], graph["nodes"][edge["dst"]]
        assert src["x"] + BOX_WIDTH <= dst["x"]  # data flows left to right, as on the slides
        assert tuple(edge["points"][0]) == (src["x"] + BOX_WIDTH / 2, src["y"] + BOX_HEIGHT / 2)
    long = next(e for e in graph["edges"] if e["src"] == 0 and e["dst"] == 9)
    assert len(long["points"]) == 2 + 4  # x0 → ÷ bends through one waypoint per layer it skips
    assert all(n["x"] >= 0 and n["x"] + BOX_WIDTH <= graph["width"] for n in graph["nodes"])
    assert all(n["y"] >= 0 and n["y"] + BOX_HEIGHT <= graph["height"] for n in graph["nodes"])


def test_the_payload_carries_the_passes_questions_and_numbers_of_the_terminal_explorer():
    trace = load("variant-2").solve()
    graph = graph_payload(trace)
    stepper = Stepper(trace)
    assert graph["forward"] == stepper.forward_order and graph["backward"] == stepper.backward_order
    assert graph["asked"] == [list(q) for q in Quiz(trace).asked]
    assert graph["results"]["f"] == "20.00" and graph["results"]["∂f/∂x0"] == "40.00"
    exp = graph["nodes"][8]
    assert (exp["symbol"], exp["value"], exp["grad"]) == ("exp", "0.05", "-400.00")
    pieces = [piece for line in exp["lines"] for piece in line]
    assert ["-400.00", "bold $text-error", ["grad", 8], 0] in pieces  # its gradient, held back until reached


def test_explore_opens_exercises_formulas_traces_and_values():
    assert graphlab.explore().graph["title"] == "Вариант 2"
    formula = graphlab.explore("a*b + a", at={"a": 2, "b": 5})
    assert formula.graph["results"] == {"f": "12", "∂f/∂a": "6", "∂f/∂b": "2"}
    with round_to(2):
        a = Value(1.005, "a")
        y = a * 3
    y.backward()
    widget = y.explore()
    assert widget.graph["can_recompute"] is False and widget.graph["results"]["f"] == "3.02"
    assert y.trace().explore().graph["nodes"] == widget.graph["nodes"]
    with pytest.raises(TypeError, match="expected a Value, a Trace"):
        graphlab.explore(3.5)


def test_a_new_rounding_is_solved_by_the_library_or_refused_with_its_reason():
    widget = graphlab.explore("variant-2")
    assert widget.use_policy(None, None, None) and widget.graph["results"]["f"] == "20.08553692"
    assert widget.use_policy(2, "final_only", "away") and widget.graph["results"]["f"] == "20.09"
    before = widget.graph
    assert not widget.use_policy(0, "every_node", "away")  # exp(-3) rounds to 0: division by zero
    assert "division by zero" in widget.message and widget.graph is before
    widget._received(widget, {"type": "policy", "decimals": 3, "convention": "every_node", "ties": "even"}, [])
    assert widget.graph["policy_text"] == "round to 3 decimals (every node, ties even)" and widget.message == ""


def test_answers_are_checked_as_the_grader_checks_them():
    widget = graphlab.explore("variant-2")
    widget.answer(4, "value", "1")
    assert "exercise mode" in widget.message and widget.answers == {}
    widget.mode = "exercise"
    for node, field, text in ((4, "value", "1,00"), (9, "value", "20"), (8, "grad", "-400,0"), (0, "grad", "40.1")):
        widget._received(widget, {"type": "answer", "node": node, "field": field, "text": text}, [])
    assert {k: v["right"] for k, v in widget.answers.items()} == {"4/value": True, "9/value": True,
                                                                  "8/grad": True, "0/grad": False}
    widget.answer(4, "grad", "twenty")
    assert widget.message == "'twenty' is not a number" and "4/grad" not in widget.answers
    widget.answer(0, "value", "1")  # an input's value is given, not asked
    assert "not asked" in widget.message
    widget.mode = "step"
    assert widget.answers == {}


def test_without_anywidget_explore_says_which_extra_to_install(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "graphlab.widget.explorer", None)
    with pytest.raises(ModuleNotFoundError, match=r"pip install 'graphlab\[notebook\]'"):
        graphlab.explore("variant-2")
