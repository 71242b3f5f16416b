"""``graphlab.tensor.save`` / ``load``: what scripts save comes back, and no file can run code on load."""

from __future__ import annotations

import io
import json
import pickle
import zipfile

import numpy as np
import pytest

import graphlab.tensor as T
from graphlab import nn, optim
from graphlab.errors import InputError
from graphlab.tensor.serialization import MANIFEST, SaveFileError


def model():
    return nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))


def test_a_state_dict_comes_back_into_a_fresh_model(tmp_path):
    trained = model()
    T.save(trained.state_dict(), tmp_path / "model.pth")
    fresh = model()
    fresh.load_state_dict(T.load(tmp_path / "model.pth", weights_only=True))
    for (name, a), (_, b) in zip(trained.state_dict().items(), fresh.state_dict().items()):
        assert a.dtype == b.dtype and np.array_equal(a.numpy(), b.numpy()), name


def test_a_checkpoint_dict_keeps_its_structure_types_and_numbers(tmp_path):
    net = model()
    opt = optim.Adam(net.parameters(), lr=1e-3)
    net(T.randn(5, 3)).sum().backward()
    opt.step()
    checkpoint = {"epoch": 7, "loss": 0.25, "best": float("inf"), "name": "run", "done": False, "note": None,
                  "shape": (2, 3), "history": [1.0, 0.5], "model": net.state_dict(), "optimizer": opt.state_dict(),
                  "array": np.arange(4, dtype=np.int32), 3: "an int key", (1, 2): "a tuple key"}
    T.save(checkpoint, tmp_path / "ckpt.pt")
    loaded = T.load(tmp_path / "ckpt.pt")
    assert set(loaded) == set(checkpoint)
    for key in ("epoch", "loss", "best", "name", "done", "note", "shape", "history", 3, (1, 2)):
        assert loaded[key] == checkpoint[key] and type(loaded[key]) is type(checkpoint[key])
    assert loaded["array"].dtype == np.int32 and loaded["array"].tolist() == [0, 1, 2, 3]
    again = optim.Adam(model().parameters(), lr=1e-3)
    again.load_state_dict(loaded["optimizer"])  # integer parameter indices survive as ints
    assert again.state_dict()["param_groups"] == opt.state_dict()["param_groups"]


def test_tensors_keep_dtype_and_requires_grad_and_files_may_be_file_objects():
    buffer = io.BytesIO()
    T.save([T.tensor([1.0, 2.0], requires_grad=True), T.tensor([1, 2]), T.tensor([True])], buffer)
    buffer.seek(0)
    weights, ints, mask = T.load(buffer)
    assert weights.requires_grad and weights.is_leaf and ints.dtype == "int64" and mask.dtype == "bool"


def test_map_location_moves_tensors_and_an_unknown_device_is_refused_before_reading(tmp_path):
    T.save({"w": T.ones(2)}, tmp_path / "w.pt")
    assert T.load(tmp_path / "w.pt", map_location="cpu")["w"].device == "cpu"
    assert T.load(tmp_path / "w.pt", map_location={"cpu": "array_api_strict"})["w"].device == "array_api_strict"
    with pytest.raises(ValueError, match=r"unknown device 'tpu'"):
        T.load(tmp_path / "w.pt", map_location="tpu")


def test_what_only_pickle_could_store_is_refused_when_saving(tmp_path):
    with pytest.raises(TypeError, match=r"is a Sequential; .*save model.state_dict\(\) instead"):
        T.save(model(), tmp_path / "model.pt")
    with pytest.raises(TypeError, match=r"obj\['f'\] is a function"):
        T.save({"f": lambda: 0}, tmp_path / "f.pt")
    assert not (tmp_path / "model.pt").exists() and not (tmp_path / "f.pt").exists()


def test_a_pickle_is_never_opened(tmp_path):
    """Unpickling runs code: this file would create a marker file if it were loaded."""
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    (tmp_path / "evil.pt").write_bytes(pickle.dumps(Payload()))
    with pytest.raises(SaveFileError, match=r"is a pickle .* graphlab never unpickles .*interop.state_dict_from_torch"):
        T.load(tmp_path / "evil.pt")
    assert not marker.exists()


def test_a_file_that_torch_save_wrote_is_refused_with_the_way_over(tmp_path):
    torch = pytest.importorskip("torch")
    torch.save(torch.nn.Linear(2, 2).state_dict(), tmp_path / "torch.pth")
    with pytest.raises(SaveFileError, match=r"torch.pth: is a pickle \(what torch.save writes\)"):
        T.load(tmp_path / "torch.pth", weights_only=True)


def archive(tmp_path, manifest, entries=None):
    path = tmp_path / "bad.pt"
    with zipfile.ZipFile(path, "w") as zf:
        if manifest is not None:
            zf.writestr(MANIFEST, manifest if isinstance(manifest, str) else json.dumps(manifest))
        for name, data in (entries or {}).items():
            zf.writestr(name, data)
    return path


def npy(array):
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array, allow_pickle=True)
    return buffer.getvalue()


@pytest.mark.parametrize("manifest, entries, match", [
    (None, {"x.npy": npy(np.zeros(2))}, "a zip archive without graphlab-save.json"),
    ("{not json", None, "graphlab-save.json: not readable JSON"),
    ({"format": "other/9", "object": 1}, None, "expected format 'graphlab.tensor.save/1'"),
    ({"format": "graphlab.tensor.save/1", "object": {"tensor": 0, "dtype": "float32", "device": "cpu",
                                                      "requires_grad": False}},
     {"arrays/0.npy": npy(np.array([object()], dtype=object))}, "arrays/0.npy: holds object values"),
    ({"format": "graphlab.tensor.save/1", "object": {"tensor": 0, "dtype": "float32", "device": "cpu",
                                                      "requires_grad": False}},
     {"arrays/0.npy": npy(np.zeros(3))[:-8]}, "arrays/0.npy: declares 3 values of float64 .* the entry is damaged"),
    ({"format": "graphlab.tensor.save/1", "object": {"tensor": 0, "dtype": "float32", "device": "cpu",
                                                      "requires_grad": False}},
     {"arrays/0.npy": npy(np.zeros(3))}, "damaged .*a tensor declared 'float32' holds float64 values"),
    ({"format": "graphlab.tensor.save/1", "object": {"tensor": 5, "dtype": "float32", "device": "cpu",
                                                      "requires_grad": False}}, None, "damaged .*KeyError"),
    ({"format": "graphlab.tensor.save/1", "object": 1}, {"other.txt": b"?"}, "other.txt: an entry graphlab"),
])
def test_a_damaged_or_foreign_archive_is_refused_by_name(tmp_path, manifest, entries, match):
    path = archive(tmp_path, manifest, entries)
    with pytest.raises(SaveFileError, match=match) as caught:
        T.load(path)
    assert str(path) in str(caught.value) and isinstance(caught.value, InputError)


def test_files_that_are_not_archives_are_refused(tmp_path):
    (tmp_path / "text.pt").write_text("weights")
    with pytest.raises(SaveFileError, match=r"not a file graphlab.tensor.save wrote"):
        T.load(tmp_path / "text.pt")
    with pytest.raises(SaveFileError, match=r"no such file"):
        T.load(tmp_path / "missing.pt")
