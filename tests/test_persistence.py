"""Every fitted public estimator round-trips through skops (and pickle) with
identical outputs, trusting only what ``skdeep.trusted_types()`` names."""

import importlib
import pickle
import warnings

import numpy as np
import pytest
from sklearn.base import BaseEstimator, clone, is_classifier, is_regressor
from test_common import INIT_PARAMS, make_instance, public_estimators

import skdeep

sio = pytest.importorskip("skops.io",
                          reason="skops not installed: pip install scikit-deep[persist]")

# Settings beyond INIT_PARAMS that put other helper objects on the estimator:
# every optimizer, batch normalization, transferred and frozen layers.
VARIANTS = {
    "Autoencoder": [dict(optimizer=name) for name in
                    ("sgd", "nesterov", "adagrad", "adadelta", "rmsprop", "adam", "radam")],
    "DBNClassifier": [dict(batch_normalization=True, optimizer="momentum"),
                      dict(pretraining="denoising", optimizer="cg", max_iter=2)],
    "DBNRegressor": [dict(pretraining=None, batch_normalization=True)],
    "GaussianBernoulliRBM": [dict(momentum="hinton", method="cd")],
    "BernoulliRBM": [dict(momentum=0.5)],
}

OUTPUT_METHODS = ["transform", "predict", "predict_proba", "predict_log_proba",
                  "decision_function", "score_samples", "free_energy",
                  "pseudo_likelihood"]


def cases():
    for cls in public_estimators():
        yield pytest.param(cls, {}, id=cls.__name__)
        for i, params in enumerate(VARIANTS.get(cls.__name__, [])):
            yield pytest.param(cls, params, id=f"{cls.__name__}-{i}")


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.random((40, 5))
    return X, np.arange(40) % 2, X @ [1.0, -1.0, 0.5, 0.0, 2.0]


def same_params(a, b):
    """Equal parameters; a wrapped estimator (equal only to itself) compares by
    type, its own parameters being among ``get_params()``'s ``estimator__*``."""
    def plain(est):
        return {k: type(v) if isinstance(v, BaseEstimator) else v
                for k, v in est.get_params().items()}
    return plain(a) == plain(b)


def fitted(cls, params, data):
    X, y_class, y_real = data
    estimator = make_instance(cls).set_params(**params)
    y = y_class if is_classifier(estimator) else y_real if is_regressor(estimator) else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence of the tiny fits
        estimator.fit(X, y)
        if hasattr(estimator, "score_samples"):
            estimator.score_samples(X)  # an RBM caches log Z: that is saved too
    return estimator, y


def outputs(estimator, X, y):
    """Everything the estimator computes from ``X`` deterministically."""
    results = {}
    for name in OUTPUT_METHODS:
        if hasattr(estimator, name):
            try:
                results[name] = getattr(estimator, name)(X)
            except ValueError as exc:  # GaussianBernoulliRBM.pseudo_likelihood
                results[name] = str(exc)
    if hasattr(estimator, "inverse_transform"):
        results["inverse_transform"] = estimator.inverse_transform(results["transform"])
    if hasattr(estimator, "score"):
        results["score"] = estimator.score(X, y)
    if hasattr(estimator, "sample"):
        results["sample"] = estimator.sample(3, random_state=0)
    if hasattr(estimator, "gibbs"):  # draws from the estimator's own generator
        results["gibbs"] = estimator.gibbs(X)
    return results


def assert_same_outputs(a, b, X, y):
    out_a, out_b = outputs(a, X, y), outputs(b, X, y)
    assert out_a.keys() == out_b.keys()
    for name in out_a:
        a_out, b_out = out_a[name], out_b[name]
        if isinstance(a_out, tuple):  # SemiSupervisedVAE.sample: (X, y)
            assert isinstance(b_out, tuple) and len(a_out) == len(b_out), name
            for i, (a_part, b_part) in enumerate(zip(a_out, b_out)):
                np.testing.assert_array_equal(a_part, b_part, err_msg=f"{name}[{i}]")
        else:
            np.testing.assert_array_equal(a_out, b_out, err_msg=name)


@pytest.mark.parametrize("cls, params", list(cases()))
def test_skops_round_trip_gives_identical_outputs(cls, params, data):
    estimator, y = fitted(cls, params, data)
    X = data[0]
    dumped = sio.dumps(estimator)
    untrusted = sio.get_untrusted_types(data=dumped)
    # the estimator's own types need trust; nothing outside the documented list does
    assert f"{cls.__module__}.{cls.__qualname__}" in untrusted
    assert set(untrusted) <= set(skdeep.trusted_types()), untrusted
    with pytest.raises(sio.exceptions.UntrustedTypesFoundException):
        sio.loads(dumped)
    loaded = sio.loads(dumped, trusted=skdeep.trusted_types())
    assert type(loaded) is cls and same_params(loaded, estimator)
    assert_same_outputs(estimator, loaded, X, y)


@pytest.mark.parametrize("cls, params", list(cases()))
def test_skops_round_trip_continues_training_identically(cls, params, data):
    # the optimizer state, the training history and the random generator are
    # saved, so partial_fit (or a warm start) goes on as if never saved
    estimator, y = fitted(cls, params, data)
    if not hasattr(estimator, "partial_fit"):
        pytest.skip(f"{cls.__name__} has no partial_fit")
    X = data[0]
    loaded = sio.loads(sio.dumps(estimator), trusted=skdeep.trusted_types())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for model in (estimator, loaded):
            model.partial_fit(X, y) if y is not None else model.partial_fit(X)
    assert_same_outputs(estimator, loaded, X, y)


def test_pickle_round_trip_gives_identical_outputs(data):
    for cls in public_estimators():
        estimator, y = fitted(cls, {}, data)
        assert_same_outputs(estimator, pickle.loads(pickle.dumps(estimator)), data[0], y)


def test_transferred_layers_round_trip(data):
    X, y, _ = data
    source, _ = fitted(skdeep.DBN, {}, data)
    clf = make_instance(skdeep.DBNClassifier).set_params(
        init_layers=source, hidden_layer_sizes=(5, 3), n_frozen_layers=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf.fit(X, y)
    dumped = sio.dumps(clf)
    assert set(sio.get_untrusted_types(data=dumped)) <= set(skdeep.trusted_types())
    loaded = sio.loads(dumped, trusted=skdeep.trusted_types())
    assert_same_outputs(clf, loaded, X, y)
    assert type(loaded.init_layers) is skdeep.DBN


def test_trusted_types_name_skdeep_classes_only():
    names = skdeep.trusted_types()
    assert names == sorted(set(names))
    for name in names:
        module, _, qualname = name.rpartition(".")
        assert module.split(".")[0] == "skdeep"
        assert isinstance(getattr(importlib.import_module(module), qualname), type)
    # every public estimator is there
    assert {f"{c.__module__}.{c.__qualname__}" for c in public_estimators()} <= set(names)


def test_every_estimator_has_init_params_for_these_tests():
    assert {cls.__name__ for cls in public_estimators()} <= set(INIT_PARAMS)
    assert all(clone(make_instance(cls)) is not None for cls in public_estimators())


def test_pipeline_and_frozen_layers_need_no_other_trust(data):
    from sklearn.frozen import FrozenEstimator
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    X, y, _ = data
    source, _ = fitted(skdeep.DBN, {}, data)
    clf = make_instance(skdeep.DBNClassifier).set_params(
        init_layers=FrozenEstimator(source), hidden_layer_sizes=(5, 3))
    model = make_pipeline(make_instance(skdeep.BernoulliRBM), LogisticRegression())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf.fit(X, y)
        model.fit(X, y)
    for estimator in (clf, model):
        dumped = sio.dumps(estimator)
        assert set(sio.get_untrusted_types(data=dumped)) <= set(skdeep.trusted_types())
        loaded = sio.loads(dumped, trusted=skdeep.trusted_types())
        np.testing.assert_array_equal(loaded.predict_proba(X), estimator.predict_proba(X))
