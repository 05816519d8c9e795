"""Writing output files atomically: the file under a name is the old one or the new one.

Every file :mod:`coercion` writes (``coercion export --out``, ``coercion sweep --out`` and
``--plot``, the ``to_csv``/``to_npz``/``to_parquet`` methods of sweep results) is written
to a temporary file in the destination's folder and renamed over the destination only
once it is complete (:func:`os.replace`, atomic on POSIX and Windows).  A write that fails
part-way (disk full, a file-size limit) or is interrupted (Ctrl-C) removes the temporary
file and leaves a previous file of that name untouched.

:func:`check_writable` checks a destination before any work starts, so that a long sweep
is not run only to find the folder missing.

Examples
--------
>>> import os, tempfile
>>> folder = tempfile.mkdtemp()
>>> target = os.path.join(folder, "out.txt")
>>> with atomic_path(target) as tmp:
...     _ = open(tmp, "w").write("complete")
>>> open(target).read(), os.listdir(folder)
('complete', ['out.txt'])
>>> try:
...     with atomic_path(target) as tmp:
...         _ = open(tmp, "w").write("half")
...         raise OSError(28, "No space left on device")
... except OSError:
...     pass
>>> open(target).read(), os.listdir(folder)
('complete', ['out.txt'])
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from coercion.errors import InvalidParameterError

__all__ = ["atomic_path", "check_writable"]


def check_writable(path: str | os.PathLike[str], what: str = "output") -> Path:
    """Check that *path* can be written, before the work that produces it starts.

    Raises :class:`~coercion.errors.InvalidParameterError` (one line naming the path) if
    the folder does not exist or is not writable, or if *path* is a folder.  Returns
    ``Path(path)``.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise InvalidParameterError(f"{what} {target}: is a directory, not a file")
    if not folder.exists():
        raise InvalidParameterError(f"{what} {target}: the folder {folder} does not exist")
    if not folder.is_dir():
        raise InvalidParameterError(f"{what} {target}: {folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InvalidParameterError(f"{what} {target}: the folder {folder} is not writable")
    if target.exists() and not os.access(target, os.W_OK):
        raise InvalidParameterError(f"{what} {target}: the file exists and is not writable")
    return target


def _mode_for(target: Path) -> int:
    """Permissions for the new file: the old file's, else the usual ``0o666 & ~umask``."""
    try:
        return os.stat(target).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path next to *path*; rename it to *path* when the block succeeds.

    The temporary file has the destination's suffix (writers that pick a format from
    the name, such as matplotlib's ``savefig``, pick the right one) and a name starting
    with ``.`` and the destination's name.  On any exception, ``KeyboardInterrupt``
    included, it is removed and the exception propagates; *path* is not touched.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    fd, name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=f".tmp{target.suffix}", dir=folder
    )
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
