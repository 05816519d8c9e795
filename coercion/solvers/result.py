"""The one result type every equilibrium solver returns.

:class:`EquilibriumResult` has a fixed schema whatever the method: the
equilibria, what the method promises about them (``exhaustive``), a
``status`` code, and the same diagnostics fields for every method (unused
ones are ``None``).  Degeneracy and incompleteness are fields, never only
warning text.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Union

from coercion.games.extensive_form import GameTree
from coercion.games.normal_form import NormalFormGame
from coercion.games.profiles import BehaviorProfile, MixedProfile

__all__ = ["EquilibriumResult", "Profile", "Status"]

Profile = Union[MixedProfile, BehaviorProfile]  # noqa: UP007
Game = Union[NormalFormGame, GameTree]  # noqa: UP007


class Status(StrEnum):
    """How a solver run ended.

    ``SUCCESS``
        The method did everything it promises; if ``exhaustive`` is True the
        list holds every equilibrium of the kind the method enumerates.
    ``INCOMPLETE``
        The method ran, but cannot promise that no equilibrium is missing
        (``exhaustive`` is then False).
    ``ITERATION_LIMIT``
        A path-following method hit its iteration cap on some start.
    ``NO_EQUILIBRIUM_FOUND``
        Nothing certified was found (the list is empty).
    ``TIMEOUT``
        The method ran out of its time budget (``timeout=``, see
        :func:`coercion.solvers.solve`) and stopped; the list holds the
        certified equilibria found until then and ``exhaustive`` is False.
        The message names the option that raises the budget.
    """

    SUCCESS = "success"
    INCOMPLETE = "incomplete"
    ITERATION_LIMIT = "iteration_limit"
    NO_EQUILIBRIUM_FOUND = "no_equilibrium_found"
    TIMEOUT = "timeout"


@dataclass(frozen=True, eq=False)
class EquilibriumResult:
    """Equilibria found by a solver, with what is promised about them.

    Attributes
    ----------
    game : NormalFormGame or GameTree
        The game solved.
    method : str
        Name of the algorithm that ran (``"auto"`` is resolved to it).
    equilibria : tuple of MixedProfile or BehaviorProfile
        The equilibria, each certified (regret at most ``tol``).
    payoffs : tuple of tuple of float
        Expected payoffs of each equilibrium, per player.
    exhaustive : bool
        True when the list is guaranteed to contain every equilibrium of the
        kind ``kind`` describes.
    kind : str
        What is enumerated: ``"pure"``, ``"extreme"`` (vertices of the
        equilibrium set of a bimatrix game), ``"subgame_perfect_pure"`` or
        ``"some"`` (a sample).
    status : Status
    message : str
        One sentence on how the run ended.
    max_regret : float
        Largest regret over the returned equilibria (``nan`` if none).
    degenerate : bool or None
        Whether the game is degenerate (``None`` when not determined).
    ties : bool or None
        For backward induction: whether some player was indifferent at a node.
    rejected : int
        Candidate profiles the certificate rejected (a wrapped solver's
        non-equilibria), never returned.
    iterations : int or None
        Pivots or steps taken, for path-following methods.
    parameters : mapping
        The options the method ran with.
    """

    game: Game
    method: str
    equilibria: tuple[Profile, ...]
    payoffs: tuple[tuple[float, ...], ...]
    exhaustive: bool
    kind: str
    status: Status
    message: str
    max_regret: float
    degenerate: bool | None = None
    ties: bool | None = None
    rejected: int = 0
    iterations: int | None = None
    parameters: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "parameters", MappingProxyType(dict(self.parameters)))

    def __iter__(self) -> Iterator[Profile]:
        return iter(self.equilibria)

    def __len__(self) -> int:
        return len(self.equilibria)

    def __getitem__(self, index: int) -> Profile:
        return self.equilibria[index]

    @property
    def success(self) -> bool:
        """True when ``status`` is :attr:`Status.SUCCESS`."""
        return self.status is Status.SUCCESS

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary (profiles as nested lists of floats)."""
        return {
            "game": self.game.title,
            "method": self.method,
            "kind": self.kind,
            "exhaustive": self.exhaustive,
            "status": self.status.value,
            "message": self.message,
            "degenerate": self.degenerate,
            "ties": self.ties,
            "max_regret": None if math.isnan(self.max_regret) else self.max_regret,
            "equilibria": [
                {"profile": eq.to_list(), "payoffs": list(u)}
                for eq, u in zip(self.equilibria, self.payoffs, strict=True)
            ],
        }

    def __repr__(self) -> str:
        return (
            f"EquilibriumResult(method={self.method!r}, n={len(self.equilibria)}, "
            f"exhaustive={self.exhaustive}, status={self.status.value!r}, "
            f"max_regret={self.max_regret:.3g})"
        )
