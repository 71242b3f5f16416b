"""fit's progress in a notebook: one display, updated in place, with a bar while an epoch runs."""

from __future__ import annotations

import sys
import types

from graphlab.train import progress
from graphlab.train.progress import TrainingProgress, epoch_line, in_notebook


class Handle:
    """A stand-in for IPython's DisplayHandle: keeps every bundle the display showed."""

    def __init__(self, shown: list) -> None:
        self.shown = shown

    def update(self, bundle, raw=False):
        assert raw
        self.shown.append(bundle)


def test_a_kernel_gets_one_display_with_a_bar_and_the_finished_epochs(monkeypatch):
    shown: list[dict] = []
    display = types.SimpleNamespace(display=lambda bundle, raw, display_id: (shown.append(bundle), Handle(shown))[1])
    monkeypatch.setitem(sys.modules, "IPython.display", display)
    monkeypatch.setattr(progress, "in_notebook", lambda: True)
    monkeypatch.setattr(progress, "NOTEBOOK_REFRESH", 0.0)
    metrics = {"epoch": 1, "train_loss": 0.5, "train_acc": 0.875, "lr": 0.1, "seconds": 0.04}
    with TrainingProgress(2, 3) as bar:
        assert type(bar.view).__name__ == "_NotebookView"
        bar.start_epoch(1)
        for _ in range(3):
            bar.advance(0.5, 0.875, 0.1)
        bar.end_epoch(metrics, best=True)
        bar.start_epoch(2)
        bar.advance(0.4, 0.9, 0.1)
        bar.fail("loss became NaN at step 5; the learning rate 10 is probably too high")
    assert any('<progress value="2" max="3"' in b["text/html"] for b in shown)
    last = shown[-1]
    assert "<progress" not in last["text/html"] and "\x1b" not in last["text/html"] + last["text/plain"]
    assert last["text/plain"].splitlines() == [
        "epoch   1/2  train loss 0.5000 acc 87.50%  lr 0.1  0.04 s  best",
        "loss became NaN at step 5; the learning rate 10 is probably too high"]
    assert 'color:#b91c1c' in last["text/html"].split("</div>")[-3]  # the failure in red


def test_outside_a_kernel_the_terminal_bar_is_used():
    assert not in_notebook()
    assert type(TrainingProgress(1, 1).view).__name__ == "_TerminalView"
    assert TrainingProgress(1, 1, enabled=False).view is None


def test_an_epoch_line_reads_its_seconds_at_a_useful_precision():
    metrics = {"epoch": 3, "train_loss": 0.25, "train_acc": 0.9, "val_loss": 0.3, "val_acc": 0.85, "lr": 0.01}
    assert epoch_line({**metrics, "seconds": 0.034}, 10).endswith("lr 0.01  0.03 s")
    assert epoch_line({**metrics, "seconds": 12.34}, 10) == ("epoch   3/10  train loss 0.2500 acc 90.00%  "
                                                             "val loss 0.3000 acc 85.00%  lr 0.01  12.3 s")
