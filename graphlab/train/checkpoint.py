"""Checkpoints: a model's and an optimizer's state in one ``.npz`` file, written atomically.

The file holds every array under ``model/<name>`` and ``optimizer/<n>``, plus one
JSON entry (``meta``) with the optimizer's nested structure (param groups, step
counts) and whatever the caller adds (epoch, validation accuracy). Arrays are
loaded without pickle. The archive is built in memory and written with
``write_atomic``: a crash mid-write leaves the previous checkpoint as it was.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import numpy

from graphlab.atomic import write_atomic
from graphlab.nn.module import StateDictError
from graphlab.tensor import Tensor
from graphlab.train.snapshot import host_copy

FORMAT = 1


class CheckpointError(ValueError):
    """A checkpoint that cannot be read, or that does not fit the model; the message says which part."""


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
        raise CheckpointError(f"{path}: extra values must be JSON numbers, strings, lists or dicts "
                              f"({error})") from None
    buffer = io.BytesIO()
    numpy.savez(buffer, **arrays)
    write_atomic(path, buffer.getvalue())
    return path


def load_checkpoint(path: str | os.PathLike, model, optimizer=None) -> dict:
    """Load a checkpoint into ``model`` (and ``optimizer``); returns the extra values saved with it.

    The model checks every name and shape before it copies anything, so a checkpoint
    of another architecture changes nothing and the error lists what differs. If the
    optimizer then refuses its part, the model is put back as it was: a checkpoint
    loads whole or not at all.
    """
    path = Path(path)
    stored = _read(path)
    meta = _meta(path, stored.pop("meta"))
    if optimizer is not None and meta["optimizer"] is None:
        raise CheckpointError(f"{path}: holds no optimizer state; it was saved without an optimizer")
    model_state = {key[len("model/"):]: value for key, value in stored.items() if key.startswith("model/")}
    optimizer_state = None
    if optimizer is not None:
        try:
            optimizer_state = _decode(meta["optimizer"], stored, getattr(model, "device", None))
        except (KeyError, TypeError, ValueError) as error:
            raise CheckpointError(f"{path}: the optimizer state is damaged ({error!r})") from None
    model_before = host_copy(model.state_dict())
    try:
        model.load_state_dict(model_state)
    except StateDictError as error:  # the module lists missing, unexpected and mis-shaped names
        raise CheckpointError(f"{path} does not fit the model: {error}") from None
    if optimizer is not None:
        optimizer_before = host_copy(optimizer.state_dict())
        try:
            optimizer.load_state_dict(optimizer_state)
        except (KeyError, TypeError, ValueError, IndexError) as error:
            model.load_state_dict(model_before)
            optimizer.load_state_dict(optimizer_before)
            raise CheckpointError(f"{path} does not fit the optimizer {type(optimizer).__name__}: {error}") from None
    return meta["extra"]


def _meta(path: Path, entry: numpy.ndarray) -> dict:
    """The JSON ``meta`` entry, checked: every key this code reads, and the format it writes."""
    try:
        meta = json.loads(str(entry))
        fields = {key: meta[key] for key in ("format", "optimizer", "extra")}
    except (json.JSONDecodeError, KeyError, TypeError) as error:
        raise CheckpointError(f"{path}: the 'meta' entry is damaged ({error!r}); expected the JSON that "
                              f"save_checkpoint writes") from None
    if fields["format"] != FORMAT:
        raise CheckpointError(f"{path}: checkpoint format {fields['format']!r}; this version of graphlab "
                              f"reads format {FORMAT}")
    return fields


def _read(path: Path) -> dict:
    try:
        with numpy.load(path, allow_pickle=False) as archive:
            stored = {key: archive[key] for key in archive.files}
    except FileNotFoundError:
        raise CheckpointError(f"{path}: no such checkpoint file") from None
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise CheckpointError(f"{path}: not a readable .npz checkpoint ({error})") from None
    if "meta" not in stored:
        raise CheckpointError(f"{path}: an .npz file without graphlab's 'meta' entry; "
                              f"expected a file written by save_checkpoint")
    return stored


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
