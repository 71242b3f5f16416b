"""The README shows real output: its table is what `graphlab solve variant-2` prints."""

import os
import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_opens_with_the_two_commands():
    blocks = re.findall(r"```bash\n(.*?)```", README.read_text(), re.S)
    assert blocks[0].strip() == "bash scripts/setup.sh && .venv/bin/graphlab solve variant-2 --render out/variant-2.svg"
    assert blocks[1].strip() == "bash scripts/setup.sh --test && .venv/bin/python -m pytest"
    ci = (README.parent / ".ci" / "run").read_text()
    assert blocks[1].strip() in ci


def test_readme_table_is_the_real_output():
    shown = re.search(r"<!-- solve-variant-2 -->\n```text\n(.*?)\n```", README.read_text(), re.S).group(1)
    result = subprocess.run([sys.executable, "-m", "graphlab", "solve", "variant-2"], capture_output=True,
                            text=True, env={**os.environ, "COLUMNS": "100"}, check=True)
    assert result.stdout.rstrip("\n") == shown
