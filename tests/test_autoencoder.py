import pickle
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy.special import expit
from sklearn.base import clone
from sklearn.decomposition import PCA
from test_network import FD_RTOL, numerical_gradient  # the one finite-difference helper

from skdeep import Autoencoder, DBNAutoencoder, DBNClassifier, GaussianBernoulliRBM
from skdeep._kernels.noise import NOISES
from skdeep._pretraining import make_layer_learners, pretrain_layers
from skdeep._rbm import rng_from
from skdeep._training import DivergenceError


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


def test_autoencoder_partial_fit_continues_the_same_run(digits):
    X = digits[0][:300]
    whole = Autoencoder(n_components=8, momentum="hinton", n_iter=2, random_state=0).fit(X)
    parts = Autoencoder(n_components=8, momentum="hinton", random_state=0)
    parts.partial_fit(X).partial_fit(X)
    assert parts.n_iter_ == 2
    # one generator per fit, not re-seeded between calls: the same two epochs
    assert_allclose(parts.components_, whole.components_, rtol=1e-12)


def test_autoencoder_score_is_minus_mean_squared_error(digits):
    X = digits[0][:200]
    ae = Autoencoder(n_components=8, n_iter=1, random_state=0).fit(X)
    R = ae.inverse_transform(ae.transform(X))
    assert ae.score(X) == pytest.approx(-np.mean(np.sum((X - R) ** 2, axis=1)), rel=1e-12)


def test_autoencoder_warns_on_data_outside_unit_interval(digits):
    with pytest.warns(UserWarning, match="loss='squared_error'"):
        Autoencoder(n_components=4, n_iter=1).fit(digits[0] * 16)


def test_autoencoder_divergence_names_learning_rate(digits):
    with np.errstate(all="ignore"), pytest.raises(
        DivergenceError, match="learning_rate.*optimizer='sgd'"
    ) as caught:
        Autoencoder(n_components=4, optimizer="sgd", loss="squared_error",
                    learning_rate=1e6, n_iter=5, random_state=0).fit(digits[0] * 16)
    # as the RBMs' error: raw columns of scale 1,000 diverge at the default step
    assert str(caught.value).endswith("with real-valued input, standardize it first.")


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


# --------------------------------------------------------------- DBNAutoencoder
def tiny_net(**params):
    defaults = dict(hidden_layer_sizes=(4, 2), pretraining="rbm", pretrain_n_iter=2,
                    max_iter=2, batch_size=10, random_state=0)
    return DBNAutoencoder(**{**defaults, **params})


@pytest.mark.parametrize("loss", ["cross_entropy", "squared_error"])
def test_dbn_autoencoder_gradients_match_finite_differences(loss, rng):
    X = rng.random((6, 5))
    ae = tiny_net(loss=loss, alpha=0.1).fit(X)
    params = [p for W, b in zip(ae.coefs_, ae.intercepts_) for p in (W, b)]
    for p in params:  # away from the fitted point, where the gradient is small
        p += 0.5 * rng.standard_normal(p.shape)

    def objective():
        return ae._loss_and_gradients(X, X, None)[0]

    grads = ae._loss_and_gradients(X, X, None)[2].as_list()
    for p, g in zip(params, grads):
        assert_allclose(g, numerical_gradient(objective, p), rtol=FD_RTOL, atol=1e-9)


@pytest.mark.parametrize("pretraining", ["rbm", "autoencoder", "denoising"])
def test_dbn_autoencoder_unrolls_transposed_pretrained_weights(digits, pretraining):
    X = digits[0][:300]
    ae = unrolled(X, hidden_layer_sizes=(16, 8, 2), pretraining=pretraining,
                  pretrain_n_iter=2, random_state=0)
    learners = ae.pretrained_layers_
    assert len(learners) == 3 and len(ae.coefs_) == 6
    for i, learner in enumerate(learners):
        W, c, b = learner._layer_params()
        assert_array_equal(ae.encoder_[i][0], W)
        assert_array_equal(ae.encoder_[i][1], c)
        assert_array_equal(ae.decoder_[2 - i][0], W.T)
        assert_array_equal(ae.decoder_[2 - i][1], b)
        for array in (*ae.encoder_[i], *ae.decoder_[2 - i]):  # fine-tuning won't touch them
            assert not any(np.shares_memory(array, p) for p in (W, c, b))
    # activation='auto': the RBMs' binary units, rectifiers under autoencoders
    unit = "logistic" if pretraining == "rbm" else "relu"
    assert ae.activations_ == [unit, unit, "identity", unit, unit, "logistic"]
    assert all(getattr(lr, "activation", "logistic") == unit for lr in learners[:-1])
    # the code layer is linear: the top learner has Gaussian (linear) units
    top = learners[-1]
    assert (top.hidden_unit == "gaussian" if pretraining == "rbm"
            else top.activation == "identity")
    assert_allclose(ae.transform(X),
                    top.transform(learners[1].transform(learners[0].transform(X))),
                    rtol=1e-10)  # the same up-pass computed two ways
    if pretraining == "rbm":  # Hinton & Salakhutdinov's 0.001 for the code layer
        assert [lr.learning_rate for lr in learners] == [0.1, 0.1, 0.001]


def test_dbn_autoencoder_rbm_stack_unrolls_into_tanh_units_exactly(digits):
    # tanh(z / 2) = 2 sigma(z) - 1: the unrolled tanh net codes and reconstructs
    # as the logistic one; the RBM weights taken unchanged (the former
    # unrolling) started at a reconstruction error several times as large
    X = digits[0][:300]
    params = dict(hidden_layer_sizes=(16, 8, 2), pretraining="rbm", pretrain_n_iter=3,
                  random_state=0)
    logistic, tanh = (unrolled(X, activation=act, **params) for act in ("logistic", "tanh"))
    assert tanh.activations_ == ["tanh", "tanh", "identity", "tanh", "tanh", "logistic"]
    assert_allclose(tanh.transform(X), logistic.transform(X), rtol=1e-10)
    assert_allclose(tanh.score(X), logistic.score(X), rtol=1e-10)


def test_dbn_autoencoder_gaussian_bottom_for_squared_error(digits):
    X = digits[0][:200]
    X = (X - X.mean(0)) / (X.std(0) + 0.1)
    ae = tiny_net(loss="squared_error").fit(X)
    assert type(ae.pretrained_layers_[0]) is GaussianBernoulliRBM
    assert ae.pretrained_layers_[0].learning_rate == 0.001
    assert ae.activations_[-1] == "identity"


def test_dbn_autoencoder_fine_tuning_lowers_the_error(digits):
    X = digits[0]
    params = dict(hidden_layer_sizes=(32, 8), pretrain_batch_size=10, batch_size=20,
                  learning_rate_init=0.01, random_state=0)
    start = unrolled(X, **params)
    tuned = DBNAutoencoder(max_iter=10, **params).fit(X)
    # the same pre-training seed, then fine-tuning: clearly better reconstructions
    assert tuned.score(X) > 0.7 * start.score(X)  # scores are negative
    assert tuned.loss_curve_[-1] < tuned.loss_curve_[0]


def test_dbn_autoencoder_beats_pca_with_a_two_unit_code(digits):
    X = digits[0]
    train, test = X[:1400], X[1400:]
    ae = DBNAutoencoder(hidden_layer_sizes=(64, 32, 2), pretrain_batch_size=10,
                        batch_size=20, learning_rate_init=0.01, max_iter=30,
                        random_state=0).fit(train)
    pca = PCA(n_components=2).fit(train)
    pca_error = np.mean(np.sum((pca.inverse_transform(pca.transform(test)) - test) ** 2, axis=1))
    # measured 2.1 against PCA's 3.3 on these held-out digits
    assert -ae.score(test) < 0.8 * pca_error


@pytest.mark.parametrize("pretraining", ["autoencoder", "denoising"])
def test_a_linear_autoencoder_learns_pca(pretraining, rng):
    """A code layer alone, linear on both sides (squared error on real values),
    pre-trained by an autoencoder: the best linear autoencoder reconstructs
    as PCA does (Baldi & Hornik 1989), so its training error is PCA's and its
    decoder spans PCA's subspace. An RBM would need a layer more."""
    X = rng.normal(size=(600, 8)) @ np.diag([3, 2.5, 2, 0.5, 0.4, 0.3, 0.2, 0.1])
    pca = PCA(n_components=3).fit(X)
    pca_error = np.mean(np.sum((pca.inverse_transform(pca.transform(X)) - X) ** 2, axis=1))
    ae = DBNAutoencoder((3,), pretraining=pretraining, loss="squared_error",
                        early_stopping=False, max_iter=300, random_state=0).fit(X)
    assert ae.activations_ == ["identity", "identity"]
    assert -ae.score(X) < 1.001 * pca_error  # measured 1.00001
    # the cosines of the principal angles between the two 3-d subspaces
    decoder_basis = np.linalg.qr(ae.coefs_[-1].T)[0]
    cosines = np.linalg.svd(pca.components_ @ decoder_basis, compute_uv=False)
    assert cosines.min() > 0.9999  # measured 0.9999998
    with pytest.raises(ValueError, match="A single RBM cannot"):
        DBNAutoencoder((3,), pretraining="rbm", loss="squared_error").fit(X)


def unrolled(X, **params):
    """The pre-trained, unrolled net of ``DBNAutoencoder(**params)`` before fine-tuning."""
    ae = DBNAutoencoder(**params)
    ae._rng = rng_from(ae.random_state)
    ae._resolve_loss(X)
    ae._build(X, X, X.shape[1])
    return ae


def test_dbn_autoencoder_conjugate_gradient_fine_tuning(digits):
    X = digits[0][:400]
    params = dict(hidden_layer_sizes=(16, 4), pretrain_batch_size=10, pretrain_n_iter=13,
                  random_state=0)
    start = unrolled(X, **params)
    ae = DBNAutoencoder(optimizer="cg", batch_size=400, max_iter=3, **params).fit(X)
    assert ae.n_iter_ == 3
    # 9 CG iterations on the whole batch from the same start: a lower error
    assert ae.score(X) > 0.9 * start.score(X)  # scores are negative


def test_dbn_autoencoder_early_stopping_records_validation(digits):
    ae = tiny_net(early_stopping=True, max_iter=4).fit(digits[0][:300])
    assert len(ae.validation_scores_) == ae.n_iter_
    assert ae.best_validation_score_ == max(ae.validation_scores_)


def test_dbn_autoencoder_bad_input(digits):
    with pytest.warns(UserWarning, match="loss='squared_error'"):
        tiny_net(pretraining=None, loss="cross_entropy").fit(digits[0] * 16)
    with np.errstate(all="ignore"), pytest.raises(DivergenceError,
                                                  match="learning_rate_init.*'sgd'"):
        tiny_net(pretraining=None, loss="squared_error", optimizer="sgd",
                 learning_rate_init=1e6).fit(digits[0] * 16)
    ae = tiny_net().fit(digits[0][:100])
    with pytest.raises(ValueError, match="code of 2 units"):
        ae.inverse_transform(digits[0][:3])


def test_dbn_autoencoder_float32_pickle_clone_no_mutation(digits):
    X = digits[0][:200].astype(np.float32)
    before = X.copy()
    ae = tiny_net().fit(X)
    assert_array_equal(X, before)
    assert all(W.dtype == np.float32 for W in ae.coefs_)
    assert ae.transform(X).dtype == np.float32
    assert ae.inverse_transform(ae.transform(X)).dtype == np.float32
    restored = pickle.loads(pickle.dumps(ae))
    assert_array_equal(restored.transform(X), ae.transform(X))
    assert_array_equal(clone(ae).fit(X).transform(X), ae.transform(X))
    ae.partial_fit(X)
    assert ae.n_iter_ == 3


def test_dbn_autoencoder_encoder_layers_for_transfer(digits):
    ae = tiny_net().fit(digits[0][:100])
    layers = ae._encoder_layers()
    assert [(W.shape, act) for W, _, act in layers] == [((64, 4), "logistic"),
                                                        ((4, 2), "identity")]
    assert layers[0][0] is ae.coefs_[0]


def test_dbn_autoencoder_is_a_transfer_learning_source(digits):
    X, y = digits
    ae = tiny_net(hidden_layer_sizes=(16, 4)).fit(X)
    clf = DBNClassifier(hidden_layer_sizes=(16, 4, 8), init_layers=ae, n_frozen_layers=2,
                        pretraining="rbm", pretrain_n_iter=1, max_iter=3,
                        random_state=0).fit(X, y)
    # the frozen bottom is the autoencoder's encoder, linear code included
    for (W, b), W_clf, b_clf in zip(ae.encoder_, clf.coefs_, clf.intercepts_):
        assert_array_equal(W, W_clf)
        assert_array_equal(b, b_clf)
    assert clf.activations_[:2] == ["logistic", "identity"]
    assert type(clf.pretrained_layers_[0]) is GaussianBernoulliRBM  # on a real-valued code


def test_scores_of_float32_rows_whose_squared_errors_overflow_float32():
    """Rows of float32 values near 1e30 (their squared errors, near 1e59, beyond
    float32) get finite scores, the squared errors of the model's float32
    reconstructions summed in float64; they were -inf."""
    X = np.array([[0.0, 1.0], [1e30, 2.0], [3e30, 0.5], [2e30, 4.0]] * 5, dtype=np.float32)
    ae = DBNAutoencoder((4, 1), pretrain_n_iter=2, max_iter=3, random_state=0).fit(X)
    assert ae.transform(X).dtype == np.float32
    R = ae.inverse_transform(ae.transform(X)).astype(np.float64)
    expected = -np.sum((R - X.astype(np.float64)) ** 2, axis=1)
    scores = ae.score_samples(X)
    assert np.all(np.isfinite(scores)) and np.all(np.isfinite(R))
    assert_allclose(scores, expected, rtol=1e-12)
    assert_allclose(ae.score(X), expected.mean(), rtol=1e-12)


def test_a_code_no_smaller_than_the_input_warns():
    """The default code of 30 units on 4 columns need not reduce anything: the
    warning names the setting; a code of 2 on the same rows does not warn."""
    X = np.random.default_rng(0).random((60, 4))
    with pytest.warns(UserWarning, match="30 units for 4 input features.*hidden_layer_sizes"):
        DBNAutoencoder((8, 30), pretrain_n_iter=1, max_iter=1, random_state=0).fit(X)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*need not reduce")
        DBNAutoencoder((8, 2), pretrain_n_iter=1, max_iter=1, random_state=0).fit(X)
