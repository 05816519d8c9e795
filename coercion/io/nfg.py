"""Gambit strategic-form files (``.nfg``, version 1).

Layout
------
::

    NFG 1 R "title" { "P1" "P2" } { 3 2 }          strategy counts, or
    NFG 1 R "title" { "P1" "P2" }
    { { "a" "b" "c" } { "x" "y" } }                strategy labels
    "optional comment"

followed by one of two bodies:

* **payoff version**: for every strategy profile, the payoffs of all
  players, the *first* player's strategy changing fastest;
* **outcome version**: a list of outcomes ``{ { "name" 1, 2 } ... }``, then
  one outcome index per profile (same order; ``0`` means all payoffs zero).

Numbers are read exactly (``0.1`` is ``Fraction(1, 10)``), so the game is
always :attr:`~coercion.games.NormalFormGame.is_exact`.  Commas between
numbers are optional.  Empty or repeated player and strategy labels are made
distinct as Gambit does (``""`` becomes ``"_1"``, a repeated ``"x"`` becomes
``"x_1"``, ``"x_2"``).  The comment is not kept.

:func:`write_nfg` writes the payoff version with strategy labels.
"""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Iterator
from fractions import Fraction

import numpy as np

from coercion.errors import GameFileError, InvalidGameError, InvalidParameterError
from coercion.games.normal_form import NormalFormGame
from coercion.io._tokens import (
    MAX_BYTES,
    Kind,
    TokenStream,
    decode,
    format_number,
    header_kind,
    normalize_labels,
    parse_header,
    quote,
    read_source,
    write_target,
)

__all__ = ["parse_nfg", "read_nfg", "write_nfg"]


def profiles(shape: tuple[int, ...]) -> Iterator[tuple[int, ...]]:
    """Pure profiles in Gambit order: the first player's strategy changes fastest.

    Examples
    --------
    >>> list(profiles((2, 2)))
    [(0, 0), (1, 0), (0, 1), (1, 1)]
    """
    for rev in itertools.product(*(range(n) for n in reversed(shape))):
        yield rev[::-1]


def read_nfg(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> NormalFormGame:
    """Read a Gambit ``.nfg`` file.

    Parameters
    ----------
    path : str or os.PathLike
        The file to read (use :func:`parse_nfg` for text in memory): a regular file.
    max_bytes : int, optional
        Largest file read (default :data:`coercion.io.MAX_BYTES`, 256 MiB); larger
        files, named pipes and devices are refused before reading.

    Returns
    -------
    NormalFormGame
        An exact game (payoffs are :class:`~fractions.Fraction`).

    Raises
    ------
    GameFileError
        If the file is missing, unreadable or malformed; the message names
        the file and the line.
    """
    text, source = read_source(path, "parse_nfg", max_bytes=max_bytes)
    return parse_nfg(text, source)


def parse_nfg(text: str | bytes, source: str = "<string>") -> NormalFormGame:
    """Parse the text of a Gambit ``.nfg`` file.

    Parameters
    ----------
    text : str or bytes
        The file content (bytes must be UTF-8).
    source : str, optional
        Name used in error messages (default ``"<string>"``).

    Returns
    -------
    NormalFormGame

    Raises
    ------
    GameFileError
        If the text is not a well-formed ``.nfg`` game.

    Examples
    --------
    The payoff version (Prisoner's Dilemma, exact decimals):

    >>> g = parse_nfg('NFG 1 R "PD" { "Row" "Col" } { 2 2 }  3 3  5 0  0 5  1.5 1.5')
    >>> g.exact()[0].tolist()
    [[Fraction(3, 1), Fraction(0, 1)], [Fraction(5, 1), Fraction(3, 2)]]

    The outcome version, with strategy labels:

    >>> g = parse_nfg('''NFG 1 R "" { "A" "B" } { { "x" "y" } { "l" "r" } } ""
    ... { { "win" 1, -1 } { "lose" -1, 1 } }
    ... 1 2 2 0''')
    >>> g.actions, g.payoff(("y", "l")), g.payoff(("y", "r"))
    ((('x', 'y'), ('l', 'r')), (-1.0, 1.0), (0.0, 0.0))
    """
    ts = TokenStream(decode(text, source), source)
    kind_tok = ts.peek()
    if header_kind(ts) != "NFG":
        raise ts.error("expected an .nfg file (header 'NFG'); this is an .efg file", kind_tok.line)
    return parse_nfg_tokens(ts)


def parse_nfg_tokens(ts: TokenStream) -> NormalFormGame:
    """Parse an ``.nfg`` game from *ts*, positioned after the ``NFG`` word."""
    title, raw_players, _ = parse_header(ts, "NFG", 1)
    n = len(raw_players)
    strategies = _parse_strategies(ts, raw_players)
    if ts.peek().kind is Kind.TEXT:  # optional comment
        ts.next()
    shape = tuple(len(s) for s in strategies)
    tok = ts.peek()
    if tok.kind is Kind.LBRACE:
        table = _parse_outcome_body(ts, n, shape)
    elif tok.kind is Kind.NUMBER:
        table = _parse_payoff_body(ts, n, shape)
    else:
        raise ts.unexpected(tok, "the payoffs (numbers) or an outcome list ('{')")
    try:
        return NormalFormGame(
            table,
            players=normalize_labels(raw_players),
            actions=[normalize_labels(s) for s in strategies],
            title=title,
        )
    except InvalidGameError as exc:  # pragma: no cover - the parser checks everything first
        raise GameFileError(ts.source, str(exc)) from None


def _parse_strategies(ts: TokenStream, players: list[str]) -> list[list[str]]:
    n = len(players)
    open_tok = ts.expect(Kind.LBRACE, "'{' opening the strategy counts or labels")
    first = ts.peek()
    strategies: list[list[str]] = []
    if first.kind is Kind.LBRACE:
        while ts.peek().kind is Kind.LBRACE:
            labels, inner = ts.texts_in_braces("a player's strategy labels")
            if not labels:
                raise ts.error(
                    f"player {len(strategies) + 1} needs at least one strategy; "
                    "got an empty label list",
                    inner.line,
                )
            strategies.append(labels)
        close = ts.next()
        if close.kind is not Kind.RBRACE:
            raise ts.unexpected(close, "'{' or '}' closing the strategy label lists")
        _check_room(ts, n, [len(s) for s in strategies], open_tok.line)
    else:
        counts: list[int] = []
        while len(counts) < n and ts.peek().kind is not Kind.RBRACE:
            count, _ = ts.integer("a strategy count", 1)
            counts.append(count)
        if len(counts) == n:
            ts.expect(Kind.RBRACE, f"'}}' closing the strategy counts of the {n} players")
        else:
            ts.next()
        _check_room(ts, n, counts, open_tok.line)
        # labels "1", "2", ... only once the file is known to hold that many profiles
        strategies = [[str(k + 1) for k in range(count)] for count in counts]
    return strategies


def _check_room(ts: TokenStream, n: int, counts: list[int], line: int) -> None:
    """Refuse declared strategy counts the rest of the file cannot hold, before allocating.

    Every strategy profile needs at least one number of the body (its payoffs, or its
    outcome index), at least one character each: a 36-byte file declaring 10⁹ strategies
    is refused here, not after building 10⁹ labels.  (A file only a little short is left
    to fail where it ends, which says how many numbers it has.)
    """
    if len(counts) != n:
        raise ts.error(f"the strategy list gives {len(counts)} players; the header names {n}", line)
    n_profiles = math.prod(counts)
    room = ts.remaining()
    if room == 0:  # nothing follows: say what is missing
        raise ts.unexpected(ts.peek(), "the payoffs (numbers) or an outcome list ('{')")
    if n_profiles > room:
        shown = f" ({' x '.join(map(str, counts))})" if 1 < n <= 6 else ""
        raise ts.error(
            f"the file is too short for {n_profiles} strategy profiles{shown}: each needs at "
            f"least one number, and the rest of the file holds at most {ts.numbers_left()} "
            f"({room} characters)",
            line,
        )


def _parse_payoff_body(ts: TokenStream, n: int, shape: tuple[int, ...]) -> np.ndarray:
    n_profiles = math.prod(shape)
    total = n * n_profiles
    expected = f"{total} payoffs ({n_profiles} strategy profiles x {n} players)"
    # a file that cannot hold the payoffs fails below, at its end: allocate nothing for it
    table = np.empty((n, *shape), dtype=object) if total <= ts.numbers_left() else None
    k = 0
    for profile in profiles(shape):
        for i in range(n):
            ts.skip_commas()
            tok = ts.next()
            if tok.kind is not Kind.NUMBER:
                if tok.kind is Kind.EOF:
                    raise ts.error(
                        f"unexpected end of file: expected {expected}; got {k}", tok.line
                    )
                raise ts.error(f"expected {expected}; found {tok.describe()} after {k}", tok.line)
            if table is not None:
                table[(i, *profile)] = tok.value
            k += 1
    if table is None:  # pragma: no cover - numbers_left() bounds what the file holds
        raise ts.error(f"the file is too short for {expected}", None)
    ts.skip_commas()
    extra = ts.peek()
    if extra.kind is Kind.NUMBER:
        raise ts.error(f"too many payoffs: expected {expected}", extra.line)
    ts.expect_end(expected)
    return table


def _parse_outcome_body(ts: TokenStream, n: int, shape: tuple[int, ...]) -> np.ndarray:
    outcomes: list[tuple[Fraction, ...]] = []
    ts.expect(Kind.LBRACE, "'{' opening the outcome list")
    while True:
        tok = ts.next()
        if tok.kind is Kind.RBRACE:
            break
        if tok.kind is not Kind.LBRACE:
            raise ts.unexpected(tok, "'{' opening an outcome or '}' closing the outcome list")
        ts.expect(Kind.TEXT, f"the quoted name of outcome {len(outcomes) + 1}")
        values: list[Fraction] = []
        while True:
            ts.skip_commas()
            item = ts.next()
            if item.kind is Kind.RBRACE:
                break
            if item.kind is not Kind.NUMBER:
                raise ts.unexpected(item, f"a payoff or '}}' closing outcome {len(outcomes) + 1}")
            assert item.value is not None
            values.append(item.value)
        if len(values) != n:
            raise ts.error(
                f"outcome {len(outcomes) + 1} needs {n} payoffs (one per player); "
                f"got {len(values)}",
                tok.line,
            )
        outcomes.append(tuple(values))
    zero = (Fraction(0),) * n
    n_profiles = math.prod(shape)
    # the indices are read first (the file holds them), the table is built after
    chosen: list[tuple[Fraction, ...]] = []
    for k in range(n_profiles):
        tok = ts.next()
        if tok.kind is not Kind.NUMBER:
            if tok.kind is Kind.EOF:
                raise ts.error(
                    f"unexpected end of file: expected {n_profiles} outcome indices "
                    f"(one per strategy profile); got {k}",
                    tok.line,
                )
            raise ts.unexpected(tok, "an outcome index")
        try:
            index = int(tok.text)
        except ValueError:
            raise ts.error(
                f"expected an outcome index (a whole number); found {tok.text}", tok.line
            ) from None
        if not 0 <= index <= len(outcomes):
            raise ts.error(
                f"outcome {index} is not defined (outcomes are numbered 1 to "
                f"{len(outcomes)}; 0 means all payoffs zero)",
                tok.line,
            )
        chosen.append(outcomes[index - 1] if index else zero)
    extra = ts.peek()
    if extra.kind is Kind.NUMBER:
        raise ts.error(
            f"too many outcome indices: expected {n_profiles} (one per strategy profile)",
            extra.line,
        )
    ts.expect_end(f"{n_profiles} outcome indices")
    table = np.empty((n, *shape), dtype=object)
    for profile, payoff in zip(profiles(shape), chosen, strict=True):
        for i in range(n):
            table[(i, *profile)] = payoff[i]
    return table


def write_nfg(game: NormalFormGame, path: str | os.PathLike[str] | None = None) -> str:
    """Write a game as a Gambit ``.nfg`` file (payoff version, with strategy labels).

    Exact payoffs are written as integers or ``p/q``; float payoffs by their
    shortest round-trip decimal (``repr``), which :func:`read_nfg` reads back
    exactly as that decimal.

    Parameters
    ----------
    game : NormalFormGame
    path : str or os.PathLike, optional
        If given, the text is also written there (UTF-8).

    Returns
    -------
    str
        The file content.

    Examples
    --------
    >>> g = NormalFormGame.bimatrix([[1, 0], [0, 1]], [[1, 0], [0, 2]], title="BoS",
    ...                             actions=[["B", "S"], ["B", "S"]])
    >>> print(write_nfg(g))
    NFG 1 R "BoS" { "Player 1" "Player 2" }
    <BLANKLINE>
    { { "B" "S" }
    { "B" "S" }
    }
    ""
    <BLANKLINE>
    1 1
    0 0
    0 0
    1 2
    <BLANKLINE>
    >>> parse_nfg(write_nfg(g)) == g
    True
    """
    if not isinstance(game, NormalFormGame):
        raise InvalidParameterError(
            f"write_nfg: expected a NormalFormGame; got {type(game).__name__}"
        )
    values = game.exact_payoffs if game.exact_payoffs is not None else game.payoffs
    players = " ".join(quote(p) for p in game.players)
    lines = [f"NFG 1 R {quote(game.title)} {{ {players} }}", ""]
    lines.append(
        "{ " + "\n".join("{ " + " ".join(quote(a) for a in acts) + " }" for acts in game.actions)
    )
    lines += ["}", '""', ""]
    for profile in profiles(game.shape):
        lines.append(" ".join(format_number(values[(i, *profile)]) for i in range(game.n_players)))
    text = "\n".join(lines) + "\n"
    if path is not None:
        write_target(path, text)
    return text
