"""Checkpoints: round trip of model and optimizer state, atomic writes, and errors that name the mismatch."""

import os

import numpy
import pytest

import graphlab.train.checkpoint as checkpoint_module
from graphlab.nn.module import Module
from graphlab.nn.parameter import Parameter
from graphlab.tensor import Tensor
from graphlab.train.checkpoint import CheckpointError, load_checkpoint, save_checkpoint


class Affine(Module):
    """``x @ weight + bias`` with a step counter buffer, built from Module and Parameter only."""

    def __init__(self, inputs=3, outputs=2, seed=0):
        super().__init__()
        rng = numpy.random.default_rng(seed)
        self.weight = Parameter(rng.normal(size=(inputs, outputs)).astype(numpy.float32))
        self.bias = Parameter(rng.normal(size=outputs).astype(numpy.float32))
        self.register_buffer("seen", Tensor(numpy.array(seed, dtype=numpy.int64)))

    def forward(self, x):
        return x @ self.weight + self.bias


class Momentum:
    """An optimizer-shaped state holder: PyTorch's state_dict layout (int keys, tensors, groups)."""

    def __init__(self, model):
        self.param_groups = [{"params": list(model.parameters()), "lr": 0.1, "momentum": 0.9}]
        self.state = {}

    def state_dict(self):
        return {"state": self.state,
                "param_groups": [{**{k: v for k, v in g.items() if k != "params"}, "params": [0, 1]}
                                 for g in self.param_groups]}

    def load_state_dict(self, state):
        self.state = state["state"]
        for group, saved in zip(self.param_groups, state["param_groups"]):
            group.update({k: v for k, v in saved.items() if k != "params"})


def test_model_optimizer_and_extras_round_trip(tmp_path):
    model, other = Affine(seed=0), Affine(seed=1)
    optimizer = Momentum(model)
    optimizer.state = {0: {"step": 7, "momentum_buffer": Tensor([[1.0, 2.0]] * 3)},
                       1: {"step": 7, "momentum_buffer": Tensor([0.5, -0.5]), "pair": (1, 2.5)}}
    optimizer.param_groups[0]["lr"] = 0.025
    save_checkpoint(tmp_path / "best.npz", model, optimizer, epoch=3, val_acc=0.91)

    restored = Momentum(other)
    extra = load_checkpoint(tmp_path / "best.npz", other, restored)
    assert extra == {"epoch": 3, "val_acc": 0.91}
    for name, value in model.state_dict().items():
        numpy.testing.assert_array_equal(other.state_dict()[name].numpy(), value.numpy())
    assert other.state_dict()["seen"].dtype == "int64"
    assert set(restored.state) == {0, 1} and restored.state[0]["step"] == 7
    assert isinstance(restored.state[0]["momentum_buffer"], Tensor)
    numpy.testing.assert_array_equal(restored.state[1]["momentum_buffer"].numpy(), [0.5, -0.5])
    assert restored.state[1]["pair"] == (1, 2.5)
    assert restored.param_groups[0]["lr"] == 0.025 and restored.param_groups[0]["momentum"] == 0.9


def test_the_file_gets_the_usual_mode(tmp_path):
    mask = os.umask(0o022)
    try:
        save_checkpoint(tmp_path / "c.npz", Affine())
    finally:
        os.umask(mask)
    assert (tmp_path / "c.npz").stat().st_mode & 0o777 == 0o644


def test_the_file_needs_no_pickle(tmp_path):
    save_checkpoint(tmp_path / "c.npz", Affine(), Momentum(Affine()))
    with numpy.load(tmp_path / "c.npz", allow_pickle=False) as archive:
        assert {"model/weight", "model/bias", "model/seen", "meta"} <= set(archive.files)


def test_a_crash_mid_write_leaves_the_old_checkpoint(tmp_path, monkeypatch):
    path = tmp_path / "model.npz"
    save_checkpoint(path, Affine(seed=0), epoch=1)
    before = path.read_bytes()

    def savez_then_crash(file, **arrays):
        file.write(b"PK\x03\x04 half a zip")
        raise OSError("No space left on device")

    monkeypatch.setattr(checkpoint_module.numpy, "savez", savez_then_crash)
    with pytest.raises(OSError, match="No space left"):
        save_checkpoint(path, Affine(seed=5), epoch=2)
    monkeypatch.undo()

    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.npz"]  # no temporary file left behind
    fresh = Affine(seed=9)
    assert load_checkpoint(path, fresh) == {"epoch": 1}
    numpy.testing.assert_array_equal(fresh.weight.numpy(), Affine(seed=0).weight.numpy())


def test_a_checkpoint_of_another_shape_names_every_difference(tmp_path):
    save_checkpoint(tmp_path / "c.npz", Affine(inputs=3, outputs=2))
    target = Affine(inputs=4, outputs=2)
    weight_before = target.weight.numpy().copy()
    with pytest.raises(CheckpointError, match=r"c.npz: does not fit the model: .*weight: checkpoint has shape "
                                              r"\(3, 2\), the model has \(4, 2\)"):
        load_checkpoint(tmp_path / "c.npz", target)
    numpy.testing.assert_array_equal(target.weight.numpy(), weight_before)


def test_missing_and_unexpected_names_are_listed(tmp_path):
    class Renamed(Affine):
        def __init__(self):
            super().__init__()
            self.scale = Parameter(numpy.ones(2, numpy.float32))

    save_checkpoint(tmp_path / "c.npz", Renamed())
    with pytest.raises(CheckpointError, match="not in the model: scale"):
        load_checkpoint(tmp_path / "c.npz", Affine())
    save_checkpoint(tmp_path / "d.npz", Affine())
    with pytest.raises(CheckpointError, match="missing from the checkpoint: scale"):
        load_checkpoint(tmp_path / "d.npz", Renamed())


def test_unreadable_files_say_what_they_are(tmp_path):
    (tmp_path / "text.npz").write_text("not a zip")
    with pytest.raises(CheckpointError, match=r"text\.npz: not a readable \.npz checkpoint"):
        load_checkpoint(tmp_path / "text.npz", Affine())
    numpy.savez(tmp_path / "plain.npz", weight=numpy.zeros(3))
    with pytest.raises(CheckpointError, match="without graphlab's 'meta' entry"):
        load_checkpoint(tmp_path / "plain.npz", Affine())
    with pytest.raises(CheckpointError, match="no such checkpoint file"):
        load_checkpoint(tmp_path / "absent.npz", Affine())
    save_checkpoint(tmp_path / "model-only.npz", Affine())
    with pytest.raises(CheckpointError, match="saved without an optimizer"):
        load_checkpoint(tmp_path / "model-only.npz", Affine(), Momentum(Affine()))


def test_training_resumes_exactly_from_a_checkpoint(tmp_path):
    from graphlab import nn, optim
    from graphlab.tensor import manual_seed

    rng = numpy.random.default_rng(0)
    batches = [(Tensor(rng.normal(size=(8, 4)).astype(numpy.float32)), Tensor(rng.integers(0, 3, 8)))
               for _ in range(5)]

    def fresh():
        manual_seed(0)
        model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
        return model, optim.Adam(model.parameters(), lr=1e-2)

    def train(model, optimizer, steps):
        for x, y in steps:
            loss = nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()

    model, optimizer = fresh()
    train(model, optimizer, batches[:3])
    save_checkpoint(tmp_path / "mid.npz", model, optimizer, step=3)
    train(model, optimizer, batches[3:])

    resumed, resumed_optimizer = fresh()
    assert load_checkpoint(tmp_path / "mid.npz", resumed, resumed_optimizer) == {"step": 3}
    train(resumed, resumed_optimizer, batches[3:])
    for name, value in model.state_dict().items():
        numpy.testing.assert_array_equal(resumed.state_dict()[name].numpy(), value.numpy())


def test_an_optimizer_that_does_not_fit_changes_neither_model_nor_optimizer(tmp_path):
    from graphlab import nn, optim

    source = nn.Sequential(nn.Linear(3, 2))
    source_optimizer = optim.SGD(source.parameters(), lr=0.1, momentum=0.9)
    save_checkpoint(tmp_path / "c.npz", source, source_optimizer)

    target = nn.Sequential(nn.Linear(3, 2))
    frozen_bias = optim.SGD([target[0].weight], lr=0.5, momentum=0.9)  # one parameter where the file has two
    weight_before = target[0].weight.numpy().copy()
    with pytest.raises(CheckpointError, match=r"c.npz: does not fit the optimizer SGD: .*group 0 has 2 parameters"):
        load_checkpoint(tmp_path / "c.npz", target, frozen_bias)
    numpy.testing.assert_array_equal(target[0].weight.numpy(), weight_before)
    assert frozen_bias.param_groups[0]["lr"] == 0.5


def test_a_truncated_checkpoint_is_a_checkpoint_error(tmp_path):
    save_checkpoint(tmp_path / "c.npz", Affine())
    data = (tmp_path / "c.npz").read_bytes()
    (tmp_path / "cut.npz").write_bytes(data[: len(data) // 2])
    with pytest.raises(CheckpointError, match=r"cut\.npz: not a readable \.npz checkpoint"):
        load_checkpoint(tmp_path / "cut.npz", Affine())


@pytest.mark.parametrize("meta, message", [
    ("not json", "the 'meta' entry is damaged"),
    ('{"format": 1, "extra": {}}', "the 'meta' entry is damaged .*'optimizer'"),
    ('[1, 2]', "the 'meta' entry is damaged"),
    ('{"format": 99, "optimizer": null, "extra": {}}', "checkpoint format 99; this version of graphlab reads format 1"),
])
def test_a_damaged_or_foreign_meta_entry_is_named(tmp_path, meta, message):
    arrays = {f"model/{name}": value.numpy() for name, value in Affine().state_dict().items()}
    numpy.savez(tmp_path / "c.npz", meta=numpy.array(meta), **arrays)
    target = Affine(seed=3)
    before = target.weight.numpy().copy()
    with pytest.raises(CheckpointError, match=message):
        load_checkpoint(tmp_path / "c.npz", target)
    numpy.testing.assert_array_equal(target.weight.numpy(), before)


def test_the_mismatch_message_is_the_modules_own_words(tmp_path):
    save_checkpoint(tmp_path / "c.npz", Affine(inputs=3))
    with pytest.raises(CheckpointError) as error:
        load_checkpoint(tmp_path / "c.npz", Affine(inputs=4))
    assert "c.npz: does not fit the model: load_state_dict into Affine: weight:" in str(error.value)
