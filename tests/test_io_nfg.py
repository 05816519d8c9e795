"""Gambit ``.nfg`` reading and writing (pygambit is the oracle for the round trips)."""

from __future__ import annotations

import contextlib
import io
import os
from fractions import Fraction as F
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coercion.errors import GameFileError, InvalidParameterError
from coercion.games import GameTree, NormalFormGame
from coercion.io import parse_efg, parse_nfg, read_game, read_nfg, write_game, write_nfg
from tests import games

PD_PAYOFF = """NFG 1 R "Prisoner's dilemma" { "Row" "Col" } { 2 2 }
"comment"

3 3 5 0 0 5 1 1
"""

OUTCOME = """NFG 1 R "Three strategies" { "A" "B" }

{ { "x" "y" "z" }
{ "l" "r" }
}
""

{
{ "first" 1, 2 }
{ "second" 3/4, -.5 }
}
1 2 0 2 1 1
"""


def exact(game: NormalFormGame) -> list[Any]:
    return game.exact().tolist()  # type: ignore[no-any-return]


# ---------------------------------------------------------------------- reading
def test_payoff_version_first_player_fastest() -> None:
    g = parse_nfg(PD_PAYOFF)
    assert g.title == "Prisoner's dilemma"
    assert g.players == ("Row", "Col")
    assert g.actions == (("1", "2"), ("1", "2"))
    assert g.is_exact
    # profiles (1,1) (2,1) (1,2) (2,2): row strategy changes fastest
    assert exact(g) == [[[3, 0], [5, 1]], [[3, 5], [0, 1]]]


def test_three_by_two_ordering() -> None:
    g = parse_nfg('NFG 1 R "" { "A" "B" } { 3 2 } 1 0 2 0 3 0 4 0 5 0 6 0')
    assert exact(g)[0] == [[1, 4], [2, 5], [3, 6]]


def test_outcome_version() -> None:
    g = parse_nfg(OUTCOME)
    assert g.actions == (("x", "y", "z"), ("l", "r"))
    assert exact(g)[0] == [[1, F(3, 4)], [F(3, 4), 1], [0, 1]]
    assert exact(g)[1] == [[2, F(-1, 2)], [F(-1, 2), 2], [0, 2]]
    assert g.is_exact


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0.1", F(1, 10)),
        ("-.5", F(-1, 2)),
        ("1e-3", F(1, 1000)),
        ("3/4", F(3, 4)),
        ("-3/4", F(-3, 4)),
        ("+2", F(2)),
        ("1.", F(1)),
        ("1.5E2", F(150)),
        ("007", F(7)),
        ("0.30000000000000004", F(30000000000000004, 10**17)),
    ],
)
def test_numbers_are_exact(text: str, value: F) -> None:
    g = parse_nfg(f'NFG 1 R "" {{ "A" }} {{ 1 }} {text}')
    got = g.exact()[0, 0]
    assert isinstance(got, F)
    assert got == value


def test_commas_optional_and_d_type() -> None:
    g = parse_nfg('NFG 1 D "" { "A" "B" } { 1 2 } 1, 2, 3 ,4')
    assert exact(g) == [[[1, 3]], [[2, 4]]]


def test_escaped_quotes_and_multiline_strings() -> None:
    g = parse_nfg(
        'NFG 1 R "say \\"no\\"" { "A \\"1\\"" "B" }\n{ { "a\\\\b" } { "c" } }\n'
        '"a comment\nover\nlines"\n1 2'
    )
    assert g.title == 'say "no"'
    assert g.players == ('A "1"', "B")
    assert g.actions[0] == ("a\\b",)


def test_labels_normalized_like_gambit() -> None:
    g = parse_nfg('NFG 1 R "" { "" "" } { { "x" "x" "" } { "y" } } 0 0 0 0 0 0')
    assert g.players == ("_1", "_2")
    assert g.actions == (("x_1", "x_2", "_1"), ("y",))


def test_crlf_line_endings_count_lines() -> None:
    assert parse_nfg(PD_PAYOFF.replace("\n", "\r\n")) == parse_nfg(PD_PAYOFF)
    check_error(HEADER.replace("\n", "\r\n") + "{ 1 1 }\r\n\r\n1 x", 4, "found 'x'")


def test_file_named_like_a_header_is_read(tmp_path: Path) -> None:
    path = tmp_path / "NFG 1 copy.nfg"
    path.write_text(PD_PAYOFF)
    assert read_nfg(path).players == ("Row", "Col")
    with pytest.raises(GameFileError, match="no such file"):
        read_nfg(tmp_path / "NFG 2.nfg")


def test_utf8_bytes_and_bom() -> None:
    g = parse_nfg('\ufeffNFG 1 R "Türkiye" { "Ankara" "Brüssel" } { 1 1 } 1 2'.encode())
    assert g.title == "Türkiye"
    assert g.players == ("Ankara", "Brüssel")


def test_read_from_path_and_pathlike(tmp_path: Path) -> None:
    path = tmp_path / "pd.nfg"
    path.write_text(PD_PAYOFF)
    assert read_nfg(path) == parse_nfg(PD_PAYOFF)
    assert read_nfg(str(path)) == parse_nfg(PD_PAYOFF)


# ---------------------------------------------------------------------- writing
@pytest.mark.parametrize(
    "game",
    [
        games.prisoners_dilemma(),
        games.matching_pennies(),
        games.von_stengel_3x2(),
        NormalFormGame.from_arrays(
            np.array([[[F(1, 3), 2], [3, 4]], [[5, 6], [7, 8]]], dtype=object),
            np.arange(8).reshape(2, 2, 2),
            -np.arange(8).reshape(2, 2, 2),
            players=["a", "b", "c"],
            title='three "players"',
        ),
        NormalFormGame.from_arrays([[1, 2, 3]], [[4, 5, 6]], actions=[["only"], ["x", "y", "z"]]),
        NormalFormGame.from_arrays([5, -1, F(1, 7)], players=["solo"]),
    ],
    ids=["pd", "pennies", "3x2", "3-player", "1x3", "1-player"],
)
def test_write_read_round_trip(game: NormalFormGame) -> None:
    text = write_nfg(game)
    back = parse_nfg(text)
    assert back == game
    assert back.is_exact


def test_float_payoffs_written_by_repr() -> None:
    g = NormalFormGame.bimatrix([[0.1, 1 / 3]], [[2.5, -1e-5]])
    assert not g.is_exact
    text = write_nfg(g)
    assert "0.1 2.5" in text
    assert "0.3333333333333333 -1e-05" in text
    back = parse_nfg(text)
    assert back.exact()[0, 0, 0] == F(1, 10)  # the written decimal, exactly
    assert np.array_equal(back.payoffs, g.payoffs)  # same floats


def test_write_to_path_and_game_dispatch(tmp_path: Path) -> None:
    g = games.battle_of_sexes()
    path = tmp_path / "misleading.efg"  # dispatch is on the header, not the name
    text = write_game(g, path)
    assert path.read_text() == text
    got = read_game(path)
    assert isinstance(got, NormalFormGame)
    assert got == g
    assert write_nfg(g, os.fspath(tmp_path / "b.nfg")) == text


def test_write_rejects_other_types() -> None:
    with pytest.raises(InvalidParameterError, match="NormalFormGame"):
        write_nfg(games.threat_tree())  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="NormalFormGame or GameTree"):
        write_game("not a game", "x.nfg")  # type: ignore[arg-type]


# ---------------------------------------------------------------------- errors
def check_error(text: str | bytes, line: int | None, match: str, parse: Any = parse_nfg) -> None:
    with pytest.raises(GameFileError, match=match) as info:
        parse(text)
    err = info.value
    assert isinstance(err, ValueError)
    assert err.path == "<string>"
    assert err.line == line
    prefix = f"<string>:{line}: " if line is not None else "<string>: "
    assert str(err).startswith(prefix), str(err)


HEADER = 'NFG 1 R "t" { "A" "B" }\n'


@pytest.mark.parametrize(
    ("text", "line", "match"),
    [
        ('XFG 1 R "t" { "A" } { 1 } 0', 1, "not a Gambit game file"),
        ('"NFG" 1 R "t" { "A" } { 1 } 0', 1, "not a Gambit game file"),
        ('NFG 2 R "t" { "A" } { 1 } 0', 1, "unsupported NFG version 2"),
        ('NFG 1 Q "t" { "A" } { 1 } 0', 1, "number type 'R' or 'D'"),
        ('NFG 1 R\n{ "A" } { 1 } 0', 2, "expected the quoted game title"),
        ('NFG 1 R "t" { } { } ', 1, "at least one player"),
        ('NFG 1 R "t"\n{ "A" "B" { 2 2 }\n1 2', 2, "closing the player list; found '{'"),
        (HEADER + "{ 2 2\n1 2 3 4", 3, "expected '}' closing the strategy counts.*found number 1"),
        (HEADER + "{ 2 }\n1 2", 2, "strategy list gives 1 players; the header names 2"),
        (HEADER + "{ 2 0 }\n", 2, "strategy count must be >= 1"),
        (HEADER + "{ 2 1.5 }\n", 2, "whole number"),
        (HEADER + '{ { "a" } { } }\n1 2', 2, "needs at least one strategy"),
        (HEADER + '{ { "a" } { "b" }\n1 2', 3, "closing the strategy label lists"),
        (HEADER + '{ 1 1 }\n"comment\n\nnever closed', 3, "unterminated string"),
        (
            HEADER + "{ 2 2 }\n1 2 3 4\n5 6 7",
            4,
            "unexpected end of file: expected 8 payoffs "
            r"\(4 strategy profiles x 2 players\); got 7",
        ),
        (HEADER + "{ 2 2 }\n1 2 3 4 5 6 7 8\n9", 4, "too many payoffs: expected 8"),
        (HEADER + "{ 1 1 }\n1 x", 3, "expected 2 payoffs.*found 'x' after 1"),
        (HEADER + "{ 1 1 }\n1 2 }", 3, "expected end of file after 2 payoffs.*found '}'"),
        (HEADER + "{ 1 1 }\n", 2, "unexpected end of file: expected the payoffs"),
        (HEADER + '{ 1 1 }\n"c" "d"', 3, r"expected the payoffs \(numbers\).*found string 'd'"),
        (HEADER + "{ 1 1 }\n1 1/0", 3, "invalid number '1/0'"),
        (HEADER + "{ 1 1 }\n1 1.2.3", 3, "invalid number '1.2.3'"),
        (HEADER + "{ 1 1 }\n1 1e999999999", 3, "invalid number"),
        (HEADER + "{ 1 1 }\n1 1e400", 3, "too large"),
        (HEADER + "{ 1 1 }\n1 -", 3, "invalid number '-'"),
        (HEADER + '{ 1 2 }\n{ { "o" 1 2 3 } }\n1 1', 3, "outcome 1 needs 2 payoffs"),
        (HEADER + '{ 1 2 }\n{ { "o" 1 } }\n1 1', 3, "outcome 1 needs 2 payoffs.*got 1"),
        (HEADER + "{ 1 2 }\n{ { 1 2 } }\n1 1", 3, "quoted name of outcome 1"),
        (HEADER + '{ 1 2 }\n{ { "o" 1 2 }\n1 1', 4, "opening an outcome or '}' closing"),
        (HEADER + '{ 1 2 }\n{ { "o" 1 2 } }\n1\n3', 5, "outcome 3 is not defined"),
        (HEADER + '{ 1 2 }\n{ { "o" 1 2 } }\n1 -1', 4, "outcome -1 is not defined"),
        (HEADER + '{ 1 2 }\n{ { "o" 1 2 } }\n1', 4, "expected 2 outcome indices.*got 1"),
        (HEADER + '{ 1 2 }\n{ { "o" 1 2 } }\n1 1 1', 4, "too many outcome indices"),
        (HEADER + '{ 1 2 }\n{ { "o" 1 2 } }\n1 1.5', 4, "outcome index"),
        (HEADER + "{ 100000 100000 }\n1 2", 2, "too short for 10000000000 strategy profiles"),
        ('EFG 2 R "t" { "A" }\nt "" 0', 1, "expected an .nfg file"),
        ("", 1, "empty file"),
        ("  \n\t\n", 1, "empty file"),
        (b"NFG 1 R\n\n\xff\xfe", 3, "not UTF-8 text"),
        (b'NFG 1 R "t" { "A" } { 1 }\x00\x00\x00', 1, "binary content"),
    ],
)
def test_malformed_files(text: str | bytes, line: int, match: str) -> None:
    check_error(text, line, match)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    missing = tmp_path / "nope.nfg"
    with pytest.raises(GameFileError, match="no such file") as info:
        read_nfg(missing)
    assert info.value.path == str(missing)
    assert info.value.line is None
    with pytest.raises(GameFileError, match="no such file"):
        read_game(str(missing))
    with pytest.raises(GameFileError, match="is a directory"):
        read_nfg(tmp_path)


def test_text_given_to_read_suggests_parse() -> None:
    with pytest.raises(GameFileError, match="use parse_nfg"):
        read_nfg(PD_PAYOFF)


def test_file_error_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.nfg"
    path.write_text(HEADER + "{ 2 2 }\n1 2 3\n")
    with pytest.raises(GameFileError) as info:
        read_nfg(path)
    assert str(info.value).startswith(f"{path}:3: unexpected end of file")
    with pytest.raises(GameFileError) as info:
        read_game(path)
    assert info.value.path == str(path) and info.value.line == 3
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(GameFileError, match="not UTF-8") as info:
        read_game(path)
    assert info.value.line == 1


@settings(max_examples=50, deadline=None)
@given(
    cut=st.integers(0, len(OUTCOME)),
    junk=st.sampled_from(["", "}", "{", '"', "x", "1/0", "-", "\x00", "\n", "9"]),
)
def test_damaged_files_raise_only_game_file_errors(cut: int, junk: str) -> None:
    for original in (OUTCOME, PD_PAYOFF):
        text = original[:cut] + junk + original[cut + 1 :]
        try:
            parse_nfg(text)
        except GameFileError as exc:
            assert exc.line is not None and exc.line >= 1


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=60))
def test_random_bytes_raise_only_game_file_errors(data: bytes) -> None:
    for parse in (parse_nfg, parse_efg):
        for text in (b"NFG 1 R " + data, b'EFG 2 R "" { "A" } ' + data, data):
            with contextlib.suppress(GameFileError):
                parse(text)


# ---------------------------------------------------------------------- pygambit oracle
def gambit_arrays(g: Any) -> list[list[Any]]:
    return [np.vectorize(F, otypes=[object])(a).tolist() for a in g.to_arrays()]


def gambit_labels(g: Any) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    players = tuple(p.label for p in g.players)
    return players, tuple(tuple(s.label for s in p.strategies) for p in g.players)


def nfg_catalog() -> list[str]:
    gbt = pytest.importorskip("pygambit")
    slugs = [str(s) for s in gbt.catalog.games(is_tree=False)["Game"]]
    assert slugs, "pygambit's catalog lists no .nfg games"
    return slugs


@pytest.mark.oracle
def test_catalog_nfg_games_read_like_pygambit() -> None:
    gbt = pytest.importorskip("pygambit")
    for slug in nfg_catalog():
        g = gbt.catalog.load(slug)
        ours = parse_nfg(g.to_nfg(), source=slug)
        assert ours.is_exact
        assert ours.title == g.title
        assert (ours.players, ours.actions) == gambit_labels(g)
        assert exact(ours) == gambit_arrays(g), slug


@pytest.mark.oracle
@pytest.mark.parametrize(
    "game",
    [
        games.prisoners_dilemma(),
        games.von_stengel_3x2(),
        games.battle_of_sexes(),
        NormalFormGame.from_arrays(
            np.array([[[F(1, 3), 2], [3, 4]], [[5, 6], [7, F(-8, 9)]]], dtype=object),
            np.arange(8).reshape(2, 2, 2),
            np.ones((2, 2, 2), dtype=int),
            players=["a", "b", "c"],
            actions=[["u", "d"], ["l", "r"], ["w", "e"]],
        ),
        NormalFormGame.bimatrix([[0.1, 0.25]], [[1e-7, -2.5]]),
    ],
    ids=["pd", "3x2", "bos", "3-player", "floats"],
)
def test_pygambit_reads_our_files_and_we_read_theirs(game: NormalFormGame) -> None:
    gbt = pytest.importorskip("pygambit")
    ggame = gbt.read_nfg(io.StringIO(write_nfg(game)))
    expected = (
        [[F(repr(float(v))) for v in np.ravel(a)] for a in game.payoffs]
        if not (game.is_exact)
        else [list(np.ravel(a)) for a in game.exact()]
    )
    got = [list(np.ravel(np.array(a, dtype=object))) for a in gambit_arrays(ggame)]
    assert got == expected
    assert gambit_labels(ggame) == (game.players, game.actions)
    assert ggame.title == game.title
    back = parse_nfg(ggame.to_nfg())  # pygambit's outcome version
    assert back.players == game.players and back.actions == game.actions
    assert [list(np.ravel(a)) for a in back.exact()] == expected


@pytest.mark.oracle
def test_pygambit_built_game_reads_exactly() -> None:
    gbt = pytest.importorskip("pygambit")
    A = np.array([[gbt.Rational(1, 3), gbt.Rational(2)], [gbt.Rational(-5, 7), 0]], dtype=object)
    B = np.array([[1, gbt.Rational(1, 10)], [2, 3]], dtype=object)
    g = gbt.Game.from_arrays(A, B, title="built")
    ours = parse_nfg(g.to_nfg())
    assert exact(ours) == gambit_arrays(g)
    assert ours.title == "built"


# pygambit 16.7 refuses a strategy label equal to the default label ("1", "2", ...) of a
# later strategy of the same player (it relabels a pre-numbered table one strategy at a
# time), so the labels here start with a letter.
SAFE_LABEL = st.from_regex(r"[a-z][a-z0-9_#'\"-]{0,4}", fullmatch=True)


@st.composite
def exact_games(draw: st.DrawFn) -> NormalFormGame:
    n = draw(st.integers(1, 3))
    shape = tuple(draw(st.integers(1, 3)) for _ in range(n))
    values = st.one_of(
        st.integers(-50, 50), st.fractions(min_value=-10, max_value=10, max_denominator=12)
    )
    size = n * int(np.prod(shape))
    flat = draw(st.lists(values, min_size=size, max_size=size))
    table = np.array([F(v) for v in flat], dtype=object).reshape((n, *shape))
    players = draw(st.lists(SAFE_LABEL, min_size=n, max_size=n, unique=True))
    actions = [draw(st.lists(SAFE_LABEL, min_size=k, max_size=k, unique=True)) for k in shape]
    title = draw(st.text(alphabet="abc \"é'", max_size=8))
    return NormalFormGame(table, players=players, actions=actions, title=title)


@pytest.mark.oracle
@settings(max_examples=40, deadline=None)
@given(exact_games())
def test_round_trip_through_pygambit(game: NormalFormGame) -> None:
    gbt = pytest.importorskip("pygambit")
    text = write_nfg(game)
    assert parse_nfg(text) == game
    back = parse_nfg(gbt.read_nfg(io.StringIO(text)).to_nfg())
    assert back == game


def test_is_tree_not_nfg() -> None:
    assert isinstance(parse_efg('EFG 2 R "" { "A" } t "" 0'), GameTree)
