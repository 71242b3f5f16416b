"""``save`` and ``load``, as ``torch.save`` / ``torch.load`` spell them, in a format that never runs code.

``torch.save`` pickles, and unpickling a file can run any code it names, which
is why PyTorch's ``weights_only=True`` exists. graphlab never pickles: a saved
file is a zip archive of ``.npy`` arrays (NumPy's ``.npz``) plus one JSON entry,
``graphlab-save.json``, describing the object — dicts (any keys: strings,
numbers, tuples), lists, tuples, strings, numbers, booleans, ``None``, tensors
(their dtype, device and ``requires_grad``) and NumPy arrays. That covers what
scripts save: ``model.state_dict()``, ``optimizer.state_dict()``, and a
checkpoint dict holding both with the epoch and the loss.

``load`` reads such a file and checks it whole first (``graphlab.npz``: plain
real numbers, sizes that match, nothing unpickled). A pickle — which is what
``torch.save`` writes, in either of its formats — is refused with a message
saying how to bring its weights over, never opened.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import numpy

from graphlab.backend import BackendError, get_backend
from graphlab.errors import FileFormatError
from graphlab.tensor.tensor import Tensor

if TYPE_CHECKING:
    import zipfile

FORMAT = "graphlab.tensor.save/1"
MANIFEST = "graphlab-save.json"
MAX_MANIFEST_BYTES = 16 << 20
"""The largest description read: a state dict of millions of entries, never a trick to exhaust memory."""
TENSOR_DTYPES = ("float32", "float64", "int64", "bool")


class SaveFileError(FileFormatError):
    """A file ``graphlab.tensor.load`` cannot read: not one ``save`` wrote, a pickle, or damaged."""

    def __init__(self, path: str, problem: str, where: str | None = None):
        super().__init__(path, where, problem)


PICKLE_REFUSED = (
    "is a pickle (what torch.save writes); graphlab never unpickles a file, because unpickling can run any "
    "code the file names. To bring PyTorch weights over, load them in PyTorch and convert the state dict: "
    "graphlab.tensor.interop.state_dict_from_torch(torch.load(path, weights_only=True)); or save them from "
    "graphlab with graphlab.tensor.save")


def save(obj: Any, f: str | os.PathLike | BinaryIO, pickle_module: Any = None, pickle_protocol: Any = None,
         **ignored: Any) -> None:
    """Write ``obj`` (a state dict, a dict of them, tensors, numbers, strings …) to the path or binary file ``f``.

    A path is written whole or not at all. Nothing is pickled, so nothing can run on load.
    """
    import zipfile  # lazy: only to write a file, and import graphlab.tensor stays quick

    from graphlab.atomic import write_atomic  # lazy: only to write a file

    if pickle_module is not None:
        raise TypeError("save: pickle_module is not supported: graphlab never pickles")
    arrays: list[numpy.ndarray] = []
    description = {"format": FORMAT, "object": _encode(obj, arrays, "obj")}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(MANIFEST, json.dumps(description))
        for i, array in enumerate(arrays):
            with archive.open(f"arrays/{i}.npy", "w") as stream:
                numpy.lib.format.write_array(stream, array, allow_pickle=False)
    if isinstance(f, (str, os.PathLike)):
        write_atomic(Path(f), buffer.getvalue())
    else:
        f.write(buffer.getvalue())


def load(f: str | os.PathLike | BinaryIO, map_location: Any = None, pickle_module: Any = None, *,
         weights_only: bool | None = None, mmap: Any = None, **ignored: Any) -> Any:
    """The object ``save`` wrote to ``f``, its tensors on their saved device or on ``map_location``
    (a device, ``{"cuda": "cpu"}``, or a function of the saved device name).

    ``weights_only`` is accepted for PyTorch's sake: nothing here ever runs code from a file.
    """
    import zipfile  # lazy: only to read a file, and import graphlab.tensor stays quick

    name, data = _read(f)
    if data[:1] == b"\x80" or (data[:1] in b"(]}" and data.rstrip()[-1:] == b"."):
        raise SaveFileError(name, PICKLE_REFUSED)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise SaveFileError(name, f"not a file graphlab.tensor.save wrote ({error})") from None
    with archive:
        names = archive.namelist()
        if MANIFEST not in names:
            if any(n.endswith("data.pkl") for n in names):
                raise SaveFileError(name, PICKLE_REFUSED)
            if "meta.npy" in names:
                raise SaveFileError(name, "a graphlab checkpoint (save_checkpoint); read it with "
                                          "graphlab.train.load_checkpoint")
            raise SaveFileError(name, f"a zip archive without {MANIFEST}; expected a file graphlab.tensor.save wrote")
        description = _manifest(name, archive)
        arrays = _arrays(name, archive, names)
    place = _placement(map_location)
    try:
        return _decode(description["object"], arrays, place)
    except (KeyError, TypeError, ValueError, IndexError, RecursionError) as error:
        raise SaveFileError(name, f"the description in {MANIFEST} is damaged ({clip_repr(error)})") from None


def _encode(value: Any, arrays: list, where: str) -> Any:
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)):
        return {"number": repr(value)} if isinstance(value, float) and not numpy.isfinite(value) else value
    if isinstance(value, numpy.generic):
        return _encode(value.item(), arrays, where)
    if isinstance(value, Tensor):
        arrays.append(numpy.array(value.numpy(), order="C"))
        return {"tensor": len(arrays) - 1, "dtype": value.dtype, "device": str(value.device),
                "requires_grad": value.requires_grad and value.is_leaf}
    if isinstance(value, numpy.ndarray):
        if value.dtype.hasobject:
            raise TypeError(f"save: {where} is an array of Python objects, which only pickle could store")
        arrays.append(numpy.array(value, order="C"))
        return {"array": len(arrays) - 1}
    if isinstance(value, Mapping):
        return {"dict": [[_encode(k, arrays, f"{where} key"), _encode(v, arrays, f"{where}[{k!r}]")]
                         for k, v in value.items()]}
    if isinstance(value, (list, tuple)):
        kind = "list" if isinstance(value, list) else "tuple"
        return {kind: [_encode(v, arrays, f"{where}[{i}]") for i, v in enumerate(value)]}
    what = type(value).__name__
    hint = " (save model.state_dict() instead of the model itself)" if hasattr(value, "state_dict") else ""
    raise TypeError(f"save: {where} is a {what}; graphlab saves tensors, arrays, numbers, strings, None, and "
                    f"dicts, lists and tuples of them, since anything else would need pickle{hint}")


def _decode(value: Any, arrays: dict[int, numpy.ndarray], place: Callable[[str], str]) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if "number" in value:
        return float(value["number"])
    if "tensor" in value:
        array = arrays[value["tensor"]]
        dtype = value["dtype"]
        if dtype not in TENSOR_DTYPES or array.dtype != numpy.dtype(dtype):
            raise ValueError(f"a tensor declared {dtype!r} holds {array.dtype} values")
        device = place(value["device"])
        try:
            return Tensor(array, dtype=dtype, device=device, requires_grad=bool(value["requires_grad"]))
        except BackendError as error:
            raise BackendError(f"{error}; the file holds tensors saved on {value['device']!r}: pass "
                               "map_location='cpu' to load them on the CPU") from None
    if "array" in value:
        return arrays[value["array"]]
    if "dict" in value:
        return {_key(_decode(k, arrays, place)): _decode(v, arrays, place) for k, v in value["dict"]}
    if "tuple" in value:
        return tuple(_decode(v, arrays, place) for v in value["tuple"])
    return [_decode(v, arrays, place) for v in value["list"]]


def _key(key: Any) -> Any:
    return tuple(_key(k) for k in key) if isinstance(key, list) else key


def _read(f: str | os.PathLike | BinaryIO) -> tuple[str, bytes]:
    if isinstance(f, (str, os.PathLike)):
        try:
            return str(f), Path(f).read_bytes()
        except FileNotFoundError:
            raise SaveFileError(str(f), "no such file") from None
        except IsADirectoryError:
            raise SaveFileError(str(f), "is a folder; expected a file graphlab.tensor.save wrote") from None
    return str(getattr(f, "name", "<file object>")), f.read()


def _manifest(name: str, archive: zipfile.ZipFile) -> dict:
    import zipfile  # lazy: only to read a file

    info = archive.getinfo(MANIFEST)
    if info.file_size > MAX_MANIFEST_BYTES:
        raise SaveFileError(name, f"a description of {info.file_size:,} bytes, more than the "
                                  f"{MAX_MANIFEST_BYTES:,} a saved object needs", MANIFEST)
    try:
        description = json.loads(archive.read(info))
    except (ValueError, RecursionError, OSError, zipfile.BadZipFile) as error:
        raise SaveFileError(name, f"not readable JSON ({clip_repr(error)})", MANIFEST) from None
    if not isinstance(description, dict) or description.get("format") != FORMAT or "object" not in description:
        raise SaveFileError(name, f"expected format {FORMAT!r} and an object", MANIFEST)
    return description


def _arrays(name: str, archive: zipfile.ZipFile, names: list[str]) -> dict[int, numpy.ndarray]:
    """Every ``arrays/<n>.npy`` entry, each header checked before its data is read."""
    from graphlab.npz import read_array, read_header, real_numbers_problem  # lazy: only to read a file

    arrays: dict[int, numpy.ndarray] = {}
    for entry_name in names:
        if entry_name == MANIFEST:
            continue
        number = entry_name.removeprefix("arrays/").removesuffix(".npy")
        if not (entry_name.startswith("arrays/") and entry_name.endswith(".npy") and number.isdigit()):
            raise SaveFileError(name, "an entry graphlab.tensor.save never writes", entry_name)
        try:
            entry = read_header(archive, archive.getinfo(entry_name))
            problem = real_numbers_problem(entry)
            if problem:
                raise ValueError(problem)
            arrays[int(number)] = read_array(archive, entry)
        except ValueError as error:
            raise SaveFileError(name, str(error), entry_name) from None
    return arrays


def _placement(map_location: Any) -> Callable[[str], str]:
    """Where a tensor saved on a device goes: ``map_location`` read as PyTorch reads it."""
    if map_location is None:
        return lambda device: device
    if callable(map_location):
        return lambda device: str(map_location(device))
    if isinstance(map_location, Mapping):
        return lambda device: str(map_location.get(device, device))
    get_backend(str(map_location))  # an unknown device is refused before anything is read
    return lambda device: str(map_location)


def clip_repr(error: BaseException, width: int = 80) -> str:
    text = repr(error)
    return text if len(text) <= width else text[:width] + "…"
