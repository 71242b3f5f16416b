#!/usr/bin/env bash
# Set up graphlab on a fresh Debian/Ubuntu machine: the Graphviz binary (when it
# can be installed), a virtual environment in .venv, and the package itself.
#
#   bash scripts/setup.sh          # to use graphlab
#   bash scripts/setup.sh --test   # also the test tools, Chromium for the browser tests, and PyTorch
set -euo pipefail
cd "$(dirname "$0")/.."

with_tests=0
[ "${1:-}" = "--test" ] && with_tests=1
python=${PYTHON:-python3}

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "graphlab needs Python 3.11 or newer; set PYTHON=/path/to/python3.11" >&2
    exit 1
fi

system_packages=()
command -v dot >/dev/null || system_packages+=(graphviz)
"$python" -c 'import ensurepip, venv' 2>/dev/null || system_packages+=(python3-venv)
[ -d /usr/share/datasets/fashion-mnist ] || system_packages+=(dataset-fashion-mnist)
if [ $with_tests -eq 1 ]; then
    # The browser tests drive Debian's headless Chromium (they skip where it is missing).
    command -v chromium >/dev/null || system_packages+=(chromium)
    command -v chromedriver >/dev/null || system_packages+=(chromium-driver)
fi
if [ ${#system_packages[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=$(command -v sudo || true)
    if command -v apt-get >/dev/null && { [ "$(id -u)" -eq 0 ] || [ -n "$sudo" ]; }; then
        echo "installing ${system_packages[*]} with apt-get" >&2
        $sudo apt-get update -qq || true
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            "${system_packages[@]}" >/dev/null \
            || echo "warning: apt-get could not install ${system_packages[*]}" >&2
    else
        echo "warning: please install ${system_packages[*]} (no apt-get or no root); diagrams fall back to DOT files" >&2
    fi
fi

[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ $with_tests -eq 1 ]; then
    .venv/bin/python -m pip install -q -e ".[test]"
    # PyTorch is optional: the parity tests skip without it.
    .venv/bin/python -m pip install -q torch==2.13.0 \
        || echo "warning: PyTorch 2.13.0 not installed; the PyTorch parity tests will be skipped" >&2
else
    .venv/bin/python -m pip install -q -e .
fi
