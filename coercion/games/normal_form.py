"""Normal-form (strategic-form) games with labelled players and actions.

Axis convention
---------------
``payoffs[i][a_0, a_1, ..., a_{N-1}]`` is player ``i``'s payoff when player
``k`` plays its action ``a_k``.  For a two-player (bimatrix) game player 0
chooses the row and player 1 the column, so ``payoffs[0]`` is the row
player's matrix ``A`` and ``payoffs[1]`` the column player's matrix ``B``
(*not* transposed, unlike QuantEcon's own-action-first convention).
Payoffs are utilities: larger is better, costs enter with a minus sign.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from coercion._numbers import is_exact_scalar, is_real_scalar, to_fraction
from coercion.errors import InvalidGameError

if TYPE_CHECKING:
    from coercion.games.profiles import MixedProfile

__all__ = ["NormalFormGame"]

FloatArray = npt.NDArray[np.float64]


def _labels(given: Sequence[str] | None, count: int, default: str, what: str) -> tuple[str, ...]:
    if given is None:
        return tuple(f"{default}{k + 1}" for k in range(count))
    labels = tuple(given)
    if len(labels) != count:
        raise InvalidGameError(
            f"NormalFormGame: {what} must have {count} labels; got {len(labels)}"
        )
    for label in labels:
        if not isinstance(label, str) or not label:
            raise InvalidGameError(
                f"NormalFormGame: {what} labels must be non-empty strings; got {label!r}"
            )
    if len(set(labels)) != len(labels):
        raise InvalidGameError(f"NormalFormGame: {what} labels must be unique; got {labels!r}")
    return labels


@dataclass(frozen=True, eq=False)
class NormalFormGame:
    """A finite game in strategic form.

    Build one with :meth:`from_arrays` (one payoff array per player) or
    :meth:`bimatrix`; the constructor itself takes the stacked payoff array
    of shape ``(n_players, n_0, ..., n_{N-1})``.

    Parameters
    ----------
    payoffs : array_like
        Stacked payoffs, ``payoffs[i][profile]`` is player ``i``'s utility.
        Integers, fractions and decimal values are kept exactly as well
        (see :attr:`exact_payoffs`); floats are converted exactly when an
        exact solver needs them.
    players : sequence of str, optional
        Player labels (default ``"Player 1"``, ...).
    actions : sequence of sequence of str, optional
        Action labels per player (default ``"1"``, ``"2"``, ...).
    title : str, optional

    Examples
    --------
    The Prisoner's Dilemma, with labelled actions:

    >>> g = NormalFormGame.bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                             actions=[["C", "D"], ["C", "D"]])
    >>> g.shape
    (2, 2)
    >>> g.payoff(("D", "D"))
    (1.0, 1.0)
    """

    payoffs: FloatArray
    players: tuple[str, ...]
    actions: tuple[tuple[str, ...], ...]
    title: str = ""
    exact_payoffs: npt.NDArray[np.object_] | None = field(default=None, repr=False)

    def __init__(
        self,
        payoffs: Any,
        players: Sequence[str] | None = None,
        actions: Sequence[Sequence[str]] | None = None,
        title: str = "",
    ) -> None:
        raw = np.asarray(payoffs, dtype=object) if not isinstance(payoffs, np.ndarray) else payoffs
        if raw.ndim < 2:
            raise InvalidGameError(
                "NormalFormGame: payoffs must have shape (n_players, n_0, ..., n_{N-1}); "
                f"got an array of shape {raw.shape}"
            )
        n_players = raw.shape[0]
        if raw.ndim - 1 != n_players:
            raise InvalidGameError(
                f"NormalFormGame: payoffs for {n_players} players need {n_players} action axes; "
                f"got shape {raw.shape}"
            )
        if any(n < 1 for n in raw.shape[1:]):
            raise InvalidGameError(
                f"NormalFormGame: every player needs at least one action; got shape {raw.shape}"
            )
        exact: npt.NDArray[np.object_] | None = None
        flat = raw.reshape(-1)
        if raw.dtype == object:
            for idx, value in enumerate(flat):
                if not is_real_scalar(value):
                    at = [int(k) for k in np.unravel_index(idx, raw.shape)]
                    raise InvalidGameError(
                        f"NormalFormGame: payoffs must be real numbers; got {value!r} at {at}"
                    )
            if all(is_exact_scalar(v) for v in flat):
                exact = np.array([to_fraction(v) for v in flat], dtype=object).reshape(raw.shape)
            numeric = np.array([float(v) for v in flat], dtype=np.float64).reshape(raw.shape)
        elif np.issubdtype(raw.dtype, np.integer):
            exact = np.array([Fraction(int(v)) for v in flat], dtype=object).reshape(raw.shape)
            numeric = raw.astype(np.float64)
        elif np.issubdtype(raw.dtype, np.floating):
            numeric = raw.astype(np.float64)
        else:
            raise InvalidGameError(
                f"NormalFormGame: payoffs must be real numbers; got dtype {raw.dtype}"
            )
        bad = ~np.isfinite(numeric)
        if bad.any():
            where = [int(k) for k in np.argwhere(bad)[0]]
            shown = numeric[tuple(int(k) for k in where)]
            raise InvalidGameError(
                f"NormalFormGame: payoffs must be finite; got {shown} at {where}"
            )
        numeric.setflags(write=False)
        if exact is not None:
            exact.setflags(write=False)
        player_labels = _labels(players, n_players, "Player ", "players")
        if actions is None:
            action_labels = tuple(_labels(None, n, "", "actions") for n in raw.shape[1:])
        else:
            acts = list(actions)
            if len(acts) != n_players:
                raise InvalidGameError(
                    f"NormalFormGame: actions must give one label list per player ({n_players}); "
                    f"got {len(acts)}"
                )
            action_labels = tuple(
                _labels(a, n, "", f"actions of {player_labels[i]!r}")
                for i, (a, n) in enumerate(zip(acts, raw.shape[1:], strict=True))
            )
        if not isinstance(title, str):
            raise InvalidGameError(f"NormalFormGame: title must be a string; got {title!r}")
        object.__setattr__(self, "payoffs", numeric)
        object.__setattr__(self, "players", player_labels)
        object.__setattr__(self, "actions", action_labels)
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "exact_payoffs", exact)

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_arrays(
        cls,
        *arrays: Any,
        players: Sequence[str] | None = None,
        actions: Sequence[Sequence[str]] | None = None,
        title: str = "",
    ) -> NormalFormGame:
        """Build a game from one payoff array per player.

        Examples
        --------
        >>> g = NormalFormGame.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]],
        ...                                title="Matching pennies")
        >>> g.n_players, g.shape, g.is_exact
        (2, (2, 2), True)
        """
        if not arrays:
            raise InvalidGameError("NormalFormGame.from_arrays: at least one payoff array needed")
        objs = [
            np.asarray(a) if isinstance(a, np.ndarray) else np.asarray(a, dtype=object)
            for a in arrays
        ]
        shapes = {a.shape for a in objs}
        if len(shapes) != 1:
            raise InvalidGameError(
                "NormalFormGame.from_arrays: payoff arrays must share one shape; "
                f"got {[a.shape for a in objs]}"
            )
        if all(np.issubdtype(a.dtype, np.number) for a in objs):
            stacked: Any = np.stack(objs)
        else:
            stacked = np.stack([a.astype(object) for a in objs])
        return cls(stacked, players=players, actions=actions, title=title)

    @classmethod
    def bimatrix(
        cls,
        A: Any,
        B: Any,
        *,
        players: Sequence[str] | None = None,
        actions: Sequence[Sequence[str]] | None = None,
        title: str = "",
    ) -> NormalFormGame:
        """Two-player game from the row player's ``A`` and the column player's ``B``."""
        a, b = np.asarray(A), np.asarray(B)
        if a.ndim != 2 or b.ndim != 2:
            raise InvalidGameError(
                "NormalFormGame.bimatrix: A and B must be matrices; "
                f"got shapes {a.shape}, {b.shape}"
            )
        return cls.from_arrays(A, B, players=players, actions=actions, title=title)

    @classmethod
    def from_nashpy(cls, game: Any, **labels: Any) -> NormalFormGame:
        """Convert a :class:`nashpy.Game` (its payoff matrices are copied)."""
        A, B = game.payoff_matrices
        return cls.bimatrix(np.asarray(A), np.asarray(B), **labels)

    def to_nashpy(self) -> Any:
        """Return the equivalent :class:`nashpy.Game` (two-player games only)."""
        A, B = self.payoff_matrices()
        import nashpy

        return nashpy.Game(np.array(A), np.array(B))

    # ------------------------------------------------------------------ properties
    @property
    def n_players(self) -> int:
        """Number of players."""
        return len(self.players)

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of actions of each player."""
        return tuple(int(n) for n in self.payoffs.shape[1:])

    @property
    def is_exact(self) -> bool:
        """True when every payoff was given as an integer or rational."""
        return self.exact_payoffs is not None

    def exact(self) -> npt.NDArray[np.object_]:
        """Payoffs as :class:`~fractions.Fraction` (floats converted bit for bit)."""
        if self.exact_payoffs is not None:
            return self.exact_payoffs
        flat = [Fraction(float(v)) for v in self.payoffs.reshape(-1)]
        return np.array(flat, dtype=object).reshape(self.payoffs.shape)

    def payoff_matrices(self) -> tuple[FloatArray, FloatArray]:
        """``(A, B)`` of a two-player game."""
        self._require_bimatrix("payoff_matrices")
        return self.payoffs[0], self.payoffs[1]

    def _require_bimatrix(self, what: str) -> None:
        if self.n_players != 2:
            from coercion.errors import UnsupportedGameError

            raise UnsupportedGameError(
                f"{what}: needs a two-player game; got {self.n_players} players"
            )

    # ------------------------------------------------------------------ evaluation
    def action_index(self, player: int | str, action: int | str) -> int:
        """Index of *action* (label or index) for *player* (label or index)."""
        i = self.player_index(player)
        if isinstance(action, str):
            try:
                return self.actions[i].index(action)
            except ValueError:
                raise InvalidGameError(
                    f"NormalFormGame: player {self.players[i]!r} has no action {action!r}; "
                    f"actions are {self.actions[i]!r}"
                ) from None
        if not 0 <= action < self.shape[i]:
            raise InvalidGameError(
                f"NormalFormGame: action index must be in [0, {self.shape[i]}); got {action}"
            )
        return int(action)

    def player_index(self, player: int | str) -> int:
        """Index of *player* given by label or index."""
        if isinstance(player, str):
            try:
                return self.players.index(player)
            except ValueError:
                raise InvalidGameError(
                    f"NormalFormGame: no player {player!r}; players are {self.players!r}"
                ) from None
        if not 0 <= player < self.n_players:
            raise InvalidGameError(
                f"NormalFormGame: player index must be in [0, {self.n_players}); got {player}"
            )
        return int(player)

    def payoff(self, profile: Sequence[int | str]) -> tuple[float, ...]:
        """Payoff vector of a pure profile given by action labels or indices."""
        if len(profile) != self.n_players:
            raise InvalidGameError(
                f"NormalFormGame.payoff: profile needs {self.n_players} actions; got {len(profile)}"
            )
        idx = tuple(self.action_index(i, a) for i, a in enumerate(profile))
        return tuple(float(self.payoffs[(i, *idx)]) for i in range(self.n_players))

    def action_values(self, profile: MixedProfile | Sequence[Any], player: int) -> FloatArray:
        """Expected payoff of each pure action of *player* against the others' mixtures."""
        strategies = [np.asarray(s, dtype=np.float64) for s in profile]
        u = self.payoffs[player]
        for k in reversed(range(self.n_players)):
            if k == player:
                continue
            u = np.tensordot(u, strategies[k], axes=([k], [0]))
        return np.asarray(u, dtype=np.float64)

    def expected_payoffs(self, profile: MixedProfile | Sequence[Any]) -> FloatArray:
        """Expected payoff of every player under a mixed profile.

        Examples
        --------
        >>> g = NormalFormGame.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
        >>> g.expected_payoffs([[0.5, 0.5], [0.5, 0.5]]).tolist()
        [0.0, 0.0]
        """
        strategies = [np.asarray(s, dtype=np.float64) for s in profile]
        out = np.empty(self.n_players)
        for i in range(self.n_players):
            out[i] = float(self.action_values(strategies, i) @ strategies[i])
        return out

    def exact_action_values(
        self, profile: Sequence[Sequence[Fraction]], player: int
    ) -> list[Fraction]:
        """Exact counterpart of :meth:`action_values` (rational profile)."""
        table = self.exact()[player]
        values = [Fraction(0)] * self.shape[player]
        others = [k for k in range(self.n_players) if k != player]
        ranges = [
            [(a, profile[k][a]) for a in range(self.shape[k]) if profile[k][a] != 0] for k in others
        ]
        for own in range(self.shape[player]):
            total = Fraction(0)
            for combo in itertools.product(*ranges):
                idx = [0] * self.n_players
                weight = Fraction(1)
                for k, (a, p) in zip(others, combo, strict=True):
                    idx[k] = a
                    weight *= p
                idx[player] = own
                total += weight * table[tuple(idx)]
            values[own] = total
        return values

    # ------------------------------------------------------------------ transforms
    def permuted(self, permutations: Sequence[Sequence[int]]) -> NormalFormGame:
        """Game whose player ``i`` action ``k`` is this game's action ``permutations[i][k]``."""
        out: npt.NDArray[Any] = (
            self.exact_payoffs if self.exact_payoffs is not None else self.payoffs
        )
        for i, perm in enumerate(permutations):
            out = np.take(out, list(perm), axis=i + 1)
        actions = [[self.actions[i][k] for k in perm] for i, perm in enumerate(permutations)]
        return NormalFormGame(out, players=self.players, actions=actions, title=self.title)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, NormalFormGame):
            return NotImplemented
        if (self.players, self.actions, self.title) != (other.players, other.actions, other.title):
            return False
        if self.payoffs.shape != other.payoffs.shape:
            return False
        if self.exact_payoffs is not None and other.exact_payoffs is not None:
            return bool(np.all(self.exact_payoffs == other.exact_payoffs))
        return bool(np.array_equal(self.payoffs, other.payoffs))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shape = "x".join(str(n) for n in self.shape)
        title = f" {self.title!r}" if self.title else ""
        return f"<NormalFormGame{title} {shape}, players={list(self.players)}>"
