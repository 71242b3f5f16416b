"""Preprocessing: statistics come from the training set only, and whitening gives identity covariance."""

import numpy
import pytest

from graphlab.data.preprocess import PCA, ChannelNormalize, MeanImage


@pytest.fixture
def correlated():
    """Rows with strongly correlated, differently scaled features."""
    rng = numpy.random.default_rng(0)
    mixing = rng.normal(size=(5, 5)) * [1.0, 3.0, 0.5, 2.0, 0.1]
    return rng.normal(size=(2000, 5)) @ mixing + [1.0, -2.0, 0.0, 5.0, 3.0]


def covariance(rows):
    centered = rows - rows.mean(axis=0)
    return centered.T @ centered / len(rows)


def test_whitened_training_data_has_identity_covariance(correlated):
    whitened = PCA(whiten=True, eps=0.0).fit_transform(correlated)
    numpy.testing.assert_allclose(whitened.mean(axis=0), 0.0, atol=1e-5)
    numpy.testing.assert_allclose(covariance(whitened.astype(numpy.float64)), numpy.eye(5), atol=1e-4)


def test_pca_decorrelates_and_orders_by_variance(correlated):
    pca = PCA(components=3).fit(correlated)
    projected = pca.transform(correlated).astype(numpy.float64)
    cov = covariance(projected)
    numpy.testing.assert_allclose(cov - numpy.diag(numpy.diag(cov)), 0.0, atol=1e-3 * cov.max())
    assert list(numpy.diag(cov)) == sorted(numpy.diag(cov), reverse=True)
    numpy.testing.assert_allclose(numpy.diag(cov), pca.variances, rtol=1e-4)
    total = numpy.trace(covariance(correlated))
    numpy.testing.assert_allclose(pca.explained_variance_ratio(), pca.variances / total)


def test_pca_variances_match_numpy_svd(correlated):
    centered = correlated - correlated.mean(axis=0)
    singular = numpy.linalg.svd(centered, compute_uv=False)
    numpy.testing.assert_allclose(PCA().fit(correlated).variances, singular ** 2 / len(correlated), rtol=1e-8)


def test_test_set_uses_the_training_statistics(correlated):
    train, test = correlated[:1500], correlated[1500:] + 10.0
    pca = PCA(whiten=True).fit(train)
    shift = pca.transform(test).mean(axis=0) - pca.transform(test - 10.0).mean(axis=0)
    assert numpy.abs(shift).max() > 1.0  # the test shift is kept, not re-centred away


def test_mean_image_is_per_pixel():
    rng = numpy.random.default_rng(1)
    images = (rng.random((50, 1, 4, 4)) + numpy.arange(16).reshape(1, 1, 4, 4)).astype(numpy.float32)
    centering = MeanImage().fit(images)
    out = centering.transform(images)
    assert out.dtype == numpy.float32
    numpy.testing.assert_allclose(out.mean(axis=0), 0.0, atol=1e-5)
    numpy.testing.assert_allclose(centering.transform(images[:1]), images[:1] - images.mean(axis=0), atol=1e-5)


def test_channel_normalize_gives_each_channel_mean_0_std_1():
    rng = numpy.random.default_rng(2)
    images = rng.normal([[[[2.0]], [[-1.0]], [[10.0]]]], [[[[0.5]], [[3.0]], [[1.0]]]], size=(40, 3, 6, 6))
    normalize = ChannelNormalize().fit(images)
    out = normalize.transform(images)
    numpy.testing.assert_allclose(out.mean(axis=(0, 2, 3)), 0.0, atol=1e-7)
    numpy.testing.assert_allclose(out.std(axis=(0, 2, 3)), 1.0, atol=1e-6)
    assert normalize.mean.shape == (1, 3, 1, 1)


def test_uint8_images_are_centred_as_floats_not_wrapped_around():
    images = numpy.array([[[[0, 255]]], [[[10, 245]]]], dtype=numpy.uint8)  # (2, 1, 1, 2); mean image [5, 250]
    centred = MeanImage().fit(images).transform(images)
    assert centred.dtype == numpy.float32
    numpy.testing.assert_array_equal(centred[:, 0, 0], [[-5.0, 5.0], [5.0, -5.0]])
    normalized = ChannelNormalize().fit(images).transform(images)
    assert normalized.dtype == numpy.float32
    pixels = images.astype(numpy.float64)
    numpy.testing.assert_allclose(normalized, (pixels - pixels.mean()) / pixels.std(), rtol=1e-6)
    assert normalized.min() < 0


def test_float64_inputs_stay_float64():
    rows = numpy.random.default_rng(3).normal(size=(20, 4))
    assert MeanImage().fit_transform(rows).dtype == numpy.float64
    assert ChannelNormalize().fit_transform(rows).dtype == numpy.float64


def test_transform_before_fit_says_what_to_do():
    with pytest.raises(RuntimeError, match=r"PCA: call fit\(train\) before transform"):
        PCA().transform(numpy.zeros((2, 2)))
