"""Gambit ``.efg`` reading and writing (pygambit is the oracle for the round trips)."""

from __future__ import annotations

import io
import itertools
from fractions import Fraction as F
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coercion.errors import GameFileError, InvalidParameterError, UnsupportedGameError
from coercion.games import Chance, Decision, GameTree, Node, Terminal
from coercion.io import parse_efg, parse_nfg, read_efg, read_game, write_efg, write_game
from tests import games
from tests.strategies import perfect_information_trees

POKER = """EFG 2 R "A simple Poker game" { "Fred" "Alice" }
"One-card poker (Myerson 1991).
A \\"comment\\" over two lines."

c "deal" 1 "" { "Red" 1/2 "Black" 1/2 } 0
p "" 1 1 "red card" { "Raise" "Fold" } 0
p "" 2 1 "" { "Meet" "Pass" } 0
t "" 1 "Win Big" { 2, -2 }
t "" 2 "Win" { 1, -1 }
t "" 2 "Win" { 1, -1 }
p "" 1 2 "black card" { "Raise" "Fold" } 0
p "" 2 1 "" { "Meet" "Pass" } 0
t "" 3 "Lose Big" { -2, 2 }
t "" 2
t "" 4 "Lose" { -1, 1 }
"""


def shape(tree: GameTree) -> list[tuple[Any, ...]]:
    """Everything a round trip must keep, node by node in preorder (values as Fractions)."""
    out: list[tuple[Any, ...]] = []
    for node in tree.nodes:
        if isinstance(node, Terminal):
            out.append(("t", node.name, node.label, tuple(F(v) for v in node.payoffs)))
        elif isinstance(node, Chance):
            out.append(
                ("c", node.name, tuple(node.moves), tuple(F(p) for p, _ in node.moves.values()))
            )
        else:
            out.append(("p", node.name, node.player, node.infoset, tuple(node.moves)))
    return out


def infoset_partition(tree: GameTree) -> set[tuple[int, frozenset[int]]]:
    return {(h.player, frozenset(h.members)) for h in tree.infosets}


def payoffs(tree: GameTree) -> list[tuple[F, ...]]:
    out = []
    for k in tree.terminals:
        leaf = tree.nodes[k]
        assert isinstance(leaf, Terminal)
        out.append(tuple(F(v) for v in leaf.payoffs))
    return out


# ---------------------------------------------------------------------- reading
def test_poker() -> None:
    t = parse_efg(POKER)
    assert t.title == "A simple Poker game"
    assert t.players == ("Fred", "Alice")
    assert len(t.nodes) == 11
    assert t.nodes[0].name == "deal"
    root = t.nodes[0]
    assert isinstance(root, Chance)
    assert [p for p, _ in root.moves.values()] == [F(1, 2), F(1, 2)]
    assert t.outcome_labels == ("Win Big", "Win", "Lose Big", "Lose")
    assert payoffs(t) == [(2, -2), (1, -1), (1, -1), (-2, 2), (1, -1), (-1, 1)]
    assert t.is_exact and t.has_perfect_recall and not t.is_perfect_information
    # Fred's two singleton sets keep their names; Alice's set (2 nodes, no name) is "1"
    assert [t.infosets[h].key for h in t.player_infosets[0]] == ["red card", "black card"]
    assert [(t.infosets[h].key, t.infosets[h].members) for h in t.player_infosets[1]] == [
        ("1", (2, 7))
    ]


def test_outcomes_on_internal_nodes_are_folded_into_terminals() -> None:
    t = parse_efg("""EFG 2 R "" { "A" "B" }
p "" 1 1 "" { "x" "y" } 1 "entry fee" { -1, 0 }
c "" 1 "" { "h" 0.25 "t" 0.75 } 2 "bonus" { 0, 1/2 }
t "" 3 "win" { 10, 0 }
t "" 0
t "" 1
""")
    assert payoffs(t) == [(9, F(1, 2)), (-1, F(1, 2)), (-2, 0)]
    assert [t.nodes[k].label for k in t.terminals] == ["win", "terminal", "entry fee"]  # type: ignore[union-attr]


def test_terminal_labels() -> None:
    t = parse_efg("""EFG 2 R "" { "A" }
p "" 1 1 "" { "a" "b" "c" "d" "e" } 0
t "" 1 "" { 1 }
t "" 0
t "leaf" 2 "x" { 2 }
t "" 3 "x#2" { 3 }
t "" 4 "y#2" { 4 }
""")
    labels = [t.nodes[k].label for k in t.terminals]  # type: ignore[union-attr]
    # "x#2" is how write_efg disambiguates a repeated "x"; "y#2" has no "y" and stays
    assert labels == ["outcome 1", "terminal", "x", "x", "y#2"]
    assert t.nodes[3].name == "leaf"
    assert payoffs(t) == [(1,), (0,), (2,), (3,), (4,)]


def test_repeated_outcome_names_in_a_file_are_kept() -> None:
    t = parse_efg("""EFG 2 R "" { "A" "B" }
p "" 1 1 "" { "x" "y" } 0
t "" 1 "same" { 1, 2 }
t "" 2 "same" { 3, 4 }
""")
    assert [t.nodes[k].label for k in t.terminals] == ["same", "same"]  # type: ignore[union-attr]


def test_infoset_members_may_omit_the_action_list() -> None:
    t = parse_efg("""EFG 2 R "" { "A" "B" }
c "" 1 "" { "l" 1/3 "r" 2/3 } 0
p "" 2 1 "" { "x" "y" } 0
t "" 1 "o" { 1, 2 }
t "" 2 "p" { 3, 4 }
p "" 2 1 0
t "" 1
c "" 1 0
t "" 0
t "" 2
""")
    assert infoset_partition(t) == {(1, frozenset({1, 4}))}
    inner = t.nodes[6]
    assert isinstance(inner, Chance)
    assert [p for p, _ in inner.moves.values()] == [F(1, 3), F(2, 3)]
    assert payoffs(t) == [(1, 2), (3, 4), (1, 2), (0, 0), (3, 4)]


def test_infoset_keys() -> None:
    t = parse_efg("""EFG 2 R "" { "A" "B" }
p "" 1 7 "" { "l" "r" } 0
p "" 2 3 "dup" { "a" "b" } 0
t "" 0
p "" 1 2 "" { "u" "v" } 0
t "" 0
t "" 0
p "" 2 4 "dup" { "a" "b" } 0
p "" 1 2 "" { "u" "v" } 0
t "" 0
t "" 0
p "" 2 5 "1" { "q" } 0
t "" 0
""")
    keys = {n.name or k: n.infoset for k, n in enumerate(t.nodes) if isinstance(n, Decision)}
    # named and unique -> name; unnamed singleton -> None; shared unnamed -> number;
    # a name used by two sets of one player ("dup") cannot be a key
    assert keys == {0: None, 1: None, 3: "2", 6: None, 7: "2", 10: "1"}


def test_labels_normalized_like_gambit() -> None:
    t = parse_efg("""EFG 2 R "" { "" "P" "P" }
p "" 1 1 "" { "" "" "x" } 0
t "" 0
t "" 0
t "" 0
""")
    assert t.players == ("_1", "P_1", "P_2")
    assert t.actions_at(0) == ("_1", "_2", "x")


def test_players_without_moves_and_exact_decimals() -> None:
    t = parse_efg(
        'EFG 2 R "" { "A" "B" "C" }\nc "" 1 "" { "a" 0.1 "b" .2 "c" 7e-1 } 0\n'
        't "" 1 "o" { 1.5 -.5 1e-3 }\nt "" 0\nt "" 0\n'
    )
    assert t.player_infosets == ((), (), ())
    root = t.nodes[0]
    assert isinstance(root, Chance)
    assert [p for p, _ in root.moves.values()] == [F(1, 10), F(1, 5), F(7, 10)]
    assert payoffs(t)[0] == (F(3, 2), F(-1, 2), F(1, 1000))


def test_deep_tree_does_not_recurse() -> None:
    depth = 1200  # deeper than the default recursion limit
    lines = ['EFG 2 R "" { "A" }']
    for k in range(depth):
        lines.append(f'p "" 1 {k + 1} "" {{ "go" "stop" }} 0')
    lines.append('t "" 1 "end" { 1 }')
    lines += ['t "" 0'] * depth
    text = "\n".join(lines)
    # the preorder puts each "stop" leaf after the whole "go" subtree
    t = parse_efg(text)
    assert len(t.nodes) == 2 * depth + 1


# ---------------------------------------------------------------------- writing
def test_write_read_preserves_everything() -> None:
    for tree in (games.threat_tree(), games.threat_tree_with_types(), simultaneous_tree()):
        back = parse_efg(write_efg(tree))
        assert shape(back) == shape(tree)
        assert back.players == tree.players and back.title == tree.title
        assert back.player_infosets == tree.player_infosets
        assert infoset_partition(back) == infoset_partition(tree)


def simultaneous_tree() -> GameTree:
    """Three players; B moves without seeing A; a chance move; repeated labels."""

    def b_node(i: int) -> Decision:
        return Decision(
            "B",
            {
                "left": Terminal("war", (i, -i, F(1, 3))),
                "right": Chance(
                    {
                        "rain": (F(1, 4), Terminal("peace", (0, 0, 1))),
                        "sun": (
                            F(3, 4),
                            Decision(
                                "C",
                                {
                                    "go": Terminal("war", (1, 1, 1)),
                                    "wait": Terminal("peace", (2, -2, 0)),
                                },
                                name="late",
                            ),
                        ),
                    }
                ),
            },
            infoset="simultaneous",
        )

    return GameTree(
        ["A", "B", "C"],
        Decision("A", {"up": b_node(1), "down": b_node(2)}, name="start"),
        title='A "simultaneous" game',
    )


def test_written_outcome_names_are_distinct() -> None:
    text = write_efg(simultaneous_tree())
    names = [line.split('"')[3] for line in text.splitlines() if line.startswith("t ")]
    assert names == ["war", "peace", "war#2", "peace#2", "war#3", "peace#3", "war#4", "peace#4"]
    assert 'p "" 2 1 "simultaneous" { "left" "right" } 0' in text


def test_float_chance_probabilities_sum_to_one_exactly() -> None:
    third = 1 / 3
    tree = GameTree(
        ["A"],
        Chance(
            {
                "a": (third, Terminal("x", (0.1,))),
                "b": (third, Terminal("y", (1e-7,))),
                "c": (third, Terminal("z", (2.5e300,))),
            }
        ),
    )
    text = write_efg(tree)
    back = parse_efg(text)
    root = back.nodes[0]
    assert isinstance(root, Chance)
    probs = [p for p, _ in root.moves.values()]
    assert sum(probs) == 1
    assert probs[:2] == [F("0.3333333333333333")] * 2  # the residual goes on the last
    assert payoffs(back) == [(F(1, 10),), (F(1, 10**7),), (F("2.5e300"),)]

    tree = GameTree(
        ["A"], Chance({"h": (0.7, Terminal("x", (1,))), "t": (0.1 + 0.2, Terminal("y", (2,)))})
    )
    assert '{ "h" 0.7 "t" 3/10 }' in write_efg(tree)


def test_numpy_scalars_are_written_as_numbers() -> None:
    tree = GameTree(
        ["A"],
        Decision("A", {"x": Terminal("a", (np.float64(0.5),)), "y": Terminal("b", (np.int64(3),))}),
    )
    assert payoffs(parse_efg(write_efg(tree))) == [(F(1, 2),), (F(3),)]


def test_write_refuses_grids_and_symbols() -> None:
    grid = GameTree(
        ["A"],
        Decision("A", {"x": Terminal("a", (np.array([1.0, 2.0]),)), "y": Terminal("b", (0,))}),
    )
    with pytest.raises(UnsupportedGameError, match="grid"):
        write_efg(grid)
    sp = pytest.importorskip("sympy")
    with pytest.raises(UnsupportedGameError, match="symbolic"):
        write_efg(games.threat_tree(c1=sp.Symbol("c")))
    with pytest.raises(InvalidParameterError, match="GameTree"):
        write_efg(games.prisoners_dilemma())  # type: ignore[arg-type]


def test_write_game_and_read_game_dispatch_on_header(tmp_path: Path) -> None:
    tree = games.threat_tree_with_types()
    path = tmp_path / "tree.nfg"  # wrong extension on purpose
    text = write_game(tree, path)
    assert path.read_text() == text == write_efg(tree)
    got = read_game(path)
    assert isinstance(got, GameTree)
    assert shape(got) == shape(tree)
    assert shape(read_efg(path)) == shape(tree)
    write_efg(tree, tmp_path / "again.efg")
    assert (tmp_path / "again.efg").read_text() == text


@settings(max_examples=40, deadline=None)
@given(perfect_information_trees(max_depth=3))
def test_write_read_round_trip_property(tree: GameTree) -> None:
    back = parse_efg(write_efg(tree))
    assert shape(back) == shape(tree)


# ---------------------------------------------------------------------- errors
def check_error(text: str | bytes, line: int | None, match: str) -> None:
    with pytest.raises(GameFileError, match=match) as info:
        parse_efg(text)
    err = info.value
    assert err.path == "<string>"
    assert err.line == line, str(err)
    assert str(err).startswith(f"<string>:{line}: "), str(err)


H = 'EFG 2 R "t" { "A" "B" }\n'


@pytest.mark.parametrize(
    ("text", "line", "match"),
    [
        ('EFX 2 R "t" { "A" }\nt "" 0', 1, "not a Gambit game file"),
        ('\n\nEFG 1 R "t" { "A" }\nt "" 0', 3, "unsupported EFG version 1"),
        ('EFG 2 X "t" { "A" }\nt "" 0', 1, "number type"),
        ('EFG 2 R "t" { }\nt "" 0', 1, "at least one player"),
        ('EFG 2 R "t" { "A" \nt "" 0', 2, "closing the player list"),
        ('NFG 1 R "t" { "A" } { 1 } 0', 1, "expected an .efg file"),
        (H + 'p "" 1 1 "" { "a" } 0\nx "" 0', 3, "unknown node type 'x'"),
        (H + '"p" "" 1 1 "" { "a" } 0', 2, r"expected a node \('p', 'c' or 't'\)"),
        (H + 'p "" 1 1 "" { "a" "b" } 0\nt "" 0\n', 3, "unexpected end of file: expected a node"),
        (H + 'p "" 1 1 "" { "a" } 0\nt "" 0\nt "" 0\n', 4, "after the last node"),
        (H + 'p "" 1 1 "" { "a" } 0\nt "" 1 "o { 1 2 }\n', 3, "unterminated string"),
        (H + 'p "" 1 1 "" { "a" } 0\n\nt "a\nb\nc', 4, "unterminated string"),
        (H + 't "" 1 "o" { 1 2 3 }', 2, r"outcome 1 needs 2 payoffs \(one per player\); got 3"),
        (H + 't "" 1 "o" { 1 }', 2, "outcome 1 needs 2 payoffs"),
        (H + 't "" 1 "o"\n{ 1, 2', 3, "unexpected end of file: expected a number or '}'"),
        (H + 't "" 1 "o" { 1 2\nt "" 0', 3, "expected a number or '}'.*found 't'"),
        (
            H + 'p "" 1 1 "" { "a" "b" 0\nt "" 0\nt "" 0',
            2,
            "closing the action list; found number 0",
        ),
        (
            H + 'p "" 1 1 "" { "a" } 0\nt "" 1 "o" { 1, 2 } }',
            3,
            "unexpected '}' after the last node",
        ),
        (H + 'c "" 1 "" { "a" 1/2 "b" 1/3 } 0\nt "" 0\nt "" 0', 2, "must sum to 1; got 5/6"),
        (
            H + 'c "" 1 "" {\n"a" 0.7\n"b" 0.30000000000000004 } 0\nt "" 0\nt "" 0',
            2,
            "must sum to 1",
        ),
        (H + 'c "" 1 "" { "a" 3/2\n"b" -1/2 } 0\nt "" 0\nt "" 0', 2, r"must lie in \[0, 1\]"),
        (H + 'c "" 1 "" { "a" 1\n"b" -0.0001 } 0\nt "" 0\nt "" 0', 3, r"'b' must lie in"),
        (H + 'c "" 1 "" { } 0', 2, "chance node needs at least one action"),
        (H + 'c "" 1 "" { "a" "b" } 0', 2, "probability of chance action 'a'"),
        (H + 'c "" 1 0\nt "" 0', 2, "chance information set 1 is used before"),
        (H + 'p "" 1 1 "" { } 0', 2, "at least one action"),
        (H + 'p "" 3 1 "" { "a" } 0\nt "" 0', 2, r"player number must be in \[1, 2\]"),
        (H + 'p "" 0 1 "" { "a" } 0\nt "" 0', 2, r"player number must be in \[1, 2\]"),
        (H + 'p "" 1.5 1 "" { "a" } 0\nt "" 0', 2, "whole number"),
        (H + 'p "" 1 1 0\nt "" 0', 2, "information set 1 of player 1 is used before"),
        (
            H + 'p "" 1 1 "" { "a" "b" } 0\np "" 2 1 "" { "x" } 0\nt "" 0\n'
            'p "" 2 1 "" { "y" } 0\nt "" 0',
            5,
            "information set 1 of player 2 was defined on line 3",
        ),
        (
            H + 'p "" 1 1 "" { "a" "b" } 0\np "" 2 1 "I" { "x" } 0\nt "" 0\n'
            'p "" 2 1 "J" { "x" } 0\nt "" 0',
            5,
            "was defined on line 3 as 'I'",
        ),
        (
            H + 'p "" 1 1 "" { "a" "b" } 0\nt "" 1 "o" { 1 2 }\n\nt "" 2',
            5,
            "outcome 2 is not defined",
        ),
        (
            H + 'p "" 1 1 "" { "a" "b" } 0\nt "" 1 "o" { 1 2 }\nt "" 1 "o" { 1 3 }',
            4,
            "outcome 1 was defined differently on line 3",
        ),
        (
            H + 'p "" 1 1 "" { "a" "b" } 0\nt "" 1 "o" { 1 2 }\nt "" 1 "p" { 1 2 }',
            4,
            "outcome 1 was defined differently",
        ),
        (H + 't "" 0 "o" { 1 2 }', 2, "outcome 0 means 'no outcome'"),
        (H + 't "" -1', 2, "outcome number must be >= 0"),
        (H + 't ""', 2, "unexpected end of file: expected an outcome number"),
        (H + 't "" 1 "o" { 1 2/0 }', 2, "invalid number '2/0'"),
        (H + "t", 2, "unexpected end of file: expected the quoted node name"),
        (H, 1, "unexpected end of file: expected a node"),
        ("", 1, "empty file"),
        (b"EFG 2 R\n\x80", 2, "not UTF-8 text"),
        (b"EFG 2 R \x00", 1, "binary content"),
    ],
)
def test_malformed_files(text: str | bytes, line: int, match: str) -> None:
    check_error(text, line, match)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(GameFileError, match="no such file") as info:
        read_efg(tmp_path / "missing.efg")
    assert info.value.line is None
    assert str(info.value) == f"{tmp_path / 'missing.efg'}: no such file"
    with pytest.raises(GameFileError, match="use parse_efg"):
        read_efg(POKER)


def test_error_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.efg"
    path.write_text(POKER.replace('t "" 2\n', 't "" 9\n'))
    with pytest.raises(GameFileError) as info:
        read_game(path)
    assert str(info.value).startswith(f"{path}:14: outcome 9 is not defined")


@settings(max_examples=50, deadline=None)
@given(
    cut=st.integers(0, len(POKER)),
    junk=st.sampled_from(["", "}", "{", '"', "q", "1/0", "-", "9", "\n", "p", "t", " 0 "]),
)
def test_damaged_files_raise_only_game_file_errors(cut: int, junk: str) -> None:
    text = POKER[:cut] + junk + POKER[cut + 1 :]
    try:
        parse_efg(text)
    except GameFileError as exc:
        assert exc.line is not None and exc.line >= 1


# ---------------------------------------------------------------------- pygambit oracle
def gambit_preorder(g: Any) -> list[Any]:
    out = []
    stack = [g.root]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(list(node.children)))
    return out


def gambit_shape(g: Any) -> tuple[list[tuple[Any, ...]], set[tuple[int, frozenset[int]]]]:
    """pygambit's tree in the form of :func:`shape` (outcomes folded into terminals)."""
    players = list(g.players)
    nodes = gambit_preorder(g)
    out: list[tuple[Any, ...]] = []
    members: dict[tuple[int, int], set[int]] = {}
    for k, node in enumerate(nodes):
        if node.is_terminal:
            total = [F(0)] * len(players)
            walk = node
            while walk is not None:
                if walk.outcome:  # a NodeOutcome proxy, false when there is none
                    total = [t + F(walk.outcome[p]) for t, p in zip(total, players, strict=True)]
                walk = walk.parent
            out.append(("t", tuple(total)))
        elif node.player.is_chance:
            acts = list(node.infoset.actions)
            out.append(("c", tuple(a.label for a in acts), tuple(F(a.prob) for a in acts)))
        else:
            p = [q.label for q in players].index(node.player.label)
            out.append(("p", p, tuple(a.label for a in node.infoset.actions)))
            members.setdefault((p, node.infoset.number), set()).add(k)
    return out, {(p, frozenset(m)) for (p, _), m in members.items()}


def coarse_shape(tree: GameTree) -> tuple[list[tuple[Any, ...]], set[tuple[int, frozenset[int]]]]:
    out: list[tuple[Any, ...]] = []
    for node in tree.nodes:
        if isinstance(node, Terminal):
            out.append(("t", tuple(F(v) for v in node.payoffs)))
        elif isinstance(node, Chance):
            out.append(("c", tuple(node.moves), tuple(F(p) for p, _ in node.moves.values())))
        else:
            out.append(("p", tree.players.index(node.player), tuple(node.moves)))
    return out, infoset_partition(tree)


def efg_catalog(perfect_recall: bool | None = None) -> list[str]:
    gbt = pytest.importorskip("pygambit")
    slugs = [
        str(s) for s in gbt.catalog.games(is_tree=True, is_perfect_recall=perfect_recall)["Game"]
    ]
    assert slugs, "pygambit's catalog lists no .efg games"
    return slugs


@pytest.mark.oracle
def test_catalog_efg_games_read_like_pygambit() -> None:
    gbt = pytest.importorskip("pygambit")
    recall = set(efg_catalog(perfect_recall=True))
    assert len(recall) >= 10
    for slug in efg_catalog():
        g = gbt.catalog.load(slug)
        ours = parse_efg(g.to_efg(), source=slug)
        assert coarse_shape(ours) == gambit_shape(g), slug
        assert ours.players == tuple(p.label for p in g.players)
        assert ours.title == g.title
        assert len(ours.infosets) == sum(len(list(p.infosets)) for p in g.players)
        assert ours.has_perfect_recall == (slug in recall), slug
        # and our writer's text reads back in pygambit as the same game
        again = gbt.read_efg(io.StringIO(write_efg(ours)))
        assert gambit_shape(again) == gambit_shape(g), slug


@pytest.mark.oracle
def test_pygambit_built_tree_with_internal_outcomes() -> None:
    gbt = pytest.importorskip("pygambit")
    g = gbt.Game.new_tree(players=["A", "B"], title="built")
    g.append_move(g.root, "A", ["x", "y"])
    x, y = list(g.root.children)
    g.append_move(x, g.players.chance, ["h", "t"])
    g.set_chance_probs(x.infoset, [gbt.Rational(1, 3), gbt.Rational(2, 3)])
    g.append_move(y, "B", ["l", "r"])
    fee = g.add_outcome("fee", [-1, 0])
    g.set_outcome(x, fee)
    h = next(iter(x.children))
    g.set_outcome(h, g.add_outcome("win", [5, gbt.Rational(1, 2)]))
    g.set_outcome(list(y.children)[1], g.add_outcome("late", [gbt.Decimal("0.25"), 2]))
    ours = parse_efg(g.to_efg())
    assert coarse_shape(ours) == gambit_shape(g)
    assert payoffs(ours) == [(4, F(1, 2)), (-1, 0), (0, 0), (F(1, 4), 2)]
    assert [ours.nodes[k].label for k in ours.terminals] == [  # type: ignore[union-attr]
        "win",
        "terminal",
        "terminal",
        "late",
    ]
    again = gbt.read_efg(io.StringIO(write_efg(ours)))
    assert gambit_shape(again) == gambit_shape(g)


@pytest.mark.oracle
@pytest.mark.parametrize(
    "tree",
    [
        games.threat_tree(),
        games.threat_tree_with_types(),
        simultaneous_tree(),
        GameTree(
            ["A", "B"],
            Chance(
                {
                    "h": (
                        0.7,
                        Decision(
                            "A", {"x": Terminal("a", (0.1, 2.5)), "y": Terminal("a", (1e-9, -3))}
                        ),
                    ),
                    "t": (0.1 + 0.2, Terminal("b", (1 / 3, 0))),
                }
            ),
        ),
    ],
    ids=["threat", "threat-types", "simultaneous", "floats"],
)
def test_pygambit_reads_our_files(tree: GameTree, tmp_path: Path) -> None:
    gbt = pytest.importorskip("pygambit")
    path = tmp_path / "ours.efg"
    write_efg(tree, path)
    g = gbt.read_efg(str(path))  # pygambit 16.7 reads a path or a file object
    ours, partition = coarse_shape(parse_efg(path.read_text()))
    assert gambit_shape(g) == (ours, partition)
    assert partition == infoset_partition(tree)
    assert [o.label for o in g.outcomes] == [
        line.split('"')[3] for line in path.read_text().splitlines() if line.startswith("t ")
    ]
    # payoffs agree with the tree's (floats as their written decimals)
    written = [
        tuple(F(repr(v)) if isinstance(v, float) else F(v) for v in p)
        for p in (tree.nodes[k].payoffs for k in tree.terminals)
    ]  # type: ignore[union-attr]
    assert [s[1] for s in gambit_shape(g)[0] if s[0] == "t"] == written


# ---------------------------------------------------------------------- random trees
LABELS = ["win", "lose", "draw", "status_quo"]


@st.composite
def io_trees(draw: st.DrawFn) -> GameTree:
    """Small trees (depth <= 3) with chance, shared information sets and perfect recall.

    Shared sets come from one construction: all children of a node are decision
    nodes of one other player with the same actions, put in one information set
    (that player moves without seeing the move just made), so recall stays perfect.
    """
    n = draw(st.integers(2, 3))
    players = [f"P{i + 1}" for i in range(n)]
    keys = itertools.count(1)
    values = st.one_of(
        st.integers(-9, 9), st.fractions(min_value=-5, max_value=5, max_denominator=7)
    )
    names = st.sampled_from(["", "", "n", 'say "hi"', "x#2"])

    def leaf() -> Terminal:
        return Terminal(
            draw(st.sampled_from(LABELS)), [draw(values) for _ in range(n)], name=draw(names)
        )

    def probabilities(k: int) -> list[F]:
        weights = [draw(st.integers(0, 4)) for _ in range(k - 1)]
        weights.append(draw(st.integers(1, 4)))
        return [F(w, sum(weights)) for w in weights]

    def node(
        depth: int,
        mover: str | None = None,
        infoset: str | None = None,
        actions: list[str] | None = None,
    ) -> Node:
        if mover is not None:
            assert actions is not None
            return Decision(
                mover, {a: node(depth + 1) for a in actions}, infoset=infoset, name=draw(names)
            )
        kinds = ["t", "p", "c", "shared"] if depth <= 1 else ["t", "p", "c"]
        if depth >= 3:
            kinds = ["t"]
        kind = draw(st.sampled_from(kinds if depth else kinds[1:]))
        if kind == "t":
            return leaf()
        width = draw(st.integers(1, 3))
        acts = [f"a{j}" for j in range(width)]
        if kind == "c":
            return Chance(
                {a: (p, node(depth + 1)) for a, p in zip(acts, probabilities(width), strict=True)},
                name=draw(names),
            )
        who = draw(st.sampled_from(players))
        if kind == "p":
            return Decision(who, {a: node(depth + 1) for a in acts}, name=draw(names))
        other = draw(st.sampled_from([p for p in players if p != who]))
        key = f"h{next(keys)}"
        inner = [f"b{j}" for j in range(draw(st.integers(1, 3)))]
        return Decision(who, {a: node(depth + 1, other, key, inner) for a in acts})

    title = draw(st.sampled_from(["", "random", 'a "quoted" title']))
    return GameTree(players, node(0), title=title)


@pytest.mark.oracle
@settings(max_examples=40, deadline=None)
@given(io_trees())
def test_round_trip_through_pygambit(tree: GameTree) -> None:
    gbt = pytest.importorskip("pygambit")
    assert tree.has_perfect_recall
    text = write_efg(tree)
    assert shape(parse_efg(text)) == shape(tree)
    g = gbt.read_efg(io.StringIO(text))
    assert g.is_perfect_recall
    back = parse_efg(g.to_efg())
    assert shape(back) == shape(tree)
    assert back.players == tree.players and back.title == tree.title
    assert back.player_infosets == tree.player_infosets
    assert infoset_partition(back) == infoset_partition(tree)


def test_nfg_text_is_not_an_efg() -> None:
    with pytest.raises(GameFileError, match=r"expected an \.efg file"):
        parse_efg('NFG 1 R "" { "A" } { 1 } 0')
    assert parse_nfg('NFG 1 R "" { "A" } { 1 } 0').shape == (1,)
