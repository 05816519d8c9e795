r"""Gambit extensive-form files (``.efg``, version 2).

Layout
------
::

    EFG 2 R "title" { "P1" "P2" }
    "optional comment"
    p "node" 1 1 "infoset" { "a" "b" } 0            personal node
    c "node" 1 "" { "h" 1/2 "t" 1/2 } 0             chance node
    t "node" 1 "outcome" { 1, -1 }                  terminal node

Nodes come in preorder.  A personal node gives its player (1-based), its
information-set number and, at the first node of that set, the set's name
and actions (later members may repeat them, identically, or omit them).
Every node ends with an outcome number (``0`` = none); the outcome's name and
payoffs are given at its first use and may be repeated, identically, later.

Reading into a :class:`~coercion.games.GameTree`
------------------------------------------------
* **Numbers** are exact :class:`~fractions.Fraction` (``0.1`` is ``1/10``), so
  chance probabilities must sum to exactly 1 (and be non-negative).
* **Outcomes on non-terminal nodes** (allowed by Gambit) are folded in:
  a terminal's payoffs are the sum of the outcomes on its path from the root
  (its own included).  The game is the same; the outcome objects are not kept.
* **Terminal labels** are the terminal's outcome name, ``"outcome N"`` if that
  name is empty, ``"terminal"`` if the terminal has no outcome.  A trailing
  ``#N`` (N >= 2) is removed from an outcome name when the rest is itself an
  outcome name of the file, and likewise from a node name: it is how
  :func:`write_efg` keeps such names distinct.
* **Information sets**: nodes with the same (player, number) share one.  The
  :class:`~coercion.games.Decision` key is the set's name when it is non-empty
  and no other set of that player has the same name; otherwise ``None`` for a
  one-node set and the number (as a string) for larger ones.
* **Chance information sets** are not kept: each chance node gets its own
  :class:`~coercion.games.Chance` (with the set's probabilities).
* Empty or repeated player labels, and action labels within one node, are
  made distinct the way Gambit does (``""`` becomes ``"_1"``, a repeated
  ``"x"`` becomes ``"x_1"``, ``"x_2"``).  Node names become ``name``.  The
  comment is not kept.
* Anything after the last node is an error (Gambit ignores it).

Writing
-------
:func:`write_efg` writes one outcome per terminal, numbered in preorder and
named by the terminal label; a label used by several terminals is written
``label``, ``label#2``, ``label#3``, ... because Gambit renames repeated
outcome names (``label_1``, ``label_2``) when it reads them.  Repeated
non-empty node names get the same suffixes (Gambit 16.7 refuses a file whose
non-empty node labels repeat).  A genuine label ``x#2`` next to a label
``x`` therefore reads back as ``x``.  Each player's
information sets are numbered 1..k in the order of
:attr:`~coercion.games.GameTree.player_infosets` and named by their key (``""``
for ``infoset=None``); each chance node gets its own chance information set.
Float payoffs are written by ``repr``; float chance probabilities by
``repr`` too, except that when the decimals do not sum to exactly 1 one of
them is written as the exact rational that makes the sum 1 (the one where this
gives the smallest denominator, the last on ties): ``0.7`` and
``0.30000000000000004`` are written ``0.7`` and ``3/10``.

Gambit 16.7 itself only accepts player, node, information-set, action and
outcome labels of printable ASCII without leading, trailing or doubled spaces;
such labels are written as they are (this module reads them back), so a file
with, say, ``"Türkiye"`` as a player reads here but not in Gambit.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from coercion._numbers import is_exact_scalar, is_real_scalar, to_fraction
from coercion.errors import (
    GameFileError,
    InvalidGameError,
    InvalidParameterError,
    UnsupportedGameError,
)
from coercion.games.extensive_form import Chance, Decision, GameTree, Node, Terminal
from coercion.io._tokens import (
    MAX_BYTES,
    Kind,
    TokenStream,
    decode,
    format_fraction,
    format_number,
    header_kind,
    normalize_labels,
    parse_header,
    quote,
    read_source,
    write_target,
)

__all__ = ["parse_efg", "read_efg", "write_efg"]

_SUFFIX = re.compile(r"(.+)#([2-9]|[1-9]\d+)", re.DOTALL)


@dataclass
class _Outcome:
    name: str
    payoffs: tuple[Fraction, ...]
    line: int


@dataclass
class _PlayerInfoset:
    name: str
    raw_actions: list[str]
    actions: list[str]
    line: int
    members: int = 0


@dataclass
class _ChanceInfoset:
    name: str
    raw_actions: list[str]
    actions: list[str]
    probs: list[Fraction]
    line: int


@dataclass
class _Record:
    """One node of the file, in preorder."""

    kind: str  # "p", "c" or "t"
    name: str
    line: int
    player: int = 0  # 1-based, personal nodes
    infoset: int = 0
    actions: list[str] = field(default_factory=list)
    probs: list[Fraction] = field(default_factory=list)
    outcome: int = 0
    payoffs: tuple[Fraction, ...] = ()  # accumulated along the path (terminals)


class _Parser:
    def __init__(self, ts: TokenStream) -> None:
        self.ts = ts
        title, raw_players, _ = parse_header(ts, "EFG", 2)
        self.title = title
        self.players = normalize_labels(raw_players)
        self.n = len(raw_players)
        if ts.peek().kind is Kind.TEXT:  # optional comment
            ts.next()
        self.outcomes: dict[int, _Outcome] = {}
        self.infosets: dict[tuple[int, int], _PlayerInfoset] = {}
        self.chance_infosets: dict[int, _ChanceInfoset] = {}
        self.records: list[_Record] = []

    # ------------------------------------------------------------------ nodes
    def parse(self) -> GameTree:
        ts = self.ts
        zero = (Fraction(0),) * self.n
        stack: list[list[Any]] = []  # [children still to read, accumulated payoffs]
        inherited = zero
        while True:
            rec, acc = self._node(inherited)
            self.records.append(rec)
            if rec.kind != "t":
                stack.append([len(rec.actions), acc])
            while stack and stack[-1][0] == 0:
                stack.pop()
            if not stack:
                break
            stack[-1][0] -= 1
            inherited = stack[-1][1]
        tok = ts.peek()
        if tok.kind is not Kind.EOF:
            raise ts.error(
                f"unexpected {tok.describe()} after the last node of the tree "
                "(a node has fewer actions than the nodes that follow it?)",
                tok.line,
            )
        return self._build()

    def _node(self, inherited: tuple[Fraction, ...]) -> tuple[_Record, tuple[Fraction, ...]]:
        ts = self.ts
        tok = ts.next()
        if tok.kind is not Kind.SYMBOL:
            raise ts.unexpected(tok, "a node ('p', 'c' or 't')")
        if tok.text not in ("p", "c", "t"):
            raise ts.error(f"unknown node type {tok.text!r} (expected 'p', 'c' or 't')", tok.line)
        name = ts.expect(Kind.TEXT, "the quoted node name").text
        rec = _Record(tok.text, name, tok.line)
        if tok.text == "p":
            self._personal(rec)
        elif tok.text == "c":
            self._chance(rec)
        rec.outcome = self._outcome()
        acc = inherited
        if rec.outcome:
            own = self.outcomes[rec.outcome].payoffs
            if any(inherited):  # no outcome above this node: nothing to add (most files)
                acc = tuple(a + b for a, b in zip(inherited, own, strict=True))
            else:
                acc = own
        rec.payoffs = acc
        return rec, acc

    def _personal(self, rec: _Record) -> None:
        ts = self.ts
        player, _ = ts.integer("a player number", 1, self.n)
        number, num_tok = ts.integer("an information set number", 0)
        rec.player, rec.infoset = player, number
        info = self.infosets.get((player, number))
        if ts.peek().kind is Kind.TEXT:
            name = ts.next().text
            raw, open_tok = ts.texts_in_braces("the action list")
            if not raw:
                raise ts.error("a personal node needs at least one action", open_tok.line)
            if info is None:
                info = _PlayerInfoset(name, raw, normalize_labels(raw), open_tok.line)
                self.infosets[(player, number)] = info
            elif raw != info.raw_actions or name != info.name:
                raise ts.error(
                    f"information set {number} of player {player} was defined on line "
                    f"{info.line} as {info.name!r} {info.raw_actions!r}; here it is "
                    f"{name!r} {raw!r}",
                    open_tok.line,
                )
        elif info is None:
            raise ts.error(
                f"information set {number} of player {player} is used before its name and "
                "actions are given",
                num_tok.line,
            )
        info.members += 1
        rec.actions = info.actions

    def _chance(self, rec: _Record) -> None:
        ts = self.ts
        number, num_tok = ts.integer("a chance information set number", 0)
        rec.infoset = number
        info = self.chance_infosets.get(number)
        if ts.peek().kind is Kind.TEXT:
            name = ts.next().text
            open_tok = ts.expect(Kind.LBRACE, "'{' opening the chance actions")
            raw: list[str] = []
            probs: list[Fraction] = []
            while True:
                tok = ts.next()
                if tok.kind is Kind.RBRACE:
                    break
                if tok.kind is not Kind.TEXT:
                    raise ts.unexpected(
                        tok, "a quoted action label or '}' closing the chance actions"
                    )
                ts.skip_commas()
                p_tok = ts.expect(Kind.NUMBER, f"the probability of chance action {tok.text!r}")
                assert p_tok.value is not None
                if not 0 <= p_tok.value <= 1:
                    raise ts.error(
                        f"the probability of chance action {tok.text!r} must lie in "
                        f"[0, 1]; got {p_tok.text}",
                        p_tok.line,
                    )
                raw.append(tok.text)
                probs.append(p_tok.value)
                ts.skip_commas()
            if not raw:
                raise ts.error("a chance node needs at least one action", open_tok.line)
            if sum(probs) != 1:
                raise ts.error(
                    f"chance probabilities must sum to 1; got "
                    f"{format_fraction(sum(probs, Fraction(0)))}",
                    open_tok.line,
                )
            if info is None:
                info = _ChanceInfoset(name, raw, normalize_labels(raw), probs, open_tok.line)
                self.chance_infosets[number] = info
            elif raw != info.raw_actions or probs != info.probs or name != info.name:
                raise ts.error(
                    f"chance information set {number} was defined differently on line {info.line}",
                    open_tok.line,
                )
        elif info is None:
            raise ts.error(
                f"chance information set {number} is used before its actions and "
                "probabilities are given",
                num_tok.line,
            )
        rec.actions = info.actions
        rec.probs = info.probs

    def _outcome(self) -> int:
        ts = self.ts
        number, num_tok = ts.integer("an outcome number", 0)
        if ts.peek().kind is Kind.TEXT:
            name_tok = ts.next()
            if number == 0:
                raise ts.error(
                    "outcome 0 means 'no outcome' and cannot have a name or payoffs", name_tok.line
                )
            values, open_tok, _ = ts.numbers_in_braces(f"the payoffs of outcome {number}")
            if len(values) != self.n:
                raise ts.error(
                    f"outcome {number} needs {self.n} payoffs (one per player); got {len(values)}",
                    open_tok.line,
                )
            prev = self.outcomes.get(number)
            if prev is None:
                self.outcomes[number] = _Outcome(name_tok.text, tuple(values), name_tok.line)
            elif prev.name != name_tok.text or prev.payoffs != tuple(values):
                raise ts.error(
                    f"outcome {number} was defined differently on line {prev.line}", name_tok.line
                )
        elif number != 0 and number not in self.outcomes:
            raise ts.error(
                f"outcome {number} is not defined (its name and payoffs must be "
                "given where it is first used)",
                num_tok.line,
            )
        return number

    # ------------------------------------------------------------------ tree
    def _infoset_keys(self) -> dict[tuple[int, int], str | None]:
        keys: dict[tuple[int, int], str | None] = {}
        # one pass to group the sets by player (not one pass per player: many players)
        by_player: dict[int, dict[int, _PlayerInfoset]] = {}
        for (p, num), info in self.infosets.items():
            by_player.setdefault(p, {})[num] = info
        for player in range(1, self.n + 1):
            own = by_player.get(player, {})
            by_name: dict[str, int] = {}
            for info in own.values():
                by_name[info.name] = by_name.get(info.name, 0) + 1
            used: set[str] = set()
            later: list[int] = []
            for num, info in own.items():
                if info.name and by_name[info.name] == 1:
                    keys[(player, num)] = info.name
                    used.add(info.name)
                elif info.members == 1:
                    keys[(player, num)] = None
                else:
                    later.append(num)
            for num in later:
                key = str(num)
                while key in used:
                    key = f"#{key}"
                used.add(key)
                keys[(player, num)] = key
        return keys

    def _label(self, rec: _Record, names: set[str]) -> str:
        if rec.outcome == 0:
            return "terminal"
        name = self.outcomes[rec.outcome].name
        if not name:
            return f"outcome {rec.outcome}"
        return _strip_suffix(name, names)

    def _build(self) -> GameTree:
        keys = self._infoset_keys()
        names = {o.name for o in self.outcomes.values()}
        node_names = {rec.name for rec in self.records}
        built: list[Node] = []
        for rec in reversed(self.records):
            rec.name = _strip_suffix(rec.name, node_names)
            if rec.kind == "t":
                built.append(Terminal(self._label(rec, names), rec.payoffs, rec.name))
                continue
            kids = [built.pop() for _ in rec.actions]
            if rec.kind == "p":
                built.append(
                    Decision(
                        self.players[rec.player - 1],
                        dict(zip(rec.actions, kids, strict=True)),
                        infoset=keys[(rec.player, rec.infoset)],
                        name=rec.name,
                    )
                )
            else:
                built.append(
                    Chance(
                        {a: (p, c) for a, p, c in zip(rec.actions, rec.probs, kids, strict=True)},
                        name=rec.name,
                    )
                )
        root = built.pop()
        try:
            return GameTree(self.players, root, title=self.title)
        except InvalidGameError as exc:  # pragma: no cover - the parser checks everything first
            raise GameFileError(self.ts.source, str(exc)) from None


def _strip_suffix(name: str, names: set[str]) -> str:
    """``"x#2"`` -> ``"x"`` when ``"x"`` is in *names* (undoes :func:`_distinct`)."""
    m = _SUFFIX.fullmatch(name)
    if m is not None and m.group(1) in names:
        return m.group(1)
    return name


def read_efg(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> GameTree:
    """Read a Gambit ``.efg`` file.

    Parameters
    ----------
    path : str or os.PathLike
        The file to read (use :func:`parse_efg` for text in memory): a regular file.
    max_bytes : int, optional
        Largest file read (default :data:`coercion.io.MAX_BYTES`, 256 MiB); larger
        files, named pipes and devices are refused before reading.

    Returns
    -------
    GameTree
        An exact tree (payoffs and probabilities are :class:`~fractions.Fraction`).

    Raises
    ------
    GameFileError
        If the file is missing, unreadable or malformed; the message names
        the file and the line.
    """
    text, source = read_source(path, "parse_efg", max_bytes=max_bytes)
    return parse_efg(text, source)


def parse_efg(text: str | bytes, source: str = "<string>") -> GameTree:
    """Parse the text of a Gambit ``.efg`` file.

    See the module documentation for how outcomes, information sets and
    labels are mapped onto :class:`~coercion.games.GameTree`.

    Parameters
    ----------
    text : str or bytes
        The file content (bytes must be UTF-8).
    source : str, optional
        Name used in error messages (default ``"<string>"``).

    Returns
    -------
    GameTree

    Raises
    ------
    GameFileError
        If the text is not a well-formed ``.efg`` game.

    Examples
    --------
    >>> tree = parse_efg('''EFG 2 R "Entry" { "Entrant" "Incumbent" }
    ... p "" 1 1 "" { "in" "out" } 0
    ... p "" 2 1 "" { "fight" "accommodate" } 0
    ... t "" 1 "war" { -1, -1 }
    ... t "" 2 "peace" { 1, 1 }
    ... t "" 3 "" { 0, 2 }''')
    >>> tree.outcome_labels
    ('war', 'peace', 'outcome 3')
    >>> tree.nodes[tree.terminals[0]].payoffs
    (Fraction(-1, 1), Fraction(-1, 1))

    An outcome on a non-terminal node is added to every terminal below it:

    >>> tree = parse_efg('''EFG 2 R "" { "A" }
    ... c "" 1 "" { "h" 0.3 "t" 0.7 } 1 "fee" { -1 }
    ... t "" 2 "x" { 5 }
    ... t "" 0''')
    >>> [tree.nodes[k].payoffs for k in tree.terminals]
    [(Fraction(4, 1),), (Fraction(-1, 1),)]
    """
    ts = TokenStream(decode(text, source), source)
    kind_tok = ts.peek()
    if header_kind(ts) != "EFG":
        raise ts.error("expected an .efg file (header 'EFG'); this is an .nfg file", kind_tok.line)
    return parse_efg_tokens(ts)


def parse_efg_tokens(ts: TokenStream) -> GameTree:
    """Parse an ``.efg`` game from *ts*, positioned after the ``EFG`` word."""
    return _Parser(ts).parse()


# ---------------------------------------------------------------------- writing
def _distinct(labels: list[str]) -> list[str]:
    """Repeated non-empty labels get ``#2``, ``#3``, ... suffixes (the first is kept)."""
    used = set(labels)
    seen: set[str] = set()
    out: list[str] = []
    for label in labels:
        if label not in seen or not label:
            seen.add(label)
            out.append(label)
            continue
        k = 2
        while f"{label}#{k}" in used:
            k += 1
        name = f"{label}#{k}"
        used.add(name)
        out.append(name)
    return out


def _chance_probabilities(probs: list[Any], where: str) -> list[str]:
    """Texts of one chance node's probabilities, summing to exactly 1 when read exactly."""
    values: list[Fraction] = []
    texts: list[str | None] = []
    for p in probs:
        if is_exact_scalar(p):
            values.append(to_fraction(p))
            texts.append(None)
        else:
            text = repr(float(p))
            values.append(Fraction(text))
            texts.append(text)
    residual = 1 - sum(values, Fraction(0))
    if residual:
        # put the residual where it gives the simplest fraction (the last one on ties):
        # 0.7, 0.30000000000000004 is written 0.7, 3/10
        fits = [j for j in range(len(values)) if values[j] + residual >= 0]
        if not fits:  # pragma: no cover - GameTree bounds the deviation by 1e-9
            raise InvalidGameError(f"write_efg: chance probabilities at {where} do not sum to 1")
        j = min(reversed(fits), key=lambda j: (values[j] + residual).denominator)
        values[j] += residual
        texts[j] = None
    return [t if t is not None else format_fraction(v) for t, v in zip(texts, values, strict=True)]


def write_efg(tree: GameTree, path: str | os.PathLike[str] | None = None) -> str:
    """Write a game tree as a Gambit ``.efg`` file.

    See the module documentation for the outcome and information-set
    numbering.

    Parameters
    ----------
    tree : GameTree
        A numeric tree (not a parameter grid, not symbolic).
    path : str or os.PathLike, optional
        If given, the text is also written there (UTF-8).

    Returns
    -------
    str
        The file content.

    Raises
    ------
    UnsupportedGameError
        If the tree holds arrays (a grid) or sympy expressions.

    Examples
    --------
    >>> tree = GameTree(["A", "B"], Chance({
    ...     "h": (0.7, Decision("A", {"x": Terminal("win", (1, -1)),
    ...                               "y": Terminal("win", (2, -2))})),
    ...     "t": (0.3, Terminal("draw", (0, 0)))}), title="demo")
    >>> print(write_efg(tree))
    EFG 2 R "demo" { "A" "B" }
    ""
    <BLANKLINE>
    c "" 1 "" { "h" 0.7 "t" 0.3 } 0
    p "" 1 1 "" { "x" "y" } 0
    t "" 1 "win" { 1, -1 }
    t "" 2 "win#2" { 2, -2 }
    t "" 3 "draw" { 0, 0 }
    <BLANKLINE>
    >>> parse_efg(write_efg(tree)).outcome_labels
    ('win', 'draw')
    """
    if not isinstance(tree, GameTree):
        raise InvalidParameterError(f"write_efg: expected a GameTree; got {type(tree).__name__}")
    if tree.grid_shape != ():
        raise UnsupportedGameError(
            f"write_efg: needs a single game; this tree holds a grid of shape {tree.grid_shape}"
        )
    if tree.is_symbolic:
        raise UnsupportedGameError(
            "write_efg: needs numeric payoffs; this tree is symbolic (call .evaluate first)"
        )
    for node in tree.nodes:
        values = (
            node.payoffs
            if isinstance(node, Terminal)
            else ([p for p, _ in node.moves.values()] if isinstance(node, Chance) else [])
        )
        for v in values:
            if not is_real_scalar(v):
                raise UnsupportedGameError(f"write_efg: needs real numbers; got {v!r}")
    players = " ".join(quote(p) for p in tree.players)
    lines = [f"EFG 2 R {quote(tree.title)} {{ {players} }}", '""', ""]
    number = {h: pos + 1 for own in tree.player_infosets for pos, h in enumerate(own)}
    labels = []
    for k in tree.terminals:
        leaf = tree.nodes[k]
        assert isinstance(leaf, Terminal)
        labels.append(leaf.label)
    outcome_names = iter(_distinct(labels))
    node_names = iter(_distinct([node.name for node in tree.nodes]))
    n_outcomes = 0
    n_chance = 0
    for k, node in enumerate(tree.nodes):
        name = quote(next(node_names))
        if isinstance(node, Decision):
            h = tree.node_infoset[k]
            info = tree.infosets[h]
            actions = " ".join(quote(a) for a in info.actions)
            lines.append(
                f"p {name} {info.player + 1} {number[h]} {quote(info.key)} {{ {actions} }} 0"
            )
        elif isinstance(node, Chance):
            n_chance += 1
            texts = _chance_probabilities([p for p, _ in node.moves.values()], f"node {k}")
            moves = " ".join(f"{quote(a)} {t}" for a, t in zip(node.moves, texts, strict=True))
            lines.append(f'c {name} {n_chance} "" {{ {moves} }} 0')
        else:
            n_outcomes += 1
            payoffs = ", ".join(format_number(v) for v in node.payoffs)
            lines.append(f"t {name} {n_outcomes} {quote(next(outcome_names))} {{ {payoffs} }}")
    text = "\n".join(lines) + "\n"
    if path is not None:
        write_target(path, text)
    return text
