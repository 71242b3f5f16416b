"""Write a file whole or not at all: a temporary file in the same folder, flushed to disk, then ``os.replace``.

A crash or an error mid-write leaves the previous file as it was, and concurrent
writers never share a temporary name (``mkstemp``), nor clobber a user's file
that happens to be called ``<name>.tmp``. A writer holds a lock on its temporary
file while it writes, so the temporary files of a writer that was killed
(``kill -9`` mid-save) are told from those of one still writing, and the next
write into that folder removes them. An error names the file asked for, never
the temporary one.
"""

from __future__ import annotations

import errno
import os
import tempfile
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks, so stale files are left alone
    fcntl = None

SUFFIX = ".graphlab-tmp"
"""How a temporary file of ``write_atomic`` ends: ``.<name>.<random><SUFFIX>``."""
STALE_AFTER = 5.0
"""Seconds a temporary file must be untouched (and unlocked) before it counts as left by a dead writer."""


def write_atomic(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path``, creating its folder; a failure leaves no partial file."""
    path = Path(path)
    try:
        if path.parent.exists() and not path.parent.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, f"{path.parent} is a file, not a folder", str(path))
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(path.parent)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=SUFFIX)
    except OSError as err:
        raise _naming(err, path) from None
    try:
        with os.fdopen(handle, "wb") as file:
            if fcntl is not None:
                fcntl.flock(file.fileno(), fcntl.LOCK_EX)
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
            os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes the file private; give it the usual mode
            os.replace(temp, path)
    except BaseException as err:
        Path(temp).unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise _naming(err, path) from None
        raise
    return path


def _naming(err: OSError, path: Path) -> OSError:
    """``err`` about ``path``, not about the temporary file it was raised for."""
    if err.filename is not None:
        err.filename = str(path)
        if err.filename2 is not None:
            err.filename2 = str(path)
    return err


def remove_stale(folder: Path) -> list[Path]:
    """Remove the temporary files that writers killed mid-write left in ``folder``; returns them."""
    if fcntl is None:
        return []
    removed = []
    for candidate in folder.glob(f".*{SUFFIX}"):
        try:
            if time.time() - candidate.stat().st_mtime < STALE_AFTER:
                continue
            with open(candidate, "rb") as file:
                fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # fails while its writer lives
                candidate.unlink()
            removed.append(candidate)
        except OSError:  # locked by a live writer, already gone, or not ours to remove
            continue
    return removed


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
