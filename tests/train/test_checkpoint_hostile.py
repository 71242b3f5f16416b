"""Hostile checkpoints are refused before the model is touched, cheaply; killed saves leave nothing for long."""

from __future__ import annotations

import io
import os
import signal
import struct
import subprocess
import sys
import time
import tracemalloc
import zipfile
import zlib

import numpy
import pytest
from numpy.lib import format as npy

from graphlab import nn
from graphlab.atomic import SUFFIX, remove_stale
from graphlab.train.checkpoint import CheckpointError, load_checkpoint, save_checkpoint


def model() -> nn.Sequential:
    return nn.Sequential(nn.Linear(3, 2), nn.Linear(2, 2))


def weights(net) -> dict[str, numpy.ndarray]:
    return {name: value.numpy().copy() for name, value in net.state_dict().items()}


def archive(entries: dict[str, bytes]) -> bytes:
    """An .npz made of ready ``.npy`` bytes per entry (meta included by the caller)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name + ".npy", data)
    return buffer.getvalue()


def npy_bytes(array: numpy.ndarray) -> bytes:
    buffer = io.BytesIO()
    npy.write_array(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def saved_entries(tmp_path) -> dict[str, bytes]:
    """The entries of a real checkpoint of ``model()``, to change one of them."""
    save_checkpoint(tmp_path / "real.npz", model())
    with zipfile.ZipFile(tmp_path / "real.npz") as zf:
        return {info.filename.removesuffix(".npy"): zf.read(info) for info in zf.infolist()}


def deflate_bomb(header: bytes, zero_megabytes: int) -> bytes:
    """A raw DEFLATE stream of ``header`` then that many MiB of zeros, about 1 KiB per MiB, made in milliseconds.

    A fully flushed block of compressed zeros refers to nothing before it, so the
    same bytes repeated are a valid stream of as many megabytes.
    """
    block = zlib.compressobj(9, zlib.DEFLATED, -15)
    zeros = block.compress(b"\0" * (1 << 20)) + block.flush(zlib.Z_FULL_FLUSH)
    start = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = start.compress(header) + start.flush(zlib.Z_FULL_FLUSH)
    return head + zeros * zero_megabytes + zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)


def zip_with_raw_entry(entries: dict[str, bytes], name: str, compressed: bytes, size: int) -> bytes:
    """A zip of ``entries`` plus one deflated entry ``name`` declaring ``size`` bytes (its CRC is never reached)."""
    buffer = io.BytesIO(archive(entries))
    with zipfile.ZipFile(buffer) as zf:
        kept = [(i.filename, zf.read(i)) for i in zf.infolist()]
    out, central = io.BytesIO(), []
    for filename, data in kept + [(name, None)]:
        raw, method, length = (data, 0, len(data)) if data is not None else (compressed, 8, size)
        crc = zlib.crc32(data) if data is not None else 0
        offset = out.tell()
        encoded = filename.encode()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(raw), length,
                              len(encoded), 0) + encoded + raw)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc, len(raw),
                                   length, len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
    start = out.tell()
    out.write(b"".join(central))
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), out.tell() - start, start, 0))
    return out.getvalue()


def refused(path, match: str):
    """Load ``path`` into a fresh model, expect ``CheckpointError`` matching ``match``, and the model untouched."""
    net = model()
    before = weights(net)
    tracemalloc.start()
    try:
        with pytest.raises(CheckpointError, match=match):
            load_checkpoint(path, net)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 << 20, f"{peak:,} bytes allocated to refuse it"
    for name, value in weights(net).items():
        numpy.testing.assert_array_equal(value, before[name])


def test_a_string_weight_is_refused_before_any_layer_is_overwritten(tmp_path):
    entries = saved_entries(tmp_path)
    entries["model/1.weight"] = npy_bytes(numpy.array([["a", "b"], ["c", "d"]]))
    (tmp_path / "c.npz").write_bytes(archive(entries))
    refused(tmp_path / "c.npz", r"c.npz: model/1.weight: holds <U1 values; expected numbers \(bool, int or float\)")


def test_complex_weights_are_refused_not_cut_to_their_real_part(tmp_path):
    entries = saved_entries(tmp_path)
    entries["model/0.weight"] = npy_bytes(numpy.ones((2, 3), numpy.complex64) * 1j)
    (tmp_path / "c.npz").write_bytes(archive(entries))
    refused(tmp_path / "c.npz", r"model/0.weight: holds complex numbers \(complex64\); .*imaginary part would be lost")


def test_a_header_claiming_a_trillion_values_is_refused_before_allocating(tmp_path):
    entries = saved_entries(tmp_path)
    header = io.BytesIO()
    npy.write_array_header_1_0(header, {"descr": "<f4", "fortran_order": False, "shape": (10**12,)})
    entries["model/0.weight"] = header.getvalue() + b"\0" * 24
    (tmp_path / "c.npz").write_bytes(archive(entries))
    refused(tmp_path / "c.npz", r"model/0.weight: declares 1,000,000,000,000 values of float32 "
                                r"\(4,000,000,000,000 bytes\) but holds 24 bytes: the entry is damaged")


def test_a_npy_file_is_told_apart(tmp_path):
    numpy.save(tmp_path / "w.npy", numpy.zeros(3))
    refused(tmp_path / "w.npy", r"w.npy: a .npy file holds one array; a checkpoint is the .npz archive")


def test_an_unused_compressed_entry_is_refused_unread(tmp_path):
    """The issue's 3.9 MB file with an unused 4 GB entry: refused by name, nothing inflated."""
    bomb = deflate_bomb(b"", 3_700)
    data = zip_with_raw_entry(saved_entries(tmp_path), "unused.npy", bomb, 3_700 << 20)
    (tmp_path / "bomb.npz").write_bytes(data)
    assert 3_000_000 < len(data) < 5_000_000
    started = time.perf_counter()
    refused(tmp_path / "bomb.npz", r"bomb.npz: unused: an entry save_checkpoint never writes \(unused.npy\)")
    assert time.perf_counter() - started < 5  # a generous bound: inflating it takes 18 s and 3.9 GB


def test_a_used_entry_declaring_gigabytes_is_refused_before_inflating(tmp_path):
    header = io.BytesIO()
    npy.write_array_header_1_0(header, {"descr": "<f4", "fortran_order": False, "shape": (975 << 20,)})
    bomb = deflate_bomb(header.getvalue(), 3_900)
    data = zip_with_raw_entry({k: v for k, v in saved_entries(tmp_path).items() if k != "model/0.weight"},
                              "model/0.weight.npy", bomb, len(header.getvalue()) + (3_900 << 20))
    (tmp_path / "bomb.npz").write_bytes(data)
    refused(tmp_path / "bomb.npz", r"does not fit the model: .*0.weight: checkpoint has shape \(1022361600,\), "
                                   r"the model has \(2, 3\)")


def test_twice_the_same_entry_and_damaged_meta_are_refused(tmp_path):
    entries = saved_entries(tmp_path)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf, pytest.warns(UserWarning, match="Duplicate name"):
        for name, data in list(entries.items()) + [("model/0.bias", npy_bytes(numpy.ones(2, numpy.float32)))]:
            zf.writestr(name + ".npy", data)
    (tmp_path / "twice.npz").write_bytes(buffer.getvalue())
    refused(tmp_path / "twice.npz", r"model/0.bias: the archive holds this entry twice")
    entries["meta"] = npy_bytes(numpy.array("[" * 100_000 + "]" * 100_000))
    (tmp_path / "deep.npz").write_bytes(archive(entries))
    refused(tmp_path / "deep.npz", "the 'meta' entry is damaged")


def test_a_stale_temporary_file_is_removed_by_the_next_save(tmp_path):
    stale = tmp_path / f".best.npz.k1ll3d00{SUFFIX}"
    stale.write_bytes(b"\0" * 1000)
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    fresh = tmp_path / f".other.npz.wr1t1ng0{SUFFIX}"
    fresh.write_bytes(b"being written")  # a few seconds old at most: a writer may still be at it
    save_checkpoint(tmp_path / "epoch-2.npz", model())
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([fresh.name, "epoch-2.npz"])


def test_a_save_killed_mid_write_leaves_a_file_the_next_save_removes(tmp_path):
    """A real ``kill -9`` while a writer holds its temporary file; a live writer's file is kept."""
    code = ("import os, sys, time\n"
            "from graphlab import atomic\n"
            "real = os.fsync\n"
            "def stall(fd):\n"
            "    print('writing', flush=True); time.sleep(60)\n"
            "atomic.os.fsync = stall\n"
            "atomic.write_atomic(sys.argv[1], b'x' * 1_000_000)\n")
    writer = subprocess.Popen([sys.executable, "-c", code, str(tmp_path / "best.npz")], stdout=subprocess.PIPE,
                              cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    try:
        assert writer.stdout.readline().strip() == b"writing"
        [temp] = tmp_path.glob(f"*{SUFFIX}")
        os.utime(temp, (time.time() - 3600, time.time() - 3600))
        assert remove_stale(tmp_path) == []  # its writer is alive and holds the lock
        writer.send_signal(signal.SIGKILL)
        writer.wait(10)
    finally:
        writer.kill()
        writer.stdout.close()
    assert temp.exists()
    save_checkpoint(tmp_path / "best.npz", model())
    assert [p.name for p in tmp_path.iterdir()] == ["best.npz"]
    load_checkpoint(tmp_path / "best.npz", model())
