"""Certificates: check a claimed equilibrium instead of trusting the solver.

``max_regret`` is the largest gain any player could make by a unilateral
deviation; ``is_nash`` compares it with an explicit tolerance
(``regret <= tol``); ``is_subgame_perfect`` asks the same in every subgame,
including the unreached ones (so non-credible threats fail, unlike an
agent regret that ignores unreached information sets).

When both the game and the profile are exact (rationals), the regret is
computed exactly and an exact equilibrium has regret ``0.0``.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from coercion._numbers import to_fraction
from coercion.errors import InvalidParameterError
from coercion.games.extensive_form import Chance, Decision, GameTree, Terminal
from coercion.games.normal_form import NormalFormGame
from coercion.games.profiles import BehaviorProfile, MixedProfile

__all__ = [
    "behavior_regrets",
    "expected_payoffs",
    "is_nash",
    "is_subgame_perfect",
    "max_regret",
    "regrets",
]


def _as_mixed(game: NormalFormGame, profile: Any) -> MixedProfile:
    mixed = profile if isinstance(profile, MixedProfile) else MixedProfile(profile)
    if [len(s) for s in mixed] != list(game.shape):
        raise InvalidParameterError(
            f"max_regret: profile must give {list(game.shape)} probabilities per player; "
            f"got {[len(s) for s in mixed]}"
        )
    return mixed


def expected_payoffs(game: NormalFormGame, profile: MixedProfile) -> tuple[float, ...]:
    """Each player's expected payoff, computed exactly when the profile is exact.

    Examples
    --------
    >>> from coercion.games import NormalFormGame, MixedProfile
    >>> from fractions import Fraction as F
    >>> g = NormalFormGame.bimatrix([[3, 3], [2, 5], [0, 6]], [[3, 2], [2, 6], [3, 1]])
    >>> expected_payoffs(g, MixedProfile.from_exact([[F(4, 5), F(1, 5), 0], [F(2, 3), F(1, 3)]]))
    (3.0, 2.8)
    """
    if profile.exact is None:
        return tuple(float(u) for u in game.expected_payoffs(profile))
    out = []
    for i in range(game.n_players):
        values = game.exact_action_values(profile.exact, i)
        out.append(
            float(sum((p * v for p, v in zip(profile.exact[i], values, strict=True)), Fraction(0)))
        )
    return tuple(out)


def regrets(game: NormalFormGame, profile: MixedProfile | Any) -> list[float]:
    """Each player's regret: best pure payoff minus the profile's payoff (>= 0).

    Examples
    --------
    >>> from coercion.games import NormalFormGame
    >>> pd = NormalFormGame.bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> regrets(pd, [[1, 0], [1, 0]])
    [2.0, 2.0]
    """
    mixed = _as_mixed(game, profile)
    if mixed.exact is not None:
        out = []
        for i in range(game.n_players):
            values = game.exact_action_values(mixed.exact, i)
            own = sum((p * v for p, v in zip(mixed.exact[i], values, strict=True)), Fraction(0))
            out.append(float(max(values) - own))
        return out
    floats = []
    for i in range(game.n_players):
        u = game.action_values(mixed, i)
        floats.append(max(0.0, float(u.max() - u @ mixed[i])))
    return floats


def behavior_regrets(tree: GameTree, profile: BehaviorProfile | Any) -> list[float]:
    """Each player's regret in a perfect-recall tree, computed on the tree (polynomial).

    A player's best-response value against the others' behaviour strategies
    is the sequence-form best response (von Stengel 1996): one pass over the
    leaves gives, per own sequence ``s``, the payoff ``c[s]`` of the leaves
    that end with ``s``, weighted by chance and the other players'
    probabilities; then, over the player's information sets from the last
    to the first (with perfect recall the player's own sequences form a
    tree), ``V(h) = max_a c[h, a] + sum of V(h')`` over the information sets
    ``h'`` that follow ``(h, a)``.  The regret is the best-response value
    minus the profile's payoff.  The cost is linear in the tree, against the
    exponential size of the reduced normal form, and the number is the same
    as the regret in the reduced normal form (a best response over
    realization plans is attained at a pure plan).  Exact (rationals) when
    tree and profile are exact.

    Raises
    ------
    UnsupportedGameError
        For a tree with imperfect recall (use :func:`max_regret`, which falls
        back on the reduced normal form), a grid or a symbolic tree.

    Examples
    --------
    Matching pennies with a hidden first move: pure heads for both players
    leaves the second player a gain of 2.

    >>> from coercion.games import GameTree, Decision, Terminal
    >>> t = GameTree(["A", "B"], Decision("A", {
    ...     "h": Decision("B", {"h": Terminal("o", (1, -1)), "t": Terminal("o", (-1, 1))},
    ...                   infoset="b"),
    ...     "t": Decision("B", {"h": Terminal("o", (-1, 1)), "t": Terminal("o", (1, -1))},
    ...                   infoset="b")}))
    >>> behavior_regrets(t, [[[1, 0]], [[1, 0]]])
    [0.0, 2.0]
    """
    from coercion.errors import UnsupportedGameError

    if not isinstance(profile, BehaviorProfile):
        profile = BehaviorProfile(profile)
    tree._require_numeric("behavior_regrets")
    tree._check_behavior(profile)
    if not tree.has_perfect_recall:
        raise UnsupportedGameError(
            "behavior_regrets: needs perfect recall; this tree has imperfect recall "
            "(max_regret measures it in the reduced normal form)"
        )
    n = tree.n_players
    exact = profile.exact is not None and tree.is_exact
    conv: Any = to_fraction if exact else float
    zero: Any = Fraction(0) if exact else 0.0
    one: Any = Fraction(1) if exact else 1.0
    position = {h: pos for own in tree.player_infosets for pos, h in enumerate(own)}

    def prob(i: int, h: int, a: int) -> Any:
        if exact:
            assert profile.exact is not None
            return profile.exact[i][position[h]][a]
        return float(profile[i][position[h]][a])

    # c[i][seq]: leaf payoffs of player i by its own last sequence (None: empty),
    # weighted by chance and the other players' probabilities
    c: list[dict[tuple[int, int] | None, Any]] = [{} for _ in range(n)]
    actual = [zero] * n
    parent_seq: dict[int, tuple[int, int] | None] = {}
    stack: list[tuple[int, tuple[tuple[int, int] | None, ...], tuple[Any, ...], Any]] = [
        (0, (None,) * n, (one,) * n, one)
    ]
    while stack:
        k, seqs, pis, w = stack.pop()
        node = tree.nodes[k]
        if isinstance(node, Terminal):
            for i in range(n):
                others = w
                for j in range(n):
                    if j != i:
                        others *= pis[j]
                if others:
                    u = conv(node.payoffs[i])
                    c[i][seqs[i]] = c[i].get(seqs[i], zero) + others * u
                    actual[i] += others * pis[i] * u
        elif isinstance(node, Decision):
            h = tree.node_infoset[k]
            pl = tree.infosets[h].player
            parent_seq.setdefault(h, seqs[pl])
            for a, child in enumerate(tree.children[k]):
                nseqs = (*seqs[:pl], (h, a), *seqs[pl + 1 :])
                npis = (*pis[:pl], pis[pl] * prob(pl, h, a), *pis[pl + 1 :])
                stack.append((child, nseqs, npis, w))
        else:
            assert isinstance(node, Chance)
            for child, (p, _) in zip(tree.children[k], node.moves.values(), strict=True):
                q = conv(p)
                if q:
                    stack.append((child, seqs, pis, w * q))
    out = []
    for i in range(n):
        follow: dict[tuple[int, int] | None, Any] = {}  # sum of V(h') after a sequence
        # first appearance is preorder, so a later information set never precedes
        # the one its sequence continues: reverse order is children first
        for h in reversed(tree.player_infosets[i]):
            if h not in parent_seq:  # pragma: no cover - every information set has a node
                continue
            value = max(
                c[i].get((h, a), zero) + follow.get((h, a), zero)
                for a in range(len(tree.infosets[h].actions))
            )
            follow[parent_seq[h]] = follow.get(parent_seq[h], zero) + value
        best = c[i].get(None, zero) + follow.get(None, zero)
        gap = best - actual[i]
        out.append(float(gap) if exact else max(0.0, float(gap)))
    return out


def max_regret(game: NormalFormGame | GameTree, profile: Any) -> float:
    """Largest unilateral gain over all players (0 for an exact equilibrium).

    For a tree, *profile* is a :class:`BehaviorProfile`; its regret is the
    gain from deviating to any pure plan.  With perfect recall it is computed
    on the tree (:func:`behavior_regrets`, linear in the tree); with
    imperfect recall in the reduced normal form (exponential in the number
    of information sets).

    Examples
    --------
    >>> from coercion.games import NormalFormGame
    >>> mp = NormalFormGame.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> max_regret(mp, [[0.5, 0.5], [0.5, 0.5]])
    0.0
    """
    if isinstance(game, GameTree):
        if not isinstance(profile, BehaviorProfile):
            profile = BehaviorProfile(profile)
        if game.has_perfect_recall:
            return max(behavior_regrets(game, profile))
        return max_regret(game.to_normal_form(), game.behavior_to_mixed(profile))
    return max(regrets(game, profile))


def is_nash(game: NormalFormGame | GameTree, profile: Any, *, tol: float = 1e-9) -> bool:
    """True when no player gains more than *tol* by deviating.

    Examples
    --------
    >>> from coercion.games import NormalFormGame
    >>> pd = NormalFormGame.bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> is_nash(pd, [[0, 1], [0, 1]]), is_nash(pd, [[1, 0], [1, 0]])
    (True, False)
    """
    if tol < 0 or not np.isfinite(tol):
        raise InvalidParameterError(f"is_nash: tol must be a finite number >= 0; got {tol}")
    return max_regret(game, profile) <= tol


def _restrict(
    tree: GameTree, root: int, profile: BehaviorProfile
) -> tuple[GameTree, BehaviorProfile]:
    """The subgame at *root* and the profile's restriction to it."""
    sub = tree.subtree(root)
    position = {h: pos for own in tree.player_infosets for pos, h in enumerate(own)}
    per_player: list[list[Any]] = []
    exact_pp: list[list[Any]] | None = [] if profile.exact is not None else None
    for i, own in enumerate(sub.player_infosets):
        dists, exact_d = [], []
        for h in own:
            original = tree.node_infoset[root + sub.infosets[h].members[0]]
            dists.append(profile[i][position[original]])
            if profile.exact is not None:
                exact_d.append(profile.exact[i][position[original]])
        per_player.append(dists)
        if exact_pp is not None:
            exact_pp.append(exact_d)
    return sub, BehaviorProfile(per_player, exact=exact_pp)


def _one_shot_regret(tree: GameTree, profile: BehaviorProfile) -> float:
    """Largest one-shot-deviation gain at any node of a perfect-information tree."""
    position = {h: pos for own in tree.player_infosets for pos, h in enumerate(own)}
    exact = profile.exact is not None and tree.is_exact
    values: list[Any] = [None] * len(tree.nodes)
    worst: Any = 0
    for k in reversed(range(len(tree.nodes))):
        node = tree.nodes[k]
        if isinstance(node, Terminal):
            values[k] = [Fraction(v) if exact else float(v) for v in node.payoffs]
            continue
        kids = [values[c] for c in tree.children[k]]
        if isinstance(node, Chance):
            probs = [Fraction(p) if exact else float(p) for p, _ in node.moves.values()]
        else:
            h = tree.node_infoset[k]
            i = tree.infosets[h].player
            if exact:
                assert profile.exact is not None
                probs = list(profile.exact[i][position[h]])
            else:
                probs = [float(p) for p in profile[i][position[h]]]
            best = max(v[i] for v in kids)
            mine = sum(p * v[i] for p, v in zip(probs, kids, strict=True))
            worst = max(worst, best - mine)
        values[k] = [
            sum(p * v[j] for p, v in zip(probs, kids, strict=True)) for j in range(tree.n_players)
        ]
    return float(worst)


def is_subgame_perfect(
    tree: GameTree, profile: BehaviorProfile | Any, *, tol: float = 1e-9
) -> bool:
    """True when *profile* is a Nash equilibrium of every subgame of *tree*.

    On perfect-information trees this is the one-shot-deviation test at every
    node, reached or not; otherwise every subgame's regret is measured in its
    reduced normal form.

    Examples
    --------
    A non-credible threat is Nash but not subgame perfect:

    >>> from coercion.games import GameTree, Decision, Terminal, BehaviorProfile
    >>> t = GameTree(["C", "T"], Decision("C", {
    ...     "threaten": Decision("T", {"concede": Terminal("concession", (1, -1)),
    ...                                "resist": Decision("C", {
    ...                                    "impose": Terminal("escalation", (-2, -2)),
    ...                                    "back_down": Terminal("coercer_backs_down", (-1, 0))})}),
    ...     "no_threat": Terminal("status_quo", (0, 0))}))
    >>> threat = BehaviorProfile([[[0, 1], [1, 0]], [[0, 1]]])   # no threat; would impose
    >>> is_nash(t, threat), is_subgame_perfect(t, threat)
    (True, False)
    """
    if tol < 0 or not np.isfinite(tol):
        raise InvalidParameterError(
            f"is_subgame_perfect: tol must be a finite number >= 0; got {tol}"
        )
    if not isinstance(profile, BehaviorProfile):
        profile = BehaviorProfile(profile)
    tree._require_numeric("is_subgame_perfect")
    tree._check_behavior(profile)
    if tree.is_perfect_information:
        return _one_shot_regret(tree, profile) <= tol
    for root in tree.subgame_roots():
        sub, restricted = _restrict(tree, root, profile)
        if max_regret(sub, restricted) > tol:
            return False
    return True
