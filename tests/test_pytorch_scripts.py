"""PyTorch scripts run unchanged on graphlab: only their import lines are rewritten.

Each file in ``tests/pytorch_scripts/`` is a PyTorch script written from PyTorch's
documented examples (the polynomial fits of "Learning PyTorch with Examples" in
all their forms, the two-layer net with its backward by hand, the Quickstart on a
slice of Fashion-MNIST) and from a lecture and an introductory course. The runner
reads each file, rewrites its ``torch`` imports to ``graphlab.tensor`` (nothing
else), runs it, and — where PyTorch is installed — runs the unchanged file with
PyTorch too and compares every line that reports a result, number by number, to
1e-5 relative.

Both runs draw the same random numbers: graphlab's generator is seeded, and in the
PyTorch run ``torch.randn``, ``Tensor.uniform_`` and the others draw from the same
NumPy stream the same way (so ``nn.Linear`` starts from the same weights in both).
"""

from __future__ import annotations

import contextlib
import io
import math
import random
import re
from pathlib import Path

import numpy as np
import pytest

import graphlab.tensor as gt

SCRIPTS = Path(__file__).parent / "pytorch_scripts"
SEED = 0
RTOL = 1e-5
ATOL = 1e-6
"""Numbers that should be 0 (a fitted coefficient of an odd function's even power) are compared to this."""
NEEDS_DATA = {"quickstart": Path("/usr/share/datasets/fashion-mnist")}

_IMPORTS = [
    (re.compile(r"^import torch$"), "import graphlab.tensor as torch"),
    (re.compile(r"^import torch\.([\w.]+) as (\w+)$"), r"import graphlab.tensor.\1 as \2"),
    (re.compile(r"^from torch import (.+)$"), r"from graphlab.tensor import \1"),
    (re.compile(r"^from torch\.([\w.]+) import (.+)$"), r"from graphlab.tensor.\1 import \2"),
]
RESULT_LINE = re.compile(r"loss|accuracy|result|error|predicted|equals|^\d+ ", re.IGNORECASE)
"""The lines that report a result: a loss, an accuracy, a fitted polynomial, a prediction."""
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")
NODE_NAME = re.compile(r"grad_fn=<\w+>")
"""Node names differ in spelling (PyTorch's ``RsubBackward1`` for ``4.2 - b`` is graphlab's ``SubBackward``)."""


def as_graphlab(source: str) -> str:
    """``source`` with each ``torch`` import line pointed at ``graphlab.tensor``; every other line as it was."""
    lines = []
    for line in source.splitlines():
        for pattern, replacement in _IMPORTS:
            if pattern.match(line):
                line = pattern.sub(replacement, line)
                break
        lines.append(line)
    return "\n".join(lines) + "\n"


def run_script(source: str, name: str) -> str:
    """What the script prints, run as ``__main__`` with Python's ``random`` seeded."""
    random.seed(SEED)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source, name, "exec"), {"__name__": "__main__"})
    return out.getvalue()


def results(printed: str) -> list[tuple[str, list[float]]]:
    """Each result line as (its words, its numbers)."""
    found = []
    for line in printed.splitlines():
        if RESULT_LINE.search(line):
            line = NODE_NAME.sub("grad_fn=<…>", line)
            found.append((NUMBER.sub("#", line).replace("torch.", ""), [float(n) for n in NUMBER.findall(line)]))
    return found


class SameRandomNumbers:
    """PyTorch's random functions drawing from the NumPy stream graphlab's generator uses, the same way."""

    def __init__(self, torch, monkeypatch):
        self.torch, self.rng = torch, np.random.default_rng(SEED)
        dtypes = {torch.float32: np.float32, torch.float64: np.float64}
        patch = monkeypatch.setattr

        def size_of(size):
            return tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list, torch.Size)) else size

        def randn(*size, dtype=None, device=None, requires_grad=False, **_):
            values = self.rng.standard_normal(size_of(size), dtype=dtypes[dtype or torch.float32])
            return torch.from_numpy(values).requires_grad_(requires_grad)

        def normal(mean=0.0, std=1.0, size=None, *, requires_grad=False, **_):
            return (randn(*size) * std + mean).requires_grad_(requires_grad)

        def uniform_(tensor, a=0.0, b=1.0, **_):
            noise = torch.from_numpy(self.rng.random(tuple(tensor.shape), dtype=dtypes[tensor.dtype]))
            with torch.no_grad():
                return tensor.copy_(noise * (b - a) + a)

        def manual_seed(seed):
            self.rng = np.random.default_rng(seed)

        patch(torch, "randn", randn)
        patch(torch, "normal", normal)
        patch(torch, "manual_seed", manual_seed)
        patch(torch.Tensor, "uniform_", uniform_)


def script_names() -> list[str]:
    return sorted(path.stem for path in SCRIPTS.glob("*.py"))


def test_the_rewrite_changes_import_lines_only():
    for name in script_names():
        source = (SCRIPTS / f"{name}.py").read_text()
        changed = [(a, b) for a, b in zip(source.splitlines(), as_graphlab(source).splitlines()) if a != b]
        assert changed, f"{name} imports nothing from torch"
        assert all(re.match(r"(import|from) torch\b", a) and "graphlab.tensor" in b for a, b in changed), changed


@pytest.mark.parametrize("name", script_names())
def test_script_runs_on_graphlab_as_on_pytorch(name, monkeypatch, tmp_path):
    if name in NEEDS_DATA and not NEEDS_DATA[name].is_dir():
        pytest.skip(f"{name} reads {NEEDS_DATA[name]} (apt-get install dataset-fashion-mnist)")
    source = (SCRIPTS / f"{name}.py").read_text()
    monkeypatch.chdir(tmp_path)
    gt.manual_seed(SEED)
    ours = results(run_script(as_graphlab(source), f"{name}.py"))
    assert ours, f"{name} printed no result line"
    assert all(math.isfinite(v) for _, numbers in ours for v in numbers)
    torch = pytest.importorskip("torch")
    SameRandomNumbers(torch, monkeypatch)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # PyTorch's worker threads only fight the tests for a small machine's cores
    try:
        theirs = results(run_script(source, f"{name}.py"))
    finally:
        torch.set_num_threads(threads)
    assert [words for words, _ in ours] == [words for words, _ in theirs]
    for (words, mine), (_, reference) in zip(ours, theirs):
        np.testing.assert_allclose(mine, reference, rtol=RTOL, atol=ATOL, err_msg=words)
