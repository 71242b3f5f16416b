"""Augmentations: shapes and dtypes kept, each one's invariant, and seeded draws."""

import numpy
import pytest

from graphlab.data.augment import (
    ColorJitter,
    Compose,
    Cutout,
    HorizontalFlip,
    RandomCrop,
    RandomScale,
    mixup,
    mixup_targets,
)


@pytest.fixture
def batch():
    return numpy.random.default_rng(0).random((16, 3, 8, 8)).astype(numpy.float32)


def rng(seed=0):
    return numpy.random.default_rng(seed)


ALL = [HorizontalFlip(), RandomCrop(8, padding=2), RandomScale((0.8, 1.2)),
       ColorJitter(0.3, 0.3, 0.3), Cutout(3)]


@pytest.mark.parametrize("augmentation", ALL, ids=lambda a: type(a).__name__)
def test_shape_dtype_and_seed(batch, augmentation):
    out = augmentation(batch, rng(5))
    assert out.shape == batch.shape and out.dtype == batch.dtype
    numpy.testing.assert_array_equal(out, augmentation(batch, rng(5)))
    assert not numpy.array_equal(out, augmentation(batch, rng(6)))
    assert batch is not out


def test_flip_mirrors_some_images_and_keeps_the_others(batch):
    out = HorizontalFlip(p=0.5)(batch, rng(1))
    flipped = [numpy.array_equal(o, b[..., ::-1]) for o, b in zip(out, batch)]
    kept = [numpy.array_equal(o, b) for o, b in zip(out, batch)]
    assert all(f != k for f, k in zip(flipped, kept))
    assert 0 < sum(flipped) < len(batch)
    numpy.testing.assert_array_equal(HorizontalFlip(p=1.0)(batch, rng()), batch[..., ::-1])


def test_crop_is_a_shifted_window_of_the_padded_image(batch):
    out = RandomCrop(8, padding=2)(batch, rng(2))
    padded = numpy.pad(batch, ((0, 0), (0, 0), (2, 2), (2, 2)))
    for o, p in zip(out, padded):
        windows = [(dy, dx) for dy in range(5) for dx in range(5)
                   if numpy.array_equal(o, p[:, dy:dy + 8, dx:dx + 8])]
        assert windows
    assert RandomCrop(5)(batch, rng()).shape == (16, 3, 5, 5)
    with pytest.raises(ValueError, match="larger than the padded image"):
        RandomCrop(13, padding=2)(batch, rng())


def test_scale_of_one_is_identity_and_zoom_out_leaves_a_zero_border(batch):
    numpy.testing.assert_array_equal(RandomScale((1.0, 1.0))(batch, rng()), batch)
    small = RandomScale((0.5, 0.5))(batch, rng())
    assert numpy.all(small[:, :, 0, :] == 0) and numpy.all(small[:, :, :, -1] == 0)
    big = RandomScale((2.0, 2.0))(batch, rng())
    assert big.shape == batch.shape and not numpy.any(big == 0)  # zoom in: no border
    assert set(numpy.unique(big)) <= set(numpy.unique(batch))  # nearest neighbour: no new values


def test_jitter_stays_in_range_and_brightness_alone_scales(batch):
    out = ColorJitter(brightness=0.9, contrast=0.9, saturation=0.9)(batch, rng(3))
    assert out.min() >= 0.0 and out.max() <= 1.0
    dim = ColorJitter(brightness=0.5)(batch * 0.5, rng(4))
    ratio = dim / (batch * 0.5)
    per_image = ratio.reshape(16, -1)
    numpy.testing.assert_allclose(per_image.max(axis=1), per_image.min(axis=1), rtol=1e-5)
    assert numpy.all((per_image >= 0.5 - 1e-6) & (per_image <= 1.5 + 1e-6))


def test_contrast_keeps_the_gray_mean_and_saturation_keeps_gray_pixels():
    gray = numpy.random.default_rng(1).random((4, 1, 6, 6)).astype(numpy.float32) * 0.5 + 0.25
    rgb = numpy.repeat(gray, 3, axis=1)
    numpy.testing.assert_allclose(ColorJitter(saturation=0.8)(rgb, rng()), rgb, atol=1e-6)
    out = ColorJitter(contrast=0.4)(gray, rng(2))
    numpy.testing.assert_allclose(out.mean(axis=(1, 2, 3)), gray.mean(axis=(1, 2, 3)), atol=1e-6)


def test_cutout_zeroes_at_most_one_square_per_image():
    ones = numpy.ones((200, 1, 10, 10), numpy.float32)
    out = Cutout(4)(ones, rng(7))
    zeros = (out == 0).sum(axis=(1, 2, 3))
    assert zeros.max() == 16 and zeros.min() >= 4  # clipped at a corner: at least 2×2
    for image in out[:, 0]:
        rows, cols = numpy.nonzero(image == 0)
        assert len(rows) == (numpy.ptp(rows) + 1) * (numpy.ptp(cols) + 1)  # one rectangle


def test_mixup_is_a_convex_blend_of_two_examples(batch):
    labels = numpy.arange(16)
    mixed, a, b, lam = mixup(batch, labels, rng(8), alpha=0.4)
    assert 0.0 <= lam <= 1.0
    numpy.testing.assert_array_equal(a, labels)
    assert sorted(b.tolist()) == labels.tolist()
    numpy.testing.assert_allclose(mixed, lam * batch + (1 - lam) * batch[b], rtol=1e-6)
    soft = mixup_targets(a, b, lam, num_classes=16)
    numpy.testing.assert_allclose(soft.sum(axis=1), 1.0, rtol=1e-6)
    assert soft[0, a[0]] >= min(lam, 1.0) - 1e-6


def test_compose_applies_in_order(batch):
    both = Compose([HorizontalFlip(p=1.0), Cutout(2)])(batch, rng(9))
    one_stream = rng(9)
    flipped_then = Cutout(2)(HorizontalFlip(p=1.0)(batch, one_stream), one_stream)
    numpy.testing.assert_array_equal(both, flipped_then)
    numpy.testing.assert_array_equal(both[both != 0], batch[..., ::-1][both != 0])
    numpy.testing.assert_array_equal(both, flipped_then)


def test_a_single_image_is_refused_with_the_expected_shape():
    with pytest.raises(ValueError, match=r"Cutout: got shape \(8, 8\); expected a batch \(N, C, H, W\)"):
        Cutout(2)(numpy.zeros((8, 8)), rng())
