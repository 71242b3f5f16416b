#!/usr/bin/env bash
# Rebuild the handout pictures in this folder from real output.
# Needs Graphviz, poppler-utils (pdftoppm) and pdflatex with Beamer (and T2A fonts for Cyrillic).
set -euo pipefail
cd "$(dirname "$0")"
graphlab="${GRAPHLAB:-graphlab}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Worksheet and answer key of one of 30 variants, as PDF pages rendered to PNG.
$graphlab handout variant-2 --count 30 --seed 2026 --out "$work/set" --format pdf
pdftoppm -r 90 -png -singlefile "$work/set/v03/worksheet.pdf" variant-2-v03-worksheet
pdftoppm -r 90 -png -singlefile "$work/set/v03/key.pdf" variant-2-v03-key

# The lecture exercise in TikZ, compiled in a Beamer frame: blank, forward values, gradients.
$graphlab handout variant-2 --out "$work/lecture" --format tex
cp "$work/lecture/variant-2/graph.tex" variant-2-graph.tex
(cd "$work/lecture" && pdflatex -interaction=nonstopmode -halt-on-error slides.tex >/dev/null)
pdftoppm -r 150 -png "$work/lecture/slides.pdf" variant-2-beamer  # -1.png, -2.png, -3.png: one per overlay
