"""Arguments of the public methods, out-of-range input, sparse input for
Gaussian units and the progress of AIS: each a clear error or warning."""

import inspect
import re
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import BaseEstimator, clone
from sklearn.exceptions import NotFittedError
from sklearn.utils._param_validation import InvalidParameterError
from test_common import INIT_PARAMS, make_instance, public_estimators

from skdeep import (
    DBN,
    Autoencoder,
    BernoulliRBM,
    DBNAutoencoder,
    GaussianBernoulliRBM,
    SemiSupervisedVAE,
    VariationalAutoencoder,
)
from skdeep._kernels import partition
from skdeep._pretraining import check_hidden_layer_sizes


@pytest.fixture(scope="module")
def X():
    return np.random.default_rng(0).random((40, 5))


@pytest.fixture(scope="module")
def fitted(X):
    """One small fitted instance of each estimator with a ``sample`` method."""
    return {
        "BernoulliRBM": make_instance(BernoulliRBM).fit(X),
        "GaussianBernoulliRBM": make_instance(GaussianBernoulliRBM).fit(X),
        "DBN": make_instance(DBN).fit(X),
        "VariationalAutoencoder": make_instance(VariationalAutoencoder).fit(X),
        "SemiSupervisedVAE": make_instance(SemiSupervisedVAE).fit(X, np.arange(40) % 2),
    }


# The arguments that data and targets take, validated by validate_data, and the
# methods whose own parameters are the estimator's (fit) or scikit-learn's.
DATA_ARGUMENTS = {"self", "X", "v", "y", "Y"}
NOT_CHECKED_HERE = {"fit", "partial_fit", "fit_transform", "fit_predict", "get_params",
                    "set_params", "set_output", "get_feature_names_out",
                    "get_metadata_routing", "score"}


def public_methods(cls):
    for name, member in inspect.getmembers(cls, inspect.isfunction):
        if name.startswith("_") or name in NOT_CHECKED_HERE or name.startswith("set_"):
            continue
        yield name, member


@pytest.mark.parametrize("cls", public_estimators(), ids=lambda c: c.__name__)
def test_every_method_argument_has_a_constraint(cls):
    # every argument of a public method that is not the data is declared, as
    # scikit-learn's validate_params declares a function's
    for name, method in public_methods(cls):
        arguments = set(inspect.signature(method).parameters) - DATA_ARGUMENTS
        declared = set(getattr(method, "_skl_parameter_constraints", {}))
        assert arguments <= declared, f"{cls.__name__}.{name}: {arguments - declared} unchecked"
        assert declared <= arguments, f"{cls.__name__}.{name}: constraints of no argument"


BAD_CALLS = [
    ("BernoulliRBM", "sample", (-1,), {}, "n_samples"),
    ("BernoulliRBM", "sample", (0,), {}, "n_samples"),
    ("BernoulliRBM", "sample", (2.5,), {}, "n_samples"),
    ("BernoulliRBM", "sample", (3,), {"n_steps": -1}, "n_steps"),
    ("BernoulliRBM", "sample", (3,), {"n_steps": 0}, "n_steps"),
    ("BernoulliRBM", "sample", (3,), {"mean": "yes"}, "mean"),
    ("BernoulliRBM", "sample", (3,), {"random_state": "seed"}, "random_state"),
    ("BernoulliRBM", "log_partition", ("ais",), {"n_runs": 0}, "n_runs"),
    ("BernoulliRBM", "log_partition", ("ais",), {"n_betas": 0}, "n_betas"),
    ("BernoulliRBM", "log_partition", ("ais",), {"n_betas": 2.5}, "n_betas"),
    ("BernoulliRBM", "log_partition", ("ais",), {"n_betas": 5}, "n_betas"),
    ("BernoulliRBM", "log_partition", ("sampling",), {}, "method"),
    ("GaussianBernoulliRBM", "sample", (-1,), {}, "n_samples"),
    ("GaussianBernoulliRBM", "log_partition", ("ais",), {"n_runs": 0}, "n_runs"),
    ("DBN", "sample", (-1,), {}, "n_samples"),
    ("DBN", "sample", (2.5,), {}, "n_samples"),
    ("DBN", "sample", (3,), {"n_steps": -1}, "n_steps"),
    ("VariationalAutoencoder", "sample", (-1,), {}, "n_samples"),
    ("VariationalAutoencoder", "sample", (2.5,), {}, "n_samples"),
    ("VariationalAutoencoder", "sample", (2,), {"mean": None}, "mean"),
    ("SemiSupervisedVAE", "sample", (0,), {}, "n_samples"),
    ("SemiSupervisedVAE", "sample", (2.5,), {}, "n_samples"),
    ("SemiSupervisedVAE", "sample", (2,), {"mean": "yes"}, "mean"),
    ("SemiSupervisedVAE", "sample", (2,), {"random_state": "seed"}, "random_state"),
]


@pytest.mark.parametrize("name, method, args, kwargs, argument", BAD_CALLS)
def test_bad_method_arguments_raise_naming_the_argument(fitted, name, method, args, kwargs,
                                                        argument):
    with pytest.raises(InvalidParameterError,
                       match=rf"'{argument}' parameter of {name}\.{method} must be"):
        getattr(fitted[name], method)(*args, **kwargs)


def test_gibbs_n_steps_is_validated_and_returns_a_new_array(fitted, X):
    rbm = fitted["BernoulliRBM"]
    for n_steps in (0, -1, 1.5):
        with pytest.raises(InvalidParameterError,
                           match="'n_steps' parameter of BernoulliRBM.gibbs"):
            rbm.gibbs(X, n_steps=n_steps)
    V = (X > 0.5).astype(np.float64)
    out = rbm.gibbs(V, n_steps=1)
    assert out is not V and not np.shares_memory(out, V)
    assert set(np.unique(out)) <= {0.0, 1.0}


def test_valid_boundary_arguments_still_work(fitted, X):
    rbm = fitted["BernoulliRBM"]
    assert rbm.sample(1, n_steps=1).shape == (1, 5)
    assert rbm.sample(np.int64(2), n_steps=np.int32(1)).shape == (2, 5)
    # 6 inverse temperatures is the shortest schedule AIS takes as given
    assert np.isfinite(rbm.log_partition("ais", n_runs=1, n_betas=6, random_state=0).log_z)
    assert fitted["DBN"].sample(1, n_steps=1, random_state=0).shape == (1, 5)
    assert fitted["VariationalAutoencoder"].sample(1, random_state=0).shape == (1, 5)
    assert fitted["SemiSupervisedVAE"].sample(np.int64(1), y=1, random_state=0)[0].shape == (1, 5)


def test_errors_name_the_class_of_the_instance(fitted):
    # the methods are defined on a private base class; the message names the public one
    with pytest.raises(InvalidParameterError, match="GaussianBernoulliRBM.sample"):
        fitted["GaussianBernoulliRBM"].sample(0)


@pytest.mark.parametrize("n_betas", [*range(partition.MIN_BETAS, 200), 14500])
def test_ais_schedule_has_the_requested_length(n_betas):
    betas = partition.ais_schedule(n_betas)
    assert betas.size == n_betas and betas[0] == 0 and betas[-1] == 1
    assert np.all(np.diff(betas) > 0)


def test_vae_n_importance_samples_set_after_fit_is_checked(X):
    vae = make_instance(VariationalAutoencoder).fit(X)
    vae.set_params(n_importance_samples=0)
    with pytest.raises(InvalidParameterError, match="'n_importance_samples' parameter"):
        vae.score_samples(X)


def test_vae_feature_names_need_a_fit(X):
    with pytest.raises(NotFittedError):
        VariationalAutoencoder().get_feature_names_out()
    vae = make_instance(VariationalAutoencoder).fit(X)
    assert list(vae.get_feature_names_out()) == ["variationalautoencoder0",
                                                 "variationalautoencoder1"]


@pytest.mark.parametrize("sizes", [(2.5,), (True,), (3, True), (4, 2.0), [[3, 2]], (0,)])
@pytest.mark.parametrize("parameter", ["encoder_layer_sizes", "decoder_layer_sizes"])
def test_vae_layer_sizes_must_be_positive_ints(X, parameter, sizes):
    vae = VariationalAutoencoder(encoder_layer_sizes=(3,), max_iter=1).set_params(
        **{parameter: sizes})
    with pytest.raises(ValueError, match=f"{parameter} must be a sequence of positive ints"):
        vae.fit(X)


def test_vae_layer_sizes_accept_numpy_ints_and_no_hidden_layer(X):
    vae = VariationalAutoencoder(encoder_layer_sizes=np.array([3]), n_components=2,
                                 decoder_layer_sizes=(), max_iter=1).fit(X)
    assert [W.shape for W in vae.encoder_coefs_] == [(5, 3), (3, 4)]
    assert [W.shape for W in vae.decoder_coefs_] == [(2, 5)]


@pytest.mark.parametrize("sizes", [(2.5,), (True,), True, (3, True), (4, 2.0), (), [[3, 2]]])
def test_hidden_layer_sizes_reject_floats_and_bools(sizes):
    # DBN, DBNClassifier, DBNRegressor and DBNAutoencoder validate through this
    with pytest.raises(ValueError, match="hidden_layer_sizes must be a non-empty sequence"):
        check_hidden_layer_sizes(sizes)
    assert check_hidden_layer_sizes((3, np.int64(2))) == [3, 2]
    assert check_hidden_layer_sizes(4) == [4]


@pytest.mark.parametrize("likelihood", ["bernoulli", "gaussian"])
def test_vae_overflowing_rows_raise_a_clear_error(X, likelihood):
    vae = make_instance(VariationalAutoencoder).set_params(likelihood=likelihood).fit(X)
    X_big = X.copy()
    X_big[3, 1] = 1e30
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the [0, 1] warning
        warnings.simplefilter("error", RuntimeWarning)  # no numpy overflow noise
        with pytest.raises(ValueError, match=r"row 3, whose largest absolute value is 1e\+30"):
            vae.score_samples(X_big)
        # the other rows score as before
        np.testing.assert_allclose(vae.score_samples(X_big[:3]), vae.score_samples(X[:3]))


def test_vae_overflow_error_reports_the_data_units(X):
    """'auto''s Gaussian fits standardized columns: the error names the row's
    largest value as the user gave it, not in the standardized units."""
    raw = X * 1000.0 + 5.0
    vae = make_instance(VariationalAutoencoder).fit(raw)
    assert vae.input_scale_ is not None
    X_big = raw.copy()
    X_big[3, 1] = 1e200
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # no numpy overflow noise
        with pytest.raises(ValueError, match=r"row 3, whose largest absolute value is 1e\+200"):
            vae.score_samples(X_big)


FAR_OUT = np.arange(0, 100_000, 100.0)[:5][None]  # 0, 100, ..., 400


@pytest.mark.parametrize("method", ["transform", "score_samples", "free_energy",
                                    "pseudo_likelihood", "gibbs"])
def test_rbm_methods_warn_on_values_outside_the_unit_interval(fitted, X, method):
    rbm = fitted["BernoulliRBM"]
    with pytest.warns(UserWarning, match=r"values in \[0, 400\]"):
        getattr(rbm, method)(FAR_OUT)
    with pytest.warns(UserWarning, match=r"values in \[\d+, 400\]"):
        getattr(rbm, method)(sp.csr_matrix(FAR_OUT))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        getattr(rbm, method)(X)  # data in [0, 1]: no warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fitted["GaussianBernoulliRBM"].transform(FAR_OUT)  # real-valued units: none


@pytest.mark.parametrize("estimator", [
    Autoencoder(**INIT_PARAMS["Autoencoder"]),
    DBNAutoencoder(**INIT_PARAMS["DBNAutoencoder"]),
    VariationalAutoencoder(**INIT_PARAMS["VariationalAutoencoder"]),
], ids=lambda e: type(e).__name__)
@pytest.mark.parametrize("method", ["transform", "score_samples", "score"])
def test_autoencoders_warn_on_values_outside_the_unit_interval(X, estimator, method):
    estimator = clone(estimator)
    if "likelihood" in estimator.get_params():
        # uniform values have a third of binary data's variance: 'auto' takes
        # the Gaussian for them, as for a min-max scaled table
        estimator.set_params(likelihood="bernoulli")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence
        estimator.fit(X)
    with pytest.warns(UserWarning, match=r"models values in \[0, 1\], but X has values"):
        with np.errstate(all="ignore"):
            try:
                getattr(estimator, method)(FAR_OUT)
            except ValueError:  # a VAE may overflow far out: its own error
                pass
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        getattr(estimator, method)(X)
    real_valued = {"likelihood": "gaussian"} if "likelihood" in estimator.get_params() \
        else {"loss": "squared_error"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        estimator.set_params(**real_valued).fit(X)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        with np.errstate(all="ignore"):
            try:
                getattr(estimator, method)(FAR_OUT)
            except ValueError:
                pass


DENSE_ONLY = re.escape("needs dense input (Gaussian visible units); got a sparse matrix: "
                       "convert it with X.toarray()")


@pytest.mark.parametrize("method", ["transform", "score_samples", "score", "free_energy",
                                    "gibbs"])
def test_gaussian_units_say_they_need_dense_input(fitted, X, method):
    rbm = fitted["GaussianBernoulliRBM"]
    with pytest.raises(TypeError, match="GaussianBernoulliRBM " + DENSE_ONLY):
        getattr(rbm, method)(sp.csr_matrix(X))
    assert not rbm.__sklearn_tags__().input_tags.sparse
    assert fitted["BernoulliRBM"].__sklearn_tags__().input_tags.sparse


def test_gaussian_fit_and_dbn_reject_sparse_input(X):
    with pytest.raises(TypeError, match="GaussianBernoulliRBM " + DENSE_ONLY):
        GaussianBernoulliRBM().fit(sp.csr_matrix(X))
    dbn = DBN(hidden_layer_sizes=(3,), visible_unit="gaussian", n_iter=1)
    with pytest.raises(TypeError, match="DBN " + DENSE_ONLY):
        dbn.fit(sp.csr_matrix(X))
    dbn.fit(X)
    with pytest.raises(TypeError, match="DBN " + DENSE_ONLY):
        dbn.transform(sp.csr_matrix(X))
    assert not dbn.__sklearn_tags__().input_tags.sparse


def test_ais_prints_progress_when_verbose(X, capsys):
    rbm = BernoulliRBM(n_components=25, n_iter=1, random_state=0).fit(X)
    rbm.log_partition("ais", n_runs=3, n_betas=201, random_state=0)
    assert capsys.readouterr().out == ""
    rbm.set_params(verbose=1).log_partition("ais", n_runs=3, n_betas=201, random_state=0)
    lines = capsys.readouterr().out.splitlines()
    percents = [int(re.search(r"AIS: +(\d+)% of 201 temperatures, [\d.]+s", line).group(1))
                for line in lines]
    assert percents == list(range(10, 101, 10))


def test_ais_progress_callback_counts_every_transition():
    rng = np.random.default_rng(0)
    W, b, c = rng.normal(size=(3, 4)), np.zeros(4), np.zeros(3)
    calls = []
    partition.ais_log_partition(W, b, c, b, rng, n_runs=2, n_betas=37,
                                progress=lambda done, total: calls.append((done, total)),
                                progress_steps=4)
    # 36 transitions in 4 equal shares
    assert calls == [(9, 36), (18, 36), (27, 36), (36, 36)]


def test_every_discovered_estimator_is_a_scikit_learn_estimator():
    assert all(issubclass(cls, BaseEstimator) for cls in public_estimators())
