"""Arrays in a zip archive of ``.npy`` entries (NumPy's ``.npz``), read without trusting the file.

Each entry's header is read and checked before any of its data: its dtype must
be a plain one (no Python objects, so nothing is ever unpickled; no records or
sub-arrays), and the bytes it declares must be the bytes the entry holds, so a
damaged or hostile entry is refused before it is decompressed. Checkpoints
(``graphlab.train.checkpoint``) and ``graphlab.tensor.save`` files are read
this way. Errors are ``ValueError``\\ s whose message says what is wrong; the
caller names the file and the entry.
"""

from __future__ import annotations

import math
import zipfile
from dataclasses import dataclass

import numpy
from numpy.lib import format as npy

REAL_KINDS = "biuf"
"""NumPy dtype kinds of real numbers: bool, signed and unsigned integers, floats."""


@dataclass(frozen=True)
class Entry:
    """One array of the archive as its ``.npy`` header declares it, before any of its data is read."""

    info: zipfile.ZipInfo
    dtype: numpy.dtype
    shape: tuple[int, ...]

    @property
    def nbytes(self) -> int:
        return math.prod(self.shape) * self.dtype.itemsize


def read_header(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Entry:
    """The entry's dtype and shape, checked against the bytes it holds; raises ``ValueError``."""
    try:
        with archive.open(info) as stream:
            version = npy.read_magic(stream)
            if version == (1, 0):
                shape, _, dtype = npy.read_array_header_1_0(stream)
            elif version == (2, 0):
                shape, _, dtype = npy.read_array_header_2_0(stream)
            else:
                raise ValueError(f".npy format version {version}")
            offset = stream.tell()
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, NotImplementedError, SyntaxError, TypeError) as error:
        raise ValueError(f"not a readable array ({clip(str(error), 80)})") from None
    entry = Entry(info, dtype, tuple(shape))
    if dtype.hasobject or dtype.fields is not None or dtype.subdtype is not None:
        raise ValueError(f"holds {dtype} values; expected plain arrays")
    if offset + entry.nbytes != info.file_size:
        raise ValueError(f"declares {math.prod(entry.shape):,} values of {dtype} ({entry.nbytes:,} bytes) "
                         f"but holds {info.file_size - offset:,} bytes: the entry is damaged")
    return entry


def real_numbers_problem(entry: Entry) -> str:
    """Why the entry is not an array of real numbers a tensor can hold, or ``""``."""
    if entry.dtype.kind == "c":
        return (f"holds complex numbers ({entry.dtype}); graphlab's tensors hold real numbers, "
                "so the imaginary part would be lost")
    if entry.dtype.kind not in REAL_KINDS:
        return f"holds {entry.dtype} values; expected numbers (bool, int or float)"
    return ""


def read_array(archive: zipfile.ZipFile, entry: Entry) -> numpy.ndarray:
    """The entry's values (never unpickled); raises ``ValueError``."""
    try:
        with archive.open(entry.info) as stream:
            return npy.read_array(stream, allow_pickle=False)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, NotImplementedError) as error:
        raise ValueError(f"not a readable array ({clip(str(error), 80)})") from None


def clip(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[:width] + "…"
