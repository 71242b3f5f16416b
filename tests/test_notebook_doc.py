"""docs/graphlab-in-jupyter.ipynb, executed in a real kernel: each cell gives the outputs a reader should see.

One output per object (a diagram is one SVG, never a table printed beside it),
no stray stream output (no warning about ipywidgets, no escape codes), the
explorer as a widget view, and the training run as one display updated in place.
"""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("anywidget")

NOTEBOOK = Path(__file__).resolve().parents[1] / "docs" / "graphlab-in-jupyter.ipynb"
DIAGRAM = ["image/svg+xml", "text/html", "text/plain"]
TENSOR_DIAGRAM = ["image/svg+xml", "text/plain"]
WIDGET = ["application/vnd.jupyter.widget-view+json", "text/plain"]


@pytest.fixture(scope="module")
def executed():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def shape(cell) -> list[tuple[str, list[str]]]:
    """Each output of a cell: its type and its MIME types."""
    return [(o.output_type, sorted(o.get("data", {})) if "data" in o else [o.get("name", "")]) for o in cell.outputs]


def test_every_cell_shows_what_a_reader_expects(executed):
    assert [shape(cell) for cell in executed] == [
        [],                                            # imports
        [("execute_result", DIAGRAM)],                 # the exercise's trace
        [("execute_result", DIAGRAM)],                 # the same graph built with Value
        [("execute_result", WIDGET)],                  # the explorer
        [("execute_result", TENSOR_DIAGRAM)],          # a tensor trace, one box per layer
        [("execute_result", TENSOR_DIAGRAM)],          # a network after its forward pass
        [("execute_result", ["text/plain"])],          # a tensor, as PyTorch prints it
        [("display_data", ["text/html", "text/plain"])],  # fit's live progress, one display
        [("execute_result", ["text/plain"])],
    ]


def test_each_diagram_is_one_svg_and_the_table_comes_with_it(executed):
    for cell in executed[1:3]:
        data = cell.outputs[0].data
        assert data["image/svg+xml"].count("<svg") == 1 and data["text/html"].count("<svg") == 1
        assert "∂f/∂x0 = 40.00" in data["text/html"] and "∂f/∂x0 = 40.00" in data["text/plain"]
    assert "1:Linear" in executed[4].outputs[0].data["image/svg+xml"]


def test_the_tensor_prints_as_pytorch_does(executed):
    text = executed[6].outputs[0].data["text/plain"]
    assert text.startswith("tensor([[") and text.count("\n") == 1 and "grad_fn=<" in text


def test_training_draws_a_bar_in_place_without_escape_codes(executed):
    progress = executed[7].outputs[0]
    assert "\x1b" not in progress.data["text/plain"] and "\x1b" not in progress.data["text/html"]
    assert progress.data["text/plain"].splitlines()[-1].startswith("epoch   3/3  train loss")
    assert "<progress" not in progress.data["text/html"]  # the bar goes when training ends; the lines stay
    assert executed[8].outputs[0].data["text/plain"].startswith("'best validation accuracy")
