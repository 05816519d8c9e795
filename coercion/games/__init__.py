"""Game representations: normal form, game trees, strategy profiles.

>>> from coercion.games import NormalFormGame, GameTree, Decision, Chance, Terminal
"""

from coercion.games.extensive_form import Chance, Decision, GameTree, InfoSet, Node, Terminal
from coercion.games.normal_form import NormalFormGame
from coercion.games.profiles import BehaviorProfile, MixedProfile

__all__ = [
    "BehaviorProfile",
    "Chance",
    "Decision",
    "GameTree",
    "InfoSet",
    "MixedProfile",
    "Node",
    "NormalFormGame",
    "Terminal",
]
