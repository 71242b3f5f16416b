"""LaTeX as pasted from slides → expression tree, by a tokenizer and a recursive descent.

``\\frac{x_0}{e^{-(x_0y_0+x_1y_1)}}`` gives the same tree as the Python-style
``x0 / exp(-(x0*y0 + x1*y1))``: precedence and associativity are Python's
(``a-b-c`` is ``(a-b)-c``, ``-x^2`` is ``-(x^2)``, ``-x y`` is ``(-x)·y``), and
implicit multiplication (``x_0y_0``, ``2x``, ``(a)(b)``) binds like ``*``. Each
letter is one variable, as LaTeX typesets it, so ``xy`` is ``x·y``. A bare ``e``
is Euler's number; ``e^{...}`` is ``exp``. Where LaTeX reads a character
differently from what a student probably meant (``x^23`` is ``x²·3``) the parser
asks for braces instead of guessing.

Nesting is limited explicitly, so deep input is a FormulaError, never a RecursionError.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from graphlab.formula import _nodes
from graphlab.formula.errors import FormulaError
from graphlab.formula.expr import Call, Expr, Name, Num, canonical_name
from graphlab.ops import OPS

MAX_NESTING = 50
"""Most groups, brackets and function arguments open at once.

Each level costs up to nine stack frames of the recursive descent, so 50 levels
stay far below Python's recursion limit of 1000 wherever the parser is called from.
"""

FUNCTIONS = {command: op.name for op in OPS.values() for command in op.commands}
"""Commands that apply an op of the table to their argument(s): each op declares its own (``\\ln`` is log)."""

NAME_COMMANDS = {"operatorname", "mathrm", "text", "textrm", "mathit"}
"""Commands whose braces hold a function name (``\\operatorname{ReLU}``) or a letter."""

GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
         "mu", "nu", "xi", "rho", "tau", "phi", "chi", "psi", "omega"}
"""Greek letters read as input names (``\\alpha`` is ``alpha``); σ is sigmoid and π a constant."""

IGNORED = {"quad", "qquad", "displaystyle", "textstyle", "big", "Big", "bigg", "Bigg", "bigl",
           "bigr", "Bigl", "Bigr", "biggl", "biggr", "Biggl", "Biggr"}
"""Commands that only change spacing or size."""

STRUCTURE = {"frac", "dfrac", "tfrac", "left", "right", "lvert", "rvert", "cdot", "times", "pi"}

KNOWN_COMMANDS = sorted({*FUNCTIONS, *NAME_COMMANDS, *GREEK, *IGNORED, *STRUCTURE})

_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")
_E_NOTATION = re.compile(r"([eE])([+-]?)([0-9]+)")
_COMMAND = re.compile(r"\\([A-Za-z]+|.?)", re.DOTALL)
_SPACING = {",", ";", ":", "!", " ", "\n", "\t"}
_SYMBOLS = set("+-*/^_()[]{}|,")
_UNICODE = {"−": "-", "·": "*", "⋅": "*", "×": "*"}
_FUNCTION_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_CLOSING = {"(": ")", "[": "]", "{": "}"}


@dataclass(frozen=True)
class Token:
    """One piece of the formula: ``kind`` is num, letter, cmd, sym or end."""

    kind: str
    text: str
    start: int
    end: int

    def is_(self, kind: str, *texts: str) -> bool:
        return self.kind == kind and (not texts or self.text in texts)

    def describe(self, source: str) -> str:
        if self.kind == "end":
            return "the end of the formula"
        if self.kind == "num":
            return f"the number {_nodes.clip(self.text)}"
        return f"'{_nodes.clip(source[self.start:self.end])}'"


def parse_latex(text: str) -> Expr:
    """The expression tree of a LaTeX formula; a ``FormulaError`` pointing at the place otherwise."""
    return _Parser(text).formula()


def tokenize(text: str) -> list[Token]:
    """The formula's tokens; spacing commands, ``$`` and ``~`` are dropped."""
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char.isspace() or char in "$~":
            i += 1
        elif char in "0123456789" or (char == "." and _NUMBER.match(text, i)):
            end = _NUMBER.match(text, i).end()
            if _E_NOTATION.match(text, end):
                raise _e_notation(text, i, end)
            tokens.append(Token("num", text[i:end], i, end))
            i = end
        elif char.isascii() and char.isalpha():
            tokens.append(Token("letter", char, i, i + 1))
            i += 1
        elif char == "\\":
            match = _COMMAND.match(text, i)
            name = match.group(1)
            if name.isalpha() and name not in IGNORED:
                tokens.append(Token("cmd", name, i, match.end()))
            elif name == "_":
                tokens.append(Token("sym", "_", i, match.end()))
            elif not name:
                raise FormulaError("a '\\' ends the formula; expected a command such as \\frac", text, i)
            elif name not in _SPACING and name not in IGNORED:
                raise FormulaError(f"unknown command \\{name}", text, i)
            i = match.end()
        elif char in _SYMBOLS or char in _UNICODE:
            tokens.append(Token("sym", _UNICODE.get(char, char), i, i + 1))
            i += 1
        elif char == "=":
            raise FormulaError("write only the right-hand side of the formula, without '='", text, i)
        else:
            raise FormulaError(f"unexpected character {char!r}", text, i)
    tokens.append(Token("end", "", len(text), len(text)))
    return tokens


def _e_notation(text: str, start: int, end: int) -> FormulaError:
    """``1e-3`` is 0.001 in Python but 1·e − 3 in LaTeX: refuse it and show how to write either."""
    match = _E_NOTATION.match(text, end)
    mantissa, (letter, sign, digits) = text[start:end], match.groups()
    exponent = ("-" if sign == "-" else "") + digits
    number = f"10^{{{exponent}}} or {mantissa}\\times10^{{{exponent}}}" if mantissa == "1" \
        else f"{mantissa}\\times10^{{{exponent}}}"
    euler = f"{mantissa}\\cdot {letter}" + (sign or "\\cdot ") + digits
    return FormulaError(f"{text[start:match.end()]} is ambiguous: Python reads a number, LaTeX reads {letter} "
                        f"as a letter. For the number write {number}; for {mantissa}·{letter} write {euler}",
                        text, start)


class _Parser:
    """Recursive descent over the tokens, one method per precedence level."""

    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.pos = 0
        self.nesting = 0
        self.bars = 0  # |...| groups open in the current bracket level: a '|' after an operand closes one

    # -- token access ----------------------------------------------------------

    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[min(self.pos + ahead, len(self.tokens) - 1)]

    def take(self) -> Token:
        token = self.peek()
        self.pos += 1
        return token

    def end(self) -> int:
        """Where the last token taken ends."""
        return self.tokens[self.pos - 1].end

    def fail(self, message: str, token: Token | None = None) -> FormulaError:
        token = token or self.peek()
        return FormulaError(message, self.text, token.start)

    def expected(self, what: str) -> FormulaError:
        return self.fail(f"expected {what}, found {self.peek().describe(self.text)}")

    def close(self, kind: str, text: str, opened: Token, shown: str = "") -> None:
        """Take the token that closes the group ``opened``, or say which one is missing."""
        if not self.peek().is_(kind, text):
            shown = shown or ("\\" + text if kind == "cmd" else text)
            raise self.expected(f"'{shown}' to close the '{self.text[opened.start:opened.end]}' "
                                f"opened at column {opened.start + 1}")
        self.take()

    def close_right(self, opened: Token, delimiter: Token) -> None:
        """Take ``\\right`` and the delimiter matching ``\\left`` + ``delimiter``."""
        closing = {"(": ")", "[": "]", "|": "|", "lvert": "rvert"}[delimiter.text]
        shown = "\\right" + ("\\" + closing if delimiter.kind == "cmd" else closing)
        self.close("cmd", "right", opened, shown)
        self.close(delimiter.kind, closing, opened, shown)

    @contextmanager
    def nested(self, opened: Token, bars: int = 0) -> Iterator[None]:
        """One more level of brackets; too many is a FormulaError, never a RecursionError."""
        saved = self.bars
        self.nesting += 1
        try:
            if self.nesting > MAX_NESTING:
                raise _nodes.too_deep(self.text, opened.start, MAX_NESTING)
            self.bars = bars
            yield
        finally:
            self.nesting -= 1
            self.bars = saved

    # -- precedence levels -----------------------------------------------------

    def formula(self) -> Expr:
        if self.peek().kind == "end":
            raise FormulaError("the formula is empty", self.text, 0)
        expr = self.sum()
        if self.peek().kind != "end":
            if self.peek().is_("sym", ")", "]", "}") or self.peek().is_("cmd", "right", "rvert"):
                raise self.fail(f"{self.peek().describe(self.text)} closes nothing opened before it")
            raise self.expected("an operator or the end of the formula")
        return _nodes.check_depth(expr, self.text)

    def sum(self) -> Expr:
        left = self.product()
        for length in itertools.count(1):
            if not self.peek().is_("sym", "+", "-"):
                return left
            self.check_length(length)
            op = "add" if self.take().text == "+" else "sub"
            right = self.product()
            left = Call(op, (left, right), (), (left.span[0], right.span[1]))

    def check_length(self, length: int) -> None:
        """A chain ``a+b+…`` nests one level per operator: refuse a long one before building it."""
        if length > _nodes.MAX_DEPTH:
            raise _nodes.too_deep(self.text, self.peek().start)

    def product(self) -> Expr:
        left = self.signed()
        for length in itertools.count(1):
            token = self.peek()
            if token.is_("sym", "*", "/") or token.is_("cmd", "cdot", "times"):
                self.take()
                op, right = ("div" if token.text == "/" else "mul"), self.signed()
            elif self.starts_operand(token):
                if token.kind == "num" and self.tokens[self.pos - 1].kind == "num":
                    raise self.fail("two numbers in a row; write an operator between them")
                op, right = "mul", self.power()
            else:
                return left
            self.check_length(length)
            left = Call(op, (left, right), (), (left.span[0], right.span[1]))

    def starts_operand(self, token: Token) -> bool:
        """Whether ``token`` can begin a factor of an implicit product (``2x``, ``(a)(b)``)."""
        if token.kind in ("num", "letter"):
            return True
        if token.kind == "sym":
            return token.text in "([{" or (token.text == "|" and self.bars == 0)
        return token.kind == "cmd" and token.text not in ("cdot", "times", "right", "rvert")

    def signed(self) -> Expr:
        signs = []
        while self.peek().is_("sym", "+", "-"):
            signs.append(self.take())
            if len(signs) > _nodes.MAX_DEPTH:
                raise _nodes.too_deep(self.text, signs[-1].start)
        operand = self.power()
        for sign in reversed(signs):
            if sign.text == "-":
                operand = _nodes.negate(operand, (sign.start, operand.span[1]))
        return operand

    def power(self) -> Expr:
        start = self.peek().start
        euler = self.euler_ahead()
        if euler and self.peek(euler).is_("sym", "^"):
            self.pos += euler + 1
            exponent = self.superscript()
            node: Expr = Call("exp", (exponent,), (), (start, self.end()))
        else:
            node = self.primary()
            if not self.peek().is_("sym", "^"):
                return node
            self.take()
            exponent = self.superscript()
            node = _nodes.power(node, exponent, (start, self.end()))
        if self.peek().is_("sym", "^"):
            raise self.fail("a second '^' needs braces: write x^{y^{z}} or {x^y}^z")
        if self.peek().is_("sym", "_"):
            raise self.fail("write the subscript before the power: x_0^2")
        return node

    def euler_ahead(self) -> int:
        """How many tokens spell Euler's number here: 1 for ``e``, 4 for ``\\mathrm{e}``, else 0."""
        if self.peek().is_("letter", "e"):
            return 1
        if (self.peek().is_("cmd", *NAME_COMMANDS) and self.peek(1).is_("sym", "{")
                and self.peek(2).is_("letter", "e") and self.peek(3).is_("sym", "}")):
            return 4
        return 0

    def superscript(self) -> Expr:
        """The exponent after '^': a group in braces or one character, as LaTeX reads it."""
        token = self.peek()
        if token.is_("sym", "{"):
            return self.group()
        if token.kind == "num":
            if len(token.text) > 1:
                raise self.fail(f"LaTeX reads ^{token.text} as ^{token.text[0]} followed by "
                                f"{token.text[1:]}; write ^{{{token.text}}}")
            self.take()
            return self.number(token)
        if token.kind == "letter":
            self.take()
            return self.letter(token.text, token.start)
        if token.is_("cmd", "pi", *GREEK):
            self.take()
            return self.letter(token.text, token.start)
        raise self.expected("an exponent after '^': a digit, a letter or a group in braces such as ^{-1}")

    def primary(self) -> Expr:
        token = self.peek()
        if token.kind == "num":
            self.take()
            return self.number(token)
        if token.kind == "letter":
            self.take()
            return self.variable(token.text, token.start)
        if token.is_("sym", "(", "[", "{"):
            return self.group()
        if token.is_("sym", "|") or token.is_("cmd", "lvert"):
            return self.absolute()
        if token.kind == "cmd":
            return self.command(token)
        raise self.expected("a number, a name, '(' or a function")

    # -- atoms -----------------------------------------------------------------

    def number(self, token: Token) -> Num:
        return _nodes.number(float(token.text), token.text, (token.start, token.end), self.text)

    def letter(self, name: str, start: int) -> Expr:
        """A single-letter input, or the constants ``e`` and ``\\pi``."""
        if name in _nodes.CONSTANTS:
            return Num(_nodes.CONSTANTS[name], name, (start, self.end()))
        return Name(name, (start, self.end()))

    def variable(self, name: str, start: int) -> Expr:
        """A letter with its optional subscript: ``x_0`` and ``x_{10}`` are ``x0`` and ``x10``."""
        subscript = self.subscript()
        if subscript is None:
            return self.letter(name, start)
        return Name(canonical_name(f"{name}_{subscript}"), (start, self.end()))

    def subscript(self) -> str | None:
        if not self.peek().is_("sym", "_"):
            return None
        self.take()
        token = self.peek()
        if token.is_("sym", "{"):
            opened = self.take()
            parts = []
            while self.peek().kind == "letter" or (self.peek().kind == "num" and self.peek().text.isdigit()):
                parts.append(self.take().text)
            if not parts:
                raise self.expected("letters or digits in the subscript")
            self.close("sym", "}", opened)
            return "".join(parts)
        if token.kind == "num" and token.text.isdigit():
            if len(token.text) > 1:
                raise self.fail(f"LaTeX reads _{token.text} as _{token.text[0]} followed by "
                                f"{token.text[1:]}; write _{{{token.text}}}")
            return self.take().text
        if token.kind == "letter":
            return self.take().text
        raise self.expected("a subscript after '_': a digit, a letter or a group in braces such as _{10}")

    def group(self) -> Expr:
        """``( … )``, ``[ … ]`` or ``{ … }``: the tree of what is inside."""
        opened = self.take()
        with self.nested(opened):
            inner = self.sum()
        self.close("sym", _CLOSING[opened.text], opened)
        return inner

    def absolute(self) -> Expr:
        """``|x|`` or ``\\lvert x \\rvert``: the abs op. Inside ``|…|`` a '|' after an operand closes."""
        opened = self.take()
        bar = opened.kind == "sym"
        with self.nested(opened, bars=1 if bar else 0):
            inner = self.sum()
        self.close(opened.kind, "|" if bar else "rvert", opened)
        return Call("abs", (inner,), (), (opened.start, self.end()))

    def command(self, token: Token) -> Expr:
        name = token.text
        if name in ("frac", "dfrac", "tfrac"):
            self.take()
            numerator = self.frac_part("numerator", token)
            denominator = self.frac_part("denominator", token)
            return Call("div", (numerator, denominator), (), (token.start, self.end()))
        if name in FUNCTIONS:
            self.take()
            return self.function(FUNCTIONS[name], "\\" + name, token)
        if name in NAME_COMMANDS:
            return self.named(token)
        if name == "pi" or name in GREEK:
            self.take()
            return self.variable(name, token.start)
        if name == "left":
            return self.left(token)
        if name in ("right", "rvert"):
            raise self.fail(f"\\{name} closes nothing opened before it")
        if name in ("cdot", "times"):
            raise self.expected(f"a number, a name, '(' or a function before \\{name}")
        near = difflib.get_close_matches(name, KNOWN_COMMANDS, n=3, cutoff=0.5)
        hint = "; did you mean " + ", ".join("\\" + n for n in near) + "?" if near else ""
        raise self.fail(f"unknown command \\{_nodes.clip(name)}{hint}")

    def left(self, token: Token) -> Expr:
        """``\\left( … \\right)``, ``\\left[ … \\right]`` or ``\\left| … \\right|``."""
        self.take()
        delimiter = self.peek()
        if not (delimiter.is_("sym", "(", "[", "|") or delimiter.is_("cmd", "lvert")):
            raise self.expected("'(', '[' or '|' after \\left")
        self.take()
        with self.nested(token):
            inner = self.sum()
        self.close_right(token, delimiter)
        if delimiter.text in ("|", "lvert"):
            return Call("abs", (inner,), (), (token.start, self.end()))
        return inner

    def frac_part(self, role: str, frac: Token) -> Expr:
        """A \\frac argument: a group in braces, or one digit or letter (``\\frac12``)."""
        token = self.peek()
        if token.is_("sym", "{"):
            return self.group()
        if token.kind == "num" and token.text[0].isdigit():
            if len(token.text) > 1:  # \frac12: LaTeX takes one digit; the rest is read next
                token, rest = (Token("num", token.text[0], token.start, token.start + 1),
                               Token("num", token.text[1:], token.start + 1, token.end))
                self.tokens[self.pos:self.pos + 1] = [token, rest]
            self.take()
            return self.number(token)
        if token.kind == "letter":
            self.take()
            return self.letter(token.text, token.start)
        raise self.expected(f"the {role} of \\{frac.text} in braces, as in \\frac{{a}}{{b}}")

    def function(self, op_name: str, shown: str, token: Token) -> Expr:
        """A function command and its argument: ``\\ln(x)``, ``\\ln{x}``, ``\\ln x``, ``\\max(a, b)``."""
        if op_name == "sqrt" and self.peek().is_("sym", "["):
            raise self.fail("only square roots are supported; write x^{1/3} for a cube root")
        if self.peek().is_("sym", "(") or (self.peek().is_("cmd", "left") and self.peek(1).is_("sym", "(")):
            args = self.arguments()
        elif self.peek().is_("sym", "^"):
            raise self.fail(f"a power of a function goes after its argument: write ({shown} x)^2")
        elif self.peek().is_("sym", "{"):
            args = [self.group()]  # \\sqrt{x}^2 is (√x)², so the power stays outside
        elif self.starts_operand(self.peek()) or self.peek().is_("sym", "|"):
            args = [self.power()]  # \\ln x^2 is ln(x²), as typeset
        else:
            raise self.expected(f"the argument of {shown}: (…), {{…}} or a single term")
        return _nodes.apply(op_name, args, (token.start, self.end()), self.text, shown=shown)

    def arguments(self) -> list[Expr]:
        """``(a, b, …)`` or ``\\left(a, b\\right)``: a function's comma-separated arguments."""
        opened = self.take()
        delimiter = self.take() if opened.kind == "cmd" else opened
        with self.nested(opened):
            args = [self.sum()]
            while self.peek().is_("sym", ","):
                self.take()
                args.append(self.sum())
        if opened.kind == "cmd":
            self.close_right(opened, delimiter)
        else:
            self.close("sym", ")", opened)
        return args

    def named(self, token: Token) -> Expr:
        """``\\operatorname{relu}(x)`` or ``\\mathrm{ReLU}(x)``; one letter inside is a variable."""
        self.take()
        opened = self.peek()
        if not opened.is_("sym", "{"):
            raise self.expected(f"a name in braces after \\{token.text}, as in \\{token.text}{{ReLU}}")
        self.take()
        while not self.peek().is_("sym", "}") and self.peek().kind != "end":
            self.take()
        inside = self.text[opened.end:self.peek().start]
        self.close("sym", "}", opened)
        name = re.sub(r"\s+", "", inside).replace("\\_", "_")
        if len(name) == 1 and name.isascii() and name.isalpha():
            return self.variable(name, token.start)
        if not _FUNCTION_NAME.match(name):
            raise FormulaError(f"expected a function name in \\{token.text}{{…}}, found {_nodes.clip(inside)!r}",
                               self.text, opened.end)
        spelled = name.lower()
        op_name = _nodes.resolve(spelled, self.text, opened.end)  # the table's names and aliases, as slides write them
        return self.function(op_name, name, token)
