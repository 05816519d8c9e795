"""Hypothesis strategies for property tests of games, scenarios, cases and claims.

For users' own test suites (and the project's): needs the ``test`` extra
(``hypothesis``); ``import coercion`` does not import this module.

Ranges (documented, all valid for the constructors they feed):

* :func:`bimatrix_games`: integer payoffs in ``[low, high]``, 1 to
  *max_actions* actions per player.
* :func:`perfect_information_trees`: depth at most *max_depth*, 1 to 3
  actions per node, chance nodes with rational probabilities, integer payoffs
  in ``[-20, 20]`` (``exact=True``) or floats in ``[-100, 100]``.
* :func:`trees_with_information_sets`: one player (or chance) per level, so
  every player moves at most once on any path and the tree has perfect recall
  whatever the information partition of a level.
* :func:`scenarios`: shares in ``[0.05, 1]``, flows ``[0.01, 50]`` US$ bn a
  month, substitution ``[1, 72]`` months, stockpiles ``[0, 12]`` months,
  essentiality ``[1, 100]``, tariffs ``[0.05, 2]``, stakes ``[0.01, 30]``
  US$ bn, the other stakes ``[0, 5]``; GDP 1,000 US$ bn each.
* :func:`case_parameters`: every numeric parameter of a case within
  :func:`coercion.analysis.thresholds.search_range`.
* :func:`dependency_portfolios`: ``(good, supplier, share)`` with shares in
  ``[0, 1]`` summing to at most 1 per good.

Examples
--------
>>> from hypothesis import given, settings
>>> from coercion.strategies import bimatrix_games
>>> @settings(max_examples=5)
... @given(bimatrix_games(max_actions=3))
... def test_shape(game):
...     assert 1 <= game.shape[0] <= 3
>>> test_shape()
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from coercion.cases.loader import Case
from coercion.errors import InvalidParameterError
from coercion.games import Chance, Decision, GameTree, NormalFormGame, Terminal
from coercion.model import Actor, Instrument, Scenario, Stakes

__all__ = [
    "bimatrix_games",
    "case_parameters",
    "dependency_portfolios",
    "generic_bimatrix_games",
    "payoff_vectors",
    "perfect_information_trees",
    "scenarios",
    "trees_with_information_sets",
]


@st.composite
def bimatrix_games(
    draw: st.DrawFn, max_actions: int = 5, low: int = 0, high: int = 2, min_actions: int = 1
) -> NormalFormGame:
    """Small integer bimatrix games (payoffs in [low, high]: degenerate most of the time)."""
    m = draw(st.integers(min_actions, max_actions))
    n = draw(st.integers(min_actions, max_actions))
    ints = st.integers(low, high)
    A = draw(arrays(np.int64, (m, n), elements=ints))
    B = draw(arrays(np.int64, (m, n), elements=ints))
    return NormalFormGame.bimatrix(A, B)


@st.composite
def generic_bimatrix_games(draw: st.DrawFn, max_actions: int = 4) -> NormalFormGame:
    """Bimatrix games with payoffs spread over a wide integer range (rarely degenerate)."""
    return draw(bimatrix_games(max_actions=max_actions, low=-(10**6), high=10**6))


@st.composite
def payoff_vectors(draw: st.DrawFn, n_players: int, exact: bool) -> tuple[Any, ...]:
    """Payoff vectors: integers in [-20, 20] (*exact*) or floats in [-100, 100]."""
    if exact:
        return tuple(draw(st.integers(-20, 20)) for _ in range(n_players))
    return tuple(
        draw(st.floats(-100, 100, allow_nan=False, allow_infinity=False)) for _ in range(n_players)
    )


@st.composite
def perfect_information_trees(
    draw: st.DrawFn,
    max_depth: int = 3,
    n_players: int | None = None,
    chance: bool = True,
    exact: bool = True,
) -> GameTree:
    """Random perfect-information trees, with chance nodes carrying rational probabilities."""
    k = n_players if n_players is not None else draw(st.integers(1, 3))
    players = [f"P{i + 1}" for i in range(k)]
    counter = [0]

    def node(depth: int) -> Any:
        counter[0] += 1
        kinds = ["terminal"] if depth >= max_depth else ["terminal", "decision", "decision"]
        if chance and depth < max_depth:
            kinds.append("chance")
        kind = (
            draw(st.sampled_from(kinds))
            if depth > 0
            else draw(st.sampled_from([x for x in kinds if x != "terminal"] or ["terminal"]))
        )
        if kind == "terminal":
            label = draw(st.sampled_from(["a", "b", "c", "d"]))
            return Terminal(label, draw(payoff_vectors(k, exact)))
        width = draw(st.integers(1, 3))
        if kind == "decision":
            who = draw(st.sampled_from(players))
            return Decision(who, {f"m{j}": node(depth + 1) for j in range(width)})
        weights = [draw(st.integers(1, 5)) for _ in range(width)]
        total = sum(weights)
        return Chance(
            {f"n{j}": (Fraction(w, total), node(depth + 1)) for j, w in enumerate(weights)}
        )

    return GameTree(players, node(0))


@st.composite
def trees_with_information_sets(
    draw: st.DrawFn, max_depth: int = 3, chance: bool = True, exact: bool = True
) -> GameTree:
    """Game trees with information sets and perfect recall (and chance levels).

    Level ``l`` of the tree belongs to one mover: a player who moves nowhere
    else (so perfect recall holds for any information partition of the level)
    or chance.  Each level's nodes are split at random into information sets;
    all nodes of a level offer the same actions.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(trees_with_information_sets())
    ... def test_keys(tree):
    ...     assert all(h.key for h in tree.infosets)
    >>> test_keys()
    """
    depth = draw(st.integers(1, max_depth))
    kinds = [
        draw(st.sampled_from(["decision", "chance"])) if chance and level > 0 else "decision"
        for level in range(depth)
    ]
    players = [f"P{level + 1}" for level, k in enumerate(kinds) if k == "decision"]
    widths = [draw(st.integers(1, 3)) for _ in range(depth)]
    n_players = len(players)

    def level_nodes(level: int, count: int) -> list[Any]:
        if level == depth:
            return [
                Terminal(draw(st.sampled_from("abcd")), draw(payoff_vectors(n_players, exact)))
                for _ in range(count)
            ]
        w = widths[level]
        children = level_nodes(level + 1, count * w)
        groups = [draw(st.integers(0, count - 1)) for _ in range(count)]
        out: list[Any] = []
        for i in range(count):
            kids = children[i * w : (i + 1) * w]
            if kinds[level] == "chance":
                weights = [draw(st.integers(1, 5)) for _ in range(w)]
                total = sum(weights)
                out.append(
                    Chance(
                        {
                            f"n{j}": (Fraction(x, total), kid)
                            for j, (x, kid) in enumerate(zip(weights, kids, strict=True))
                        }
                    )
                )
            else:
                who = f"P{level + 1}"
                out.append(
                    Decision(
                        who,
                        {f"m{j}": kid for j, kid in enumerate(kids)},
                        infoset=f"{who}:{groups[i]}",
                    )
                )
        return out

    (root,) = level_nodes(0, 1)
    return GameTree(players, root)


@st.composite
def scenarios(draw: st.DrawFn, counter: bool | None = None, punishment: bool = True) -> Scenario:
    """Valid :class:`~coercion.model.Scenario` objects within the documented ranges.

    Parameters
    ----------
    counter : bool, optional
        With (True) or without (False) a counter-instrument; drawn if None.
    punishment : bool
        Allow a punishment gain (else it is 0).

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(scenarios(counter=False))
    ... def test_no_counter(s):
    ...     assert s.counter is None
    >>> test_no_counter()
    """

    def instrument(kind: str) -> Instrument:
        kw: dict[str, Any] = {
            "dependency_share": draw(st.floats(0.05, 1)),
            "monthly_flow_usd_bn": draw(st.floats(0.01, 50)),
            "months_to_substitute": draw(st.floats(1, 72)),
            "replaceable_share": draw(st.floats(0, 0.9)),
            "stockpile_months": draw(st.floats(0, 12)),
            "own_cost_share": draw(st.floats(0.01, 1)),
        }
        if kind == "tariff":
            kw["tariff_rate"] = draw(st.floats(0.05, 2))
        else:
            kw["essentiality"] = draw(st.floats(1, 100))
        return Instrument(kind, "good", **kw)

    with_counter = draw(st.booleans()) if counter is None else counter
    stake = st.floats(0.01, 30)
    small = st.sampled_from([0.0]) | st.floats(0.0, 5)
    return Scenario(
        coercer=Actor("C", 1000.0),
        target=Actor("T", 1000.0),
        instrument=instrument(draw(st.sampled_from(["export_control", "tariff"]))),
        counter=instrument("export_control") if with_counter else None,
        stakes=Stakes(
            coercer_issue=draw(stake),
            target_issue=draw(stake),
            coercer_audience=draw(small),
            target_audience=draw(small),
            target_reputation=draw(small),
            coercer_punishment_gain=draw(small) if punishment else 0.0,
            institutional_cost=draw(small),
            third_party_support=draw(small),
        ),
    )


@st.composite
def case_parameters(
    draw: st.DrawFn, case: Case, paths: Sequence[str] | None = None
) -> dict[str, float]:
    """``{path: value}`` for a case, each value within its valid search range.

    Vectors the model rejects jointly (e.g. a coercer's issue and audience
    cost both zero) are discarded.

    Feed the result to ``case.with_values``, :func:`coercion.analysis.analyze`
    or ``coercion analyze --set``.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from coercion.cases import load
    >>> from coercion.analysis import analyze
    >>> case = load("japan-china-2010")
    >>> @settings(max_examples=5, deadline=None)
    ... @given(case_parameters(case, ["instrument.stockpile_months"]))
    ... def test_solves(values):
    ...     assert analyze(case, values, with_thresholds=False).outcome
    >>> test_solves()
    """
    from coercion.analysis.thresholds import search_range

    chosen = list(paths) if paths is not None else sorted(case.values)
    out: dict[str, float] = {}
    for p in chosen:
        if p not in case.values:
            raise ValueError(f"case_parameters: {case.id} has no parameter {p!r}")
        current = float(case.numeric_value(p))
        lo, hi = search_range(case, p, current)
        out[p] = draw(st.floats(lo, hi, allow_nan=False, allow_infinity=False))
    try:  # joint constraints (e.g. V_C + A_C > 0): discard vectors the model rejects
        case.with_values(out).scenario()
    except InvalidParameterError:
        assume(False)
    return out


@st.composite
def dependency_portfolios(
    draw: st.DrawFn, max_goods: int = 3, max_suppliers: int = 4
) -> list[tuple[str, str, float]]:
    """``[(good, supplier, share), ...]`` with shares summing to at most 1 per good.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(dependency_portfolios())
    ... def test_sums(rows):
    ...     for g in {r[0] for r in rows}:
    ...         assert sum(r[2] for r in rows if r[0] == g) <= 1
    >>> test_sums()
    """
    rows: list[tuple[str, str, float]] = []
    for g in range(draw(st.integers(1, max_goods))):
        k = draw(st.integers(1, max_suppliers))
        suppliers = [f"S{i + 1}" for i in range(max_suppliers)]
        chosen = draw(st.permutations(suppliers))[:k]
        # integer weights out of 1000 keep sums exact; a slack weight leaves room under 1
        weights = [draw(st.integers(0, 1000)) for _ in range(k + 1)]
        total = sum(weights) or 1
        for s, w in zip(chosen, weights, strict=False):
            rows.append((f"good{g + 1}", s, w / total))
    return rows
