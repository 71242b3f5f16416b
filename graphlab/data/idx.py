"""Read IDX files, the format of MNIST and Fashion-MNIST, gzip-compressed or raw.

An IDX file is a 4-byte magic number (two zero bytes, a type code, the number of
dimensions), one big-endian 32-bit size per dimension, then the values row by
row, big-endian. The reader checks every part and names the file and what it
expected when one is wrong, so a truncated download never becomes a silent
half-dataset. Nothing is ever downloaded.
"""

from __future__ import annotations

import gzip
import math
import os
import zlib

import numpy

from graphlab.atomic import write_atomic

_TYPES = {
    0x08: numpy.dtype(">u1"),
    0x09: numpy.dtype(">i1"),
    0x0B: numpy.dtype(">i2"),
    0x0C: numpy.dtype(">i4"),
    0x0D: numpy.dtype(">f4"),
    0x0E: numpy.dtype(">f8"),
}
_GZIP_MAGIC = b"\x1f\x8b"


class IDXError(ValueError):
    """An IDX file that is missing, truncated or not IDX at all; the message names the file."""


def read_idx(path: str | os.PathLike) -> numpy.ndarray:
    """The array stored in the IDX file at ``path`` (``.gz`` or raw, detected from the bytes)."""
    data = _read_bytes(path)
    if len(data) < 4:
        raise IDXError(f"{path}: {len(data)} bytes; expected at least a 4-byte IDX magic number")
    zero, type_code, ndim = data[:2], data[2], data[3]
    if zero != b"\x00\x00" or type_code not in _TYPES:
        raise IDXError(f"{path}: magic number 0x{data[:4].hex()} is not IDX; expected 0x0000 "
                       f"followed by a type code (08 ubyte, 09 byte, 0B short, 0C int, 0D float, "
                       f"0E double) and the number of dimensions")
    header = 4 + 4 * ndim
    if len(data) < header:
        raise IDXError(f"{path}: truncated header; expected {ndim} dimension sizes "
                       f"({header} bytes), found {len(data)} bytes")
    shape = tuple(int(s) for s in numpy.frombuffer(data, dtype=">u4", count=ndim, offset=4))
    dtype = _TYPES[type_code]
    expected = header + math.prod(shape) * dtype.itemsize
    if len(data) != expected:
        state = "truncated" if len(data) < expected else "too long"
        raise IDXError(f"{path}: {state}; the header announces shape {shape} of {dtype.name} "
                       f"({expected} bytes in all), found {len(data)} bytes")
    array = numpy.frombuffer(data, dtype=dtype, offset=header).reshape(shape)
    return array.astype(dtype.newbyteorder("="))


def write_idx(path: str | os.PathLike, array: numpy.ndarray, compress: bool | None = None) -> None:
    """Write ``array`` as IDX (gzip when ``compress`` or the name ends in ``.gz``), atomically."""
    array = numpy.asarray(array)
    codes = {dtype.newbyteorder("="): code for code, dtype in _TYPES.items()}
    native = array.dtype.newbyteorder("=")
    if native not in codes:
        raise IDXError(f"{path}: cannot store dtype {array.dtype} in IDX; expected one of "
                       f"uint8, int8, int16, int32, float32, float64")
    header = bytes([0, 0, codes[native], array.ndim]) + numpy.asarray(array.shape, ">u4").tobytes()
    payload = header + array.astype(native.newbyteorder(">")).tobytes()
    if compress is None:
        compress = str(path).endswith(".gz")
    write_atomic(path, gzip.compress(payload) if compress else payload)


def _read_bytes(path: str | os.PathLike) -> bytes:
    try:
        with open(path, "rb") as file:
            raw = file.read()
    except FileNotFoundError:
        raise IDXError(f"{path}: no such file; expected an IDX file (gzip or raw)") from None
    if not raw.startswith(_GZIP_MAGIC):
        return raw
    try:
        return gzip.decompress(raw)
    except (EOFError, OSError, zlib.error) as error:
        raise IDXError(f"{path}: the gzip stream is damaged or truncated ({error}); "
                       f"expected a complete gzip-compressed IDX file") from None
