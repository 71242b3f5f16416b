"""The IDX reader: round trips on files the test writes, and a clear error for every broken file."""

import gzip
import os

import numpy
import pytest

from graphlab.data.datasets import load_fashion_mnist, load_mnist
from graphlab.data.idx import IDXError, read_idx, write_idx


def raw_idx(type_code: int, shape, payload: bytes) -> bytes:
    """An IDX file assembled byte by byte from the format's description, independent of write_idx."""
    header = bytes([0, 0, type_code, len(shape)]) + b"".join(s.to_bytes(4, "big") for s in shape)
    return header + payload


def test_reads_a_hand_built_uint8_file(tmp_path):
    path = tmp_path / "images"
    path.write_bytes(raw_idx(0x08, (2, 2, 3), bytes(range(12))))
    array = read_idx(path)
    assert array.dtype == numpy.uint8
    assert array.shape == (2, 2, 3)
    assert array[1, 0, 2] == 8


def test_reads_big_endian_int32_and_gzip(tmp_path):
    path = tmp_path / "values.gz"
    path.write_bytes(gzip.compress(raw_idx(0x0C, (3,), (1).to_bytes(4, "big") + (256).to_bytes(4, "big")
                                          + (-2).to_bytes(4, "big", signed=True))))
    assert read_idx(path).tolist() == [1, 256, -2]


@pytest.mark.parametrize("dtype", ["uint8", "int8", "int16", "int32", "float32", "float64"])
@pytest.mark.parametrize("name", ["plain", "packed.gz"])
def test_write_then_read_round_trips(tmp_path, dtype, name):
    array = (numpy.arange(24).reshape(2, 3, 4) - 5).astype(dtype)
    write_idx(tmp_path / name, array)
    back = read_idx(tmp_path / name)
    assert back.dtype == numpy.dtype(dtype)
    numpy.testing.assert_array_equal(back, array)


def test_writing_leaves_a_file_named_like_the_temporary_alone(tmp_path):
    mine = tmp_path / "labels.tmp"  # a user's own file that a fixed "<name>.tmp" scheme would overwrite
    mine.write_text("my notes")
    write_idx(tmp_path / "labels", numpy.arange(3, dtype=numpy.uint8))
    assert mine.read_text() == "my notes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["labels", "labels.tmp"]


def test_the_file_gets_the_usual_mode(tmp_path):
    mask = os.umask(0o027)
    try:
        write_idx(tmp_path / "labels", numpy.arange(3, dtype=numpy.uint8))
    finally:
        os.umask(mask)
    assert (tmp_path / "labels").stat().st_mode & 0o777 == 0o640


def test_the_bytes_reach_the_disk_before_the_file_replaces_the_old_one(tmp_path, monkeypatch):
    calls = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (calls.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(os, "replace", lambda a, b: (calls.append("replace"), real_replace(a, b))[1])
    write_idx(tmp_path / "labels", numpy.arange(3, dtype=numpy.uint8))
    assert calls == ["fsync", "replace"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "labels"
    write_idx(path, numpy.arange(3, dtype=numpy.uint8))

    def full_disk(source, target):
        raise OSError("No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError, match="No space left"):
        write_idx(path, numpy.arange(5, dtype=numpy.uint8))
    monkeypatch.undo()
    assert read_idx(path).tolist() == [0, 1, 2]
    assert [p.name for p in tmp_path.iterdir()] == ["labels"]


def test_truncated_data_names_the_file_and_the_expected_size(tmp_path):
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(raw_idx(0x08, (10, 28, 28), bytes(100)))
    with pytest.raises(IDXError, match=r"train-images-idx3-ubyte: truncated.*\(10, 28, 28\).*7856 bytes"):
        read_idx(path)


def test_bad_magic_number_says_what_was_expected(tmp_path):
    path = tmp_path / "labels"
    path.write_bytes(b"PK\x03\x04" + bytes(20))
    with pytest.raises(IDXError, match=r"labels: magic number 0x504b0304 is not IDX; expected 0x0000"):
        read_idx(path)


def test_truncated_gzip_is_reported_not_half_read(tmp_path):
    path = tmp_path / "t10k-labels-idx1-ubyte.gz"
    whole = gzip.compress(raw_idx(0x08, (1000,), bytes(1000)))
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(IDXError, match=r"t10k-labels-idx1-ubyte.gz: the gzip stream is damaged or truncated"):
        read_idx(path)


def test_truncated_header_and_empty_file(tmp_path):
    (tmp_path / "short").write_bytes(bytes([0, 0, 8, 3, 0, 0]))
    with pytest.raises(IDXError, match="truncated header; expected 3 dimension sizes"):
        read_idx(tmp_path / "short")
    (tmp_path / "empty").write_bytes(b"")
    with pytest.raises(IDXError, match="0 bytes; expected at least a 4-byte"):
        read_idx(tmp_path / "empty")


def test_missing_file(tmp_path):
    with pytest.raises(IDXError, match="no such file"):
        read_idx(tmp_path / "nope")


def write_mnist_folder(folder, count, gz):
    rng = numpy.random.default_rng(0)
    images = rng.integers(0, 256, (count, 28, 28)).astype(numpy.uint8)
    labels = rng.integers(0, 10, count).astype(numpy.uint8)
    suffix = ".gz" if gz else ""
    for split in ("train", "t10k"):
        write_idx(folder / f"{split}-images-idx3-ubyte{suffix}", images)
        write_idx(folder / f"{split}-labels-idx1-ubyte{suffix}", labels)
    return images, labels


@pytest.mark.parametrize("gz", [True, False])
def test_mnist_folder_loads_as_scaled_nchw_images(tmp_path, gz):
    images, labels = write_mnist_folder(tmp_path, 5, gz)
    train, test = load_mnist(tmp_path)
    assert train.x.shape == (5, 1, 28, 28) and train.x.dtype == numpy.float32
    numpy.testing.assert_allclose(train.x[:, 0] * 255, images, atol=1e-4)
    assert train.y.dtype == numpy.int64 and train.y.tolist() == labels.tolist()
    assert len(test) == 5 and train.classes[3] == "3"


def test_labels_that_do_not_match_the_images_are_named(tmp_path):
    write_mnist_folder(tmp_path, 5, gz=False)
    write_idx(tmp_path / "train-labels-idx1-ubyte", numpy.zeros(4, numpy.uint8))
    with pytest.raises(IDXError, match=r"train-labels-idx1-ubyte: holds shape \(4,\); expected one label"):
        load_mnist(tmp_path)


def test_a_folder_without_the_files_lists_them(tmp_path):
    with pytest.raises(IDXError, match=r"train-images-idx3-ubyte.*t10k-labels-idx1-ubyte"):
        load_fashion_mnist(tmp_path)
