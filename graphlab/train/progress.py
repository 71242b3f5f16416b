"""The progress display of ``fit``: a live bar per epoch with running loss, accuracy and rate, a line per epoch.

In a terminal it is rich's bar. In a Jupyter kernel (JupyterLab, Notebook, VS
Code, Colab) it is one HTML output that updates in place: an HTML
``<progress>`` bar above the finished epochs' lines, with a plain-text copy for
front ends without HTML. No widget library, no escape codes, and one output per
``fit`` call, however many epochs.
"""

from __future__ import annotations

import time
from html import escape
from typing import Any

from graphlab.render.notebook import in_notebook

NOTEBOOK_REFRESH = 0.2
"""Seconds between two redraws of the notebook bar (each redraw is a message to the front end)."""


class TrainingProgress:
    """A context manager that draws nothing when ``enabled`` is false (tests, search trials).

    ``console`` (a rich ``Console``) forces the terminal bar; without one, a
    notebook gets its HTML bar and a terminal rich's.
    """

    def __init__(self, epochs: int, steps_per_epoch: int, enabled: bool = True, console: Any = None):
        self.epochs = epochs
        self.view: _TerminalView | _NotebookView | None = None
        if enabled and console is None and in_notebook():
            self.view = _NotebookView(epochs, steps_per_epoch)
        elif enabled:
            self.view = _TerminalView(epochs, steps_per_epoch, console)

    def __enter__(self):
        if self.view is not None:
            self.view.open()
        return self

    def __exit__(self, *exc):
        if self.view is not None:
            self.view.close(*exc)
        return False

    def start_epoch(self, epoch: int) -> None:
        if self.view is not None:
            self.view.start_epoch(epoch)

    def advance(self, loss: float, acc: float, lr: float) -> None:
        if self.view is not None:
            self.view.advance(loss, acc, lr)

    def end_epoch(self, metrics: dict, best: bool) -> None:
        if self.view is not None:
            self.view.end_epoch(epoch_line(metrics, self.epochs), best)

    def fail(self, message: str) -> None:
        if self.view is not None:
            self.view.fail(message)


def epoch_line(metrics: dict, epochs: int) -> str:
    """``epoch   3/10  train loss 0.4213 acc 86.20%  val loss … acc …  lr 0.1  2.1 s``."""
    line = (f"epoch {metrics['epoch']:>3}/{epochs}  train loss {metrics['train_loss']:.4f} "
            f"acc {metrics['train_acc']:6.2%}")
    if "val_loss" in metrics:
        line += f"  val loss {metrics['val_loss']:.4f} acc {metrics['val_acc']:6.2%}"
    seconds = metrics["seconds"]
    return line + f"  lr {metrics['lr']:.3g}  {seconds:.{2 if seconds < 1 else 1}f} s"


class _TerminalView:
    """rich's live bar, removed when training ends; the epoch lines stay."""

    def __init__(self, epochs: int, steps: int, console: Any) -> None:
        from rich.console import Console

        self.epochs, self.steps = epochs, steps
        self.console = console or Console()
        self.progress = None
        self.task = None

    def open(self) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("loss [cyan]{task.fields[loss]:.4f}[/] acc [green]{task.fields[acc]:6.2%}[/] "
                       "lr [magenta]{task.fields[lr]:.3g}[/]"),
            TimeElapsedColumn(), console=self.console, transient=True)
        self.progress.__enter__()

    def close(self, *exc) -> None:
        self.progress.__exit__(*exc)

    def start_epoch(self, epoch: int) -> None:
        if self.task is not None:
            self.progress.remove_task(self.task)
        self.task = self.progress.add_task(f"epoch {epoch}/{self.epochs}", total=self.steps,
                                           loss=float("nan"), acc=0.0, lr=0.0)

    def advance(self, loss: float, acc: float, lr: float) -> None:
        self.progress.update(self.task, advance=1, loss=loss, acc=acc, lr=lr)

    def end_epoch(self, line: str, best: bool) -> None:
        self.console.print(line + ("  [yellow]best[/]" if best else ""), highlight=False)

    def fail(self, message: str) -> None:
        from rich.markup import escape as markup_escape

        self.console.print(f"[bold red]{markup_escape(message)}[/]", highlight=False)


class _NotebookView:
    """One display in the notebook, updated in place: the bar of the running epoch over the finished lines."""

    def __init__(self, epochs: int, steps: int) -> None:
        self.epochs, self.steps = epochs, steps
        self.lines: list[tuple[str, str]] = []  # (text, kind): kind is "", "best" or "error"
        self.bar: tuple[str, int, str] | None = None  # description, steps done, running figures
        self.handle = None
        self.started = 0.0
        self.drawn = 0.0

    def open(self) -> None:
        from IPython.display import display

        self.handle = display(self._bundle(), raw=True, display_id=True)

    def close(self, *exc) -> None:
        self.bar = None
        self._draw(force=True)

    def start_epoch(self, epoch: int) -> None:
        self.started = time.perf_counter()
        self.bar = (f"epoch {epoch}/{self.epochs}", 0, "")
        self._draw(force=True)

    def advance(self, loss: float, acc: float, lr: float) -> None:
        description, done, _ = self.bar
        elapsed = time.perf_counter() - self.started
        self.bar = (description, done + 1, f"loss {loss:.4f} acc {acc:6.2%} lr {lr:.3g} {elapsed:.1f} s")
        self._draw(force=done + 1 == self.steps)

    def end_epoch(self, line: str, best: bool) -> None:
        self.lines.append((line + ("  best" if best else ""), "best" if best else ""))
        self._draw(force=True)

    def fail(self, message: str) -> None:
        self.lines.append((message, "error"))
        self._draw(force=True)

    def _draw(self, force: bool = False) -> None:
        now = time.perf_counter()
        if self.handle is None or (not force and now - self.drawn < NOTEBOOK_REFRESH):
            return
        self.drawn = now
        self.handle.update(self._bundle(), raw=True)

    def _bundle(self) -> dict[str, str]:
        colours = {"": "inherit", "best": "inherit", "error": "#b91c1c"}
        html = [f'<div style="color:{colours[kind]};font-family:monospace;white-space:pre">{escape(text)}</div>'
                for text, kind in self.lines]
        text = [line for line, _ in self.lines]
        if self.bar is not None:
            description, done, figures = self.bar
            html.append(f'<div style="font-family:monospace;white-space:pre">{escape(description)} '
                        f'<progress value="{done}" max="{self.steps}" style="width:20em;vertical-align:middle">'
                        f"</progress> {done}/{self.steps} {escape(figures)}</div>")
            text.append(f"{description} {done}/{self.steps} {figures}")
        return {"text/html": '<div class="graphlab-progress">' + "".join(html) + "</div>",
                "text/plain": "\n".join(text)}
