import pickle

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy.special import expit
from sklearn.base import clone

from skdeep import Autoencoder
from skdeep._kernels.noise import NOISES
from skdeep._pretraining import make_layer_learners, pretrain_layers
from skdeep._training import DivergenceError

# Central differences in float64 with step 1e-6: truncation O(h^2) and rounding
# O(eps / h) errors are both below 1e-8 relative; 1e-6 leaves room for curvature.
FD_STEP = 1e-6
FD_RTOL = 1e-6


def numerical_gradient(f, x):
    """Central finite-difference gradient of the scalar ``f()`` w.r.t. array ``x``."""
    grad = np.zeros_like(x)
    for idx in np.ndindex(*x.shape):
        old = x[idx]
        x[idx] = old + FD_STEP
        up = f()
        x[idx] = old - FD_STEP
        down = f()
        x[idx] = old
        grad[idx] = (up - down) / (2 * FD_STEP)
    return grad


def check_gradients(model, inputs, target, params):
    """Every analytic gradient of ``model._objective`` against finite differences."""
    _, _, grads = model._objective(inputs, target)
    assert len(grads) == len(params)
    for p, g in zip(params, grads):
        numeric = numerical_gradient(lambda: model._objective(inputs, target)[0], p)
        assert_allclose(g, numeric, rtol=FD_RTOL, atol=1e-9)


@pytest.mark.parametrize("tied", [True, False])
@pytest.mark.parametrize("loss, activation", [("cross_entropy", "logistic"),
                                              ("squared_error", "tanh")])
def test_autoencoder_gradients_match_finite_differences(tied, loss, activation, rng):
    X = rng.random((6, 5))
    ae = Autoencoder(n_components=3, tied=tied, loss=loss, activation=activation,
                     weight_decay=0.1, n_iter=1, random_state=0).fit(X)
    for p in ae._params():  # away from the initial small weights
        p += 0.5 * rng.standard_normal(p.shape)
    noisy = NOISES["masking"](X, 0.3, rng)  # fixed noise: a deterministic objective
    check_gradients(ae, noisy, X, ae._params())


def test_autoencoder_tied_weights_are_tied(digits):
    X = digits[0][:300]
    tied = Autoencoder(n_components=8, n_iter=2, random_state=0).fit(X)
    assert not hasattr(tied, "decoder_components_")
    H = tied.transform(X)
    assert_allclose(H, expit(X @ tied.components_.T + tied.intercept_hidden_), rtol=1e-12)
    # the decoder uses the same matrix W: r = sigmoid(h W + b)
    assert_allclose(tied.inverse_transform(H),
                    expit(H @ tied.components_ + tied.intercept_visible_), rtol=1e-12)
    untied = Autoencoder(n_components=8, tied=False, n_iter=2, random_state=0).fit(X)
    assert untied.decoder_components_.shape == untied.components_.shape
    assert not np.allclose(untied.decoder_components_, untied.components_)
    assert_allclose(untied.inverse_transform(H),
                    expit(H @ untied.decoder_components_ + untied.intercept_visible_),
                    rtol=1e-12)


@pytest.mark.parametrize("noise, level", [("masking", 0.3), ("gaussian", 0.3)])
def test_denoising_autoencoder_removes_noise(digits, noise, level):
    X = digits[0]
    train, test = X[:1400], X[1400:]
    loss = "cross_entropy" if noise == "masking" else "squared_error"
    dae = Autoencoder(n_components=64, noise=noise, noise_level=level, loss=loss,
                      learning_rate=0.05 if noise == "masking" else 0.01,
                      n_iter=20, random_state=0).fit(train)
    noisy = NOISES[noise](test, level, np.random.default_rng(1))
    cleaned = dae.inverse_transform(dae.transform(noisy))
    noisy_error = np.mean(np.sum((noisy - test) ** 2, axis=1))
    cleaned_error = np.mean(np.sum((cleaned - test) ** 2, axis=1))
    assert cleaned_error < 0.6 * noisy_error


def test_autoencoder_training_lowers_the_loss(digits):
    ae = Autoencoder(n_components=16, n_iter=10, random_state=0).fit(digits[0])
    assert ae.loss_curve_[-1] < 0.9 * ae.loss_curve_[0]
    assert ae.n_iter_ == 10
    before = ae.score(digits[0])
    ae.partial_fit(digits[0])
    assert ae.n_iter_ == 11 and len(ae.loss_curve_) == 11
    assert ae.score(digits[0]) > before - 0.05  # one more epoch keeps it trained


def test_autoencoder_score_is_minus_mean_squared_error(digits):
    X = digits[0][:200]
    ae = Autoencoder(n_components=8, n_iter=1, random_state=0).fit(X)
    R = ae.inverse_transform(ae.transform(X))
    assert ae.score(X) == pytest.approx(-np.mean(np.sum((X - R) ** 2, axis=1)), rel=1e-12)


def test_autoencoder_warns_on_data_outside_unit_interval(digits):
    with pytest.warns(UserWarning, match="loss='squared_error'"):
        Autoencoder(n_components=4, n_iter=1).fit(digits[0] * 16)


def test_autoencoder_divergence_names_learning_rate(digits):
    with pytest.raises(DivergenceError, match="learning_rate.*optimizer='sgd'"):
        Autoencoder(n_components=4, optimizer="sgd", loss="squared_error",
                    learning_rate=1e6, n_iter=5, random_state=0).fit(digits[0] * 16)


def test_autoencoder_masking_level_checked(digits):
    with pytest.raises(ValueError, match="masking probability"):
        Autoencoder(noise="masking", noise_level=1.0).fit(digits[0])


def test_autoencoder_float32_pickle_clone_no_mutation(digits):
    X = digits[0][:200].astype(np.float32)
    before = X.copy()
    ae = Autoencoder(n_components=8, noise="gaussian", n_iter=2, random_state=0).fit(X)
    assert_array_equal(X, before)
    assert ae.components_.dtype == np.float32
    assert ae.transform(X).dtype == np.float32
    assert ae.inverse_transform(ae.transform(X)).dtype == np.float32
    restored = pickle.loads(pickle.dumps(ae))
    assert_array_equal(restored.transform(X), ae.transform(X))
    assert_array_equal(clone(ae).fit(X).transform(X), ae.transform(X))
    with pytest.raises(ValueError, match="code of 8 units"):
        ae.inverse_transform(X)


@pytest.mark.parametrize("pretraining", ["autoencoder", "denoising"])
def test_stacked_autoencoder_learners(digits, pretraining):
    learners = make_layer_learners(pretraining, (16, 4), settings={"n_iter": 2, "k": 3},
                                   random_state=0, top_hidden="gaussian")
    assert [lr.activation for lr in learners] == ["logistic", "identity"]
    assert [lr.noise for lr in learners] == (["masking"] * 2 if pretraining == "denoising"
                                            else [None, None])
    fitted = pretrain_layers(digits[0], learners)
    W, c, b = fitted[1]._layer_params()
    assert (W.shape, c.shape, b.shape) == ((16, 4), (4,), (16,))
    # the second layer was trained on the first one's codes
    by_hand = clone(learners[1]).fit(fitted[0].transform(digits[0]))
    assert_array_equal(by_hand.components_, fitted[1].components_)
