"""DBNClassifier and DBNRegressor: fine-tuning, transfer learning, bad input."""

import pickle
import re
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from finite_differences import numerical_gradient
from sklearn.base import clone, is_classifier, is_regressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import GridSearchCV, train_test_split

from skdeep import DBN, Autoencoder, DBNClassifier, DBNRegressor
from skdeep._deep import FINE_TUNING_OPTIMIZERS
from skdeep._kernels.network import forward, trainable_parameters
from skdeep._training import DivergenceError

FAST = dict(pretrain_n_iter=3, learning_rate_init=0.01, max_iter=20, random_state=0)


@pytest.fixture(scope="module")
def digits_split(digits):
    X, y = digits
    return train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)


@pytest.fixture(scope="module")
def small_dbn(digits):
    return DBN(hidden_layer_sizes=(32,), n_iter=10, random_state=0).fit(digits[0])


def quiet(estimator, *args):
    """Fit a short run, which warns that it has not converged."""
    with pytest.warns(ConvergenceWarning):
        return estimator.fit(*args)


@pytest.mark.parametrize("batch_normalization", [False, True])
def test_whole_net_gradients_match_finite_differences(batch_normalization, rng):
    X = rng.random((12, 6))
    y = np.arange(12) % 3
    clf = DBNClassifier(hidden_layer_sizes=(5, 4), pretraining=None, alpha=0.01,
                        batch_normalization=batch_normalization, n_frozen_layers=1,
                        max_iter=1, random_state=0)
    with pytest.warns(ConvergenceWarning):
        clf.fit(X, y)
    Y = np.eye(3)[y]

    def objective():
        return clf._loss_and_gradients(X, Y, rng)[0]

    grads = clf._loss_and_gradients(X, Y, rng)[2].as_list()
    params = trainable_parameters(clf.coefs_, clf.intercepts_, clf.batch_norms_,
                                  clf._trainable)
    assert len(params) == (6 if batch_normalization else 4)  # layer 0 frozen
    for analytic, param in zip(grads, params):
        # central differences in float64: error ~1e-9, far below 1e-5
        np.testing.assert_allclose(analytic, numerical_gradient(objective, param),
                                   rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("pretraining", ["rbm", "denoising"])
def test_pretraining_then_fine_tuning_beats_chance_on_digits(pretraining, digits_split):
    X_train, X_test, y_train, y_test = digits_split
    clf = DBNClassifier(hidden_layer_sizes=(64,), pretraining=pretraining, **FAST)
    quiet(clf, X_train, y_train)
    assert len(clf.pretrained_layers_) == 1
    # chance is 0.1; a fine-tuned 64-64-10 network gets about 0.95
    assert clf.score(X_test, y_test) > 0.9


def test_frozen_pretrained_layer_is_the_pretrained_one(digits_split):
    X_train, _, y_train, _ = digits_split
    clf = DBNClassifier(hidden_layer_sizes=(32, 16), n_frozen_layers=1, **FAST)
    quiet(clf, X_train, y_train)
    W, c, _ = clf.pretrained_layers_[0]._layer_params()
    np.testing.assert_array_equal(clf.coefs_[0], W)
    np.testing.assert_array_equal(clf.intercepts_[0], c)
    W2, _, _ = clf.pretrained_layers_[1]._layer_params()
    assert not np.allclose(clf.coefs_[1], W2)  # the unfrozen layer moved


def test_rbm_layers_start_tanh_units_where_logistic_units_start(digits_split):
    # tanh(z / 2) = 2 sigma(z) - 1: with the pre-trained layers frozen, the
    # tanh network's hidden units are the logistic network's, mapped to [-1, 1]
    X_train, X_test, y_train, _ = digits_split
    hidden = {}
    for activation in ("logistic", "tanh"):
        clf = DBNClassifier(hidden_layer_sizes=(32, 16), pretraining="rbm",
                            activation=activation, n_frozen_layers=2, **FAST)
        quiet(clf, X_train, y_train)
        W, b, acts = zip(*clf._encoder_layers())
        assert acts == (activation, activation)
        hidden[activation] = forward(X_test, list(W), list(b), list(acts)).output
    np.testing.assert_allclose(hidden["tanh"], 2 * hidden["logistic"] - 1, atol=1e-12)


def test_rbm_layers_under_rectifiers_are_not_dead(rng):
    # RBM hidden biases are mostly negative: taken unchanged by rectifier
    # units, every unit was off on every row and the regressor learned nothing
    # (R^2 0.00 here); matched to the logistic units, it fits the linear target
    X = rng.random((300, 5))
    y = 1000 * X @ rng.standard_normal(5) + 5000
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    reg = DBNRegressor(pretraining="rbm", activation="relu", random_state=0).fit(X_train, y_train)
    assert np.mean(reg.pretrained_layers_[0].intercept_hidden_ < 0) > 0.5  # as described
    assert reg.score(X_test, y_test) > 0.9


def test_transfer_from_dbn_keeps_frozen_layers_and_source(small_dbn, digits_split):
    X_train, X_test, y_train, y_test = digits_split
    W, c, _ = small_dbn.estimators_[0]._layer_params()
    W_before, c_before = W.copy(), c.copy()
    clf = DBNClassifier(hidden_layer_sizes=(32, 16), init_layers=small_dbn,
                        n_frozen_layers=1, **FAST)
    quiet(clf, X_train, y_train)
    np.testing.assert_array_equal(clf.coefs_[0], W_before)
    np.testing.assert_array_equal(clf.intercepts_[0], c_before)
    assert clf.coefs_[0] is not W  # a copy: the source is never modified
    np.testing.assert_array_equal(W, W_before)
    assert len(clf.pretrained_layers_) == 1  # only the layer above was pre-trained
    assert clf.pretrained_layers_[0].n_features_in_ == 32
    assert clf.score(X_test, y_test) > 0.7  # frozen 32 features; chance is 0.1


def test_transfer_survives_clone_and_grid_search(small_dbn, digits):
    X, y = digits[0][:500], digits[1][:500]
    W = small_dbn.estimators_[0]._layer_params()[0].copy()
    frozen = FrozenEstimator(small_dbn)
    base = DBNClassifier(hidden_layer_sizes=(32,), init_layers=frozen, n_frozen_layers=1,
                         **{**FAST, "max_iter": 5})
    assert clone(base).init_layers is frozen  # FrozenEstimator clones to itself
    search = GridSearchCV(base, {"alpha": [1e-4, 1e-2]}, cv=2, error_score="raise")
    with pytest.warns(ConvergenceWarning):
        search.fit(X, y)
    np.testing.assert_array_equal(search.best_estimator_.coefs_[0], W)
    # a raw fitted source clones to an unfitted one, which is fitted on X first
    raw = clone(DBNClassifier(hidden_layer_sizes=(32,), init_layers=small_dbn,
                              **{**FAST, "max_iter": 2}))
    with pytest.warns(ConvergenceWarning):
        raw.fit(X, y)
    assert not hasattr(raw.init_layers, "estimators_")
    assert raw.coefs_[0].shape == (64, 32)


def test_transfer_folds_batch_norm_and_chains_estimators(digits):
    X, y = digits[0][:400], digits[1][:400]
    source = DBNClassifier(hidden_layer_sizes=(16, 8), pretraining=None,
                           batch_normalization=True, activation="tanh",
                           **{**FAST, "max_iter": 3})
    with pytest.warns(ConvergenceWarning):
        source.fit(X, y)
    target = DBNRegressor(hidden_layer_sizes=(16, 8), init_layers=FrozenEstimator(source),
                          n_frozen_layers=2, **{**FAST, "max_iter": 2})
    with pytest.warns(ConvergenceWarning):
        target.fit(X, y.astype(float))
    assert target.activations_ == ["tanh", "tanh", "identity"]
    # the target's frozen layers compute the source's hidden features exactly
    src = forward(X, source.coefs_[:2], source.intercepts_[:2], source.activations_[:2],
                  batch_norms=source.batch_norms_[:2]).output
    tgt = forward(X, target.coefs_[:2], target.intercepts_[:2], target.activations_[:2]).output
    np.testing.assert_allclose(tgt, src, rtol=1e-10, atol=1e-12)


def test_transfer_from_autoencoder(digits):
    X, y = digits[0][:300], digits[1][:300]
    ae = Autoencoder(n_components=16, n_iter=2, random_state=0).fit(X)
    clf = DBNClassifier(hidden_layer_sizes=(16,), init_layers=ae, n_frozen_layers=1,
                        **{**FAST, "max_iter": 2})
    with pytest.warns(ConvergenceWarning):
        clf.fit(X, y)
    np.testing.assert_allclose(clf.coefs_[0], ae._layer_params()[0])


def test_transfer_errors(small_dbn, digits):
    X, y = digits[0][:100], digits[1][:100]
    with pytest.raises(ValueError, match="bottom of the network"):
        DBNClassifier(hidden_layer_sizes=(10,), init_layers=small_dbn).fit(X, y)
    with pytest.raises(TypeError, match="init_layers must be"):
        DBNClassifier(hidden_layer_sizes=(10,), init_layers=object()).fit(X, y)
    with pytest.raises(ValueError, match="n_frozen_layers=3 exceeds"):
        DBNClassifier(hidden_layer_sizes=(10,), n_frozen_layers=3).fit(X, y)


def test_grid_search_over_pretraining(digits):
    X, y = digits[0][:300], digits[1][:300]
    base = DBNClassifier(hidden_layer_sizes=(16,), pretrain_n_iter=2, max_iter=10,
                         batch_size=20, learning_rate_init=0.01, random_state=0)
    search = GridSearchCV(base, {"pretraining": ["rbm", "denoising", None]}, cv=2,
                          error_score="raise")
    with pytest.warns(ConvergenceWarning):
        search.fit(X, y)
    assert search.best_params_["pretraining"] in ("rbm", "denoising", None)
    assert len(search.cv_results_["mean_test_score"]) == 3
    assert np.all(np.asarray(search.cv_results_["mean_test_score"]) > 0.3)  # chance 0.1


def test_pickle_and_clone_round_trip(digits):
    X, y = digits[0][:200], digits[1][:200]
    clf = DBNClassifier(hidden_layer_sizes=(16,), batch_normalization=True,
                        **{**FAST, "max_iter": 3})
    with pytest.warns(ConvergenceWarning):
        clf.fit(X, y)
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))
    twin = clone(clf)
    assert twin.get_params() == clf.get_params()
    assert not hasattr(twin, "coefs_")
    restored.partial_fit(X, y)  # the optimizer state survives pickling too
    assert restored.n_iter_ == clf.n_iter_ + 1


def test_partial_fit_one_epoch_per_call(digits):
    X, y = digits[0][:300], digits[1][:300]
    clf = DBNClassifier(hidden_layer_sizes=(16,), pretraining=None, learning_rate_init=0.01,
                        random_state=0)
    classes = np.unique(y)
    clf.partial_fit(X[y < 5], y[y < 5], classes=classes)
    np.testing.assert_array_equal(clf.classes_, classes)
    for _ in range(9):
        clf.partial_fit(X, y)
    assert clf.n_iter_ == 10 and len(clf.loss_curve_) == 10
    assert clf.loss_curve_[-1] < clf.loss_curve_[1]
    with pytest.raises(ValueError, match="not in classes_"):
        clf.partial_fit(X[:5], np.array([0, 1, 2, 3, 99]))


def test_learning_rate_decay_divides_the_step_size_by_one_plus_decay_times_epoch(digits):
    X, y = digits[0][:300], digits[1][:300]
    common = dict(hidden_layer_sizes=(16,), pretraining=None, optimizer="sgd", random_state=0)
    decayed = DBNClassifier(learning_rate_init=0.1, learning_rate_decay=1.5, max_iter=3,
                            tol=0.0, n_iter_no_change=5, **common)
    with pytest.warns(ConvergenceWarning):
        decayed.fit(X, y)
    by_hand = DBNClassifier(**common)
    for epoch in range(3):  # the schedule, set by hand before each epoch
        by_hand.set_params(learning_rate_init=0.1 / (1 + 1.5 * epoch))
        by_hand.partial_fit(X, y, classes=np.unique(y))
    constant = clone(decayed).set_params(learning_rate_decay=0.0)
    with pytest.warns(ConvergenceWarning):
        constant.fit(X, y)
    for W_decayed, W_hand, W_constant in zip(decayed.coefs_, by_hand.coefs_, constant.coefs_):
        np.testing.assert_allclose(W_decayed, W_hand, rtol=1e-6, atol=1e-9)
        assert not np.allclose(W_decayed, W_constant)


def test_early_stopping_keeps_best_parameters(digits):
    X, y = digits
    clf = DBNClassifier(hidden_layer_sizes=(32,), pretraining=None, early_stopping=True,
                        n_iter_no_change=3, learning_rate_init=0.05, max_iter=200,
                        random_state=0).fit(X, y)
    assert clf.n_iter_ < 200
    assert len(clf.validation_scores_) == clf.n_iter_
    assert clf.best_validation_score_ == max(clf.validation_scores_)
    assert clf.best_loss_ is None
    # stopped because the last 3 epochs did not beat the best by tol
    assert max(clf.validation_scores_[-3:]) <= clf.best_validation_score_ + clf.tol


def test_warm_start_continues(digits):
    X, y = digits[0][:200], digits[1][:200]
    clf = DBNClassifier(hidden_layer_sizes=(16,), warm_start=True, **{**FAST, "max_iter": 3})
    with pytest.warns(ConvergenceWarning):
        clf.fit(X, y)
    first = clf.coefs_[0]
    with pytest.warns(ConvergenceWarning):
        clf.fit(X, y)
    assert clf.n_iter_ == 6 and clf.coefs_[0] is first


@pytest.mark.parametrize("optimizer", FINE_TUNING_OPTIMIZERS)
def test_every_optimizer_reduces_the_loss(optimizer, digits):
    X, y = digits[0][:300], digits[1][:300]
    lr = {"sgd": 0.5, "momentum": 0.1, "nesterov": 0.1, "adadelta": 1.0}.get(optimizer, 0.01)
    clf = DBNClassifier(hidden_layer_sizes=(16,), pretraining=None, activation="tanh",
                        optimizer=optimizer, learning_rate_init=lr, batch_size=20,
                        max_iter=5, random_state=0)
    with pytest.warns(ConvergenceWarning):
        clf.fit(X, y)
    # log 10 = 2.30 at chance; every rule gets well below it in 5 epochs
    assert clf.loss_curve_[-1] < 0.8 * clf.loss_curve_[0]


@pytest.mark.parametrize("activation, init", [("tanh", "lecun"), ("relu", "he"),
                                              ("leaky_relu", "he")])
def test_activations_dropout_batch_norm_float32(activation, init, digits):
    X, y = digits[0][:300].astype(np.float32), digits[1][:300]
    clf = DBNClassifier(hidden_layer_sizes=(32, 16), pretraining=None, activation=activation,
                        init=init, dropout=0.2, input_dropout=0.1, batch_normalization=True,
                        **{**FAST, "max_iter": 30})
    with pytest.warns(ConvergenceWarning):
        clf.fit(X, y)
    assert all(W.dtype == np.float32 for W in clf.coefs_)
    proba = clf.predict_proba(X)
    assert proba.dtype == np.float32
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)
    np.testing.assert_array_equal(clf.predict_proba(X), proba)  # no dropout at predict
    assert clf.score(X, y) > 0.8


def test_string_labels_and_log_proba(digits):
    X, y = digits[0][:200], digits[1][:200]
    labels = np.array(["zero", "one", "two", "three", "four", "five", "six", "seven",
                       "eight", "nine"], dtype=object)[y]
    clf = DBNClassifier(hidden_layer_sizes=(16,), **{**FAST, "max_iter": 3})
    with pytest.warns(ConvergenceWarning):
        clf.fit(X, labels)
    assert set(clf.predict(X)) <= set(labels)
    np.testing.assert_allclose(np.exp(clf.predict_log_proba(X)), clf.predict_proba(X))


def test_regressor_multi_output(rng):
    X = rng.random((300, 5))
    Y = np.column_stack([X @ [1.0, -1.0, 0.5, 0.0, 0.2], X[:, 0] * X[:, 1]])
    reg = DBNRegressor(hidden_layer_sizes=(16,), pretraining="autoencoder",
                       **{**FAST, "max_iter": 100}).fit(X, Y)
    assert reg.predict(X).shape == (300, 2)
    assert reg.score(X, Y) > 0.8
    reg1 = DBNRegressor(hidden_layer_sizes=(8,), **{**FAST, "max_iter": 2})
    with pytest.warns(ConvergenceWarning):
        reg1.fit(X, Y[:, 0])
    assert reg1.predict(X).shape == (300,)


def test_bad_input_errors(digits, rng):
    X, y = digits[0][:100], digits[1][:100]
    clf = DBNClassifier(hidden_layer_sizes=(8,), **{**FAST, "max_iter": 2})
    with pytest.raises(ValueError, match="Unknown label type"):
        clf.fit(X, rng.random(100))
    with pytest.raises(ValueError, match="at least 2 classes"):
        clf.fit(X, np.zeros(100))
    X_nan = X.copy()
    X_nan[3, 3] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        clf.fit(X_nan, y)
    with pytest.raises(ValueError, match="NaN"):
        DBNRegressor().fit(X, np.where(y == 3, np.nan, y))
    with pytest.warns(ConvergenceWarning):
        clf.fit(X, y)
    with pytest.raises(ValueError, match="features"):
        clf.predict(X[:, :10])


def test_divergence_names_learning_rate_and_optimizer(rng):
    X = rng.random((100, 4))
    y = 1e6 * rng.standard_normal(100)
    reg = DBNRegressor(hidden_layer_sizes=(8,), pretraining=None, optimizer="sgd",
                       learning_rate_init=10.0, max_iter=100, n_iter_no_change=100,
                       random_state=0)
    with pytest.raises(DivergenceError, match=re.escape("learning_rate_init (now 10.0)")) as e:
        with np.errstate(all="ignore"):
            reg.fit(X, y)
    assert "'sgd'" in str(e.value)


def test_fit_does_not_mutate_inputs(digits):
    X, y = digits[0][:100].copy(), digits[1][:100].copy()
    X0, y0 = X.copy(), y.copy()
    clf = DBNClassifier(hidden_layer_sizes=(8,), input_dropout=0.5, early_stopping=True,
                        **{**FAST, "max_iter": 2})
    with pytest.warns(ConvergenceWarning):
        clf.fit(X, y)
    clf.partial_fit(X, y)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)


def test_verbose_prints_one_line_per_epoch(digits, capsys):
    X, y = digits[0][:200], digits[1][:200]
    clf = DBNClassifier(hidden_layer_sizes=(8,), early_stopping=True, verbose=1,
                        **{**FAST, "max_iter": 3})
    with pytest.warns(ConvergenceWarning):
        clf.fit(X, y)
    lines = [ln for ln in capsys.readouterr().out.splitlines() if "epoch" in ln]
    assert len(lines) == 3
    assert all("loss" in ln and "validation score" in ln and "s," in ln for ln in lines)


@pytest.mark.parametrize("pretraining, learner", [("rbm", "BernoulliRBM"),
                                                  ("autoencoder", "Autoencoder"),
                                                  ("denoising", "Autoencoder")])
def test_pretraining_settings_reach_the_layer_learners(pretraining, learner, digits):
    X, y = digits[0][:200], digits[1][:200]
    clf = DBNClassifier(hidden_layer_sizes=(12, 6), pretraining=pretraining, pretrain_n_iter=2,
                        pretrain_learning_rate=0.05, pretrain_batch_size=20, pretrain_k=2,
                        pretrain_momentum=0.5, pretrain_weight_decay=0.001, max_iter=1,
                        random_state=0)
    with pytest.warns(ConvergenceWarning):
        clf.fit(X, y)
    layers = clf.pretrained_layers_
    assert [type(layer).__name__ for layer in layers] == [learner] * 2
    assert [layer.n_components for layer in layers] == [12, 6]
    for layer in layers:
        assert (layer.n_iter, layer.learning_rate, layer.batch_size, layer.momentum,
                layer.weight_decay) == (2, 0.05, 20, 0.5, 0.001)
        assert getattr(layer, "k", 2) == 2
        assert getattr(layer, "noise", None) == ("masking" if pretraining == "denoising" else None)


@pytest.mark.parametrize("cls", [DBNClassifier, DBNRegressor])
def test_integer_sample_weights_equal_repeated_rows_in_full_batches(cls, rng):
    # one batch holding every row, no shuffling: a row of weight k is k rows
    X = rng.random((30, 4))
    y = (X[:, 0] > 0.5).astype(int) if cls is DBNClassifier else X @ [1.0, -2.0, 0.5, 3.0]
    w = rng.integers(0, 4, 30)
    params = dict(hidden_layer_sizes=(5,), pretraining=None, batch_size=1000, shuffle=False,
                  max_iter=20, tol=0.0, n_iter_no_change=100, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        weighted = cls(**params).fit(X, y, sample_weight=w)
        repeated = cls(**params).fit(np.repeat(X, w, axis=0), np.repeat(y, w))
    for a, b in zip(weighted.coefs_, repeated.coefs_):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(weighted.loss_curve_, repeated.loss_curve_, rtol=1e-9)


# ------------------------------------------------------------- sparse input
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("make", [
    lambda: DBNClassifier(hidden_layer_sizes=(16, 8), pretrain_n_iter=2, max_iter=3,
                          random_state=0),
    lambda: DBNClassifier(hidden_layer_sizes=(16,), pretraining="rbm", pretrain_n_iter=2,
                          max_iter=3, early_stopping=True, random_state=0),
    lambda: DBNRegressor(hidden_layer_sizes=(16,), pretraining="autoencoder",
                         pretrain_n_iter=2, max_iter=3, random_state=0),
    lambda: DBNRegressor(hidden_layer_sizes=(16,), input_dropout=0.2, pretrain_n_iter=2,
                         max_iter=3, random_state=0),
    lambda: Autoencoder(n_components=8, noise="masking", n_iter=3, random_state=0),
], ids=["classifier-denoising", "classifier-rbm-early-stopping", "regressor",
        "regressor-input-dropout", "autoencoder"])
def test_a_sparse_matrix_fits_as_its_dense_copy(digits, make):
    """A CSR or CSC matrix gives the model its dense copy gives, unlabeled
    rows included: fine-tuning multiplies sparse minibatches by the first
    layer's weights (dense ones under input dropout), pre-training makes
    them dense one at a time."""
    X, y = digits[0][:300], digits[1][:300].copy()
    dense = make()
    if is_classifier(dense):
        y[200:] = -1
    elif not is_regressor(dense):
        y = None
    dense.fit(X, y)
    for fmt in (sp.csr_matrix, sp.csc_matrix):
        sparse = make().fit(fmt(X), y)
        for W_dense, W_sparse in zip(dense_weights(dense), dense_weights(sparse)):
            np.testing.assert_allclose(W_sparse, W_dense, rtol=1e-10, atol=1e-12)
        method = "transform" if hasattr(dense, "transform") else "predict"
        np.testing.assert_allclose(getattr(sparse, method)(fmt(X)), getattr(dense, method)(X),
                                   rtol=1e-10, atol=1e-12)


def dense_weights(model):
    return model.coefs_ if hasattr(model, "coefs_") else [model.components_]


def test_a_sparse_matrix_with_gaussian_input_units_says_what_to_do(digits):
    X, y = digits
    with pytest.raises(TypeError, match="dense input.*toarray"):
        DBNClassifier(visible_unit="gaussian").fit(sp.csr_matrix(X), y)
