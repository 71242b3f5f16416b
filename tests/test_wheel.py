"""The package as users install it: a wheel built from this tree, installed into a fresh virtual environment.

The wheel carries py.typed, the LICENSE and the bundled exercises; its console
script solves the lecture's exercise and lists the bundled ones; SymPy is no
longer among its requirements; and mypy sees graphlab's own types in a user's
script. The fresh environment borrows this one's installed dependencies (numpy,
rich, …) through a path file, so the test copies nothing large.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytest.importorskip("build")
pytest.importorskip("hatchling")


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """The sdist and the wheel, built without network access from this tree."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--sdist", "--wheel", "--outdir", str(out),
                    str(ROOT)], check=True, capture_output=True)
    return out


@pytest.fixture(scope="module")
def installed(dist, tmp_path_factory) -> Path:
    """A fresh venv with the wheel installed; returns its bin folder."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    Path(purelib, "borrowed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    wheel = next(dist.glob("graphlab-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
                    "--quiet", str(wheel)], check=True, capture_output=True)
    return venv / "bin"


def test_the_wheel_carries_types_licence_and_exercises_but_not_sympy(dist):
    with zipfile.ZipFile(next(dist.glob("graphlab-*.whl"))) as wheel:
        names = wheel.namelist()
        metadata = wheel.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "graphlab/py.typed" in names and "graphlab/bundled_exercises/variant-2.toml" in names
    assert {"graphlab/widget/explorer.js", "graphlab/widget/explorer.css", "graphlab/tui/app.tcss",
            "graphlab/tui/tensor_app.tcss"} <= set(names)
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    requires = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    assert not [r for r in requires if "sympy" in r and "extra ==" not in r]
    assert any("sympy" in r and "extra == 'test'" in r for r in requires)
    for classifier in ("Intended Audience :: Education", "Framework :: Jupyter",
                       "Intended Audience :: Science/Research", "Typing :: Typed"):
        assert f"Classifier: {classifier}" in metadata
    assert "License-Expression: MIT" in metadata and "Project-URL: Source," in metadata and "Keywords:" in metadata


def test_the_sdist_carries_the_licence_and_the_tests(dist):
    with tarfile.open(next(dist.glob("graphlab-*.tar.gz"))) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert {"LICENSE", "graphlab/py.typed", "exercises/variant-2.toml", "tests/test_wheel.py"} <= names


def test_the_installed_command_solves_and_lists(installed, tmp_path):
    solved = subprocess.run([str(installed / "graphlab"), "solve", "variant-2"], capture_output=True, text=True,
                            cwd=tmp_path, env={"COLUMNS": "100", "PATH": "/usr/bin:/bin"})
    assert solved.returncode == 0, solved.stderr
    assert solved.stdout.splitlines()[-5:] == ["f = 20.00", "∂f/∂x0 = 40.00", "∂f/∂x1 = -40.00", "∂f/∂y0 = 20.00",
                                               "∂f/∂y1 = -20.00"]
    listed = subprocess.run([str(installed / "graphlab"), "exercises"], capture_output=True, text=True, cwd=tmp_path)
    assert listed.returncode == 0 and listed.stdout.startswith("variant-2")
    imported = subprocess.run([str(installed / "python"), "-c", "import graphlab; print(graphlab.__file__)"],
                              capture_output=True, text=True, cwd=tmp_path, check=True)
    assert imported.stdout.startswith(str(installed.parent))  # the wheel's copy, not this source tree


def test_mypy_sees_graphlabs_types_in_a_users_script(installed, tmp_path):
    pytest.importorskip("mypy")
    script = tmp_path / "user.py"
    script.write_text("from graphlab import Value\n"
                      "x = Value(2.0, 'x')\n"
                      "reveal_type(x.trace().grads())\n")
    result = subprocess.run([sys.executable, "-m", "mypy", "--python-executable", str(installed / "python"),
                             "--no-incremental", "--follow-imports=silent", str(script)],
                            capture_output=True, text=True, cwd=tmp_path)
    assert "Revealed type is \"dict[str, float]\"" in result.stdout, result.stdout  # Any without py.typed
