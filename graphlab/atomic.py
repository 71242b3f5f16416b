"""Write a file whole or not at all: a temporary file in the same folder, flushed to disk, then ``os.replace``.

A set of files is written the same way (``write_files``: staged in full, then
moved in, or none of them), and a folder of output can be built beside its
place and moved there whole (``replace_folder``).

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
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

try:
    import fcntl
except ImportError:  # Windows: no advisory locks, so stale files are left alone
    fcntl = None

SUFFIX = ".graphlab-tmp"
"""How a temporary file of ``write_atomic`` ends: ``.<name>.<random><SUFFIX>``."""
T = TypeVar("T")
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


def write_files(folder: str | os.PathLike, files: Mapping[str, bytes]) -> list[Path]:
    """Write ``files`` (names relative to ``folder`` → contents) into ``folder`` as one set: all of them or none.

    Every file is first written in full to a staging folder inside ``folder``;
    only then are they moved into place, and a failure while moving puts back
    what was there before. Other files of ``folder`` are left alone.
    """
    folder = Path(folder)
    names = [_relative(name) for name in files]
    try:
        if folder.exists() and not folder.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, f"{folder} is a file, not a folder", str(folder))
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=folder, prefix=".graphlab-staging-", suffix=SUFFIX))
    except OSError as err:
        raise _naming(err, folder) from None
    done: list[tuple[Path, Path | None]] = []  # (file written, the previous file kept in staging)
    try:
        for name, data in zip(names, files.values()):
            staged = staging / "new" / name
            staged.parent.mkdir(parents=True, exist_ok=True)
            with open(staged, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.chmod(staged, 0o666 & ~_umask())
        for name in names:
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            previous = None
            if target.exists() or target.is_symlink():
                previous = staging / "old" / name
                previous.parent.mkdir(parents=True, exist_ok=True)
                os.replace(target, previous)
            done.append((target, previous))
            os.replace(staging / "new" / name, target)
    except BaseException as err:
        for target, previous in reversed(done):
            try:
                if previous is not None and previous.exists():
                    os.replace(previous, target)
                elif previous is None:
                    target.unlink(missing_ok=True)
            except OSError:
                pass
        if isinstance(err, OSError):
            raise _naming(err, folder / names[len(done) - 1 if done else 0]) from None
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [folder / name for name in names]


def replace_folder(folder: str | os.PathLike, fill: Callable[[Path], T]) -> T:
    """Build ``folder``'s content with ``fill(temporary folder)`` beside it, then move it into place whole.

    A failure inside ``fill`` leaves ``folder`` as it was. An existing ``folder``
    is replaced only if it is empty or was itself written this way (it holds
    ``MARK``); a folder of other files is refused, so nothing of the user's is lost.
    """
    folder = Path(folder)
    try:
        if folder.exists() and not (folder.is_dir() and (not any(folder.iterdir()) or (folder / MARK).is_file())):
            raise FileExistsError(errno.EEXIST, f"{folder} exists and holds other files; choose a new folder "
                                                "or empty it", str(folder))
        folder.parent.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.", suffix=SUFFIX))
    except OSError as err:
        raise _naming(err, folder) from None
    try:
        result = fill(building)
        (building / MARK).write_text("written by graphlab; replaced whole by the next run into this folder\n")
        os.chmod(building, 0o777 & ~_umask())
        old = None
        if folder.exists():
            old = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.old.", suffix=SUFFIX))
            os.replace(folder, old / folder.name)
        try:
            os.replace(building, folder)
        except OSError:
            if old is not None:
                os.replace(old / folder.name, folder)
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return result
    except OSError as err:
        raise _naming(err, folder) from None
    finally:
        shutil.rmtree(building, ignore_errors=True)


MARK = ".graphlab-set"
"""The file ``replace_folder`` leaves in a folder it wrote, so a later run knows the folder is its own."""


def _relative(name: str) -> str:
    """``name`` if it stays inside its folder (no absolute path, no ``..``); a ``ValueError`` otherwise."""
    path = Path(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"{name!r} would leave the folder it is written to")
    return path.as_posix()
