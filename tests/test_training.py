"""The shared epoch loop: one divergence rule for every estimator, and the BLAS
thread choice for small products."""

import re
import warnings

import numpy as np
import pytest
from sklearn.datasets import make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import MinMaxScaler

import skdeep._kernels.parallel as parallel
from skdeep import (
    DBN,
    Autoencoder,
    BernoulliRBM,
    DBNAutoencoder,
    DBNClassifier,
    DBNRegressor,
    GaussianBernoulliRBM,
)
from skdeep._training import (
    LOSS_GROWTH,
    WEIGHT_BOUND,
    DivergenceError,
    divergence,
    stopping_patience,
)


def test_divergence_rule():
    assert divergence(1.0, 1.0) is None
    assert "non-finite" in divergence(np.nan, 1.0)
    assert "non-finite" in divergence(1.0, 1.0, parameters=[np.array([np.inf])])
    assert "grew" in divergence(1.01 * LOSS_GROWTH, 1.0)
    assert divergence(0.99 * LOSS_GROWTH, 1.0) is None
    assert "weight" in divergence(1.0, 1.0, weights=[np.array([[2 * WEIGHT_BOUND]])])
    # biases are not bounded: a Gaussian unit's bias is the data mean
    assert divergence(1.0, 1.0, parameters=[np.array([2 * WEIGHT_BOUND])]) is None


# Each of these ended with a finite but useless model (|W| up to 2e73, R^2 -1e147).
@pytest.mark.parametrize("make, parameter", [
    (lambda: BernoulliRBM(n_components=3, learning_rate=1e6, n_iter=20), "learning_rate"),
    (lambda: GaussianBernoulliRBM(n_components=3, learning_rate=1e6, n_iter=20),
     "learning_rate"),
    (lambda: Autoencoder(n_components=3, learning_rate=1e6, n_iter=20), "learning_rate"),
    (lambda: DBNRegressor(hidden_layer_sizes=(4,), learning_rate_init=1e6, optimizer="sgd",
                          max_iter=20), "learning_rate_init"),
    (lambda: DBNClassifier(hidden_layer_sizes=(4,), pretraining=None, learning_rate_init=1e6,
                           optimizer="sgd", max_iter=20), "learning_rate_init"),
    (lambda: DBNAutoencoder(hidden_layer_sizes=(4, 2), pretraining=None,
                            learning_rate_init=1e6, optimizer="sgd", max_iter=20),
     "learning_rate_init"),
    (lambda: DBN(hidden_layer_sizes=(4,), learning_rate=1e6, n_iter=20), "learning_rate"),
])
def test_every_estimator_stops_a_diverging_fit(make, parameter, Xy):
    X, y = Xy
    estimator = make().set_params(random_state=0)
    args = (X, 100.0 * y) if isinstance(estimator, DBNRegressor) else (X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        # the error, not numpy's overflow warnings before it, tells what to do
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.raises(DivergenceError, match=re.escape(parameter)):
            estimator.fit(*args)


def test_a_converging_fit_is_not_called_diverged(digits):
    X, y = digits
    clf = DBNClassifier(hidden_layer_sizes=(16,), pretraining=None, max_iter=10,
                        random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)
    assert clf.loss_curve_[-1] < clf.loss_curve_[0]


@pytest.mark.parametrize("threshold", [0, 1 << 40])
def test_the_thread_choice_never_changes_results(threshold, digits, monkeypatch):
    X, y = digits
    params = dict(hidden_layer_sizes=(32,), pretraining="rbm", pretrain_n_iter=2, max_iter=3,
                  random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        with parallel._blas_controller().limit(limits=2):
            monkeypatch.setattr(parallel, "SINGLE_THREAD_WORK", threshold)
            chosen = DBNClassifier(**params).fit(X, y)
        with parallel._blas_controller().limit(limits=1):
            one = DBNClassifier(**params).fit(X, y)
    for a, b in zip(chosen.coefs_, one.coefs_):
        np.testing.assert_array_equal(a, b)


def test_small_products_run_on_one_blas_thread():
    with parallel._blas_controller().limit(limits=2):
        with parallel.blas_threads_for(parallel.SINGLE_THREAD_WORK - 1):
            assert parallel.blas_threads() == 1
        with parallel.blas_threads_for(parallel.SINGLE_THREAD_WORK):
            assert parallel.blas_threads() == 2
        assert parallel.blas_threads() == 2


def test_a_plateau_of_a_few_dozen_updates_does_not_stop_a_fit():
    # independent inputs give an RBM nothing to learn: its weights stay near 0,
    # and the logistic network starts on a plateau of 0.5 (the targets'
    # variance halved) that lasts about 40 epochs of 3 updates. Ten epochs
    # without improvement (30 updates) used to stop it there at R^2 = 0
    X, y = make_regression(n_samples=800, n_features=10, noise=10.0, random_state=0)
    X = MinMaxScaler().fit_transform(X)
    model = DBNRegressor(pretraining="rbm", activation="logistic", random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X[:600], y[:600])
    assert stopping_patience(10, 3) == 34 and stopping_patience(10, 600) == 10
    assert model.n_iter_ > 40
    assert model.score(X[600:], y[600:]) > 0.9
