"""Game trees bundled for estimation.

The trees carry structure only (players, moves, outcome labels; payoffs are
zeros): in estimation each utility is a linear index of data columns given by
the spec.  Any perfect-information :class:`~coercion.games.GameTree` or
Gambit ``.efg`` file can be used the same way.

``egame12``, ``egame122``, ``egame123``
    the three-outcome and four-outcome trees of Signorino (2003) and R's
    ``games`` package (Kenkel & Signorino 2014), outcomes numbered as there;
``signaling``
    the crisis signalling game of Lewis & Schultz (2003): outcomes ``SQ``
    (no challenge), ``CD`` (target concedes), ``SF`` (challenger stands
    firm: sanctions) and ``BD`` (challenger backs down);
``ultimatum``
    the statistical ultimatum game of Ramsay & Signorino (2009) (continuous
    offers; :mod:`coercion.estimate.ultimatum`);
``coercion``
    the project's coercion game (:mod:`coercion.model.game`) with the
    resolution stage left to the data: ``standoff`` after resisted sanctions,
    ``escalation`` after a counter-measure met by retaliation.
"""

from __future__ import annotations

from collections.abc import Callable

from coercion.errors import InvalidParameterError
from coercion.games.extensive_form import Decision, GameTree, Terminal

__all__ = ["GAMES", "bundled_game"]


def _t(label: str, n: int = 2) -> Terminal:
    return Terminal(label, (0,) * n)


def egame12() -> GameTree:
    """Player 1 keeps the status quo (outcome 1) or challenges; 2 then yields (3) or fights (4).

    Examples
    --------
    >>> egame12().outcome_labels
    ('1', '3', '4')
    """
    return GameTree(
        ["1", "2"],
        Decision("1", {"L": _t("1"), "R": Decision("2", {"L": _t("3"), "R": _t("4")})}),
        title="egame12",
    )


def egame122() -> GameTree:
    """Player 1 chooses L or R; player 2, seeing it, chooses L or R (outcomes 1-4)."""
    return GameTree(
        ["1", "2"],
        Decision(
            "1",
            {
                "L": Decision("2", {"L": _t("1"), "R": _t("2")}),
                "R": Decision("2", {"L": _t("3"), "R": _t("4")}),
            },
        ),
        title="egame122",
    )


def egame123() -> GameTree:
    """Player 1, then 2, then 1 again: outcomes 1 (1 stops), 2 (2 stops), 3, 4."""
    return GameTree(
        ["1", "2"],
        Decision(
            "1",
            {
                "L": _t("1"),
                "R": Decision(
                    "2", {"L": _t("2"), "R": Decision("1", {"L": _t("3"), "R": _t("4")})}
                ),
            },
        ),
        title="egame123",
    )


def signaling() -> GameTree:
    """The Lewis & Schultz (2003) crisis signalling game (A challenges B).

    Examples
    --------
    >>> signaling().outcome_labels
    ('SQ', 'CD', 'SF', 'BD')
    """
    return GameTree(
        ["A", "B"],
        Decision(
            "A",
            {
                "not": _t("SQ"),
                "challenge": Decision(
                    "B",
                    {
                        "concede": _t("CD"),
                        "resist": Decision("A", {"firm": _t("SF"), "back_down": _t("BD")}),
                    },
                ),
            },
        ),
        title="signaling",
    )


def coercion_tree() -> GameTree:
    """The coercion game's moves (:mod:`coercion.model.game`) with observable endings."""
    return GameTree(
        ["coercer", "target"],
        Decision(
            "coercer",
            {
                "no_threat": _t("status_quo"),
                "threaten": Decision(
                    "target",
                    {
                        "concede": _t("concession"),
                        "resist": Decision(
                            "coercer",
                            {"back_down": _t("coercer_backs_down"), "impose": _t("standoff")},
                        ),
                        "counter_threaten": Decision(
                            "coercer",
                            {
                                "back_down": _t("counter_threat_success"),
                                "impose": Decision(
                                    "target",
                                    {"retaliate": _t("escalation"), "fold": _t("target_folds")},
                                ),
                            },
                        ),
                    },
                ),
            },
        ),
        title="coercion",
    )


def ultimatum() -> GameTree:
    """The ultimatum game's shape: 1 offers (a number, not drawn), 2 accepts or rejects.

    The offer is continuous, so this tree only names the players and the
    outcome ``reject`` whose utilities are the reservation values ``R_1``, ``R_2``
    (:mod:`coercion.estimate.ultimatum` has the model).
    """
    return GameTree(
        ["1", "2"],
        Decision("1", {"offer": Decision("2", {"accept": _t("accept"), "reject": _t("reject")})}),
        title="ultimatum",
    )


GAMES: dict[str, Callable[[], GameTree]] = {
    "egame12": egame12,
    "egame122": egame122,
    "egame123": egame123,
    "signaling": signaling,
    "coercion": coercion_tree,
    "ultimatum": ultimatum,
}


def bundled_game(name: str) -> GameTree:
    """The bundled estimation tree called *name*.

    Raises
    ------
    InvalidParameterError
        For an unknown name (the message lists the known ones).
    """
    try:
        return GAMES[name]()
    except KeyError:
        raise InvalidParameterError(
            f"game: unknown bundled game {name!r}; known: {', '.join(GAMES)} "
            "(or give a .efg file)"
        ) from None
