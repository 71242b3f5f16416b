"""Bad formulas get one FormulaError whose caret sits under the offending character."""

from __future__ import annotations

import inspect
import sys

import pytest

from graphlab.formula import FormulaError
from graphlab.formula.latex_syntax import parse_latex
from graphlab.formula.python_syntax import parse_python


def _error(parser, text) -> FormulaError:
    with pytest.raises(FormulaError) as info:
        parser(text)
    return info.value


def _check_caret(err: FormulaError, text: str, under: str) -> None:
    """The rendered caret points at ``under``; "" means just past the end (the text ended too early)."""
    _, line, caret = str(err).splitlines()
    if under:
        assert line[caret.index("^")] == under
    else:
        assert err.column == len(text) and caret.index("^") == len(line)


PYTHON_ERRORS = [
    # (text, character under the caret, words the message must contain)
    ("x^2", "^", "**"),
    ("x0 / * y0", "*", "invalid syntax"),
    ("αβ + * 2", "*", "invalid syntax"),
    ("x0 + y.real", ".", "attribute"),
    ("().__class__.__mro__", ".", "attribute"),
    ("__import__('os').system('id')", ".", "attribute"),
    ("lambda: 1", "l", "lambda"),
    ("x = 1", "x", "assignment"),
    ("x; y", "y", "2 statements"),
    ("x + [1, 2]", "[", "list"),
    ("x[0]", "x", "subscript"),
    ("x if y else z", "x", "'if ... else'"),
    ("x < y", "x", "comparison"),
    ("x // 2", "/", "'//'"),
    ("x | y", "|", "'|'"),
    ("'a' + x", "'", "str"),
    ("2j * x", "2", "complex"),
    ("x * 1e999", "1", "too large"),
    ("True + x", "T", "bool"),
    ("sqr(x)", "s", "did you mean sqrt, square"),
    ("x0(y + 1)", "x", "to multiply, write x0*(...)"),
    ("(x)(y)", "x", "to multiply, write x*(...)"),
    ("(x + 1)(y)", "(", "to multiply, write *"),
    ("exp(x, y)", "e", "exp() takes 1 argument, got 2"),
    ("max(x)", "m", "max() takes 2 arguments"),
    ("leaky_relu(x, y)", "y", "slope of leaky_relu() must be a number"),
    ("leaky_relu(x, slope=0.1)", "s", "without names"),
    ("exp(*x)", "*", "starred"),
    ("x\0", "␀", "NUL"),
    ("x + 'a\ud800'", "\ud800", "invalid character"),
    ("exp(x) +", "", "ends too early"),
]


@pytest.mark.parametrize("text, under, words", PYTHON_ERRORS)
def test_python_errors_point_at_the_place(text, under, words):
    err = _error(parse_python, text)
    assert words in err.message
    _check_caret(err, text, under)


LATEX_ERRORS = [
    (r"\frac{x_0}{e^{x}", "", "expected '}' to close the '{' opened at column 11"),
    (r"\left( x \right]", "]", r"expected '\right)'"),
    (r"\left| x \right)", ")", r"expected '\right|'"),
    (r"\fracc{1}{2}", "\\", r"did you mean \frac"),
    (r"\sigmoid(x)", "\\", r"did you mean \sigma"),
    (r"\operatorname{relux}(x)", "r", "did you mean relu"),
    ("x^23", "2", "write ^{23}"),
    ("x_12", "1", "write _{12}"),
    ("x^y^z", "^", "second '^'"),
    ("x^2_0", "_", "subscript before the power"),
    ("x )", ")", "closes nothing"),
    ("|x", "", "expected '|'"),
    (r"\sin^2 x", "^", r"(\sin x)^2"),
    ("2 3", "3", "two numbers in a row"),
    (r"\ln", "", r"argument of \ln"),
    ("f(x) = x^2", "=", "right-hand side"),
    (r"x \cdot", "", "expected a number"),
    (r"\cdot x", "\\", r"before \cdot"),
    ("x^", "", "exponent after '^'"),
    (r"\right)", "\\", "closes nothing"),
    ("x € y", "€", "unexpected character"),
    (r"\max(x)", "\\", "takes 2 arguments"),
    (r"\mathrm{LReLU}(x, y)", "y", "slope of LReLU() must be a number"),
    (r"\sqrt[3]{x}", "[", "square roots"),
    ("{}", "}", "expected a number"),
    ("x + \\", "\\", "a '\\' ends the formula"),
    ("1" * 400, "1", "too large"),
]


@pytest.mark.parametrize("text, under, words", LATEX_ERRORS)
def test_latex_errors_point_at_the_place(text, under, words):
    err = _error(parse_latex, text)
    assert words in err.message
    _check_caret(err, text, under)


def test_the_message_names_the_column_one_based():
    err = _error(parse_latex, r"\frac{x_0}{e^{x}")
    assert str(err).startswith("column 17: expected '}' to close the '{' opened at column 11")


def test_deep_nesting_is_a_formula_error_in_both_syntaxes():
    assert "nested too deeply" in _error(parse_latex, "{" * 51 + "x" + "}" * 51).message
    assert "nested too deeply" in _error(parse_latex, "-" * 201 + "x").message
    assert "nested too deeply" in _error(parse_latex, "+".join("x" * 201)).message
    assert "nested too deeply" in _error(parse_python, "-" * 201 + "x").message
    assert "nested too deeply" in _error(parse_python, "+".join("x" * 201)).message
    assert "nested parentheses" in _error(parse_python, "(" * 300 + "x" + ")" * 300).message


def test_nesting_up_to_the_limit_is_read():
    assert parse_latex("{" * 50 + "x" + "}" * 50).name == "x"
    assert parse_latex(r"\operatorname{relu}\left(" * 50 + "x" + r"\right)" * 50).op == "relu"
    assert parse_python("-" * 199 + "x").op == "neg"
    assert parse_python("exp(" * 199 + "x" + ")" * 199).op == "exp"


def test_the_deepest_formulas_leave_most_of_the_stack_free():
    """The limits keep a parser within 500 frames, so a caller deep in its own stack is safe."""
    deepest = [(parse_latex, r"\operatorname{relu}\left(" * 50 + "x" + r"\right)" * 50),
               (parse_latex, "|" * 50 + "x" + "|" * 50),
               (parse_python, "exp(" * 199 + "x" + ")" * 199),
               (parse_python, "-" * 199 + "x")]
    base = len(inspect.stack(0))
    limit = sys.getrecursionlimit()
    try:
        sys.setrecursionlimit(base + 500)
        for parser, text in deepest:
            parser(text)
    finally:
        sys.setrecursionlimit(limit)


def test_odd_literals_print_no_python_warnings(recwarn):
    for text in ["1if x else 2", "'\\d'", "0x1for"]:
        with pytest.raises(FormulaError):
            parse_python(text)
    assert not [w for w in recwarn.list if issubclass(w.category, (SyntaxWarning, DeprecationWarning))]


@pytest.mark.parametrize("text", ["(x\r+ *1)", "(x\r\n+ *1)", "(αβ\n+ *1)", "  (x\n+ y.z)", "(α\r\n+ β.z)"])
def test_columns_count_characters_across_lines_and_leading_blanks(text):
    err = _error(parse_python, text)
    assert text[err.column] in "*."
