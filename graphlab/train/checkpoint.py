"""Checkpoints: a model's and an optimizer's state in one ``.npz`` file, written atomically.

The file holds every array under ``model/<name>`` and ``optimizer/<n>``, plus one
JSON entry (``meta``) with the optimizer's nested structure (param groups, step
counts) and whatever the caller adds (epoch, validation accuracy). The archive
is built in memory and written with ``write_atomic``: a crash mid-write leaves
the previous checkpoint as it was, and the next save into that folder removes
what a killed save left behind.

Loading checks the whole file before it touches the model: every entry's name,
its dtype (real numbers only: no strings, complex numbers or pickled objects),
and its declared shape and size — read from the entry's header, before anything
is decompressed — against the model. An archive with entries nothing uses, or
one whose arrays would be larger than the model and its optimizer state, is
refused unread; a checkpoint loads whole or not at all.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import numpy

from graphlab.atomic import write_atomic
from graphlab.errors import FileFormatError
from graphlab.nn.module import StateDictError
from graphlab.npz import Entry, clip, read_array, read_header, real_numbers_problem
from graphlab.tensor import Tensor
from graphlab.train.snapshot import host_copy

FORMAT = 1
MAX_META_BYTES = 16 << 20
"""Largest ``meta`` entry read (the optimizer's structure and the extras, as JSON)."""
OPTIMIZER_ARRAYS_PER_PARAMETER = 4
"""The optimizer's arrays may hold at most this many times the model's bytes (Adam keeps 2, AMSGrad 3)."""


class CheckpointError(FileFormatError):
    """A checkpoint that cannot be read, or that does not fit the model; the message says which part."""

    def __init__(self, path: str | os.PathLike, problem: str, where: str | None = None):
        super().__init__(path, where, problem)


def save_checkpoint(path: str | os.PathLike, model, optimizer=None, **extra) -> Path:
    """Write ``model.state_dict()`` (and ``optimizer.state_dict()``) to ``path`` atomically."""
    path = Path(path)
    arrays = {f"model/{name}": _host(value) for name, value in model.state_dict().items()}
    optimizer_state = None
    if optimizer is not None:
        optimizer_state = _encode(optimizer.state_dict(), arrays)
    meta = {"format": FORMAT, "optimizer": optimizer_state, "extra": extra}
    try:
        arrays["meta"] = numpy.array(json.dumps(meta))
    except TypeError as error:
        raise CheckpointError(path, f"values must be JSON numbers, strings, lists or dicts ({error})",
                              "extra") from None
    buffer = io.BytesIO()
    numpy.savez(buffer, **arrays)
    write_atomic(path, buffer.getvalue())
    return path


def load_checkpoint(path: str | os.PathLike, model, optimizer=None) -> dict:
    """Load a checkpoint into ``model`` (and ``optimizer``); returns the extra values saved with it.

    Every entry is checked before anything is copied: a checkpoint of another
    architecture changes nothing and the error lists what differs. If the
    optimizer then refuses its part, the model is put back as it was.
    """
    path = Path(path)
    with _open(path) as archive:
        entries = _entries(path, archive)
        meta = _meta(path, archive, entries.pop("meta"))
        if optimizer is not None and meta["optimizer"] is None:
            raise CheckpointError(path, "holds no optimizer state; it was saved without an optimizer")
        declared = {key[len("model/"):]: entry for key, entry in entries.items() if key.startswith("model/")}
        try:
            model.check_state_dict(declared)
        except StateDictError as error:  # the module lists missing, unexpected and mis-shaped names
            raise CheckpointError(path, f"does not fit the model: {error}") from None
        _check_optimizer_entries(path, entries, meta["optimizer"], sum(e.nbytes for e in declared.values()))
        stored = {key: _array(path, archive, entry) for key, entry in entries.items()
                  if key.startswith("model/") or optimizer is not None}
    model_state = {key[len("model/"):]: value for key, value in stored.items() if key.startswith("model/")}
    optimizer_state = None
    if optimizer is not None:
        try:
            optimizer_state = _decode(meta["optimizer"], stored, getattr(model, "device", None))
        except (KeyError, TypeError, ValueError, RecursionError) as error:
            raise CheckpointError(path, f"the optimizer state is damaged ({error!r})") from None
    model_before = host_copy(model.state_dict())
    try:
        model.load_state_dict(model_state)
    except Exception as error:  # whatever fails mid-copy, the model is put back whole
        model.load_state_dict(model_before)
        raise CheckpointError(path, f"does not fit the model: {error}") from None
    if optimizer is not None:
        optimizer_before = host_copy(optimizer.state_dict())
        try:
            optimizer.load_state_dict(optimizer_state)
        except Exception as error:
            model.load_state_dict(model_before)
            optimizer.load_state_dict(optimizer_before)
            raise CheckpointError(path, f"does not fit the optimizer {type(optimizer).__name__}: {error}") from None
    return meta["extra"]


def _open(path: Path) -> zipfile.ZipFile:
    try:
        with open(path, "rb") as file:
            magic = file.read(6)
        if magic == b"\x93NUMPY":
            raise CheckpointError(path, "a .npy file holds one array; a checkpoint is the .npz archive "
                                        "that save_checkpoint writes")
        return zipfile.ZipFile(path)
    except FileNotFoundError:
        raise CheckpointError(path, "no such checkpoint file") from None
    except IsADirectoryError:
        raise CheckpointError(path, "is a folder; expected the .npz file that save_checkpoint writes") from None
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, NotImplementedError) as error:
        raise CheckpointError(path, f"not a readable .npz checkpoint ({error})") from None


def _entries(path: Path, archive: zipfile.ZipFile) -> dict[str, Entry]:
    """Every entry's name, dtype and shape from its header, each checked; nothing is decompressed."""
    if "meta.npy" not in archive.namelist():
        raise CheckpointError(path, "an .npz file without graphlab's 'meta' entry; "
                                    "expected a file written by save_checkpoint")
    entries: dict[str, Entry] = {}
    for info in archive.infolist():
        key = info.filename.removesuffix(".npy")
        if key in entries:
            raise CheckpointError(path, "the archive holds this entry twice", key)
        if not info.filename.endswith(".npy") or not _known(key):
            raise CheckpointError(path, f"an entry save_checkpoint never writes ({clip(info.filename)}); expected "
                                        "meta, model/<name> and optimizer/<n> only", clip(key))
        entries[key] = _header(path, archive, info, key)
    return entries


def _known(key: str) -> bool:
    group, _, name = key.partition("/")
    return key == "meta" or (group == "model" and bool(name)) or (group == "optimizer" and name.isdigit())


def _header(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, key: str) -> Entry:
    try:
        entry = read_header(archive, info)
    except ValueError as error:
        raise CheckpointError(path, str(error), key) from None
    dtype = entry.dtype
    if key == "meta":
        if dtype.kind != "U" or entry.shape != () or entry.nbytes > MAX_META_BYTES:
            raise CheckpointError(path, f"expected one JSON string of at most {MAX_META_BYTES:,} bytes, "
                                        f"found {dtype} of shape {entry.shape}", key)
    elif real_numbers_problem(entry):
        raise CheckpointError(path, real_numbers_problem(entry), key)
    return entry


def _check_optimizer_entries(path: Path, entries: dict[str, Entry], state, model_bytes: int) -> None:
    """Every optimizer array is one the meta entry refers to, and together they stay the optimizer's size."""
    used = set(_references(state))
    unused = sorted(key for key in entries if key.startswith("optimizer/") and key not in used)
    if unused:
        raise CheckpointError(path, "an optimizer array the optimizer state never refers to", unused[0])
    total = sum(e.nbytes for key, e in entries.items() if key.startswith("optimizer/"))
    if total > OPTIMIZER_ARRAYS_PER_PARAMETER * model_bytes + (1 << 20):
        raise CheckpointError(path, f"the optimizer's arrays declare {total:,} bytes, more than "
                                    f"{OPTIMIZER_ARRAYS_PER_PARAMETER} times the model's {model_bytes:,}: "
                                    "not an optimizer's state")


def _references(value) -> list[str]:
    """The ``optimizer/<n>`` keys the encoded optimizer state refers to (iteratively: no recursion limit)."""
    found, stack = [], [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("array"), str):
                found.append(item["array"])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _array(path: Path, archive: zipfile.ZipFile, entry: Entry) -> numpy.ndarray:
    try:
        return read_array(archive, entry)
    except ValueError as error:
        raise CheckpointError(path, str(error), entry.info.filename.removesuffix(".npy")) from None


def _meta(path: Path, archive: zipfile.ZipFile, entry: Entry) -> dict:
    """The JSON ``meta`` entry, checked: every key this code reads, and the format it writes."""
    try:
        meta = json.loads(str(_array(path, archive, entry)))
        fields = {key: meta[key] for key in ("format", "optimizer", "extra")}
    except (ValueError, KeyError, TypeError, RecursionError) as error:
        raise CheckpointError(path, f"the 'meta' entry is damaged ({clip(repr(error), 80)}); expected the JSON "
                                    "that save_checkpoint writes") from None
    if fields["format"] != FORMAT:
        raise CheckpointError(path, f"checkpoint format {clip(repr(fields['format']))}; this version of graphlab "
                                    f"reads format {FORMAT}")
    if not isinstance(fields["extra"], dict):
        raise CheckpointError(path, "the 'meta' entry is damaged: its extra values are not a table")
    return fields


def _host(value) -> numpy.ndarray:
    return value.numpy() if isinstance(value, Tensor) else numpy.asarray(value)


def _encode(value, arrays: dict):
    """The optimizer state as JSON: arrays go to ``arrays`` and are referred to by key."""
    if isinstance(value, (Tensor, numpy.ndarray)) or type(value).__module__ == "cupy":
        key = f"optimizer/{sum(k.startswith('optimizer/') for k in arrays)}"
        arrays[key] = _host(value)
        return {"array": key, "tensor": isinstance(value, Tensor)}
    if isinstance(value, dict):
        return {"dict": [[_encode(k, arrays), _encode(v, arrays)] for k, v in value.items()]}
    if isinstance(value, (list, tuple)):
        return {"list" if isinstance(value, list) else "tuple": [_encode(v, arrays) for v in value]}
    if isinstance(value, numpy.generic):
        return value.item()
    return value


def _decode(value, stored: dict, device):
    if not isinstance(value, dict):
        return value
    if "array" in value:
        array = stored[value["array"]]
        return Tensor(array, dtype=str(array.dtype), device=device) if value["tensor"] else array
    if "dict" in value:
        return {_decode(k, stored, device): _decode(v, stored, device) for k, v in value["dict"]}
    if "tuple" in value:
        return tuple(_decode(v, stored, device) for v in value["tuple"])
    return [_decode(v, stored, device) for v in value["list"]]
