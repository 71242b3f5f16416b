"""The progress display of ``fit``: a rich bar per epoch with running loss, accuracy and rate, a line per epoch."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


class TrainingProgress:
    """A context manager that draws nothing when ``enabled`` is false (tests, search trials)."""

    def __init__(self, epochs: int, steps_per_epoch: int, enabled: bool = True, console: Console | None = None):
        self.epochs, self.steps = epochs, steps_per_epoch
        self.enabled = enabled
        self.console = console or Console()
        self.progress = None
        self.task = None

    def __enter__(self):
        if self.enabled:
            self.progress = Progress(
                TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                TextColumn("loss [cyan]{task.fields[loss]:.4f}[/] acc [green]{task.fields[acc]:6.2%}[/] "
                           "lr [magenta]{task.fields[lr]:.3g}[/]"),
                TimeElapsedColumn(), console=self.console, transient=True)
            self.progress.__enter__()
        return self

    def __exit__(self, *exc):
        if self.progress is not None:
            self.progress.__exit__(*exc)
        return False

    def start_epoch(self, epoch: int) -> None:
        if self.progress is not None:
            if self.task is not None:
                self.progress.remove_task(self.task)
            self.task = self.progress.add_task(f"epoch {epoch}/{self.epochs}", total=self.steps,
                                               loss=float("nan"), acc=0.0, lr=0.0)

    def advance(self, loss: float, acc: float, lr: float) -> None:
        if self.progress is not None:
            self.progress.update(self.task, advance=1, loss=loss, acc=acc, lr=lr)

    def end_epoch(self, metrics: dict, best: bool) -> None:
        if not self.enabled:
            return
        line = (f"epoch {metrics['epoch']:>3}/{self.epochs}  train loss {metrics['train_loss']:.4f} "
                f"acc {metrics['train_acc']:6.2%}")
        if "val_loss" in metrics:
            line += f"  val loss {metrics['val_loss']:.4f} acc {metrics['val_acc']:6.2%}"
        line += f"  lr {metrics['lr']:.3g}  {metrics['seconds']:.1f} s"
        self.console.print(line + ("  [yellow]best[/]" if best else ""), highlight=False)

    def fail(self, message: str) -> None:
        if self.enabled:
            self.console.print(f"[bold red]{message}[/]", highlight=False)
