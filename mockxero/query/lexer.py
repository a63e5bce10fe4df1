"""Tokens of Xero's ``where``/``order`` language.

Positions are 0-based character indexes into the expression, the way Xero's parser counts them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from ..exceptions import QueryParseException

IDENT, STRING, CHAR, NUMBER, OP, END = "ident", "string", "char", "number", "op", "end"

# Longest first, so "==" wins over "=" and "<=" over "<".
OPERATORS = (
    "==",
    "!=",
    "<>",
    "<=",
    ">=",
    "&&",
    "||",
    "=",
    "<",
    ">",
    "!",
    "(",
    ")",
    ",",
    ".",
    "-",
    "+",
    "*",
    "/",
    "%",
    "&",
    "|",
    "[",
    "]",
)
_ESCAPES = {'"': '"', "'": "'", "\\": "\\", "n": "\n", "r": "\r", "t": "\t", "0": "\0"}
_MAX_EXPONENT = 1000  # Decimal copes with more, but no money value needs it


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    pos: int
    value: Any = None

    def is_word(self, *words: str) -> bool:
        """Keywords (and, or, not, asc, true, null, ...) are case-insensitive, as in Xero."""
        return self.kind == IDENT and self.text.casefold() in words

    def is_op(self, *ops: str) -> bool:
        return self.kind == OP and self.text in ops


# Messages Xero is known to send for a bad ``where`` (its 400 QueryParseException). A client may match them exactly, so
# they go out exactly as Xero words them; every other parse error also says where it is.
XERO_QUERY_MESSAGES = frozenset(
    {
        "Expression expected",
        "Character literal must contain exactly one character",
    }
)


def query_error(message: str, pos: int) -> QueryParseException:
    """The problem, and where it is unless the message is one Xero sends word for word."""
    if message in XERO_QUERY_MESSAGES:
        return QueryParseException(message)
    return QueryParseException(f"{message} (at index {pos})")


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(text)
    while True:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            tokens.append(Token(END, "", n))
            return tokens
        ch = text[i]
        if ch.isalpha() or ch == "_":
            start = i
            while i < n and (text[i].isalnum() or text[i] == "_"):
                i += 1
            tokens.append(Token(IDENT, text[start:i], start))
        elif "0" <= ch <= "9":
            token, i = _number(text, i)
            tokens.append(token)
        elif ch in "\"'":
            token, i = _quoted(text, i)
            tokens.append(token)
        else:
            op = next((o for o in OPERATORS if text.startswith(o, i)), None)
            if op is None:
                raise query_error(f"Syntax error '{ch}'", i)
            tokens.append(Token(OP, op, i))
            i += len(op)


def _digits(text: str, i: int) -> int:
    if i >= len(text) or not "0" <= text[i] <= "9":
        raise query_error("Digit expected", i)
    while i < len(text) and "0" <= text[i] <= "9":
        i += 1
    return i


def _number(text: str, start: int) -> tuple[Token, int]:
    i = _digits(text, start)
    real = False
    if i < len(text) and text[i] == ".":
        real = True
        i = _digits(text, i + 1)
    if i < len(text) and text[i] in "eE":
        real = True
        j = i + 1
        if j < len(text) and text[j] in "+-":
            j += 1
        i = _digits(text, j)
    literal = text[start:i]
    if i < len(text) and text[i] in "mMdDfF":  # C# literal suffixes: 10.5m, 2d, 1f
        real = True
        i += 1
    try:
        value = Decimal(literal)
    except InvalidOperation:  # pragma: no cover - the scanner only admits well-formed digits
        raise query_error(f"Invalid real literal '{literal}'", start) from None
    if real and abs(value.as_tuple().exponent) > _MAX_EXPONENT:  # type: ignore[arg-type]
        raise query_error(f"Invalid real literal '{text[start:i]}'", start)
    return Token(NUMBER, text[start:i], start, value), i


def _quoted(text: str, start: int) -> tuple[Token, int]:
    """A "string" or a 'c'haracter: backslash escapes, and a doubled quote stands for one quote."""
    quote = text[start]
    out: list[str] = []
    i, n = start + 1, len(text)
    while True:
        if i >= n:
            raise query_error("Unterminated string literal", start)
        ch = text[i]
        if ch == "\\":
            if i + 1 >= n:
                raise query_error("Unterminated string literal", start)
            escaped = _ESCAPES.get(text[i + 1])
            if escaped is None:
                raise query_error(f"Unrecognized escape sequence '\\{text[i + 1]}'", i)
            out.append(escaped)
            i += 2
        elif ch == quote:
            if i + 1 < n and text[i + 1] == quote:
                out.append(quote)
                i += 2
            else:
                i += 1
                break
        else:
            out.append(ch)
            i += 1
    value = "".join(out)
    if quote == "'":
        if len(value) != 1:
            raise query_error("Character literal must contain exactly one character", start)
        return Token(CHAR, text[start:i], start, value), i
    return Token(STRING, text[start:i], start, value), i
