"""Xero's ``where`` and ``order`` expressions: a recursive-descent parser into a typed tree, then a compiler
from that tree into plain Python closures that read stored records. Nothing is ever ``eval``-ed.

Grammar (loosest binding first; keywords and field names are case-insensitive):

    where     := or END
    ordering  := or [ASC|ASCENDING|DESC|DESCENDING] ("," ...)* END
    or        := and (("||" | OR) and)*
    and       := compare (("&&" | AND) compare)*
    compare   := unary (("==" | "=" | "!=" | "<>" | "<" | ">" | "<=" | ">=") unary)*
    unary     := ("!" | NOT | "-") unary | postfix
    postfix   := primary ("." NAME ["(" [or ("," or)*] ")"])*
    primary   := NUMBER | "string" | 'c' | true | false | null | "(" or ")"
               | DateTime(y, m, d[, h, mi, s]) | DateTime.Parse("iso") | Guid("...") | NAME

As in C#, ``!``/``NOT`` binds tighter than a comparison: write ``NOT (Status == "PAID")``.

Semantics, chosen to match what Xero does or, where unconfirmed, what its SQL-backed filters most
plausibly do (see the README fidelity table):

* text comparisons (``==``, ``<``, ``Contains``, ``StartsWith``, ``EndsWith``) ignore case;
* a ``null`` field equals ``null`` and nothing else; ``<``/``>``/``<=``/``>=`` with a null side are false
  (C#'s lifted operators);
* calling a method on a null field is an error, as in Xero ("add a not-null check for optional
  elements"); ``EmailAddress != null && EmailAddress.StartsWith("a")`` short-circuits;
* a date field compared with ``DateTime(...)`` compares instants at midnight UTC.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from .. import wire
from ..exceptions import QueryParseException
from ..ids import is_guid, normalise_guid
from . import types as t
from .lexer import CHAR, END, IDENT, NUMBER, OP, STRING, Token, query_error, tokenize

UTC = UTC
MAX_DEPTH = 48  # deeper nesting is refused rather than risking Python's recursion limit
MAX_LENGTH = 4000  # longer than any URL Xero's gateway accepts

Getter = Callable[[dict], Any]

_COMPARISONS = {
    "==": operator.eq,
    "=": operator.eq,
    "!=": operator.ne,
    "<>": operator.ne,
    "<": operator.lt,
    ">": operator.gt,
    "<=": operator.le,
    ">=": operator.ge,
}
_EQUALITY = {"==", "=", "!=", "<>"}
_PREDICATES: dict[str, Callable[[str, str], bool]] = {
    "contains": str.__contains__,
    "startswith": str.startswith,
    "endswith": str.endswith,
}
_TRANSFORMS: dict[str, Callable[[str], str]] = {
    "tolower": str.lower,
    "toupper": str.upper,
    "tolowerinvariant": str.lower,
    "toupperinvariant": str.upper,
    "trim": str.strip,
}


# --- the tree ------------------------------------------------------------------------------------------


@dataclass
class Node:
    type: t.XType
    pos: int
    depth: int = field(default=1, init=False)


@dataclass
class Literal(Node):
    value: Any = None


@dataclass
class FieldRef(Node):
    path: tuple[str, ...] = ()  # record keys, in the schema's spelling
    text: str = ""  # as the client wrote it, for messages
    getter: Getter | None = None  # set for Extra fields, which know how to read themselves
    shown: Callable[[dict], dict] | None = None  # read the path off this view of the record, not the record


@dataclass
class Method(Node):
    target: Node | None = None
    name: str = ""
    args: list[Node] = field(default_factory=list)


@dataclass
class Unary(Node):
    op: str = ""
    operand: Node | None = None


@dataclass
class Logical(Node):
    op: str = ""  # "and" / "or"
    operands: list[Node] = field(default_factory=list)


@dataclass
class Compare(Node):
    op: str = ""
    left: Node | None = None
    right: Node | None = None


# --- parsing -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class View:
    """Top-level fields (``Contact``) whose values are read from the record as the wire shows it, because
    the stored record keeps only a reference there (``{"ContactID": ...}``); ``show`` builds that view."""

    fields: frozenset[str]
    show: Callable[[dict], dict]


class Parser:
    def __init__(
        self, text: str, catalog: t.Catalog, extras: Mapping[str, t.Extra] | None = None, view: View | None = None
    ):
        if len(text) > MAX_LENGTH:
            raise query_error(f"Expression is longer than {MAX_LENGTH} characters", MAX_LENGTH)
        self.catalog = catalog
        self.extras = t.extras_by_path(extras)
        self.view = view
        self.tokens = tokenize(text)
        self.i = 0
        self.nesting = 0

    @contextmanager
    def _nested(self, pos: int) -> Iterator[None]:
        """Count parentheses, arguments and prefix operators on the way down, before recursing further."""
        self.nesting += 1
        if self.nesting > MAX_DEPTH:
            raise query_error(f"Expression is nested more than {MAX_DEPTH} levels deep", pos)
        try:
            yield
        finally:
            self.nesting -= 1

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def advance(self) -> Token:
        token = self.tokens[self.i]
        if token.kind != END:
            self.i += 1
        return token

    def expect_end(self) -> None:
        if self.tok.kind != END:
            raise query_error("Syntax error", self.tok.pos)

    # -- levels --

    def parse_or(self) -> Node:
        with self._nested(self.tok.pos):
            return self._logical("or", ("||",), ("or",), self.parse_and)

    def parse_and(self) -> Node:
        return self._logical("and", ("&&",), ("and",), self.parse_compare)

    def _logical(self, name: str, ops: tuple[str, ...], words: tuple[str, ...], next_level: Callable[[], Node]) -> Node:
        first = next_level()
        operands = [first]
        while self.tok.is_op(*ops) or self.tok.is_word(*words):
            op = self.advance()
            right = next_level()
            for side in (operands[-1], right):
                if side.type.family not in (t.BOOL, t.ANY, t.NULL):
                    raise query_error(
                        f"Operator '{op.text}' incompatible with operand types "
                        f"'{operands[-1].type.name}' and '{right.type.name}'",
                        op.pos,
                    )
            operands.append(right)
        if len(operands) == 1:
            return first
        return _sized(Logical(t.T_BOOL, first.pos, op=name, operands=operands))

    def parse_compare(self) -> Node:
        left = self.parse_unary()
        while self.tok.kind == OP and self.tok.text in _COMPARISONS:
            op = self.advance()
            right = self.parse_unary()
            families = {left.type.family, right.type.family}
            allowed = t.comparable(left.type, right.type) and (op.text in _EQUALITY or families <= t.RELATIONAL)
            if not allowed:
                raise query_error(
                    f"Operator '{op.text}' incompatible with operand types '{left.type.name}' and '{right.type.name}'",
                    op.pos,
                )
            left = _sized(Compare(t.T_BOOL, left.pos, op=op.text, left=left, right=right))
        return left

    def parse_unary(self) -> Node:
        if self.tok.is_op("!") or self.tok.is_word("not"):
            op = self.advance()
            with self._nested(op.pos):
                operand = self.parse_unary()
            if operand.type.family not in (t.BOOL, t.ANY):
                raise query_error(f"Operator '{op.text}' incompatible with operand type '{operand.type.name}'", op.pos)
            return _sized(Unary(t.T_BOOL, op.pos, op="not", operand=operand))
        if self.tok.is_op("-"):
            op = self.advance()
            with self._nested(op.pos):
                operand = self.parse_unary()
            if operand.type.family not in (t.NUMBER, t.ANY):
                raise query_error(f"Operator '-' incompatible with operand type '{operand.type.name}'", op.pos)
            if isinstance(operand, Literal):
                return Literal(operand.type, op.pos, value=-operand.value)
            return _sized(Unary(operand.type, op.pos, op="neg", operand=operand))
        return self.parse_postfix()

    def parse_postfix(self) -> Node:
        node = self.parse_primary()
        while self.tok.is_op("."):
            self.advance()
            name = self.tok
            if name.kind != IDENT:
                raise query_error("Identifier expected", name.pos)
            self.advance()
            if self.tok.is_op("("):
                node = self._method(node, name)
            else:
                node = self._member(node, name)
        return node

    def parse_primary(self) -> Node:
        tok = self.tok
        if tok.kind == NUMBER:
            self.advance()
            integral = tok.value == tok.value.to_integral_value() and tok.text.isdigit()
            return Literal(t.T_INT if integral else t.T_DECIMAL, tok.pos, value=tok.value)
        if tok.kind in (STRING, CHAR):
            self.advance()
            return Literal(t.T_STRING if tok.kind == STRING else t.T_CHAR, tok.pos, value=tok.value)
        if tok.is_op("("):
            self.advance()
            inner = self.parse_or()
            if not self.tok.is_op(")"):
                raise query_error("')' or operator expected", self.tok.pos)
            self.advance()
            return inner
        if tok.kind == IDENT:
            self.advance()
            word = tok.text.casefold()
            if word in ("true", "false"):
                return Literal(t.T_BOOL, tok.pos, value=word == "true")
            if word == "null":
                return Literal(t.T_NULL, tok.pos, value=None)
            if word == "datetime" and self.tok.is_op("("):
                return self._datetime_constructor(tok)
            if word == "datetime" and self.tok.is_op(".") and self.tokens[self.i + 1].is_word("parse"):
                return self._datetime_parse(tok)
            if word == "guid" and self.tok.is_op("("):
                return self._guid(tok)
            return self._root_field(tok)
        raise query_error("Expression expected", tok.pos)

    # -- fields --

    def _root_field(self, tok: Token) -> Node:
        extra = self.extras.get(tok.text.casefold())
        if extra is not None:
            return FieldRef(t.extra_type(extra.family), tok.pos, path=(tok.text,), text=tok.text, getter=extra.get)
        member = self.catalog.find(tok.text)
        if member is None:
            raise query_error(f"No property or field '{tok.text}' exists in type '{self.catalog.type_name}'", tok.pos)
        shown = self.view.show if self.view is not None and member.key in self.view.fields else None
        return FieldRef(member.type, tok.pos, path=(member.key,), text=tok.text, shown=shown)

    def _member(self, node: Node, name: Token) -> Node:
        if isinstance(node, FieldRef) and node.getter is None:
            dotted = f"{node.text}.{name.text}"
            extra = self.extras.get(dotted.casefold())
            if extra is not None:
                return FieldRef(
                    t.extra_type(extra.family), node.pos, path=node.path + (name.text,), text=dotted, getter=extra.get
                )
            if node.type.family == t.ANY:
                return FieldRef(t.T_ANY, node.pos, path=node.path + (name.text,), text=dotted, shown=node.shown)
            if node.type.family == t.OBJECT and node.type.members is not None:
                member = node.type.members.find(name.text)
                if member is not None:
                    return FieldRef(
                        member.type, node.pos, path=node.path + (member.key,), text=dotted, shown=node.shown
                    )
        raise query_error(f"No property or field '{name.text}' exists in type '{node.type.name}'", name.pos)

    def _method(self, target: Node, name: Token) -> Node:
        args = self._arguments()
        word = name.text.casefold()
        textual = target.type.family in t.TEXTUAL
        if textual and word in _PREDICATES and len(args) == 1 and args[0].type.family in t.TEXTUAL | {t.NULL}:
            return _sized(Method(t.T_BOOL, name.pos, target=target, name=word, args=args))
        if textual and word in _TRANSFORMS and not args:
            return _sized(Method(t.T_STRING, name.pos, target=target, name=word, args=args))
        raise query_error(f"No applicable method '{name.text}' exists in type '{target.type.name}'", name.pos)

    def _arguments(self) -> list[Node]:
        self.advance()  # "("
        args: list[Node] = []
        if self.tok.is_op(")"):
            self.advance()
            return args
        while True:
            args.append(self.parse_or())
            if self.tok.is_op(")"):
                self.advance()
                return args
            if not self.tok.is_op(","):
                raise query_error("')' or ',' expected", self.tok.pos)
            self.advance()

    # -- constructors --

    def _datetime_constructor(self, tok: Token) -> Node:
        args = self._arguments()
        numbers = [a.value for a in args if isinstance(a, Literal) and a.type is t.T_INT]
        if len(numbers) != len(args) or len(args) not in (3, 6):
            raise query_error("No matching constructor in type 'DateTime'", tok.pos)
        try:
            year, month, day, *clock = (int(n) for n in numbers)
            hour, minute, second = clock or (0, 0, 0)
            value = datetime(year, month, day, hour, minute, second, tzinfo=UTC)
        except (ValueError, OverflowError):
            raise query_error(
                "Year, Month, and Day parameters describe an un-representable DateTime.", tok.pos
            ) from None
        return Literal(t.T_DATETIME, tok.pos, value=value)

    def _datetime_parse(self, tok: Token) -> Node:
        self.advance()  # "."
        self.advance()  # "Parse"
        if not self.tok.is_op("("):
            raise query_error("'(' expected", self.tok.pos)
        args = self._arguments()
        if len(args) != 1 or not isinstance(args[0], Literal) or args[0].type is not t.T_STRING:
            raise query_error("No applicable method 'Parse' exists in type 'DateTime'", tok.pos)
        try:
            value = wire.parse_datetime(args[0].value)
        except (ValueError, OverflowError):
            raise query_error("String was not recognized as a valid DateTime.", args[0].pos) from None
        return Literal(t.T_DATETIME, tok.pos, value=value)

    def _guid(self, tok: Token) -> Node:
        args = self._arguments()
        if len(args) != 1 or not isinstance(args[0], Literal) or args[0].type is not t.T_STRING:
            raise query_error("No matching constructor in type 'Guid'", tok.pos)
        if not is_guid(args[0].value):
            raise query_error(
                "Guid should contain 32 digits with 4 dashes (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).", args[0].pos
            )
        return Literal(t.T_GUID, tok.pos, value=normalise_guid(args[0].value))


def _sized(node: Node) -> Node:
    children: list[Node] = []
    if isinstance(node, Logical):
        children = node.operands
    elif isinstance(node, Compare):
        children = [node.left, node.right]  # type: ignore[list-item]
    elif isinstance(node, Unary):
        children = [node.operand]  # type: ignore[list-item]
    elif isinstance(node, Method):
        children = [node.target, *node.args]  # type: ignore[list-item]
    node.depth = 1 + max((c.depth for c in children), default=0)
    if node.depth > MAX_DEPTH:
        raise query_error(f"Expression is nested more than {MAX_DEPTH} levels deep", node.pos)
    return node


# --- compiling -----------------------------------------------------------------------------------------


def normalise(value: Any) -> Any:
    """One comparable form per family: text folded, dates as UTC instants."""
    if isinstance(value, str):
        return value.casefold()
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    return value


def compile_node(node: Node) -> Getter:
    if isinstance(node, Literal):
        value = node.value
        return lambda record: value
    if isinstance(node, FieldRef):
        if node.getter is not None:
            return node.getter
        walk = _path_getter(node.path, dynamic=node.type.family == t.ANY)
        if node.shown is not None:
            show = node.shown
            return lambda record: walk(show(record))
        return walk
    if isinstance(node, Logical):
        parts = [compile_node(n) for n in node.operands]
        if node.op == "and":
            return lambda record: all(p(record) is True for p in parts)
        return lambda record: any(p(record) is True for p in parts)
    if isinstance(node, Unary):
        inner = compile_node(node.operand)  # type: ignore[arg-type]
        if node.op == "not":

            def negate(record: dict) -> Any:
                value = inner(record)
                return None if value is None else value is not True

            return negate

        def minus(record: dict) -> Any:
            value = inner(record)
            return -value if isinstance(value, (int, Decimal)) and not isinstance(value, bool) else None

        return minus
    if isinstance(node, Compare):
        return _compile_compare(node)
    if isinstance(node, Method):
        return _compile_method(node)
    raise TypeError(f"cannot compile {type(node).__name__}")  # pragma: no cover


def _path_getter(path: tuple[str, ...], *, dynamic: bool) -> Getter:
    def get(record: dict) -> Any:
        value: Any = record
        for key in path:
            if not isinstance(value, dict):
                return None
            found = value.get(key)
            if found is None and dynamic:
                folded = key.casefold()
                found = next((v for k, v in value.items() if k.casefold() == folded), None)
            value = found
        return value

    return get


def _compile_compare(node: Compare) -> Getter:
    left, right = compile_node(node.left), compile_node(node.right)  # type: ignore[arg-type]
    test = _COMPARISONS[node.op]
    equality = node.op in _EQUALITY
    negated = node.op in ("!=", "<>")

    def compare(record: dict) -> bool:
        a, b = normalise(left(record)), normalise(right(record))
        if a is None or b is None:
            return ((a is None) == (b is None)) != negated if equality else False
        if isinstance(a, bool) != isinstance(b, bool):  # only reachable through untyped fields
            return negated
        try:
            return bool(test(a, b))
        except TypeError:  # only reachable through untyped fields
            return negated

    return compare


def _compile_method(node: Method) -> Getter:
    target = compile_node(node.target)  # type: ignore[arg-type]  # the parser always sets a method's target
    args = [compile_node(a) for a in node.args]
    where = node.target.text if isinstance(node.target, FieldRef) else "the value"

    def value_of(getter: Getter, record: dict, what: str) -> str:
        value = getter(record)
        if value is None:
            raise query_error(
                f"Object reference not set to an instance of an object: {what} is null on a record "
                f"(guard it with '{what} != null && ...')",
                node.pos,
            )
        return value if isinstance(value, str) else str(value)

    if node.name in _TRANSFORMS:
        transform = _TRANSFORMS[node.name]
        return lambda record: transform(value_of(target, record, where))
    test = _PREDICATES[node.name]

    def predicate(record: dict) -> bool:
        text = value_of(target, record, where)
        needle = value_of(args[0], record, "the argument")
        return test(text.casefold(), needle.casefold())

    return predicate


# --- entry points --------------------------------------------------------------------------------------


Predicate = Callable[[dict], bool]


def compile_where(
    text: str, catalog: t.Catalog, extras: Mapping[str, t.Extra] | None = None, view: View | None = None
) -> Predicate:
    """``where`` text → a predicate over stored records; bad text raises ``QueryParseException``."""
    parser = Parser(text, catalog, extras, view)
    tree = parser.parse_or()
    parser.expect_end()
    if tree.type.family not in (t.BOOL, t.ANY):
        raise query_error("Expression of type 'Boolean' expected", tree.pos)
    test = compile_node(tree)
    return lambda record: test(record) is True


@dataclass(frozen=True)
class OrderKey:
    get: Getter
    descending: bool


def compile_order(
    text: str, catalog: t.Catalog, extras: Mapping[str, t.Extra] | None = None, view: View | None = None
) -> list[OrderKey]:
    """``order`` text (``Name ASC, UpdatedDateUTC DESC``) → sort keys, most significant first."""
    parser = Parser(text, catalog, extras, view)
    keys: list[OrderKey] = []
    while True:
        expression = parser.parse_or()
        if expression.type.family not in t.ORDERABLE:
            raise query_error(f"Expression of type '{expression.type.name}' cannot be ordered", expression.pos)
        descending = False
        if parser.tok.is_word("asc", "ascending"):
            parser.advance()
        elif parser.tok.is_word("desc", "descending"):
            parser.advance()
            descending = True
        keys.append(OrderKey(compile_node(expression), descending))
        if parser.tok.is_op(","):
            parser.advance()
            continue
        parser.expect_end()
        return keys


def compile_path(
    path: str, catalog: t.Catalog, extras: Mapping[str, t.Extra] | None = None, view: View | None = None
) -> Getter:
    """A dotted field path (``Contact.ContactID``) → a getter; used by the explicit list parameters."""
    parser = Parser(path, catalog, extras, view)
    node = parser.parse_postfix()
    parser.expect_end()
    if not isinstance(node, FieldRef):
        raise ValueError(f"{path!r} is not a field path")
    return compile_node(node)


def sort_rows(rows: list[dict], keys: list[OrderKey]) -> list[dict]:
    """Stable multi-key sort; nulls first ascending (last descending), text without regard to case."""
    for key in reversed(keys):
        rows.sort(key=_sort_key(key.get), reverse=key.descending)
    return rows


def _sort_key(get: Getter) -> Callable[[dict], tuple]:
    return lambda record: _sort_value(get(record))


_RANKS = ((bool, 1), ((int, Decimal), 2), (datetime, 3), (str, 4))


def _sort_value(value: Any) -> tuple:
    value = normalise(value)
    if value is None:
        return (0,)
    for kinds, rank in _RANKS:
        if isinstance(value, kinds):
            return (rank, value)
    return (5, str(value))


__all__ = ["compile_where", "compile_order", "compile_path", "sort_rows", "OrderKey", "QueryParseException", "View"]
