"""The coercion model: economic primitives -> payoffs -> the coercion game.

>>> from coercion.model import OUTCOMES
>>> OUTCOMES[:3]
('status_quo', 'concession', 'partial_concession')
"""

from coercion.model.bayesian import BayesianResult, bayesian_outcomes
from coercion.model.calibration import DEFAULT_CALIBRATION, LEVELS, Calibration
from coercion.model.game import OUTCOMES, PLAYERS, coercion_game, derive, episode_root
from coercion.model.primitives import Actor, Instrument, Scenario, Stakes

__all__ = [
    "DEFAULT_CALIBRATION",
    "LEVELS",
    "OUTCOMES",
    "PLAYERS",
    "Actor",
    "BayesianResult",
    "Calibration",
    "Instrument",
    "Scenario",
    "Stakes",
    "bayesian_outcomes",
    "coercion_game",
    "derive",
    "episode_root",
]
