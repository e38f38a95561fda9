"""Sample weights: exact equivalences where the training is deterministic given
the draws (one batch holding every row, no shuffling), and the weighting of the
contrastive-divergence statistics against the formula."""

import warnings

import numpy as np
import pytest
from scipy.special import expit
from sklearn.exceptions import ConvergenceWarning

from skdeep import (
    DBN,
    Autoencoder,
    BernoulliRBM,
    DBNAutoencoder,
    DBNClassifier,
    GaussianBernoulliRBM,
    VariationalAutoencoder,
)
from skdeep._kernels.rbm import CDWorkspace, cd_gradient


@pytest.fixture(autouse=True)
def _short_fits_are_expected():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield


def test_cd_gradient_weights_the_data_statistics(rng):
    # with the same persistent chains and random stream, weighting changes only
    # the data (positive) statistics: sum_i w_i E[h | v_i] v_i / sum_i w_i
    W, b, c = rng.normal(size=(4, 6)), rng.normal(size=6), rng.normal(size=4)
    v0 = (rng.random((5, 6)) < 0.5).astype(float)
    chain = (rng.random((5, 4)) < 0.5).astype(float)
    w = np.array([1.0, 3.0, 0.0, 2.0, 1.0])

    def gradient(weights):
        ws = CDWorkspace(5, 6, 4, np.float64)
        return [g.copy() for g in cd_gradient(
            v0, W, b, c, np.random.default_rng(1), ws, chain=chain.copy(),
            sample_weight=weights)]

    plain, weighted = gradient(None), gradient(w)
    p = expit(v0 @ W.T + c)  # E[h | v0]
    data_plain = (p.T @ v0 / 5, v0.mean(0), p.mean(0))
    data_weighted = (p.T @ (w[:, None] * v0) / w.sum(), w @ v0 / w.sum(), w @ p / w.sum())
    for g_w, g_p, d_w, d_p in zip(weighted, plain, data_weighted, data_plain):
        # gradient = model statistics - data statistics (the minimised negative log-likelihood)
        np.testing.assert_allclose(g_w - g_p, -(d_w - d_p), rtol=1e-10, atol=1e-12)


def full_batch(cls, **params):
    return cls(batch_size=1000, shuffle=False, random_state=0, **params)


def test_autoencoder_integer_weights_equal_repeated_rows(rng):
    X = rng.random((30, 6))
    w = rng.integers(0, 4, 30)
    weighted = full_batch(Autoencoder, n_components=3, n_iter=20).fit(X, sample_weight=w)
    repeated = full_batch(Autoencoder, n_components=3, n_iter=20).fit(np.repeat(X, w, axis=0))
    np.testing.assert_allclose(weighted.components_, repeated.components_, rtol=1e-9)
    np.testing.assert_allclose(weighted.loss_curve_, repeated.loss_curve_, rtol=1e-9)


@pytest.mark.parametrize("make", [
    lambda: full_batch(BernoulliRBM, n_components=3, n_iter=10, method="cd"),
    lambda: full_batch(BernoulliRBM, n_components=3, n_iter=10, method="pcd"),
    lambda: full_batch(GaussianBernoulliRBM, n_components=3, n_iter=10),
    lambda: full_batch(Autoencoder, n_components=3, n_iter=10, noise="masking"),
    lambda: VariationalAutoencoder(encoder_layer_sizes=(5,), n_components=2, batch_size=1000,
                                   max_iter=10, random_state=0),
    lambda: DBN(hidden_layer_sizes=(4, 3), batch_size=1000, n_iter=5, random_state=0),
    lambda: DBNAutoencoder(hidden_layer_sizes=(4, 2), batch_size=1000, pretrain_batch_size=1000,
                           max_iter=5, shuffle=False, random_state=0),
], ids=["rbm-cd", "rbm-pcd", "gaussian-rbm", "denoising-autoencoder", "vae", "dbn",
        "dbn-autoencoder"])
def test_rows_of_weight_zero_take_no_part(make, rng):
    # the draws follow the number of rows, so changing the rows of weight 0
    # (not their number) must leave the fitted model as it was
    X = rng.random((20, 6))
    w = np.r_[np.ones(14), np.zeros(6)]
    other = X.copy()
    other[14:] = rng.random((6, 6))
    a, b = make().fit(X, sample_weight=w), make().fit(other, sample_weight=w)
    for name, value in vars(a).items():
        if name.endswith("_") and isinstance(value, np.ndarray) and name != "h_samples_":
            np.testing.assert_allclose(value, getattr(b, name), rtol=1e-10, err_msg=name)
    for left, right in zip(a.transform(X[:5]), b.transform(X[:5])):
        np.testing.assert_allclose(left, right, rtol=1e-10)


@pytest.mark.parametrize("chain", [False, True], ids=["cd", "pcd"])
def test_a_batch_of_weight_zero_gives_a_zero_gradient(chain, rng):
    W, b, c = rng.normal(size=(4, 6)), rng.normal(size=6), rng.normal(size=4)
    v0 = (rng.random((3, 6)) < 0.5).astype(float)
    persistent = (rng.random((3, 4)) < 0.5).astype(float) if chain else None
    ws = CDWorkspace(3, 6, 4, np.float64)
    gradients = cd_gradient(v0, W, b, c, np.random.default_rng(1), ws, chain=persistent,
                            sample_weight=np.zeros(3))
    for g in gradients:
        np.testing.assert_array_equal(g, 0.0)


@pytest.mark.parametrize("make", [
    lambda: BernoulliRBM(n_components=3, n_iter=5, batch_size=2, method="cd", random_state=0),
    lambda: BernoulliRBM(n_components=3, n_iter=5, batch_size=2, method="pcd", random_state=0),
    lambda: GaussianBernoulliRBM(n_components=3, n_iter=5, batch_size=2, random_state=0),
    lambda: VariationalAutoencoder(encoder_layer_sizes=(5,), n_components=2, batch_size=2,
                                   max_iter=5, random_state=0),
], ids=["rbm-cd", "rbm-pcd", "gaussian-rbm", "vae"])
def test_minibatches_of_rows_of_weight_zero_take_no_part(make, rng):
    # batches of 2 among 30 rows of weight 0 and 10 of weight 1: many batches
    # hold no weight at all, and must neither divide by zero nor move the model
    X = rng.random((40, 6))
    w = np.r_[np.zeros(30), np.ones(10)]
    other = X.copy()
    other[:30] = rng.random((30, 6))
    a, b = make().fit(X, sample_weight=w), make().fit(other, sample_weight=w)
    for name, value in vars(a).items():
        if name.endswith("_") and isinstance(value, np.ndarray) and name != "h_samples_":
            assert np.isfinite(value).all(), name
            np.testing.assert_allclose(value, getattr(b, name), rtol=1e-10, err_msg=name)


def test_deep_pretraining_is_weighted(rng):
    X = rng.random((40, 6))
    y = np.arange(40) % 2
    w = np.r_[np.ones(30), np.zeros(10)]
    other = X.copy()
    other[30:] = rng.random((10, 6))
    params = dict(hidden_layer_sizes=(5,), batch_size=1000, pretrain_batch_size=1000,
                  shuffle=False, max_iter=5, random_state=0)
    a = DBNClassifier(**params).fit(X, y, sample_weight=w)
    b = DBNClassifier(**params).fit(other, y, sample_weight=w)
    np.testing.assert_allclose(a.pretrained_layers_[0].components_,
                               b.pretrained_layers_[0].components_, rtol=1e-10)
    for left, right in zip(a.coefs_, b.coefs_):
        np.testing.assert_allclose(left, right, rtol=1e-10)


def test_weights_are_validated(rng):
    X = rng.random((10, 4))
    with pytest.raises(ValueError, match="sample_weight"):
        BernoulliRBM(n_components=2).fit(X, sample_weight=np.ones(9))
    with pytest.raises(ValueError, match="[Nn]egative"):
        Autoencoder(n_components=2).fit(X, sample_weight=-np.ones(10))
