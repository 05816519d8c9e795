"""Tokenizer and shared helpers for the Gambit ``.nfg`` / ``.efg`` text formats.

Both formats are a stream of whitespace-separated tokens:

* numbers: integers, decimals (``1.5``, ``-.5``, ``1e-3``) and rationals
  (``3/4``), all read *exactly* as :class:`~fractions.Fraction`;
* quoted strings, where ``\\"`` stands for a quote and ``\\\\`` for a
  backslash (any other backslash is kept as written);
* the braces ``{`` and ``}``, the comma ``,`` (an optional separator);
* bare words (``NFG``, ``R``, the node types ``p``, ``c``, ``t``).

Every token remembers its line, so parsers report errors as
``file:line: message`` through :class:`~coercion.errors.GameFileError`.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator, Sequence
from enum import Enum
from fractions import Fraction
from typing import Any, NamedTuple

from coercion._numbers import is_exact_scalar, is_real_scalar, to_fraction
from coercion.errors import GameFileError, InvalidParameterError

__all__ = [
    "MAX_BYTES",
    "Kind",
    "Token",
    "TokenStream",
    "decode",
    "format_fraction",
    "format_number",
    "header_kind",
    "normalize_labels",
    "parse_header",
    "parse_number",
    "quote",
    "read_source",
    "write_target",
]

#: Largest decimal exponent accepted in a number (``1e4000`` is refused, not computed).
MAX_EXPONENT = 4000

#: Largest game file read, in bytes (256 MiB); ``read_game(path, max_bytes=...)`` raises it.
MAX_BYTES = 256 * 1024 * 1024

_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_BINARY = getattr(os, "O_BINARY", 0)


class Kind(Enum):
    """Token kinds of the Gambit text formats."""

    NUMBER = "number"
    TEXT = "string"
    SYMBOL = "word"
    LBRACE = "'{'"
    RBRACE = "'}'"
    COMMA = "','"
    EOF = "end of file"


class Token(NamedTuple):
    """One token: its kind, its text (unescaped for strings), line and exact value.

    (A named tuple: immutable, and about three times cheaper to make than a frozen
    dataclass, which counts in a file of a million tokens.)
    """

    kind: Kind
    text: str
    line: int
    value: Fraction | None = None

    def describe(self) -> str:
        """Short human description used in error messages."""
        if self.kind is Kind.TEXT:
            shown = self.text if len(self.text) <= 30 else self.text[:27] + "..."
            return f"string {shown!r}"
        if self.kind is Kind.NUMBER:
            return f"number {self.text}"
        if self.kind is Kind.SYMBOL:
            shown = self.text if len(self.text) <= 30 else self.text[:27] + "..."
            return f"{shown!r}"
        return str(self.kind.value)


_NUMBER = re.compile(
    r"(?P<sign>[+-]?)(?:(?P<num>\d+)/(?P<den>\d+)"
    r"|(?P<mant>\d+\.?\d*|\.\d+)(?:[eE](?P<exp>[+-]?\d+))?)"
)
#: one token (whitespace before it is skipped by ``search``)
_TOKEN = re.compile(r'[{},"]|[^\s{},"]+')
_STRING_BODY = re.compile(r'((?:[^"\\]|\\.)*)"', re.DOTALL)
_UNESCAPE = re.compile(r'\\(["\\])')


def parse_number(text: str) -> Fraction | None:
    """Exact value of a Gambit number, or None if *text* is not one.

    Examples
    --------
    >>> parse_number("0.1"), parse_number("-3/4"), parse_number("1e-3")
    (Fraction(1, 10), Fraction(-3, 4), Fraction(1, 1000))
    >>> parse_number("1/0") is None, parse_number("1.2.3") is None
    (True, True)
    """
    m = _NUMBER.fullmatch(text)
    if m is None:
        return None
    try:
        if m["num"] is not None:
            den = int(m["den"])
            if den == 0:
                return None
            value = Fraction(int(m["num"]), den)
        else:
            if m["exp"] is not None and abs(int(m["exp"])) > MAX_EXPONENT:
                return None
            value = Fraction(m["mant"] + (f"e{m['exp']}" if m["exp"] is not None else ""))
    except (ValueError, ZeroDivisionError, OverflowError):  # e.g. int digit limits
        return None
    return -value if m["sign"] == "-" else value


def _finite(value: Fraction) -> bool:
    try:
        float(value)
    except OverflowError:
        return False
    return True


#: distinct number texts whose values one file's lexer remembers (``1/2`` read once)
_NUMBER_CACHE = 4096


def _number_token(lexeme: str, line: int, source: str) -> Token:
    # fast path: a plain integer short enough to be finite (and under int's digit limit)
    digits = lexeme[1:] if lexeme[0] in "+-" else lexeme
    if len(lexeme) <= 300 and digits.isascii() and digits.isdigit():
        return Token(Kind.NUMBER, lexeme, line, Fraction(int(lexeme)))
    value = parse_number(lexeme)
    if value is None:
        raise GameFileError(source, f"invalid number {lexeme!r}", line)
    if not _finite(value):
        raise GameFileError(source, f"number {lexeme!r} is too large", line)
    return Token(Kind.NUMBER, lexeme, line, value)


def _lex(text: str, source: str, stream: TokenStream | None = None) -> Iterator[Token]:
    """Yield the tokens of *text*, ending with one EOF token.

    When *stream* is given, ``stream.offset`` is set to where each token starts before it
    is yielded (:meth:`TokenStream.remaining` reads it).
    """
    line = 1
    last_line = 1
    pos = 0
    search = _TOKEN.search
    count = text.count
    numbers: dict[str, Token] = {}
    while True:
        m = search(text, pos)
        if m is None:
            break
        start = m.start()
        line += count("\n", pos, start)  # what was skipped is whitespace
        last_line = line
        if stream is not None:
            stream.offset = start
        lexeme = m.group()
        first = lexeme[0]
        if first == "{":
            yield Token(Kind.LBRACE, lexeme, line)
        elif first == "}":
            yield Token(Kind.RBRACE, lexeme, line)
        elif first == ",":
            yield Token(Kind.COMMA, lexeme, line)
        elif first == '"':
            body = _STRING_BODY.match(text, m.end())
            if body is None:
                raise GameFileError(source, "unterminated string (no closing '\"')", line)
            raw = body.group(1)
            yield Token(Kind.TEXT, _UNESCAPE.sub(r"\1", raw) if "\\" in raw else raw, line)
            line += raw.count("\n")
            last_line = line
            pos = body.end()
            continue
        elif first in "0123456789+-.":
            tok = numbers.get(lexeme)
            if tok is None:
                tok = _number_token(lexeme, line, source)
                if len(numbers) < _NUMBER_CACHE:
                    numbers[lexeme] = tok
            elif tok.line != line:
                tok = Token(Kind.NUMBER, lexeme, line, tok.value)
            yield tok
        else:
            yield Token(Kind.SYMBOL, lexeme, line)
        pos = m.end()
    if stream is not None:
        stream.offset = len(text)
    yield Token(Kind.EOF, "", last_line)


class TokenStream:
    """Tokens of one file with one token of look-ahead.

    Parameters
    ----------
    text : str
        The decoded file content.
    source : str
        File name (or ``"<string>"``) used in error messages.

    Examples
    --------
    >>> ts = TokenStream('NFG 1 R "a \\\\"b\\\\"" { 1/2 }', "<string>")
    >>> [ts.next().text for _ in range(4)]
    ['NFG', '1', 'R', 'a "b"']
    >>> ts.expect(Kind.LBRACE, "'{'").line, ts.number("a payoff")
    (1, Fraction(1, 2))
    """

    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self.length = len(text)
        self.offset = 0  # where the last token read from the text starts (set by _lex)
        self._tokens = _lex(text, source, self)
        self._peeked: Token | None = None

    def peek(self) -> Token:
        """The next token, without consuming it."""
        if self._peeked is None:
            self._peeked = next(self._tokens)
        return self._peeked

    def next(self) -> Token:
        """Consume and return the next token (EOF repeats forever)."""
        tok = self.peek()
        if tok.kind is not Kind.EOF:
            self._peeked = None
        return tok

    def remaining(self) -> int:
        """Characters of the text from the next token on (an upper bound on what is left)."""
        self.peek()
        return self.length - self.offset

    def numbers_left(self) -> int:
        """At most how many numbers the rest of the text can hold.

        Numbers are at least one character long and separated by at least one, so
        ``n`` characters hold at most ``(n + 1) // 2`` of them.  Parsers compare a
        declared size with this before allocating for it.
        """
        return (self.remaining() + 1) // 2

    def error(self, message: str, line: int | None) -> GameFileError:
        """A :class:`GameFileError` for this file at *line*."""
        return GameFileError(self.source, message, line)

    def unexpected(self, tok: Token, expected: str) -> GameFileError:
        """Error for *tok* found where *expected* was needed."""
        if tok.kind is Kind.EOF:
            return self.error(f"unexpected end of file: expected {expected}", tok.line)
        return self.error(f"expected {expected}; found {tok.describe()}", tok.line)

    def expect(self, kind: Kind, expected: str) -> Token:
        """Consume a token of *kind* or raise naming what was *expected*."""
        tok = self.next()
        if tok.kind is not kind:
            raise self.unexpected(tok, expected)
        return tok

    def number(self, expected: str) -> Fraction:
        """Consume a number token and return its exact value."""
        tok = self.expect(Kind.NUMBER, expected)
        assert tok.value is not None
        return tok.value

    def integer(self, expected: str, low: int = 0, high: int | None = None) -> tuple[int, Token]:
        """Consume a whole number in ``[low, high]`` written without a point or exponent."""
        tok = self.expect(Kind.NUMBER, expected)
        if re.fullmatch(r"[+-]?\d+", tok.text) is None:
            raise self.error(f"expected {expected} (a whole number); found {tok.text}", tok.line)
        value = int(tok.text)
        if value < low or (high is not None and value > high):
            bound = f"in [{low}, {high}]" if high is not None else f">= {low}"
            raise self.error(f"{expected} must be {bound}; got {value}", tok.line)
        return value, tok

    def skip_commas(self) -> None:
        """Consume any commas (optional separators)."""
        while self.peek().kind is Kind.COMMA:
            self.next()

    def numbers_in_braces(self, expected: str) -> tuple[list[Fraction], Token, Token]:
        """Read ``{ n1[,] n2 ... }``; return the numbers and the two brace tokens."""
        open_tok = self.expect(Kind.LBRACE, f"'{{' opening {expected}")
        values: list[Fraction] = []
        while True:
            self.skip_commas()
            tok = self.next()
            if tok.kind is Kind.RBRACE:
                return values, open_tok, tok
            if tok.kind is not Kind.NUMBER:
                raise self.unexpected(tok, f"a number or '}}' closing {expected}")
            assert tok.value is not None
            values.append(tok.value)

    def texts_in_braces(self, expected: str) -> tuple[list[str], Token]:
        """Read ``{ "a" "b" ... }`` (at least one string); return them and the ``{`` token."""
        open_tok = self.expect(Kind.LBRACE, f"'{{' opening {expected}")
        labels: list[str] = []
        while True:
            tok = self.next()
            if tok.kind is Kind.RBRACE:
                break
            if tok.kind is not Kind.TEXT:
                raise self.unexpected(tok, f"a quoted label or '}}' closing {expected}")
            labels.append(tok.text)
        return labels, open_tok

    def expect_end(self, what: str) -> None:
        """Raise unless the file ends here."""
        tok = self.peek()
        if tok.kind is not Kind.EOF:
            raise self.error(f"expected end of file after {what}; found {tok.describe()}", tok.line)


def decode(data: str | bytes, source: str) -> str:
    """Text of a game file: UTF-8, no NUL bytes, not blank.

    Examples
    --------
    >>> decode(b"NFG 1 R", "<string>")
    'NFG 1 R'
    >>> decode(b"NFG\\n\\xff", "g.nfg")
    Traceback (most recent call last):
    ...
    coercion.errors.GameFileError: g.nfg:2: not UTF-8 text (byte 0xff at offset 4)
    """
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            bad = data[exc.start]
            raise GameFileError(
                source, f"not UTF-8 text (byte 0x{bad:02x} at offset {exc.start})", line
            ) from None
    elif isinstance(data, str):
        text = data
    else:
        raise GameFileError(source, f"expected text (str or bytes); got {type(data).__name__}")
    text = text.removeprefix("\ufeff")
    nul = text.find("\x00")
    if nul >= 0:
        raise GameFileError(
            source, "binary content (NUL byte), not a game file", text.count("\n", 0, nul) + 1
        )
    if not text.strip():
        raise GameFileError(source, "empty file", 1)
    return text


def _kind_of(mode: int) -> str | None:
    """What a non-regular file is, for error messages (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _size(n: int) -> str:
    """Bytes in readable units: ``256 MiB``, ``1.5 GiB``, ``40 bytes``."""
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.4g} {unit}"
    return f"{n} bytes"


def read_source(
    path: str | os.PathLike[str], parser: str, *, max_bytes: int = MAX_BYTES
) -> tuple[str, str]:
    """Read the file at *path*; return ``(text, source_name)``.

    *parser* names the ``parse_*`` function to suggest when *path* is
    evidently game text rather than a path.

    Only regular files of at most *max_bytes* bytes (default :data:`MAX_BYTES`) are
    read: a named pipe, a device such as ``/dev/zero``, a directory or a larger file is
    refused before anything is read (opening does not wait for a pipe's writer).
    """
    if not isinstance(path, str | os.PathLike):
        raise GameFileError(
            "<unknown>", f"expected a file path (str or os.PathLike); got {type(path).__name__}"
        )
    name = os.fspath(path)
    if not isinstance(name, str):
        raise GameFileError(repr(name), "expected a str path")
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 0:
        raise InvalidParameterError(
            f"max_bytes must be a whole number of bytes >= 0; got {max_bytes!r}"
        )
    looks_like_text = "\n" in name or name.lstrip().startswith(("NFG ", "EFG "))
    try:
        # O_NONBLOCK: opening a named pipe must not wait for a writer (it is refused below)
        fd = os.open(name, os.O_RDONLY | _O_NONBLOCK | _O_BINARY)
    except (OSError, ValueError) as exc:  # ValueError: a NUL character in the path
        if looks_like_text:
            raise GameFileError(
                "<string>", f"expected a file path; to read game text use {parser}(text)"
            ) from None
        if isinstance(exc, FileNotFoundError):
            raise GameFileError(name, "no such file") from None
        if isinstance(exc, IsADirectoryError):
            raise GameFileError(name, "is a directory, not a file") from None
        if isinstance(exc, PermissionError):
            raise GameFileError(name, "permission denied") from None
        if isinstance(exc, OSError):
            raise GameFileError(name, f"cannot read file ({exc.strerror or exc})") from None
        raise GameFileError(name, f"cannot read file ({exc})") from None
    try:
        info = os.fstat(fd)
        kind = _kind_of(info.st_mode)
        if kind == "a directory":
            raise GameFileError(name, "is a directory, not a file")
        if kind is not None:
            raise GameFileError(name, f"is {kind}, not a regular file; only files are read")
        if info.st_size > max_bytes:
            raise GameFileError(name, _too_large(info.st_size, max_bytes))
        with os.fdopen(fd, "rb") as fh:
            fd = -1  # closed with fh
            data = fh.read(max_bytes + 1)  # a file growing while read is cut off too
    except OSError as exc:
        raise GameFileError(name, f"cannot read file ({exc.strerror or exc})") from None
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > max_bytes:
        raise GameFileError(name, _too_large(len(data), max_bytes, growing=True))
    return decode(data, name), name


def _too_large(size: int, max_bytes: int, *, growing: bool = False) -> str:
    what = f"is larger than {_size(max_bytes)}" if growing else f"is {_size(size)}"
    return (
        f"{what}; game files above {_size(max_bytes)} are refused "
        "(read_game(path, max_bytes=...) raises the limit)"
    )


def quote(label: str) -> str:
    """A label as a Gambit quoted string (``"`` and ``\\`` escaped).

    Examples
    --------
    >>> print(quote('say "no"'))
    "say \\"no\\""
    """
    return '"' + label.replace("\\", "\\\\").replace('"', '\\"') + '"'


def format_fraction(value: Fraction) -> str:
    """``n`` or ``p/q``."""
    if value.denominator == 1:
        return str(value.numerator)
    return f"{value.numerator}/{value.denominator}"


def format_number(value: Any) -> str:
    """A payoff as Gambit text: exact values as ``n`` or ``p/q``, floats by ``repr``.

    A float's shortest round-trip decimal (``repr``) is written, which the
    readers parse exactly as that decimal (``0.1`` becomes ``1/10``).

    Examples
    --------
    >>> format_number(3), format_number(Fraction(-3, 4)), format_number(0.1)
    ('3', '-3/4', '0.1')
    """
    if is_exact_scalar(value):
        return format_fraction(to_fraction(value))
    if is_real_scalar(value):
        return repr(float(value))
    raise TypeError(f"not a real number: {value!r}")


def normalize_labels(labels: Sequence[str]) -> list[str]:
    """Make labels non-empty and distinct the way Gambit does.

    Empty and repeated labels become ``label_1``, ``label_2``, ... (the
    next suffix not already used); unique non-empty labels are kept.

    Examples
    --------
    >>> normalize_labels(["x", "x", "", "y"])
    ['x_1', 'x_2', '_1', 'y']
    """
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    used = set(labels)
    visited: dict[str, int] = {}
    out: list[str] = []
    for label in labels:
        if counts[label] == 1 and label != "":
            out.append(label)
            continue
        while True:
            visited[label] = visited.get(label, 0) + 1
            candidate = f"{label}_{visited[label]}"
            if candidate not in used:
                break
        used.add(candidate)
        out.append(candidate)
    return out


def write_target(path: str | os.PathLike[str], text: str) -> None:
    """Write *text* to *path* as UTF-8 with ``\\n`` line endings."""
    name = os.fspath(path)
    try:
        with open(name, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except OSError as exc:
        raise GameFileError(str(name), f"cannot write file ({exc.strerror or exc})") from None


def header_kind(ts: TokenStream) -> str:
    """Consume the file-type word and return ``"NFG"`` or ``"EFG"``."""
    tok = ts.next()
    if tok.kind is Kind.SYMBOL and tok.text in ("NFG", "EFG"):
        return tok.text
    raise ts.error(
        f"not a Gambit game file: expected 'NFG' or 'EFG' at the start; found {tok.describe()}",
        tok.line,
    )


def parse_header(ts: TokenStream, kind: str, version: int) -> tuple[str, list[str], Token]:
    """Parse ``<version> R|D "title" { players }`` after the file-type word.

    Returns the title, the raw player labels and the ``{`` token of the player list.
    """
    tok = ts.next()
    if tok.kind is not Kind.NUMBER or tok.text != str(version):
        found = tok.describe() if tok.kind is not Kind.NUMBER else tok.text
        raise ts.error(
            f"unsupported {kind} version {found}: only version {version} is read", tok.line
        )
    tok = ts.next()
    if tok.kind is not Kind.SYMBOL or tok.text not in ("R", "D"):
        raise ts.error(
            f"expected the number type 'R' or 'D' after '{kind} {version}'; found {tok.describe()}",
            tok.line,
        )
    title = ts.expect(Kind.TEXT, "the quoted game title").text
    players, open_tok = ts.texts_in_braces("the player list")
    if not players:
        raise ts.error(
            f"an {kind} game needs at least one player; the player list is empty", open_tok.line
        )
    return title, players, open_tok
