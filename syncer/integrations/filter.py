"""The account filter: a small expression language run on a billing account to decide whether an integration
sends it, e.g. ``customFields != null AND customFields.country == UK``.

Parsed once, when the configuration is loaded, into a tree of frozen nodes; evaluating it is a walk of that
tree over the account's fields. Nothing is ever passed to ``eval``. Grammar (keywords in any case)::

    expression  := or
    or          := and ("OR" and)*
    and         := not ("AND" not)*
    not         := "NOT" not | "(" expression ")" | comparison
    comparison  := path operator value | path ["NOT"] "IN" "[" value ("," value)* "]" | path
    operator    := "==" | "=" | "!=" | "<" | "<=" | ">" | ">="
    value       := 'text' | "text" | number | true | false | null | bare-word

``==`` and ``=`` mean the same (the billing platform's own page writes the example as ``= =``, with a space,
which is two operators here and is refused with a pointer to that column). A bare word on the right of an
operator is text (``UK``); a number is compared exactly, as a Decimal. A path names an account field
(``id``, ``name``, ``email``, ``currency``, ``deleted``, ``address.<field>``, ``customFields.<name>``); a
path that is not there is ``null``. A path alone is true when its value is true.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from syncer.source.model import Customer

# account fields a path may start with, as the filter spells them, and the Customer attribute each reads
ACCOUNT_FIELDS: Mapping[str, str] = {
    "id": "id",
    "name": "name",
    "email": "email",
    "currency": "currency",
    "deleted": "deleted",
    "address": "address",
    "customFields": "custom_fields",
    "custom_fields": "custom_fields",
}
# fields that hold further named fields, so a path may go on past them
_NESTED = {"address", "custom_fields"}
_OPERATORS = ("==", "!=", "<=", ">=", "=", "<", ">")
_KEYWORDS = {"AND", "OR", "NOT", "IN", "TRUE", "FALSE", "NULL"}
_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
  | (?P<number>-?\d+(?:\.\d+)?(?![\w.]))
  | (?P<operator>==|!=|<=|>=|=|<|>)
  | (?P<punct>[()\[\],])
  | (?P<word>[A-Za-z_][\w-]*(?:\.[A-Za-z_0-9][\w-]*)*)
    """,
    re.VERBOSE,
)


class FilterError(ValueError):
    """An expression that cannot be parsed; ``column`` is 1-based, where the problem starts."""

    def __init__(self, message: str, column: int):
        super().__init__(f"column {column}: {message}")
        self.reason = message
        self.column = column


@dataclass(frozen=True)
class Token:
    kind: str  # string, number, operator, punct, word, end
    text: str
    column: int


def tokens(expression: str) -> list[Token]:
    found: list[Token] = []
    position = 0
    while position < len(expression):
        match = _TOKEN.match(expression, position)
        if match is None:
            if expression[position] in "'\"":
                raise FilterError("the text that starts here is not closed with its quote", position + 1)
            raise FilterError(f"unexpected character {expression[position]!r}", position + 1)
        kind = match.lastgroup or ""
        if kind != "space":
            found.append(Token(kind, match.group(), position + 1))
        position = match.end()
    found.append(Token("end", "", len(expression) + 1))
    return found


# -- the tree --

Value = str | Decimal | bool | None


@dataclass(frozen=True)
class Path:
    parts: tuple[str, ...]  # the Customer attribute first, then named fields inside it

    def read(self, account: Customer) -> object:
        value: object = getattr(account, self.parts[0])
        for part in self.parts[1:]:
            if isinstance(value, Mapping):
                value = value.get(part)
            elif value is not None and not isinstance(value, str | int | Decimal | bool):
                value = getattr(value, part, None)
            else:
                return None
        return value

    def __str__(self) -> str:
        return ".".join(self.parts)


@dataclass(frozen=True)
class Compare:
    path: Path
    operator: str  # one of == != < <= > >= (``=`` is stored as ``==``)
    value: Value

    def matches(self, account: Customer) -> bool:
        return _compare(self.path.read(account), self.operator, self.value)


@dataclass(frozen=True)
class InList:
    path: Path
    values: tuple[Value, ...]

    def matches(self, account: Customer) -> bool:
        actual = self.path.read(account)
        return any(_compare(actual, "==", value) for value in self.values)


@dataclass(frozen=True)
class Truthy:
    path: Path

    def matches(self, account: Customer) -> bool:
        return self.path.read(account) is True


@dataclass(frozen=True)
class Not:
    operand: Node

    def matches(self, account: Customer) -> bool:
        return not self.operand.matches(account)


@dataclass(frozen=True)
class All:
    operands: tuple[Node, ...]

    def matches(self, account: Customer) -> bool:
        return all(operand.matches(account) for operand in self.operands)


@dataclass(frozen=True)
class Any_:
    operands: tuple[Node, ...]

    def matches(self, account: Customer) -> bool:
        return any(operand.matches(account) for operand in self.operands)


Node = Compare | InList | Truthy | Not | All | Any_


@dataclass(frozen=True)
class AccountFilter:
    """A parsed filter and the text it came from (kept for messages: "not matched by the account filter ...")."""

    text: str
    root: Node

    def matches(self, account: Customer) -> bool:
        return self.root.matches(account)


def parse_filter(expression: str) -> AccountFilter:
    """The filter ``expression`` parses to; ``FilterError`` names the column of the first problem."""
    if not expression.strip():
        raise FilterError("the expression is empty", 1)
    parser = _Parser(tokens(expression))
    root = parser.expression()
    end = parser.peek()
    if end.kind != "end":
        raise FilterError(f"expected AND, OR or the end of the expression, found {end.text!r}", end.column)
    return AccountFilter(expression, root)


class _Parser:
    def __init__(self, found: Sequence[Token]):
        self.found = found
        self.at = 0

    def peek(self) -> Token:
        return self.found[self.at]

    def take(self) -> Token:
        token = self.found[self.at]
        self.at += 1
        return token

    def keyword(self, word: str) -> bool:
        token = self.peek()
        if token.kind == "word" and token.text.upper() == word:
            self.at += 1
            return True
        return False

    def expression(self) -> Node:
        operands = [self.conjunction()]
        while self.keyword("OR"):
            operands.append(self.conjunction())
        return operands[0] if len(operands) == 1 else Any_(tuple(operands))

    def conjunction(self) -> Node:
        operands = [self.negation()]
        while self.keyword("AND"):
            operands.append(self.negation())
        return operands[0] if len(operands) == 1 else All(tuple(operands))

    def negation(self) -> Node:
        if self.keyword("NOT"):
            return Not(self.negation())
        token = self.peek()
        if token.kind == "punct" and token.text == "(":
            self.take()
            inner = self.expression()
            close = self.take()
            if close.text != ")":
                raise FilterError(f"expected ')' to close the '(' at column {token.column}", close.column)
            return inner
        return self.comparison()

    def comparison(self) -> Node:
        path = self.path()
        token = self.peek()
        if token.kind == "operator":
            self.take()
            value = self.value(after=token)
            return Compare(path, "==" if token.text == "=" else token.text, value)
        negated = False
        if token.kind == "word" and token.text.upper() == "NOT":
            following = self.found[self.at + 1]
            if following.kind == "word" and following.text.upper() == "IN":
                self.take()
                negated = True
        if self.keyword("IN"):
            found: Node = InList(path, self.values())
            return Not(found) if negated else found
        return Truthy(path)

    def path(self) -> Path:
        token = self.take()
        if token.kind != "word" or token.text.upper() in _KEYWORDS:
            shown = repr(token.text) if token.text else "the end"
            raise FilterError(f"expected an account field such as customFields.country, found {shown}", token.column)
        head, *rest = token.text.split(".")
        attribute = ACCOUNT_FIELDS.get(head)
        if attribute is None:
            known = ", ".join(name for name in ACCOUNT_FIELDS if name != "custom_fields")
            raise FilterError(f"unknown account field {head!r}; known: {known}", token.column)
        if rest and attribute not in _NESTED:
            raise FilterError(f"{head} has no fields inside it; only address and customFields do", token.column)
        return Path((attribute, *rest))

    def value(self, after: Token) -> Value:
        token = self.take()
        if token.kind == "string":
            return re.sub(r"\\(.)", r"\1", token.text[1:-1])
        if token.kind == "number":
            return Decimal(token.text)
        if token.kind == "word" and token.text.upper() in ("TRUE", "FALSE"):
            return token.text.upper() == "TRUE"
        if token.kind == "word" and token.text.upper() == "NULL":
            return None
        if token.kind == "word" and token.text.upper() not in _KEYWORDS:
            return token.text
        if token.kind == "operator":
            raise FilterError(
                f"expected a value after {after.text!r}, found {token.text!r}; write == or = (one operator)",
                token.column,
            )
        shown = repr(token.text) if token.text else "the end"
        raise FilterError(f"expected a value after {after.text!r}, found {shown}", token.column)

    def values(self) -> tuple[Value, ...]:
        open_ = self.take()
        if open_.text != "[":
            raise FilterError("expected '[' to start the list after IN", open_.column)
        found = [self.value(after=open_)]
        while True:
            token = self.take()
            if token.text == "]":
                return tuple(found)
            if token.text != ",":
                raise FilterError(f"expected ',' or ']' in the list opened at column {open_.column}", token.column)
            found.append(self.value(after=token))


def _number(value: object) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            return None
    return None


def _compare(actual: object, operator: str, expected: Value) -> bool:
    """``actual`` (read from the account) against ``expected`` (written in the filter).

    ``null`` equals only a missing value; numbers compare as numbers when both sides are numbers (a custom
    field may hold ``"10"``); otherwise values compare as they are, and an ordering between different kinds
    of value is false rather than an error, so one odd account cannot stop a run."""
    if expected is None or actual is None:
        same = expected is None and (actual is None or actual == {})
        if operator == "==":
            return same
        if operator == "!=":
            return not same
        return False
    if isinstance(expected, Decimal):
        number = _number(actual)
        if number is None:
            return operator == "!="
        actual = number
    elif isinstance(expected, bool) != isinstance(actual, bool):
        return operator == "!="
    elif isinstance(expected, str) and not isinstance(actual, str):
        actual = str(actual)
    if operator == "==":
        return actual == expected
    if operator == "!=":
        return actual != expected
    if type(actual) is not type(expected):
        return False
    ordered: dict[str, bool] = {
        "<": actual < expected,  # type: ignore[operator]
        "<=": actual <= expected,  # type: ignore[operator]
        ">": actual > expected,  # type: ignore[operator]
        ">=": actual >= expected,  # type: ignore[operator]
    }
    return ordered[operator]
