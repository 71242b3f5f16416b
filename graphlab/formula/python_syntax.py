"""Python-style formula text → expression tree, by a whitelist walk of ``ast``.

``ast.parse`` only reads the text; nothing is compiled or evaluated. The walk
accepts numbers, input names, ``+ - * / **``, unary signs and calls of the
operations table by bare name, and refuses every other node with its column.
Nothing is folded either: ``9**9**9**9`` is three ``pow`` nodes.
"""

from __future__ import annotations

import ast
import re
import warnings

from graphlab.formula import _nodes
from graphlab.formula.errors import FormulaError
from graphlab.formula.expr import Call, Expr, Name, Num, Span, canonical_name
from graphlab.ops import ALIASES, OPS

_LOOKS_LIKE_INPUT = re.compile(r"^[A-Za-z]{1,2}_?\d*$")
_ARITHMETIC = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
"""Python's binary operators that a formula may use besides ``**``, by how they are written."""
_BINARY = {kind: next(op.name for op in OPS.values() if op.arity == 2 and op.operator == symbol)
           for kind, symbol in _ARITHMETIC.items()}
"""Each of those operators' op in the table."""

_OPERATOR_SYMBOLS = {ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.LShift: "<<",
                     ast.RShift: ">>", ast.BitOr: "|", ast.BitAnd: "&", ast.Invert: "~",
                     ast.Not: "not"}

_FOUND = {
    ast.Attribute: "an attribute access ('.')", ast.Subscript: "a subscript ('[...]')",
    ast.Lambda: "a lambda", ast.ListComp: "a comprehension", ast.SetComp: "a comprehension",
    ast.DictComp: "a comprehension", ast.GeneratorExp: "a generator expression",
    ast.Compare: "a comparison", ast.BoolOp: "'and'/'or'", ast.IfExp: "an 'if ... else'",
    ast.Tuple: "a tuple (a comma outside a function call)", ast.List: "a list", ast.Set: "a set",
    ast.Dict: "a dict", ast.JoinedStr: "an f-string", ast.FormattedValue: "an f-string",
    ast.NamedExpr: "an assignment (':=')", ast.Starred: "a starred argument ('*')",
    ast.Await: "'await'", ast.Yield: "'yield'", ast.YieldFrom: "'yield from'", ast.Slice: "a slice",
}

_STATEMENTS = {ast.Assign: "an assignment", ast.AugAssign: "an assignment",
               ast.AnnAssign: "an annotated assignment", ast.Import: "an import",
               ast.ImportFrom: "an import"}


def parse_python(text: str) -> Expr:
    """The expression tree of a Python-style formula; a ``FormulaError`` for anything else."""
    if "\0" in text:
        raise FormulaError("the formula contains a NUL character", text, text.index("\0"))
    try:
        text.encode()
    except UnicodeEncodeError as err:  # a lone surrogate: not text Python can read
        raise FormulaError(f"the formula contains an invalid character {text[err.start]!r}", text, err.start) from None
    if "#" in text:  # Python would drop the rest of the line as a comment
        column = text.index("#")
        rest = text[column + 1:].strip()
        raise FormulaError(f"'#' starts a comment, so {_nodes.clip(rest)!r} would be ignored; "
                           "a formula has no comments" if rest else "'#' starts a comment; a formula has none",
                           text, column)
    positions = _Positions(text)
    tree = _read(text, positions)
    return _Walker(text, positions).walk(tree.body, 1)


def _read(text: str, positions: _Positions) -> ast.Expression:
    """``ast.parse`` with each of its failures turned into a FormulaError at the right column."""
    try:
        return _quiet_parse(positions.body, "eval")
    except SyntaxError as err:
        raise _diagnose(text, positions, err) from None
    except (ValueError, MemoryError, RecursionError):
        raise FormulaError("the formula is nested too deeply for Python's parser", text, 0) from None


def _quiet_parse(source: str, mode: str) -> ast.AST:
    """``ast.parse`` without the warnings Python prints about odd literals (``1if``, ``"\\d"``)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        return ast.parse(source, mode=mode)


def _diagnose(text: str, positions: _Positions, err: SyntaxError) -> FormulaError:
    """Name a statement (``x = 1``, ``a; b``) if that is what was written, else Python's message."""
    try:
        statements = _quiet_parse(positions.body, "exec").body
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        statements = []
    if len(statements) > 1:
        second = statements[1]
        return FormulaError(f"found {len(statements)} statements; a formula is one expression",
                            text, positions.column(second.lineno, second.col_offset))
    if statements and not isinstance(statements[0], ast.Expr):
        found = _STATEMENTS.get(type(statements[0]), f"a '{type(statements[0]).__name__.lower()}' statement")
        return FormulaError(f"found {found}; a formula is one expression", text,
                            positions.column(statements[0].lineno, statements[0].col_offset))
    message = err.msg
    if message.startswith("Exceeds the limit"):
        message = "a number with more than 4300 digits"
    if err.lineno is None or not err.offset:
        return FormulaError(f"the formula ends too early ({message})" if message == "invalid syntax"
                            else message, text, len(text.rstrip()))
    column = positions.line_start(err.lineno) + err.offset - 1  # SyntaxError counts characters
    return FormulaError(message, text, max(0, min(column, len(text))))


class _Positions:
    """``ast`` positions (1-based line, UTF-8 byte offset) → character offsets in the text.

    Python reads leading blanks as an indent, so the formula's ``body`` starts at
    its first non-blank character and every column is shifted back by the blanks.
    """

    def __init__(self, text: str):
        self.body = text.lstrip()
        self.lines = re.split(r"(?<=\r\n)|(?<=\r)(?!\n)|(?<=\n)", self.body)
        self.starts = [len(text) - len(self.body)]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))

    def line_start(self, lineno: int) -> int:
        return self.starts[min(lineno, len(self.lines)) - 1]

    def column(self, lineno: int, byte_offset: int) -> int:
        line = self.lines[min(lineno, len(self.lines)) - 1]
        return self.line_start(lineno) + len(line.encode()[:byte_offset].decode(errors="ignore"))


class _Walker:
    """One pass over the ``ast``: each allowed node becomes a tree node, any other is an error."""

    def __init__(self, text: str, positions: _Positions):
        self.text = text
        self.positions = positions

    def span(self, node: ast.AST) -> Span:
        return (self.positions.column(node.lineno, node.col_offset),
                self.positions.column(node.end_lineno, node.end_col_offset))

    def fail(self, message: str, node: ast.AST) -> FormulaError:
        return FormulaError(message, self.text, self.span(node)[0])

    def walk(self, node: ast.AST, depth: int) -> Expr:
        if depth > _nodes.MAX_DEPTH:
            raise _nodes.too_deep(self.text, self.span(node)[0])
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Name):
            if node.id in _nodes.CONSTANTS:
                return Num(_nodes.CONSTANTS[node.id], node.id, self.span(node))
            return Name(canonical_name(node.id), self.span(node))
        if isinstance(node, ast.UnaryOp):
            return self.unary(node, depth)
        if isinstance(node, ast.BinOp):
            return self.binary(node, depth)
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        found = _FOUND.get(type(node), f"a Python {type(node).__name__} expression")
        column = self.dot_column(node) if isinstance(node, ast.Attribute) else self.span(node)[0]
        raise FormulaError(f"{found} is not allowed in a formula; a formula uses numbers, input names, "
                        "+ - * / **, parentheses and functions such as exp(...)", self.text, column)

    def dot_column(self, node: ast.Attribute) -> int:
        """Where the '.' of an attribute access is, so the caret points at it."""
        start = self.span(node.value)[1]
        return start + max(self.text.find(".", start) - start, 0)

    def constant(self, node: ast.Constant) -> Expr:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float, complex)):
            raise self.fail(f"{type(value).__name__} {_nodes.clip(repr(value))} is not a number", node)
        if isinstance(value, complex):
            raise self.fail(f"the complex number {_nodes.clip(repr(value))} is not allowed; "
                            "formulas are real-valued", node)
        span = self.span(node)
        return _nodes.number(value, self.text[span[0]:span[1]], span, self.text)

    def unary(self, node: ast.UnaryOp, depth: int) -> Expr:
        if isinstance(node.op, ast.USub):
            return _nodes.negate(self.walk(node.operand, depth + 1), self.span(node))
        if isinstance(node.op, ast.UAdd):
            return self.walk(node.operand, depth + 1)
        raise self.fail(f"the operator '{_OPERATOR_SYMBOLS[type(node.op)]}' is not allowed in a formula", node)

    def binary(self, node: ast.BinOp, depth: int) -> Expr:
        kind = type(node.op)
        if kind is ast.BitXor:
            raise FormulaError("'^' is not a power in Python syntax: write x**2 "
                               "(or use LaTeX syntax, where x^2 is a power)", self.text, self.operator_column(node))
        if kind not in _BINARY and kind is not ast.Pow:
            raise FormulaError(f"the operator '{_OPERATOR_SYMBOLS[kind]}' is not allowed in a formula; "
                               "use + - * / **", self.text, self.operator_column(node))
        left = self.walk(node.left, depth + 1)
        right = self.walk(node.right, depth + 1)
        if kind is ast.Pow:
            return _nodes.power(left, right, self.span(node))
        return Call(_BINARY[kind], (left, right), (), self.span(node))

    def operator_column(self, node: ast.BinOp) -> int:
        """Where the operator symbol between the two operands starts."""
        start = self.span(node.left)[1]
        gap = self.text[start:self.span(node.right)[0]]
        symbol = _OPERATOR_SYMBOLS.get(type(node.op), "^")
        return start + max(gap.find(symbol), 0)

    def call(self, node: ast.Call, depth: int) -> Expr:
        if not isinstance(node.func, ast.Name):
            self.walk(node.func, depth + 1)  # names an attribute, a lambda... if that is what is called
            raise FormulaError("only functions called by name are allowed, such as exp(x); "
                               "to multiply, write *", self.text, self.text.find("(", self.span(node.func)[1]))
        name = node.func.id
        op_name = self.resolve(name, node.func)
        if node.keywords:
            keyword = node.keywords[0]
            raise self.fail(f"write the arguments of {name}() without names: {_nodes.signature(op_name)}", keyword)
        args = []
        for arg in node.args:  # a loop, not a comprehension: one stack frame less per level
            args.append(self.walk(arg, depth + 1))
        return _nodes.apply(op_name, args, self.span(node), self.text, shown=name)

    def resolve(self, name: str, func: ast.Name) -> str:
        """The op ``name`` calls; ``x0(y + 1)`` is more likely a missing ``*`` than a function."""
        column = self.span(func)[0]
        if _LOOKS_LIKE_INPUT.match(name) and ALIASES.get(name, name) not in OPS:
            raise FormulaError(f"{name}(...) calls an unknown function {name!r}; "
                               f"to multiply, write {name}*(...)", self.text, column)
        return _nodes.resolve(name, self.text, column)
