"""Gambit game files: strategic form (``.nfg``) and extensive form (``.efg``).

>>> from coercion.io import read_game, write_game, parse_nfg, parse_efg

``read_*`` take a path (a regular file of at most :data:`MAX_BYTES` bytes unless
``max_bytes=`` says otherwise), ``parse_*`` take the text; ``write_*`` return the
text and also write it when given a path.  Numbers are read exactly as
:class:`~fractions.Fraction`.  Every malformed or missing file raises
:class:`~coercion.errors.GameFileError` naming the file and the line.
See :mod:`coercion.io.nfg` and :mod:`coercion.io.efg` for the formats and
how they map onto :class:`~coercion.games.NormalFormGame` and
:class:`~coercion.games.GameTree`.
"""

from __future__ import annotations

import os

from coercion.errors import InvalidParameterError
from coercion.games.extensive_form import GameTree
from coercion.games.normal_form import NormalFormGame
from coercion.io._tokens import MAX_BYTES, TokenStream, header_kind, read_source
from coercion.io.efg import parse_efg, parse_efg_tokens, read_efg, write_efg
from coercion.io.nfg import parse_nfg, parse_nfg_tokens, read_nfg, write_nfg

__all__ = [
    "MAX_BYTES",
    "parse_efg",
    "parse_nfg",
    "read_efg",
    "read_game",
    "read_nfg",
    "write_efg",
    "write_game",
    "write_nfg",
]


def read_game(
    path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES
) -> NormalFormGame | GameTree:
    """Read a Gambit file, ``.nfg`` or ``.efg`` according to its header (not its name).

    Parameters
    ----------
    path : str or os.PathLike
        A regular file: named pipes, devices (``/dev/zero``) and directories are refused
        before anything is read.
    max_bytes : int, optional
        Largest file read, in bytes (default :data:`MAX_BYTES`, 256 MiB); a larger file
        is refused before it is read.  See ``docs/limits.md``.

    Returns
    -------
    NormalFormGame or GameTree
        A :class:`NormalFormGame` for an ``NFG`` file, a :class:`GameTree`
        for an ``EFG`` file.

    Raises
    ------
    GameFileError
        If the file is missing, is not a regular file, is larger than *max_bytes*, is
        neither format, or is malformed (a declared size the file cannot hold included).

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "game.txt")
    >>> _ = open(path, "w").write('NFG 1 R "" { "A" "B" } { 1 2 } 1 2 3 4')
    >>> read_game(path).shape
    (1, 2)
    """
    text, source = read_source(path, "parse_nfg or parse_efg", max_bytes=max_bytes)
    ts = TokenStream(text, source)
    if header_kind(ts) == "NFG":
        return parse_nfg_tokens(ts)
    return parse_efg_tokens(ts)


def write_game(game: NormalFormGame | GameTree, path: str | os.PathLike[str]) -> str:
    """Write *game* to *path*: ``.nfg`` for a :class:`NormalFormGame`, ``.efg`` for a tree.

    Returns
    -------
    str
        The text written.

    Examples
    --------
    >>> import os, tempfile
    >>> g = NormalFormGame.from_arrays([[1, 2]], [[3, 4]])
    >>> path = os.path.join(tempfile.mkdtemp(), "g.nfg")
    >>> _ = write_game(g, path)
    >>> read_game(path) == g
    True
    """
    if isinstance(game, NormalFormGame):
        return write_nfg(game, path)
    if isinstance(game, GameTree):
        return write_efg(game, path)
    raise InvalidParameterError(
        f"write_game: expected a NormalFormGame or GameTree; got {type(game).__name__}"
    )
