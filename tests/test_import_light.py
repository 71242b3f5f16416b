"""`import graphlab` stays light: heavy libraries load only when a feature needs them."""

import subprocess
import sys


def loaded_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {name.split(".")[0] for name in result.stdout.split()}


def test_import_graphlab_loads_no_heavy_library():
    modules = loaded_after("import graphlab")
    assert not modules & {"sympy", "graphviz", "networkx", "textual", "cupy", "torch", "numpy", "rich", "anywidget",
                          "ipywidgets", "traitlets", "IPython", "textual_serve", "matplotlib", "argcomplete"}


def test_solving_a_formula_needs_none_of_them_either():
    modules = loaded_after("from graphlab.solve import solve; "
                           "solve('x0 / exp(-(x0*y0 + x1*y1))', dict(x0=1, x1=-1, y0=1, y1=-2))")
    assert not modules & {"sympy", "graphviz", "networkx", "textual", "cupy", "torch"}
