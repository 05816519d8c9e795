"""Exception and warning hierarchy of :mod:`coercion`.

Every error raised because of bad input is a :class:`CoercionError` and also a
builtin (:class:`ValueError` or :class:`NotImplementedError`), so callers can
catch either.  Messages name the field, the constraint and the value received::

    "NormalFormGame: payoffs must be finite; got nan at [0, 1, 0]"

Exception types are API: they are not renamed or re-parented without a
deprecation cycle.
"""

from __future__ import annotations

__all__ = [
    "CoercionError",
    "CoercionWarning",
    "GameFileError",
    "GameTooLargeError",
    "InvalidGameError",
    "InvalidParameterError",
    "MissingDependencyError",
    "UnknownMethodError",
    "UnsupportedGameError",
]


class CoercionError(Exception):
    """Base class of every error raised by :mod:`coercion`."""


class InvalidParameterError(CoercionError, ValueError):
    """A value object or function received a value outside its domain.

    Examples
    --------
    >>> from coercion.errors import InvalidParameterError
    >>> issubclass(InvalidParameterError, ValueError)
    True
    """


class InvalidGameError(InvalidParameterError):
    """A game representation is malformed (shapes, labels, probabilities)."""


class UnsupportedGameError(CoercionError, NotImplementedError):
    """The game is well formed but the requested method does not apply to it."""


class GameTooLargeError(UnsupportedGameError):
    """The game is too large for the requested method within a documented bound.

    Raised before the work starts (e.g. exhaustive enumeration whose worst
    case does not fit the memory bound); the message gives the size, the
    bound and the option that raises it or the method to use instead.
    """


class UnknownMethodError(InvalidParameterError):
    """``solve(..., method=...)`` received a method name it does not know."""


class GameFileError(InvalidParameterError):
    """A game file (Gambit ``.nfg`` / ``.efg``) is missing or malformed.

    The message always names the file and, where it applies, the line.
    """

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line


class MissingDependencyError(CoercionError, ImportError):
    """An optional dependency (e.g. pandas) is needed for this method but not installed."""


class CoercionWarning(UserWarning):
    """Advice the caller may ignore (never the only channel for a solver's status)."""
