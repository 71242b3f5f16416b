"""The explorer app: wires the graph view, the inspector and the stepper to one trace.

Thin on purpose: the trace comes from the library (``Problem.solve``), the
layout from ``layout``, what each box shows from ``faces``, what the inspector
says from ``inspector``; the app holds the current state and maps keys to it.

The state that decides what keys do is reactive: ``mode`` (walking the passes,
or answering them as an exercise), ``playing`` and ``speed``. Setting one
re-renders the view and the footer by itself (``watch_…``), and
``check_action`` lets each key act only in the mode it belongs to. The help
screen is generated from the bindings, so a key is documented where it is bound.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from enum import Enum
from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Footer, Static

from graphlab.exercise.file import Exercise
from graphlab.exercise.grading import Solution
from graphlab.formula import FormulaError
from graphlab.render import suffixes
from graphlab.trace import Trace
from graphlab.tui import progress
from graphlab.tui.answer_screen import FIELD_NAMES, AnswerScreen
from graphlab.tui.confirm_screen import ConfirmScreen
from graphlab.tui.explain import grad_hint, value_hint
from graphlab.tui.export_screen import ExportScreen
from graphlab.tui.faces import NOT_FINITE, not_finite, quiz_face, stepper_face
from graphlab.tui.formula_screen import FormulaScreen
from graphlab.tui.graph_view import GraphView
from graphlab.tui.help_screen import HelpScreen, help_sections
from graphlab.tui.inspector import Inspector, describe_node
from graphlab.tui.layout import compute_layout
from graphlab.tui.policies import changes, decimal_cycle, next_convention, other_ties
from graphlab.tui.problem import Problem, SourceError
from graphlab.tui.quiz import Quiz
from graphlab.tui.settings_screen import SettingsScreen
from graphlab.tui.stepper import Stepper
from graphlab.value import EvaluationError

SPEEDS = (2.0, 1.0, 0.5, 0.25, 0.1)
"""Seconds per step when playing."""
INSPECTOR_WIDTH = 52
"""Columns of the inspector when it stands beside the graph."""
INSPECTOR_ROWS = (8, 16)
"""Fewest and most rows of the inspector when it stands under the graph."""


class Mode(Enum):
    """What the keys do: walk the two passes step by step, or answer every number as an exercise."""

    STEP = "step"
    EXERCISE = "exercise"


STEP_ACTIONS = frozenset({"step", "back", "finish_forward", "to_end", "reset", "play", "speed"})
"""Actions that walk the passes: they act in step mode only."""
TRACE_ACTIONS = frozenset({"settings", "cycle_decimals", "cycle_convention", "toggle_ties", "exercise", "answer",
                           "hint", "start_over", "save"})
"""Actions that need a trace (there is none while the first formula does not parse)."""
HELP_SECTIONS = {
    "Stepping": ("step", "back", "finish_forward", "to_end", "reset", "play", "speed"),
    "Graph": ("move", "pan"),
    "Inputs and rounding": ("settings", "cycle_decimals", "cycle_convention", "toggle_ties"),
    "Exercise": ("exercise", "answer", "hint", "start_over"),
    "Other": ("open_formula", "save", "help", "command_palette", "quit"),
}
"""The help screen's sections: the actions each lists, in order."""


class ExplorerApp(App[None]):
    """Step through a trace's forward and backward pass, edit it, or answer it as an exercise."""

    TITLE = "graphlab"
    CSS_PATH = ["app.tcss", "graph_view.tcss", "inspector.tcss", "screens.tcss"]
    BINDINGS = [
        Binding("space,n", "step", "Step", tooltip="next step: forward node by node, then backward"),
        Binding("b", "back", "Back", tooltip="undo the last step"),
        Binding("e,end", "to_end", "End", tooltip="run to the end of both passes"),
        Binding("r,home", "reset", "Reset", tooltip="reset to the start"),
        Binding("p", "play", "Play", tooltip="play / pause, one step per tick"),
        Binding("i", "settings", "Inputs", tooltip="edit the inputs and the rounding policy"),
        Binding("x", "exercise", "Exercise",
                tooltip="exercise mode on / off: you fill in every value and gradient"),
        Binding("question_mark", "help", "Help", tooltip="this help"),
        Binding("q", "quit", "Quit", tooltip="quit"),
        Binding("f", "finish_forward", "Forward pass", show=False, tooltip="finish the forward pass"),
        Binding("plus,equals_sign", "speed(1)", "Faster", show=False, tooltip="play faster"),
        Binding("minus", "speed(-1)", "Slower", show=False, tooltip="play slower"),
        Binding("d", "cycle_decimals", "Decimals", show=False, tooltip="cycle decimals: exact, 0, 1, 2, 3, 4"),
        Binding("c", "cycle_convention", "Convention", show=False, tooltip="cycle the rounding convention"),
        Binding("t", "toggle_ties", "Ties", show=False, tooltip="ties: away from zero / to even"),
        Binding("a,enter", "answer", "Answer", show=False, tooltip="answer the selected node"),
        Binding("h", "hint", "Hint", show=False, tooltip="a hint for the selected node: the rule, not the number "
                                                         "(in an exercise it costs that node's open numbers 0.25)"),
        Binding("R", "start_over", "Start over", show=False,
                tooltip="exercise mode: discard your answers, tries and hints and start afresh"),
        Binding("o", "open_formula", "Formula", show=False,
                tooltip="open a formula (Python-style or LaTeX) with its input values"),
        Binding("s", "save", "Save", show=False,
                tooltip=f"save the diagram or the trace; the suffix picks the format: {' '.join(suffixes())}"),
        Binding("ctrl+p", "command_palette", "Palette", show=False, key_display="ctrl+p", priority=True,
                tooltip="command palette: change the colour theme, and more"),
    ]

    mode: reactive[Mode] = reactive(Mode.STEP, bindings=True, init=False)
    """Walking the passes or answering them; the keys, the boxes and the bars follow it."""
    playing: reactive[bool] = reactive(False, init=False)
    """Whether the stepper steps by itself, one step per tick."""
    speed: reactive[int] = reactive(1, init=False, always_update=True)
    """Index into ``SPEEDS``."""

    def __init__(self, problem: Problem) -> None:
        super().__init__()
        self.problem = problem
        self.trace: Trace | None = None
        self.stepper: Stepper | None = None
        self.quiz: Quiz | None = None
        """The answers given, in exercise mode."""
        self._saved = True
        """Whether the exercise's answers are on disk (``progress``), so leaving it loses nothing."""
        self._player: Timer | None = None
        self._open_error = ""
        try:
            self.trace = problem.solve()
        except (FormulaError, EvaluationError, SourceError) as err:
            self._open_error = str(err)

    def compose(self) -> ComposeResult:
        yield Static(id="problem-bar", markup=False)
        with Container(id="main"):
            yield GraphView(id="graph")
            yield Inspector(id="inspector")
        yield Static(id="status-bar", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    @property
    def graph(self) -> GraphView:
        return self.query_one(GraphView)

    @property
    def inspector(self) -> Inspector:
        return self.query_one(Inspector)

    def on_mount(self) -> None:
        self.graph.focus()
        if self.trace is not None:
            self.show(self.problem, self.trace)
        else:
            self.push_screen(FormulaScreen(self.problem, self._open_error), self._formula_opened)

    # -- state -------------------------------------------------------------------

    def show(self, problem: Problem, trace: Trace) -> None:
        """Show a new trace; the step reached and the selection are kept where they still fit."""
        same_graph = self.trace is not None and len(self.trace.nodes) == len(trace.nodes)
        position = self.stepper.position if (self.stepper and same_graph) else 0
        self.problem, self.trace = problem, trace
        self.stepper = Stepper(trace, position)
        marked = not_finite(trace)
        if marked:
            shown = ", ".join(f"#{i}" for i in marked[:8]) + (" …" if len(marked) > 8 else "")
            self.notify(f"{len(marked)} node(s) hold NaN or infinite numbers ({shown}), marked {NOT_FINITE}: "
                        "the file's numbers are shown as recorded", title="Not finite", severity="warning",
                        timeout=12, markup=False)
        if self.mode is Mode.EXERCISE:
            self._start_quiz()
        self.graph.show_trace(trace, self._face, compute_layout(trace))
        self.arrange_panels()
        if not same_graph or self.graph.selected is None:
            self.graph.selected = (self.stepper.forward_order or [trace.output])[0]
        self.refresh_view()

    def _face(self, node_id: int):
        if self.mode is Mode.EXERCISE:
            return quiz_face(self.trace, self.quiz, node_id)
        return stepper_face(self.trace, self.stepper, node_id)

    def refresh_view(self) -> None:
        """Redraw the numbers, the inspector and the two bars from the current state."""
        if self.trace is None:
            return
        exercise = self.mode is Mode.EXERCISE
        self.graph.current = None if exercise else self.stepper.current
        self.graph.refresh_faces(self._face)
        if self.graph.selected is not None:
            reveal = self.quiz if exercise else self.stepper
            self.inspector.show(describe_node(self.trace, self.graph.selected, reveal))
        formula = self.problem.formula or self.trace.formula or ""
        title = self.problem.title if self.problem.title != formula else ""
        parts = [p for p in (title, formula, self.trace.policy.describe()) if p]
        self.query_one("#problem-bar", Static).update(" " + " · ".join(parts))
        if exercise:
            quiz = self.quiz
            status = (f" exercise · score {quiz.points:g}/{len(quiz.asked)} · {quiz.wrong_tries} wrong tries · "
                      f"{quiz.hints} hints · a: answer  h: hint  R: start over  x: leave")
        else:
            playing = f" · playing {SPEEDS[self.speed]:g} s/step" if self.playing else ""
            status = f" {self.stepper.describe()}{playing}"
            if self.stepper.phase == "done":
                fmt = self.trace.policy.format
                grads = "  ".join(f"∂{k} {fmt(v)}" for k, v in self.trace.grads().items())
                status += f" · f = {fmt(self.trace.value)}  {grads}"
        self.query_one("#status-bar", Static).update(status)

    def on_resize(self) -> None:
        self.arrange_panels()

    def arrange_panels(self) -> None:
        """Inspector beside the graph when the whole graph fits next to it, else under it,
        with the rows the graph does not need (so big terminals show more of both)."""
        graphs = self.query(GraphView)
        layout = graphs.first().graph_layout if graphs else None
        if layout is None:
            return
        width, height = self.size
        main = self.query_one("#main")
        beside = width - INSPECTOR_WIDTH - 2 >= layout.width
        main.set_class(not beside, "-stacked")
        if not beside:
            spare = height - 3 - layout.height - 2  # bars and footer; the scrollbar and a border
            self.inspector.styles.height = max(INSPECTOR_ROWS[0], min(INSPECTOR_ROWS[1], spare))

    def on_graph_view_selected(self, message: GraphView.Selected) -> None:
        self.graph.selected = message.node_id
        self.refresh_view()

    # -- modes ---------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Stepping keys act (and show in the footer) in step mode only, and keys that need a trace
        only once there is one."""
        if action in TRACE_ACTIONS | STEP_ACTIONS and self.trace is None:
            return False
        if action in STEP_ACTIONS:
            return self.mode is Mode.STEP
        return True

    def watch_mode(self, mode: Mode) -> None:
        """Entering the exercise resumes its saved answers (or asks every number afresh); leaving it returns to
        the walk where it was, the answers kept on disk."""
        left = self.quiz
        resumed = self._start_quiz() if mode is Mode.EXERCISE else 0
        if mode is Mode.STEP:
            self.quiz = None
        self.playing = False
        if mode is Mode.EXERCISE:
            first = self.quiz.next_unanswered()
            if first:
                self.graph.selected = first[0]
            exercise = self.problem.exercise
            exercise = exercise.with_inputs(self.problem.inputs) if exercise else None
            task = (exercise.statement_text("en") or exercise.statement_text("ru") or "") if exercise else ""
            again = f"\n\nResumed {resumed} answers saved earlier; R starts over." if resumed else ""
            self.notify(f"{task}\n\nFill in each value and gradient: select a node, press a. h gives a hint."
                        f"{again}", title="Exercise mode", timeout=8, markup=False)
        elif left is not None and left.answers and self._saved:
            self.notify(f"Your {len(left.answers)} answers are saved: x brings them back.", timeout=4)
        self.refresh_view()

    def _start_quiz(self) -> int:
        """A quiz for the trace shown, with the progress saved for this problem; how many answers came back."""
        problem = self.problem
        if problem.formula is None:
            solution = Solution(None, self.trace)
        else:
            base = (problem.exercise.with_inputs(problem.inputs) if problem.exercise
                    else Exercise(id="explorer", title=problem.title, formula=problem.formula, inputs=problem.inputs))
            solution = Solution(replace(base, policy=problem.policy, gradient=problem.gradient), self.trace)
        self.quiz = Quiz(self.trace, solution)
        self._saved = True
        saved = progress.load(problem)
        return self.quiz.restore(saved) if saved else 0

    def _save_progress(self) -> None:
        """Keep the exercise's answers on disk; say so once when they cannot be kept."""
        try:
            progress.save(self.problem, self.quiz)
        except OSError as err:
            if self._saved:
                self.notify(f"Your answers are not saved ({err.strerror or err}): leaving the exercise will lose "
                            "them.", title="Not saved", severity="warning", timeout=8, markup=False)
            self._saved = False
        else:
            self._saved = True

    def _unless_lost(self, then: Callable[[], None]) -> None:
        """Do ``then``, but ask first when it would lose exercise answers that are not saved."""
        if self.mode is not Mode.EXERCISE or not self.quiz or not self.quiz.answers or self._saved:
            then()
            return
        count = len(self.quiz.answers)
        self.push_screen(ConfirmScreen("Leave the exercise?", f"Your {count} answers could not be saved and will "
                                       "be lost.", "Leave"), lambda yes: then() if yes else None)

    def watch_playing(self, playing: bool) -> None:
        if self._player is not None:
            self._player.stop()
            self._player = None
        if playing:
            self._player = self.set_interval(SPEEDS[self.speed], self._tick)
        self.refresh_view()

    def watch_speed(self, speed: int) -> None:
        if self.playing:
            self._player.stop()
            self._player = self.set_interval(SPEEDS[speed], self._tick)
        self.notify(f"{SPEEDS[speed]:g} s per step", timeout=1.5)
        self.refresh_view()

    # -- stepping ------------------------------------------------------------------

    def _after_step(self) -> None:
        if self.stepper.current is not None:
            self.graph.selected = self.stepper.current
        self.refresh_view()

    def action_step(self) -> None:
        if self.stepper.step():
            self._after_step()

    def action_back(self) -> None:
        if self.stepper.back():
            self._after_step()

    def action_finish_forward(self) -> None:
        self.stepper.finish_forward()
        self._after_step()

    def action_to_end(self) -> None:
        self.playing = False
        self.stepper.to_end()
        self._after_step()

    def action_reset(self) -> None:
        self.playing = False
        self.stepper.reset()
        self.graph.selected = (self.stepper.forward_order or [self.trace.output])[0]
        self.refresh_view()

    def action_play(self) -> None:
        if not self.playing and self.stepper.phase == "done":
            self.stepper.reset()
        self.playing = not self.playing

    def _tick(self) -> None:
        self.action_step()
        if self.stepper.phase == "done":
            self.playing = False

    def action_speed(self, change: int) -> None:
        self.speed = max(0, min(len(SPEEDS) - 1, self.speed + change))

    # -- inputs and rounding -------------------------------------------------------

    def recompute(self, problem: Problem) -> bool:
        """Re-solve with new inputs or rounding and say what changed; False if it cannot."""
        try:
            trace = problem.solve()
        except (FormulaError, EvaluationError, SourceError) as err:
            self.notify(str(err), title=f"Cannot recompute with {problem.policy.describe()}",
                        severity="error", markup=False)
            return False
        before = self.trace
        self.show(problem, trace)
        self.notify(changes(before, trace), title=trace.policy.describe(), timeout=6, markup=False)
        return True

    def action_settings(self) -> None:
        def apply(result):
            if result is not None:
                inputs, policy = result
                self._unless_lost(lambda: self.recompute(self.problem.with_inputs(inputs).with_policy(policy)))

        self.push_screen(SettingsScreen(self.problem.inputs, self.problem.policy), apply)

    def action_cycle_decimals(self) -> None:
        """The next number of decimals; one under which the formula breaks (a value rounds to 0
        and is divided by) is reported and skipped."""
        def cycle() -> None:
            for policy in decimal_cycle(self.problem.policy):
                if self.recompute(self.problem.with_policy(policy)) or self.problem.formula is None:
                    return  # done, or a recorded trace without a formula: no policy can help

        self._unless_lost(cycle)

    def action_cycle_convention(self) -> None:
        self._unless_lost(lambda: self.recompute(self.problem.with_policy(next_convention(self.problem.policy))))

    def action_toggle_ties(self) -> None:
        self._unless_lost(lambda: self.recompute(self.problem.with_policy(other_ties(self.problem.policy))))

    # -- exercise mode ---------------------------------------------------------------

    def action_exercise(self) -> None:
        if self.mode is Mode.EXERCISE:
            self._unless_lost(lambda: setattr(self, "mode", Mode.STEP))
        else:
            self.mode = Mode.EXERCISE

    def action_start_over(self) -> None:
        """Discard the exercise's answers, tries and hints (on disk too), after asking."""
        if self.mode is not Mode.EXERCISE:
            self.notify("Press x for exercise mode first.", timeout=3)
            return
        quiz = self.quiz
        if not (quiz.answers or quiz.hinted):
            self.notify("Nothing to discard: no answers yet.", timeout=3)
            return

        def discard(yes: bool) -> None:
            if yes:
                progress.forget(self.problem)
                self.quiz = Quiz(self.trace, quiz.solution)
                self.refresh_view()

        self.push_screen(ConfirmScreen("Start over?", f"Your {len(quiz.answers)} answers, {quiz.wrong_tries} wrong "
                                       f"tries and {quiz.hints} hints are discarded, and their saved copy too.",
                                       "Discard"), discard)

    def action_quit(self) -> None:  # type: ignore[override]
        self._unless_lost(self.exit)

    def action_answer(self) -> None:
        if self.mode is not Mode.EXERCISE:
            self.notify("Press x for exercise mode first.", timeout=3)
            return
        node = self.graph.selected
        if node is None or not any(self.quiz.is_asked(node, f) for f in FIELD_NAMES):
            self.notify("Nothing to answer at this node: it is given.", timeout=3)
            return

        def checked(answers):
            if answers:
                self._save_progress()
                verdicts = "\n".join(_verdict(FIELD_NAMES[f], a) for f, a in answers.items())
                wrong = not all(a.right for a in answers.values())
                self.notify(verdicts, severity="warning" if wrong else "information", timeout=6 if wrong else 3,
                            markup=False)
                right, asked = self.quiz.score
                if right == asked:
                    self.notify(f"All {asked} numbers right.", title="Exercise solved", timeout=8)
                following = self.quiz.next_unanswered()
                if not wrong and following:
                    self.graph.selected = following[0]
            self.refresh_view()

        self.push_screen(AnswerScreen(self.quiz, node), checked)

    def action_hint(self) -> None:
        node_id = self.graph.selected
        if node_id is None:
            return
        node = self.trace.nodes[node_id]
        cost = ""
        if self.mode is Mode.EXERCISE:
            before = self.quiz.hints
            self.quiz.hint(node_id)
            if self.quiz.hints > before:
                self._save_progress()
                cost = "\n(A hint costs this node's open numbers 0.25 points each.)"
            self.refresh_view()
        self.notify(f"{value_hint(self.trace, node)}\n{grad_hint(self.trace, node)}{cost}",
                    title=f"Hint · {node.symbol} {node.name}", timeout=12, markup=False)

    # -- other screens ---------------------------------------------------------------

    def action_help(self) -> None:
        sections = help_sections([*self.BINDINGS, *GraphView.BINDINGS], HELP_SECTIONS, self.get_key_display)
        self.push_screen(HelpScreen(sections))

    def action_open_formula(self) -> None:
        self.push_screen(FormulaScreen(self.problem), self._formula_opened)

    def _formula_opened(self, result) -> None:
        def open_it() -> None:
            self.mode = Mode.STEP
            self.trace = None  # a new graph: start the walk and the selection afresh
            self.stepper = None
            self.show(*result)

        if result is not None:
            self._unless_lost(open_it)

    def action_save(self) -> None:
        stem = self.problem.exercise.id if self.problem.exercise else "graph"

        def saved(path: Path | None) -> None:
            if path is not None:
                self.notify(f"saved {path}", timeout=4, markup=False)

        self.push_screen(ExportScreen(self.trace, f"{stem}.svg"), saved)


def _verdict(field: str, answer) -> str:
    """One answer's verdict as the grader words it: ``gradient wrong: the sign is wrong``."""
    if answer.right:
        return f"{field} right"
    if answer.verdict == "carried":
        return f"{field}: {answer.hint} — but those numbers are not the key's"
    return f"{field} wrong" + (f": {answer.hint}" if answer.hint else "")
