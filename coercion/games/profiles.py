"""Strategy profiles: mixed profiles of normal-form games, behaviour profiles of trees.

A profile is a plain value: probabilities in the order of the game's labels,
with an optional exact (rational) twin when a solver computed it exactly.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from coercion.errors import InvalidParameterError

__all__ = ["BehaviorProfile", "MixedProfile"]

FloatArray = npt.NDArray[np.float64]
ExactStrategy = tuple[Fraction, ...]


def _check_distribution(values: FloatArray, what: str, tol: float = 1e-9) -> None:
    if values.ndim != 1 or values.size == 0:
        raise InvalidParameterError(f"{what} must be a non-empty vector; got shape {values.shape}")
    if not np.all(np.isfinite(values)):
        raise InvalidParameterError(f"{what} must be finite; got {values.tolist()}")
    if np.any(values < -tol):
        raise InvalidParameterError(f"{what} must be non-negative; got {values.tolist()}")
    if abs(float(values.sum()) - 1.0) > 1e-6:
        raise InvalidParameterError(f"{what} must sum to 1; got sum {float(values.sum())!r}")


def _frozen(values: Any) -> FloatArray:
    arr = np.array(values, dtype=np.float64)
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True, eq=False)
class MixedProfile:
    """One mixed strategy per player of a normal-form game.

    Parameters
    ----------
    strategies : sequence of array_like
        ``strategies[i][k]`` is the probability player ``i`` plays its action ``k``.
    exact : sequence of sequence of Fraction, optional
        The same profile in exact arithmetic, when known.

    Examples
    --------
    >>> p = MixedProfile([[0.5, 0.5], [1, 0]])
    >>> p[1].tolist(), len(p)
    ([1.0, 0.0], 2)
    """

    strategies: tuple[FloatArray, ...]
    exact: tuple[ExactStrategy, ...] | None = field(default=None)

    def __init__(
        self, strategies: Sequence[Any], exact: Sequence[Sequence[Fraction]] | None = None
    ) -> None:
        arrays = tuple(_frozen(s) for s in strategies)
        for i, s in enumerate(arrays):
            _check_distribution(s, f"MixedProfile: strategy of player {i}")
        object.__setattr__(self, "strategies", arrays)
        object.__setattr__(self, "exact", None if exact is None else tuple(tuple(s) for s in exact))

    @classmethod
    def from_exact(cls, exact: Sequence[Sequence[Fraction]]) -> MixedProfile:
        """Profile from rational probabilities (floats derived from them)."""
        return cls([[float(p) for p in s] for s in exact], exact=exact)

    @classmethod
    def pure(cls, shape: Sequence[int], actions: Sequence[int]) -> MixedProfile:
        """The pure profile in which player ``i`` plays action ``actions[i]``."""
        exact = [
            [Fraction(int(k == a)) for k in range(n)] for n, a in zip(shape, actions, strict=True)
        ]
        return cls.from_exact(exact)

    def __getitem__(self, player: int) -> FloatArray:
        return self.strategies[player]

    def __iter__(self) -> Iterator[FloatArray]:
        return iter(self.strategies)

    def __len__(self) -> int:
        return len(self.strategies)

    def to_list(self) -> list[list[float]]:
        """Plain nested lists of floats (JSON friendly)."""
        return [s.tolist() for s in self.strategies]

    def support(self, player: int, tol: float = 1e-12) -> tuple[int, ...]:
        """Indices of the actions *player* plays with positive probability."""
        if self.exact is not None:
            return tuple(k for k, p in enumerate(self.exact[player]) if p > 0)
        return tuple(int(k) for k in np.flatnonzero(self.strategies[player] > tol))

    def is_pure(self) -> bool:
        """True when every player puts probability one on a single action."""
        return all(len(self.support(i)) == 1 for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MixedProfile):
            return NotImplemented
        if self.exact is not None and other.exact is not None:
            return self.exact == other.exact
        return len(self) == len(other) and all(
            a.shape == b.shape and np.allclose(a, b, rtol=0.0, atol=1e-12)
            for a, b in zip(self, other, strict=True)
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        body: list[list[Any]]
        if self.exact is not None:
            body = [[str(p) for p in s] for s in self.exact]
        else:
            body = [[round(float(p), 6) for p in s] for s in self.strategies]
        return f"MixedProfile({body})"


@dataclass(frozen=True, eq=False)
class BehaviorProfile:
    """A behaviour strategy profile of a game tree.

    ``probabilities[i][h][k]`` is the probability that player ``i`` takes its
    ``k``-th action at its ``h``-th information set, information sets in the
    order of :attr:`coercion.games.GameTree.player_infosets`.

    Examples
    --------
    >>> b = BehaviorProfile([[[1, 0]], [[0.25, 0.75], [0, 1]]])
    >>> b.to_list()
    [[[1.0, 0.0]], [[0.25, 0.75], [0.0, 1.0]]]
    """

    probabilities: tuple[tuple[FloatArray, ...], ...]
    exact: tuple[tuple[ExactStrategy, ...], ...] | None = field(default=None)

    def __init__(
        self,
        probabilities: Sequence[Sequence[Any]],
        exact: Sequence[Sequence[Sequence[Fraction]]] | None = None,
    ) -> None:
        arrays = tuple(tuple(_frozen(h) for h in player) for player in probabilities)
        for i, player in enumerate(arrays):
            for h, dist in enumerate(player):
                _check_distribution(dist, f"BehaviorProfile: player {i}, information set {h}")
        object.__setattr__(self, "probabilities", arrays)
        object.__setattr__(
            self,
            "exact",
            None if exact is None else tuple(tuple(tuple(h) for h in p) for p in exact),
        )

    @classmethod
    def from_exact(cls, exact: Sequence[Sequence[Sequence[Fraction]]]) -> BehaviorProfile:
        """Profile from rational probabilities."""
        return cls([[[float(p) for p in h] for h in player] for player in exact], exact=exact)

    def __getitem__(self, player: int) -> tuple[FloatArray, ...]:
        return self.probabilities[player]

    def __len__(self) -> int:
        return len(self.probabilities)

    def to_list(self) -> list[list[list[float]]]:
        """Plain nested lists of floats (JSON friendly)."""
        return [[h.tolist() for h in player] for player in self.probabilities]

    def is_pure(self) -> bool:
        """True when every information set has a single action played with probability one."""
        return all(
            int(np.count_nonzero(h > 1e-12)) == 1 for player in self.probabilities for h in player
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BehaviorProfile):
            return NotImplemented
        if self.exact is not None and other.exact is not None:
            return self.exact == other.exact
        mine, theirs = self.to_list(), other.to_list()
        if [[len(h) for h in p] for p in mine] != [[len(h) for h in p] for p in theirs]:
            return False
        return all(
            np.allclose(a, b, rtol=0.0, atol=1e-12)
            for pa, pb in zip(self.probabilities, other.probabilities, strict=True)
            for a, b in zip(pa, pb, strict=True)
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        if self.exact is not None:
            body: Any = [[[str(p) for p in h] for h in player] for player in self.exact]
        else:
            body = [
                [[round(float(p), 6) for p in h] for h in player] for player in self.probabilities
            ]
        return f"BehaviorProfile({body})"
