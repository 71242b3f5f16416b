"""Hard tanh, added as one entry of the ops table, works everywhere an op works.

Formulas in both syntaxes, ``Value`` and ``Tensor`` methods, ``graphlab.tensor``
and ``nn.functional``, every renderer, the explorer, the variant checks: none of
them was touched to add it. Its gradient is 1 strictly inside [min_val, max_val]
and 0 outside and on the bounds, as PyTorch's.
"""

from __future__ import annotations

import asyncio
import json

import numpy as np
import pytest

import graphlab.nn.functional as F
import graphlab.tensor as gt
from graphlab import RoundingPolicy, Trace, Value
from graphlab.formula import FormulaError, parse, to_text
from graphlab.solve import solve


def test_a_formula_in_python_syntax():
    trace = solve("hardtanh(x, -0.5, 0.5) * y + hardtanh(y)", {"x": 0.3, "y": 2.0})
    assert trace.value == pytest.approx(0.3 * 2.0 + 1.0)
    assert trace.grads() == {"x": pytest.approx(2.0), "y": pytest.approx(0.3)}  # y = 2 is clipped: no gradient


def test_latex_reads_the_same_tree_as_python():
    python = to_text(parse("hardtanh(x_0) * y", syntax="python"))
    assert python == "hardtanh(x0, -1, 1)*y"
    assert to_text(parse(r"\operatorname{Hardtanh}(x_0) \cdot y", syntax="latex")) == python
    assert to_text(parse(r"\mathrm{hardtanh}\left(x_0, -1, 1\right) y", syntax="latex")) == python


def test_a_formula_with_bounds_in_the_wrong_order_is_refused_at_the_call():
    with pytest.raises(FormulaError, match=r"hardtanh\(\): min_val cannot be greater than max_val") as caught:
        parse("x + hardtanh(x, 1, -1)", syntax="python")
    assert caught.value.column == 4


def test_value_methods_and_pytorchs_gradient_at_the_bounds():
    x = Value(6.0, "x")
    relu6 = x.hardtanh(0.0, 6.0)
    relu6.backward()
    assert relu6.data == 6.0 and x.grad == 0.0  # on the bound: no gradient, as torch.nn.functional.hardtanh
    y = Value(0.25, "y")
    (y.hardtanh(min_val=-0.5) * 4).backward()
    assert y.grad == 4.0
    with pytest.raises(ValueError, match="hardtanh: min_val cannot be greater than max_val"):
        y.hardtanh(2.0, 1.0)


def test_tensor_method_and_functions_match_pytorch():
    torch = pytest.importorskip("torch")
    values = [-3.0, -1.0, -0.5, 0.0, 0.7, 1.0, 2.5]
    x = gt.tensor(values, dtype="float64", requires_grad=True)
    out = x.hardtanh() * gt.tensor(np.arange(7.0))
    out.sum().backward()
    t = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    (torch.nn.functional.hardtanh(t) * torch.arange(7.0, dtype=torch.float64)).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), t.grad.numpy())
    np.testing.assert_array_equal(gt.hardtanh(x, -0.5, 0.5).numpy(), F.hardtanh(x, -0.5, 0.5).numpy())
    assert gt.tensor([-3, 0, 4]).hardtanh().dtype == "int64"  # integers stay integers, as in PyTorch


def test_every_renderer_shows_it():
    from graphlab.render.graphviz_render import to_graphviz
    from graphlab.render.tables import node_rows, to_latex
    from graphlab.render.tikz import to_tikz

    trace = solve("hardtanh(x, 0, 6)", {"x": 7.5}, RoundingPolicy(2))
    root = trace.root
    assert root.symbol == "Hardtanh(0, 6)" and root.params == {"min_val": 0.0, "max_val": 6.0}
    assert "Hardtanh(0, 6)" in to_graphviz(trace).source
    row = node_rows(trace)[-1]
    assert row["op"] == "Hardtanh(0, 6)" and row["rule"] == "∂/∂a = [min_val < a < max_val]"
    assert row["local"] == "∂/∂x = 0.00" and row["value"] == "6.00"
    assert r"\mathrm{Hardtanh(0, 6)}" in to_tikz(trace) and "Hardtanh(0, 6)" in to_latex(trace)
    data = json.loads(trace.to_json())
    assert data["nodes"][-1]["op"] == "hardtanh" and Trace.from_json(trace.to_json()).root.params == root.params


def test_the_explorer_inspects_it():
    from textual.widgets import Static

    from graphlab.tui.app import ExplorerApp
    from graphlab.tui.problem import open_source

    async def inspect() -> str:
        app = ExplorerApp(open_source("hardtanh(x) * y", {"x": 0.5, "y": 3.0}))
        async with app.run_test(size=(160, 40)) as pilot:
            await pilot.press("space")  # the forward pass's first node: the hard tanh
            await pilot.pause()
            return str(app.query_one("#inspector-body", Static).content)

    text = asyncio.run(inspect())
    assert text.startswith("Hardtanh(-1, 1)  hardtanh(x, -1, 1)")
    assert "out = Hardtanh(-1, 1)(a) (min_val = -1, max_val = 1) = 0.5" in text
    assert "∂(Hardtanh(-1, 1)(a))/∂a = [min_val < a < max_val]" in text


def test_variants_keep_away_from_its_bounds():
    from graphlab.exercise.file import loads
    from graphlab.exercise.variants import problems

    exercise = loads('id = "h"\ntitle = "h"\n[formula]\npython = "hardtanh(x) * y"\n[inputs]\nx = 1.0\ny = 2.0\n',
                     "h.toml")
    assert any("hardtanh at its upper bound" in problem for problem in problems(exercise))
    assert not problems(exercise.with_inputs({"x": 0.5, "y": 2.0}))
