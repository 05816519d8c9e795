"""Structural estimation of games from event data.

Each player's utility at each outcome is a linear index of data columns;
shocks make every outcome possible; the equilibrium's outcome probabilities
give the likelihood (Signorino 1999; Lewis & Schultz 2003; Kenkel & Signorino
2014; Crisman-Cox & Gibilisco 2021).  ``docs/estimation.md`` explains the
models, normalisations and estimators.

The front door is :func:`estimate`::

    >>> from coercion.estimate import estimate
    >>> fit = estimate("egame12-war1800", "war1800")
    >>> round(fit.loglik, 4)
    -286.1238

Modules
-------
``spec``             specs (tree, utility formulas, errors, outcome) and their TOML files
``formulas``         utility formulas, checked then evaluated by formulaic
``data``             reading and checking event data, outcome counts
``games``            the bundled estimation trees (egame12/122/123, signaling, coercion)
``tree_likelihood``  likelihood and exact gradient on any perfect-information tree
``signaling``        the signalling game: equilibria, PL, NPL, CMLE
``build``            a spec bound to data (designs, checks)
``fit``              :func:`estimate`
``result``           :class:`EstimationResult` (tables, JSON, predictions)
"""

from __future__ import annotations

from coercion.estimate.fit import METHODS, estimate
from coercion.estimate.games import GAMES, bundled_game
from coercion.estimate.result import EstimationResult
from coercion.estimate.spec import (
    EstimationSpec,
    OutcomeSpec,
    Scale,
    Utility,
    bundled_specs,
    load_spec,
)

__all__ = [
    "GAMES",
    "METHODS",
    "EstimationResult",
    "EstimationSpec",
    "OutcomeSpec",
    "Scale",
    "Utility",
    "bundled_game",
    "bundled_specs",
    "estimate",
    "load_spec",
]
