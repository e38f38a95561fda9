"""State made at the first fit is checked at every later one: settings changed
between ``partial_fit`` calls are applied, or refused with an error that names
them; data of another dtype is cast to the model's."""

import re
import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from skdeep import (
    Autoencoder,
    BernoulliRBM,
    DBNAutoencoder,
    DBNClassifier,
    DBNRegressor,
    GaussianBernoulliRBM,
    SemiSupervisedVAE,
    VariationalAutoencoder,
)
from skdeep._kernels.optimizers import SGD, Adam, Momentum


@pytest.fixture(autouse=True)
def _few_updates_are_expected():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield


@pytest.mark.parametrize("cls", [BernoulliRBM, GaussianBernoulliRBM, Autoencoder])
def test_partial_fit_casts_data_of_another_dtype(cls, Xy):
    X, _ = Xy
    model = cls(n_components=3, n_iter=2, random_state=0).fit(X)
    model.partial_fit(X.astype(np.float32))
    assert model.components_.dtype == np.float64
    assert model.n_iter_ == 3


def test_deep_partial_fit_casts_data_of_another_dtype(Xy):
    X, y = Xy
    clf = DBNClassifier(hidden_layer_sizes=(4,), max_iter=2, random_state=0).fit(X, y)
    clf.partial_fit(X.astype(np.float32), y)
    assert clf.coefs_[0].dtype == np.float64


def test_pcd_chains_follow_a_new_batch_size(Xy):
    X, _ = Xy
    rbm = BernoulliRBM(n_components=3, batch_size=10, n_iter=2, random_state=0).fit(X)
    old = rbm.h_samples_.copy()
    rbm.set_params(batch_size=25).partial_fit(X)
    assert rbm.h_samples_.shape == (25, 3)
    rbm.set_params(batch_size=5).partial_fit(X)
    assert rbm.h_samples_.shape == (5, 3)
    assert not np.array_equal(rbm.h_samples_, old[:5])  # the kept chains moved on


def test_momentum_set_after_a_fit_without_it_is_used(Xy):
    X, _ = Xy
    plain = BernoulliRBM(n_components=3, n_iter=2, momentum=0.0, random_state=0).fit(X)
    assert type(plain._optimizer) is SGD
    plain.set_params(momentum=0.9).partial_fit(X)
    assert isinstance(plain._optimizer, Momentum) and plain._optimizer.momentum == 0.9
    still = BernoulliRBM(n_components=3, n_iter=2, momentum=0.0, random_state=0).fit(X)
    still.partial_fit(X)
    assert not np.allclose(plain.components_, still.components_)


def test_autoencoder_untied_after_a_tied_fit_starts_from_the_encoder(Xy):
    X, _ = Xy
    ae = Autoencoder(n_components=3, n_iter=2, random_state=0).fit(X)
    encoder = ae.components_.copy()
    ae.set_params(tied=False, learning_rate=1e-12).partial_fit(X)
    # a negligible step: the new decoder weights are the encoder's
    np.testing.assert_allclose(ae.decoder_components_, encoder, atol=1e-9)
    with pytest.raises(ValueError, match="tied=True"):
        ae.set_params(tied=True).partial_fit(X)


def test_autoencoder_optimizer_and_step_changes_apply(Xy):
    X, _ = Xy
    ae = Autoencoder(n_components=3, n_iter=2, random_state=0).fit(X)
    ae.set_params(optimizer="adam", learning_rate=0.01).partial_fit(X)
    assert isinstance(ae._optimizer, Adam) and ae._optimizer.learning_rate == 0.01


@pytest.mark.parametrize("cls", [BernoulliRBM, Autoencoder])
def test_a_new_number_of_hidden_units_is_refused(cls, Xy):
    X, _ = Xy
    model = cls(n_components=3, n_iter=1, random_state=0).fit(X)
    with pytest.raises(ValueError, match="n_components=4"):
        model.set_params(n_components=4).partial_fit(X)


def _small_vae(cls):
    return cls(encoder_layer_sizes=(6,), n_components=2, max_iter=1, random_state=0)


_VAE_CHANGES = [{"n_components": 3}, {"encoder_layer_sizes": (7,)},
                {"decoder_layer_sizes": (7,)}, {"likelihood": "bernoulli"},
                {"activation": "tanh"}]


@pytest.mark.parametrize("cls, change", [
    *((VariationalAutoencoder, change) for change in _VAE_CHANGES),
    *((SemiSupervisedVAE, change) for change in _VAE_CHANGES),
    (SemiSupervisedVAE, {"classifier_layer_sizes": (7,)}),
])
def test_vae_settings_that_built_the_networks_are_refused(cls, change, Xy):
    """A VAE kept its networks and likelihood and ignored the new value (or
    failed in a matrix product, for ``n_components``)."""
    X, y = Xy
    args = (X, y) if cls is SemiSupervisedVAE else (X,)
    model = _small_vae(cls).partial_fit(*args)
    (name, value), = change.items()
    with pytest.raises(ValueError, match=re.escape(f"{name}={value!r}, but the model was built")):
        model.set_params(**change).partial_fit(*args)


@pytest.mark.parametrize("cls", [VariationalAutoencoder, SemiSupervisedVAE])
def test_vae_same_settings_written_otherwise_continue(cls, Xy):
    """Sizes as a list, a count as a numpy integer: the same settings."""
    X, y = Xy
    args = (X, y) if cls is SemiSupervisedVAE else (X,)
    model = _small_vae(cls).partial_fit(*args)
    model.set_params(encoder_layer_sizes=[6], n_components=np.int64(2)).partial_fit(*args)
    assert model.n_iter_ == 2


@pytest.mark.parametrize("change", [{"loss": "squared_error"}, {"activation": "relu"}])
def test_autoencoder_loss_and_units_are_refused(change, Xy):
    """The layer kept its output units and loss and ignored the new value."""
    X, _ = Xy
    model = Autoencoder(n_components=3, n_iter=1, random_state=0).fit(X)
    (name, value), = change.items()
    with pytest.raises(ValueError, match=re.escape(f"{name}={value!r}, but the model was built")):
        model.set_params(**change).partial_fit(X)


def test_classes_must_be_the_same_at_every_partial_fit(Xy):
    X, y = Xy
    clf = DBNClassifier(hidden_layer_sizes=(4,), random_state=0)
    clf.partial_fit(X, y, classes=[0, 1])
    clf.partial_fit(X, y, classes=[0, 1])
    with pytest.raises(ValueError, match=r"classes=\[0, 1, 2\] is not the same"):
        clf.partial_fit(X, y, classes=[0, 1, 2])


def test_regressor_refuses_another_number_of_outputs(Xy):
    X, y = Xy
    reg = DBNRegressor(hidden_layer_sizes=(4,), random_state=0).partial_fit(X, y)
    with pytest.raises(ValueError, match="2 output"):
        reg.partial_fit(X, np.c_[y, y])


def test_deep_settings_changed_between_calls(Xy):
    X, y = Xy
    clf = DBNClassifier(hidden_layer_sizes=(4, 3), random_state=0).partial_fit(X, y)
    clf.set_params(optimizer="momentum", momentum=0.5).partial_fit(X, y)
    assert isinstance(clf._optimizer, Momentum) and clf._optimizer.momentum == 0.5
    clf.set_params(n_frozen_layers=1).partial_fit(X, y)
    frozen = clf.coefs_[0].copy()
    clf.partial_fit(X, y)
    np.testing.assert_array_equal(clf.coefs_[0], frozen)
    with pytest.raises(ValueError, match="hidden_layer_sizes=.8, 3."):
        clf.set_params(hidden_layer_sizes=(8, 3)).partial_fit(X, y)
    with pytest.raises(ValueError, match="batch_normalization=True"):
        clf.set_params(hidden_layer_sizes=(4, 3), batch_normalization=True).partial_fit(X, y)
    with pytest.raises(ValueError, match="activation='tanh'.*built with activation='auto'"):
        clf.set_params(batch_normalization=False, activation="tanh").partial_fit(X, y)
    with pytest.raises(ValueError, match="visible_unit='gaussian'.*built with visible_unit='a"):
        clf.set_params(activation="auto", visible_unit="gaussian").partial_fit(X, y)
    with pytest.raises(ValueError, match="visible_unit='gaussian'"):  # a warm start too
        clf.set_params(warm_start=True).fit(X, y)
    ae = DBNAutoencoder(hidden_layer_sizes=(4, 2), random_state=0).partial_fit(X)
    with pytest.raises(ValueError, match="hidden_layer_sizes"):
        ae.set_params(hidden_layer_sizes=(5, 2)).partial_fit(X)
    with pytest.raises(ValueError, match="activation='logistic'"):
        ae.set_params(hidden_layer_sizes=(4, 2), activation="logistic").partial_fit(X)
    with pytest.raises(ValueError, match="loss='cross_entropy'.*built with loss='auto'"):
        ae.set_params(activation="auto", loss="cross_entropy", warm_start=True).fit(X)
    before = ae.n_iter_
    ae.set_params(loss="auto").fit(X)  # the settings it was built with: continues
    assert ae.n_iter_ > before


def test_early_stopping_split_error_names_validation_fraction(Xy):
    X, y = Xy
    clf = DBNClassifier(hidden_layer_sizes=(4,), early_stopping=True, validation_fraction=0.01)
    with pytest.raises(ValueError, match="validation_fraction=0.01 of 40 rows") as info:
        clf.fit(X, y)
    assert "test_size" not in str(info.value).split("(")[0]
