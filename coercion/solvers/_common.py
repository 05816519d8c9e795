"""Helpers shared by the solver modules (not public)."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence

from coercion.errors import InvalidParameterError, UnsupportedGameError
from coercion.games.normal_form import NormalFormGame
from coercion.games.profiles import MixedProfile
from coercion.solvers.certificates import max_regret

__all__ = ["Deadline", "certified", "check_timeout", "check_tol", "require_bimatrix"]


def check_timeout(timeout: float | None, where: str) -> float | None:
    """Validate a time budget in seconds (``None``: no limit)."""
    if timeout is None:
        return None
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or math.isnan(timeout):
        raise InvalidParameterError(
            f"{where}: timeout must be a number of seconds > 0 or None; got {timeout!r}"
        )
    if timeout <= 0:
        raise InvalidParameterError(
            f"{where}: timeout must be > 0 seconds or None; got {timeout!r}"
        )
    return None if math.isinf(timeout) else float(timeout)


class Deadline:
    """A cooperative time budget: loops ask :meth:`expired` between steps.

    No threads or signals: a method checks the clock between its units of
    work (a pivot, a basis) and stops cleanly with what it has.
    """

    __slots__ = ("deadline", "timeout")

    def __init__(self, timeout: float | None) -> None:
        self.timeout = timeout
        self.deadline = None if timeout is None else time.monotonic() + timeout

    def expired(self) -> bool:
        """True once the budget is spent (never for ``timeout=None``)."""
        return self.deadline is not None and time.monotonic() >= self.deadline

    def remaining(self) -> float | None:
        """Seconds left (``None`` for no limit; never negative)."""
        if self.deadline is None:
            return None
        return max(0.0, self.deadline - time.monotonic())


def check_tol(tol: float, where: str) -> float:
    """Validate a tolerance argument."""
    if not isinstance(tol, int | float) or not math.isfinite(tol) or tol < 0:
        raise InvalidParameterError(f"{where}: tol must be a finite number >= 0; got {tol!r}")
    return float(tol)


def require_bimatrix(game: object, where: str) -> NormalFormGame:
    """Return *game* if it is a two-player normal-form game, else raise."""
    if not isinstance(game, NormalFormGame):
        raise UnsupportedGameError(f"{where}: needs a NormalFormGame; got {type(game).__name__}")
    if game.n_players != 2:
        raise UnsupportedGameError(
            f"{where}: needs a two-player game; got {game.n_players} players"
        )
    return game


def certified(
    game: NormalFormGame, candidates: Sequence[MixedProfile], tol: float
) -> tuple[list[MixedProfile], list[float], int]:
    """Keep the candidates whose regret is at most *tol*, without duplicates.

    Returns the kept profiles, their regrets and how many were rejected.
    """
    kept: list[MixedProfile] = []
    regs: list[float] = []
    rejected = 0
    for cand in candidates:
        r = max_regret(game, cand)
        if r > tol:
            rejected += 1
            continue
        if any(cand == k for k in kept):
            continue
        kept.append(cand)
        regs.append(r)
    return kept, regs, rejected
